"""In-process time of every working page (`make bench`): the office's, the scorer's and the public's pages,
rendered through Django's test client against an existing database — the demo (`fazhi load_demo`) or the demo
after `fazhi demo_scale`.

Standalone: ``.venv/bin/python bench/bench_pages.py --database URL --label demo|scaled [--runs 7]``
(``URL``: ``sqlite:////path/file.sqlite3`` or ``postgres://…``). Each page is requested once to warm up, then
``--runs`` times; the median and the slowest are reported, with the query count of one request. Results go to
``bench/results/pages-<vendor>-<label>.json``. The database is only read (sessions aside).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(database: str) -> None:
    tmp = tempfile.mkdtemp(prefix="fazhi-bench-pages-")
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings.base", DATABASE_URL=database, FAZHI_DATA_DIR=tmp,
                      FAZHI_DEBUG="false", FAZHI_SECRET_KEY="bench-only-not-a-secret", FAZHI_LOG_LEVEL="WARNING",
                      FAZHI_ALLOWED_HOSTS="testserver")
    if not os.environ.get("FAZHI_AUDIT_KEY_FILE"):
        os.environ["FAZHI_AUDIT_KEY_FILE"] = str(Path(tmp) / "audit.keys")
        subprocess.run([sys.executable, "-m", "fazhi.cli", "audit", "keygen", os.environ["FAZHI_AUDIT_KEY_FILE"],
                        "--key-id", "bench"], check=True, capture_output=True, cwd=ROOT)
    import django

    django.setup()


def pages() -> list[tuple[str, str | None, str]]:
    """(label, username or None for the public, URL)."""
    from django.urls import reverse

    from fazhi.assessment.models import Campaign
    from fazhi.orgs.models import Unit

    province = Unit.objects.get(code="410000")
    current = Campaign.objects.filter(owner=province).order_by("-year").first()
    resulted = Campaign.objects.filter(owner=province, results__isnull=False).order_by("-year").distinct().first()
    return [
        ("office home", "office", reverse("home")),
        ("campaign overview", "office", reverse("assessment:campaign_detail", args=[current.pk])),
        ("progress", "office", reverse("assessment:progress", args=[current.pk])),
        ("results", "office", reverse("assessment:results", args=[resulted.pk]) + "?category=1"),
        ("result detail", "office", reverse("assessment:result_detail", args=[resulted.pk, "410100"])),
        ("adjustments", "office", reverse("assessment:adjustments", args=[current.pk])),
        ("indicators", "office", reverse("assessment:indicator_tree", args=[current.pk])),
        ("scoring home", "assessing", reverse("assessment:scoring_home")),
        ("worklist", "assessing", reverse("assessment:worklist", args=[current.pk])),
        ("worklist page 20", "assessing", reverse("assessment:worklist", args=[current.pk]) + "?page=20"),
        ("worklist unscored", "assessing", reverse("assessment:worklist", args=[current.pk]) + "?status=none"),
        ("worklist one unit", "assessing", reverse("assessment:worklist", args=[current.pk]) + "?unit=410100"),
        ("portal", None, reverse("portal:index")),
        ("public reports", None, reverse("portal:reports")),
        ("search", None, reverse("portal:search") + "?q=行政复议"),
        ("search two terms", None, reverse("portal:search") + "?q=行政执法 合法性审查"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--label", required=True, help="demo or scaled (names the results file)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    setup(args.database)
    from django.db import connection
    from django.test import Client

    from fazhi.orgs.models import User

    clients = {None: Client()}
    for username in ("office", "assessing"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    print(f"database: {connection.vendor} ({args.label}); {os.cpu_count()} CPUs; load average "
          f"{os.getloadavg()[0]:.1f}")
    rows = []
    for label, user, url in pages():
        client = clients[user]
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{label} {url}: HTTP {response.status_code}")
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
        row = {"page": label, "url": url, "median_ms": round(statistics.median(times) * 1000, 1),
               "max_ms": round(max(times) * 1000, 1), "queries": len(queries), "bytes": len(response.content)}
        rows.append(row)
        print(f"  {label:<20} median {row['median_ms']:8.1f} ms  max {row['max_ms']:8.1f} ms  "
              f"{row['queries']:3d} queries  {row['bytes'] // 1024:5d} KB")
    out = ROOT / "bench" / "results" / f"pages-{connection.vendor}-{args.label}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"bench": "pages", "vendor": connection.vendor, "label": args.label,
                               "cpus": os.cpu_count(), "load_average": round(os.getloadavg()[0], 2),
                               "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                               "command": " ".join(sys.argv), "runs": args.runs, "pages": rows}, indent=2,
                              ensure_ascii=False) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
