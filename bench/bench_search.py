"""Full-text search latency over a synthetic corpus of 100 000 annual reports (SQLite FTS5).

Standalone: ``.venv/bin/python bench/bench_search.py`` (``make bench`` runs it). No Django database: the
corpus goes into a temporary SQLite file with the same FTS5 table, index text (jieba words + character
bigrams, ``fazhi.portal.search.index_text``) and query syntax (``SQLiteBackend.match_expression``) as the
embedded default.

Corpus: sentences of the three real reports (seeds 000, 002, 004, cleaned by the toolkit) shuffled into
synthetic reports of ~2 KB each (BENCH_REPORT_BYTES). Full-length reports (~15 KB) would take too long to
index within the 10-minute budget on 2 cores, hence the shorter ones; the index text of each sentence is
computed once and reused, which gives the same tokens as segmenting the whole synthetic report.

Environment: BENCH_REPORTS (default 100000), BENCH_QUERIES (default 200), BENCH_REPORT_BYTES (default 2000).
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fazhi.core.text.cleaning import clean  # noqa: E402
from fazhi.portal.search import SQLiteBackend, parse_query, tokenizer  # noqa: E402
from fazhi.portal.search import bigrams as han_bigrams  # noqa: E402

N_REPORTS = int(os.environ.get("BENCH_REPORTS", "100000"))
N_QUERIES = int(os.environ.get("BENCH_QUERIES", "200"))
REPORT_BYTES = int(os.environ.get("BENCH_REPORT_BYTES", "2000"))
TERMS = [
    "行政复议", "纠错率", "复议体制", "出庭应诉率", "双随机", "规范性文件", "行政执法", "营商环境", "法治政府",
    "重大行政决策", "合法性审查", "矛盾纠纷", "人民调解", "第一责任人", "习近平法治思想", "备案审查", "败诉率",
    "化解率", "执法", "复议", "政务服务", "公职律师", "法律顾问", "行政复议 纠错率", "出庭 应诉", "调解 成功率",
    "行政执法 三项制度", "示范创建", "不存在的词语组合", "量子计算",
]


def sentences() -> list[str]:
    out = []
    for number in ("000", "002", "004"):
        path = next((ROOT / "fazhi" / "demo" / "seeds").glob(f"{number}_*.txt"))
        text = clean(path.read_text(encoding="utf-8")).text
        for line in text.split("\n"):
            out.extend(s + "。" for s in line.split("。") if len(s) >= 8)
    return out


def sentence_tokens(sentence: str, tok) -> tuple[list[str], list[str]]:
    import re

    grams = []
    for match in re.finditer(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", sentence):
        token = match.group()
        grams.extend(han_bigrams(token) if "\u4e00" <= token[0] <= "\u9fff" else [token.lower()])
    words = [w for w in tok.cut(sentence) if len(w) > 2 and re.fullmatch(r"[\u4e00-\u9fff]+", w)]
    return grams, words


def main() -> int:
    started = time.perf_counter()
    tok = tokenizer()
    pool = sentences()
    tokens = [sentence_tokens(s, tok) for s in pool]
    sizes = [len(s.encode()) for s in pool]
    print(f"{len(pool)} seed sentences; building {N_REPORTS} synthetic reports of ~{REPORT_BYTES} bytes")
    rng = random.Random(42)
    workdir = tempfile.mkdtemp(prefix="fazhi-bench-search-")
    db_path = Path(workdir) / "bench.sqlite3"
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE VIRTUAL TABLE portal_search_fts USING fts5(body, tokenize = 'unicode61')")
    t0 = time.perf_counter()
    total_bytes = 0
    batch = []
    for report_id in range(1, N_REPORTS + 1):
        grams: list[str] = []
        words: list[str] = []
        size = 0
        while size < REPORT_BYTES:
            i = rng.randrange(len(pool))
            grams.extend(tokens[i][0])
            words.extend(tokens[i][1])
            size += sizes[i]
        total_bytes += size
        batch.append((report_id, " ".join(grams) + " " + " ".join(words)))
        if len(batch) == 2000:
            db.executemany("INSERT INTO portal_search_fts (rowid, body) VALUES (?, ?)", batch)
            batch.clear()
    if batch:
        db.executemany("INSERT INTO portal_search_fts (rowid, body) VALUES (?, ?)", batch)
    db.commit()
    db.execute("INSERT INTO portal_search_fts(portal_search_fts) VALUES ('optimize')")
    db.commit()
    index_seconds = time.perf_counter() - t0
    print(f"indexed {N_REPORTS} reports ({total_bytes / 1e6:.0f} MB of text) in {index_seconds:.1f} s; "
          f"database {db_path.stat().st_size / 1e6:.0f} MB")

    queries = [rng.choice(TERMS) for _ in range(N_QUERIES)]
    latencies: dict[str, list[float]] = {}
    all_ms = []
    empty: set[str] = set()
    for query in queries:
        expression = SQLiteBackend.match_expression(parse_query(query))
        t = time.perf_counter()
        rows = db.execute(
            "SELECT rowid, bm25(portal_search_fts) FROM portal_search_fts WHERE portal_search_fts MATCH ? "
            "ORDER BY bm25(portal_search_fts) LIMIT 20", [expression]).fetchall()
        elapsed = (time.perf_counter() - t) * 1000
        all_ms.append(elapsed)
        latencies.setdefault(query, []).append(elapsed)
        if not rows:
            empty.add(query)
    all_ms.sort()

    def pct(values, p):
        return values[min(len(values) - 1, int(len(values) * p))]

    print(f"{N_QUERIES} queries (top 20 by BM25): p50 {pct(all_ms, 0.5):.1f} ms, p95 {pct(all_ms, 0.95):.1f} ms, "
          f"max {all_ms[-1]:.1f} ms")
    print(f"  queries with no hit: {', '.join(sorted(empty)) or 'none'}")
    for query, values in sorted(latencies.items(), key=lambda kv: -statistics.median(kv[1]))[:8]:
        print(f"  slowest: {query!r:<24} median {statistics.median(values):.1f} ms over {len(values)}")
    db.close()
    db_path.unlink()
    os.rmdir(workdir)
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
