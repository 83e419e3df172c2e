"""Search latency through the production path on a real database (`make bench`): ``fazhi.portal.search``'s
``SearchHits`` (capped count + the first page of 20, ranked in the database, texts of the page only) for 20
Chinese queries, on SQLite FTS5 or PostgreSQL (stored tsvector, RUM or GIN) — run it on both with the same data
(``fazhi demo_scale --reports R``) to compare them side by side.

Standalone: ``.venv/bin/python bench/bench_search_db.py --database URL --label NAME [--runs 5]``.
Results go to ``bench/results/search-<vendor>-<label>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from bench_pages import setup  # noqa: E402
from bench_web import QUERIES  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup(args.database)
    from django.db import connection

    from fazhi.portal import search
    from fazhi.reports.models import AnnualReport

    reports = AnnualReport.objects.published().count()
    print(f"database: {connection.vendor}; {reports:,} published reports; load average {os.getloadavg()[0]:.1f}")
    per_query, every = {}, []
    for query in QUERIES:
        hits = search.SearchHits(query)
        len(hits), hits[0:20]  # warm-up (jieba, caches)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            hits = search.SearchHits(query)
            total = len(hits)
            page = hits[0:20]
            for report in page:
                search.highlight(report.clean_text, query)
            times.append(time.perf_counter() - start)
        every += times
        per_query[query] = {"hits_capped": total, "median_ms": round(statistics.median(times) * 1000, 1),
                            "max_ms": round(max(times) * 1000, 1)}
        print(f"  {query:<12} {total:5d} hits  median {per_query[query]['median_ms']:8.1f} ms  "
              f"max {per_query[query]['max_ms']:8.1f} ms")
    every.sort()
    p95 = statistics.quantiles(every, n=100)[94]
    print(f"  ALL p50 {statistics.median(every) * 1000:.1f} ms  p95 {p95 * 1000:.1f} ms over {len(every)} searches")
    out = ROOT / "bench" / "results" / f"search-{connection.vendor}-{args.label}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"bench": "search", "vendor": connection.vendor, "reports": reports,
                               "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                               "load_average": round(os.getloadavg()[0], 2), "command": " ".join(sys.argv),
                               "p50_ms": round(statistics.median(every) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
                               "queries": per_query}, indent=2, ensure_ascii=False) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
