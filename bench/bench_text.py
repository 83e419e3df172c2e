"""Throughput and latency of the Chinese document toolkit (`make bench`).

Full pipeline per document: read → clean → outline (+deadlines) → report check (figures extracted once,
inside the check), over the five seeds, repeated. Baseline in the same run: one bare single-pass regex scan
of the same raw text (numbers with units) — the floor any text processing pays. Prints documents/second for
both and the ratio.

Then the two targets of issue 16, each the median of several runs in CPU time (``time.process_time``, so a
busy shared machine inflates it less than wall time):

* a clean report ≤ 50 ms (per clean seed);
* a mojibake-damaged document ≤ 10× a clean one of the same length: seed 001 as damaged against its own
  cleaned text (the same document, same length within a few percent, without damage).

Whole-process figures: ``bench/text_doc.py FILE --repeat N`` runs the pipeline N times in one process, for an
outside timer (``/usr/bin/time -v``); compare ``--repeat N`` with ``--repeat 0`` to take out start-up.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import fazhi
from fazhi.core.text import (
    check_report,
    clean,
    find_deadlines,
    parse_outline,
    read_document,
)
from fazhi.core.text.deadlines import attach_deadlines

SEEDS = sorted((Path(fazhi.__file__).parent / "demo" / "seeds").glob("*.txt"))
BASELINE = re.compile(r"\d+(?:\.\d+)?[万亿]?(?:件|名|人|次|个|项|%)")


def pipeline(path: Path) -> int:
    return pipeline_text(read_document(path).text)


def pipeline_text(text: str) -> int:
    result = clean(text)
    roots = parse_outline(result.text)
    attach_deadlines(roots, find_deadlines(result.text))
    checked = check_report(result.text, result.repaired_spans, title=result.metadata.get("title"))
    return len(checked.figures)


def cpu_ms(func, arg, runs: int = 7) -> float:
    """Median CPU milliseconds of ``func(arg)`` over ``runs`` runs."""
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        func(arg)
        times.append(time.process_time() - t0)
    return 1000 * statistics.median(times)


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
    print("  per document, median CPU ms of 7 runs (target: a clean report ≤ 50 ms):")
    for path, text in zip(SEEDS, texts, strict=True):
        print(f"    {path.name}: {cpu_ms(pipeline_text, text):7.1f} ms  ({len(text)} characters)")
    damaged = next(t for p, t in zip(SEEDS, texts, strict=True) if p.name.startswith("001"))
    repaired = clean(damaged).text  # shorter (pinyin gone): repeated up to the damaged text's length
    same_length = (repaired * (len(damaged) // len(repaired) + 1))[: len(damaged)]
    d_ms, c_ms = cpu_ms(pipeline_text, damaged), cpu_ms(pipeline_text, same_length)
    print(f"  damaged seed 001 ({len(damaged)} chars): {d_ms:.1f} ms; clean text of the same document and length"
          f" ({len(same_length)} chars): {c_ms:.1f} ms; ratio {d_ms / c_ms:.1f}× (target ≤ 10×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
