"""Load on the production server (`make bench-web`): gunicorn (threaded workers, as ``make serve``) on
PostgreSQL with ``fazhi demo_scale`` data, driven by virtual users in a closed loop with think time.

Users: assessing-unit staff (省司法厅, the demo ``assessing`` account) paging their worklist, filtering it and
saving scores (htmx, with the CSRF token, each user its own unscored cells); office staff opening the campaign
overview, progress and results; the public opening the portal, the report list and searching. Each run is
bounded in time and talks to 127.0.0.1 only. Per page: p50/p95/p99 and errors (HTTP ≥ 400 other than an
expected refusal, time-outs, connection errors). Results go to ``bench/results/web-<label>.json``.

Standalone: ``.venv/bin/python bench/bench_web.py --database postgres://…/db --users 1,100 --duration 60``.
The database must hold the demo and ``demo_scale`` data (a session row is made for each signed-in user).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
QUERIES = ["行政复议", "纠错率", "行政执法", "营商环境", "法治政府", "重大行政决策", "合法性审查", "矛盾纠纷",
           "人民调解", "第一责任人", "备案审查", "败诉率", "政务服务", "公职律师", "法律顾问", "行政复议 纠错率",
           "出庭 应诉", "调解 成功率", "数字法治政府", "证明事项告知承诺制"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(database: str, data_dir: str) -> dict:
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings.base", DATABASE_URL=database, FAZHI_DATA_DIR=data_dir,
                      FAZHI_DEBUG="false", FAZHI_SECRET_KEY="bench-only-not-a-secret-bench-only",
                      FAZHI_LOG_LEVEL="WARNING")
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from fazhi.assessment import policies, selectors
    from fazhi.assessment.models import Campaign, CampaignStatus
    from fazhi.orgs.models import User

    sessions = {}
    for username in ("office", "assessing"):
        user = User.objects.get(username=username)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions[username] = store.session_key
    assessing = User.objects.get(username="assessing")
    current = Campaign.objects.filter(owner__code="410000", status=CampaignStatus.SCORING).order_by("-year").first()
    resulted = Campaign.objects.filter(owner__code="410000", results__isnull=False).order_by("-year").first()
    indicators = list(policies.scorable_indicators(assessing, current).order_by("sort", "code"))
    rows = selectors.WorklistRows(selectors.CellSpace(current, indicators), status="none")
    cells = [(r["cell"].indicator.pk, r["cell"].unit.pk, r["cell"].subunit.pk if r["cell"].subunit else "",
              str(r["cell"].indicator.points)) for r in rows[0:len(rows)]]
    pages = (len(selectors.CellSpace(current, indicators).counts) and
             selectors.CellSpace(current, indicators).total // 50)
    return {"sessions": sessions, "current": current.pk, "resulted": resulted.pk, "cells": cells,
            "worklist_pages": max(1, pages), "codes": [i.code for i in indicators]}


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    def add(self, page: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.times[page].append(seconds)
            if not ok:
                self.errors[page] += 1


def request(base: str, path: str, *, session: str | None = None, data: dict | None = None, csrf: str = "",
            timeout: float = 30) -> tuple[int, bytes, dict]:
    headers = {"Host": "127.0.0.1"}
    cookies = []
    if session:
        cookies.append(f"sessionid={session}")
    if csrf:
        cookies.append(f"csrftoken={csrf}")
        headers.update({"X-CSRFToken": csrf, "HX-Request": "true", "Referer": base + "/"})
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(base + path, data=body, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def user_loop(kind: str, index: int, base: str, info: dict, stats: Stats, until: float, think: float,
              rng: random.Random) -> None:
    session = info["sessions"].get(kind)
    csrf = ""
    my_cells = info["cells"][index::max(1, info["n_scorers"])] if kind == "assessing" else []
    current, resulted = info["current"], info["resulted"]
    while time.monotonic() < until:
        if kind == "assessing":
            choice = rng.random()
            if choice < 0.35:
                page, path = "worklist", f"/assessment/scoring/{current}/?page={rng.randint(1, info['worklist_pages'])}"
            elif choice < 0.55:
                page, path = "worklist filtered", (f"/assessment/scoring/{current}/?indicator="
                                                   f"{urllib.parse.quote(rng.choice(info['codes']))}&status=none")
            elif choice < 0.65:
                page, path = "scoring home", "/assessment/scoring/"
            else:
                page, path = "save score", None
        elif kind == "office":
            page, path = rng.choice([("campaign overview", f"/assessment/campaigns/{current}/"),
                                     ("progress", f"/assessment/campaigns/{current}/progress/"),
                                     ("results", f"/assessment/campaigns/{resulted}/results/?category=1"),
                                     ("office home", "/home/")])
        else:
            page, path = rng.choice([("portal", "/"), ("public reports", "/public/reports/"),
                                     ("search", "/public/search/?q=" + urllib.parse.quote(rng.choice(QUERIES))),
                                     ("search", "/public/search/?q=" + urllib.parse.quote(rng.choice(QUERIES)))])
        start = time.perf_counter()
        try:
            if path is None:
                if not my_cells:
                    continue
                if not csrf:
                    _s, _b, headers = request(base, f"/assessment/scoring/{current}/?page=1", session=session)
                    csrf = next((c.split("=", 1)[1].split(";")[0] for c in headers.get("Set-Cookie", "").split(",")
                                 if "csrftoken=" in c), "")
                    start = time.perf_counter()
                indicator, unit, subunit, points = my_cells.pop()
                status, _body, headers = request(base, f"/assessment/scoring/{current}/save/", session=session,
                                                 csrf=csrf, data={"indicator": indicator, "unit": unit,
                                                                  "subunit": subunit, "value": points, "reason": "",
                                                                  "version": 0})
                ok = status == 200 and headers.get("X-Fazhi-Status") == "200"
            else:
                status, _body, _headers = request(base, path, session=session)
                ok = status == 200
        except (OSError, TimeoutError):
            ok = False
        stats.add(page, time.perf_counter() - start, ok)
        time.sleep(rng.expovariate(1 / think) if think else 0)


def run(base: str, info: dict, users: int, duration: float, think: float) -> dict:
    kinds = ["assessing" if i % 10 < 4 else "office" if i % 10 < 6 else "public" for i in range(users)]
    if users == 1:
        kinds = ["mixed"]
    info["n_scorers"] = max(1, kinds.count("assessing"))
    stats = Stats()
    until = time.monotonic() + duration
    threads = []
    for i, kind in enumerate(kinds):
        rng = random.Random(i)
        if kind == "mixed":  # one user doing everything in turn
            def mixed(rng=rng):
                while time.monotonic() < until:
                    for k in ("assessing", "office", "public"):
                        user_loop(k, 0, base, info, stats, min(until, time.monotonic() + 10), think, rng)
            threads.append(threading.Thread(target=mixed, daemon=True))
        else:
            scorer_index = kinds[:i].count("assessing")
            threads.append(threading.Thread(target=user_loop, args=(kind, scorer_index, base, info, stats, until,
                                                                     think, rng), daemon=True))
    load_before = os.getloadavg()[0]
    for t in threads:
        t.start()
        time.sleep(min(0.05, duration / 100))  # ramp up
    for t in threads:
        t.join(timeout=duration + 60)
    result = {"users": users, "duration_s": duration, "think_s": think, "load_average_before": round(load_before, 2),
              "load_average_after": round(os.getloadavg()[0], 2), "pages": {}}
    every = []
    for page, times in sorted(stats.times.items()):
        times.sort()
        every += times
        q = statistics.quantiles(times, n=100) if len(times) >= 2 else times * 99
        result["pages"][page] = {"requests": len(times), "errors": stats.errors.get(page, 0),
                                 "p50_ms": round(statistics.median(times) * 1000, 1), "p95_ms": round(q[94] * 1000, 1),
                                 "p99_ms": round(q[98] * 1000, 1)}
    every.sort()
    q = statistics.quantiles(every, n=100) if len(every) >= 2 else every * 99
    result["all"] = {"requests": len(every), "errors": sum(stats.errors.values()),
                     "p50_ms": round(statistics.median(every) * 1000, 1) if every else None,
                     "p95_ms": round(q[94] * 1000, 1) if every else None, "p99_ms": round(q[98] * 1000, 1) if every else None}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="PostgreSQL URL of a database with demo_scale data")
    parser.add_argument("--users", default="1,100", help="virtual users per run, comma-separated")
    parser.add_argument("--duration", type=float, default=60, help="seconds per run")
    parser.add_argument("--think", type=float, default=3.0, help="mean think time between requests (s)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--label", default="postgresql")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="fazhi-bench-web-")
    keys = Path(data_dir) / "audit.keys"
    subprocess.run([sys.executable, "-m", "fazhi.cli", "audit", "keygen", str(keys), "--key-id", "bench"],
                   check=True, capture_output=True, cwd=ROOT)
    os.environ["FAZHI_AUDIT_KEY_FILE"] = str(keys)
    info = prepare(args.database, data_dir)
    port = int(os.environ.get("BENCH_WEB_PORT") or free_port())
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FAZHI_"))}
    env.update(DATABASE_URL=args.database, FAZHI_DATA_DIR=data_dir)
    demo_env = (f"FAZHI_DEBUG=false FAZHI_SECRET_KEY=bench-only-not-a-secret-bench-only FAZHI_AUDIT_KEY_FILE={keys} "
                "FAZHI_ALLOWED_HOSTS=127.0.0.1 FAZHI_LOG_LEVEL=WARNING")
    server = subprocess.Popen(["make", "--no-print-directory", "serve", f"DEMO_BIND=127.0.0.1:{port}",
                               f"DEMO_WORKERS={args.workers}", f"DEMO_THREADS={args.threads}", f"DEMO_ENV={demo_env}"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                request(base, "/", timeout=5)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit("the server did not start")
                time.sleep(0.5)
        print(f"server: gunicorn gthread {args.workers} workers × {args.threads} threads on {base}; PostgreSQL; "
              f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
        runs = []
        for users in [int(u) for u in args.users.split(",")]:
            result = run(base, info, users, args.duration, args.think)
            runs.append(result)
            print(f"\n== {users} users, {args.duration:.0f} s, think {args.think} s (load average "
                  f"{result['load_average_before']} → {result['load_average_after']})")
            for page, row in [*result["pages"].items(), ("ALL", result["all"])]:
                print(f"  {page:<18} {row['requests']:5d} req  p50 {row['p50_ms']:8.1f}  p95 {row['p95_ms']:8.1f}  "
                      f"p99 {row['p99_ms']:8.1f} ms  errors {row['errors']}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    out = ROOT / "bench" / "results" / f"web-{args.label}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"bench": "web", "server": f"gunicorn gthread {args.workers}×{args.threads}",
                               "cpus": os.cpu_count(), "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                               "command": " ".join(sys.argv), "runs": runs}, indent=2, ensure_ascii=False) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
