"""Throughput of the Chinese document toolkit (`make bench`).

Full pipeline per document: read → clean → outline (+deadlines) → figures → report check, over
the five seeds, repeated. Baseline in the same run: one bare single-pass regex scan of the same
raw text (numbers with units) — the floor any text processing pays. Prints documents/second for
both and the ratio.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import fazhi
from fazhi.core.text import (
    check_report,
    clean,
    extract_figures,
    find_deadlines,
    parse_outline,
    read_document,
)
from fazhi.core.text.deadlines import attach_deadlines

SEEDS = sorted((Path(fazhi.__file__).parent / "demo" / "seeds").glob("*.txt"))
BASELINE = re.compile(r"\d+(?:\.\d+)?[万亿]?(?:件|名|人|次|个|项|%)")


def pipeline(path: Path) -> int:
    raw = read_document(path)
    result = clean(raw.text)
    roots = parse_outline(result.text)
    attach_deadlines(roots, find_deadlines(result.text))
    figures = extract_figures(result.text, result.repaired_spans)
    check_report(result.text, result.repaired_spans)
    return len(figures)


def baseline(text: str) -> int:
    return sum(1 for _ in BASELINE.finditer(text))


def measure(func, items, min_seconds: float = 2.0) -> tuple[float, int]:
    docs = 0
    start = time.perf_counter()
    while True:
        for item in items:
            func(item)
            docs += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return docs / elapsed, docs


def main() -> int:
    pipeline(SEEDS[0])  # warm up: OpenCC dictionaries, lazy imports
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    size = sum(len(t) for t in texts)
    full_rate, full_docs = measure(pipeline, SEEDS)
    base_rate, base_docs = measure(baseline, texts)
    print(f"Chinese document toolkit — {len(SEEDS)} seeds, {size} characters")
    print(f"  full pipeline (read→clean→outline→deadlines→figures→check): {full_rate:10.1f} docs/s ({full_docs} docs)")
    print(f"  bare single-pass regex scan of the same text:              {base_rate:10.1f} docs/s ({base_docs} docs)")
    print(f"  ratio regex/pipeline: {base_rate / full_rate:.0f}×")
    for path in SEEDS:
        t0 = time.perf_counter()
        pipeline(path)
        print(f"    {path.name}: {1000 * (time.perf_counter() - t0):7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
