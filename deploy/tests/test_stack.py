"""Smoke test of the production stack (``make smoke``, run by .ci/run): two app servers, a Celery worker on Redis,
PostgreSQL, production settings — and a slice of the cycle across them.

1. sign in on app server A, save a plan on B with the same session, see it on A;
2. failed sign-ins spread over A and B are counted together (the cache is shared): the account is locked on both;
3. the broker (Redis) stops: an import gets a clear message (503) and no job is left pending (finding 6);
4. the broker is back: a bulk import is done by the worker; killed midway, the worker leaves the job RUNNING;
   a new worker recovers it on start and finishes it without importing a file twice (finding 6);
5. ``fazhi audit verify`` passes on the stack's chain, and a signed checkpoint is written.
"""

from __future__ import annotations

import io
import json
import re
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from .stack import DB_URL, PORT_A, PORT_B, PORT_BROKER, PORT_CACHE, Browser, Stack, _wait

PASSWORD = "Smoke-Test-2026"
SEED = next((Path(__file__).resolve().parents[2] / "fazhi" / "demo" / "seeds").glob("000_*.txt")).read_text(
    encoding="utf-8")
FILES = 60

SETUP = f"""
from fazhi.orgs.models import Unit, User
p = Unit.objects.create(code="P", name="河南省人民政府", level="province", kind="government")
o = Unit.objects.create(code="P-OFFICE", name="省依法治省办", level="province", kind="office", parent=p)
for i in range(1, {FILES} + 1):
    Unit.objects.create(code=f"U{{i:02d}}", name=f"测试单位{{i:02d}}", level="city", kind="government", parent=p,
                        category=1)
User.objects.create_user("office", password="{PASSWORD}", role="office", unit=o, display_name="赵主任")
User.objects.create_user("victim", password="{PASSWORD}", role="office", unit=o)
print("ok")
"""


def _database(action: str) -> None:
    name = DB_URL.rsplit("/", 1)[1]
    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    sql = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' if action == "drop" else f'CREATE DATABASE "{name}"'
    subprocess.run(["psql", admin, "-q", "-c", sql], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    _database("drop")
    _database("create")
    workdir = tmp_path_factory.mktemp("stack")
    stack = Stack(workdir)
    try:
        stack.fazhi("migrate", "--noinput")
        assert stack.python(SETUP) == "ok"
        stack.redis("broker", PORT_BROKER)
        stack.redis("cache", PORT_CACHE)
        stack.web("a", PORT_A)
        stack.web("b", PORT_B)
        stack.worker()
        yield stack
    finally:
        stack.stop_all()
        _database("drop")


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(1, FILES + 1):
            archive.writestr(f"U{i:02d}.txt", f"测试单位{i:02d}2023年法治政府建设情况报告\n{SEED}")
    return buffer.getvalue()


def _job(stack) -> dict:
    return json.loads(stack.python(
        "import json; from fazhi.reports.models import BulkImportJob as J; j = J.objects.latest('id'); "
        "print(json.dumps({'status': j.status, 'processed': j.processed, 'files': [r['file'] for r in j.results],"
        " 'ok': sum(1 for r in j.results if r['ok'])}))"))


def test_a_slice_of_the_cycle_across_two_app_servers_and_a_worker(stack):
    office = Browser()
    status, _body, headers = office.sign_in(PORT_A, "office", PASSWORD)
    assert status == 302 and headers["Location"].endswith("/home/")

    # 1. save on B with the session made on A; read it back on A
    status, _body, _headers = office.request(PORT_B, "/plans/new/", {"title": "跨服务器计划", "year": 2026,
                                                                      "kind": "annual"})
    assert status == 302
    assert "跨服务器计划" in office.request(PORT_A, "/plans/")[1]

    # 2. five wrong passwords, alternating A and B, lock the account on both
    attacker = Browser()
    for attempt in range(5):
        assert attacker.sign_in((PORT_A, PORT_B)[attempt % 2], "victim", "wrong-password")[0] == 200
    for port in (PORT_A, PORT_B):
        status, body, _headers = Browser().sign_in(port, "victim", PASSWORD)
        assert status == 200 and "锁定" in body, "the right password must be refused while the account is locked"

    # 3. the broker goes down: a clear message, and nothing left pending
    stack.stop("broker")
    started = time.monotonic()
    status, body, _headers = office.request(PORT_A, "/plans/import/", {"year": 2026, "title": "", "kind": "annual"},
                                            files={"file": ("安排.txt", "一、总体要求\n（一）加强领导。\n".encode())})
    assert time.monotonic() - started < 30
    assert status == 503 and "后台任务服务暂时不可用" in body
    assert stack.python("from fazhi.plans.models import ImportJob as J; "
                        "print(J.objects.filter(status__in=['pending', 'running']).count(), "
                        "J.objects.filter(status='failed').count())") == "0 1"

    # 4. the broker is back; a bulk import on B is done by the worker — killed midway, recovered by a new one
    stack.redis("broker", PORT_BROKER)
    _wait(lambda: "Connected to redis" in stack.log("worker") or "ready" in stack.log("worker"), 60,
          "the worker back on the broker")
    time.sleep(3)
    status, _body, headers = office.request(PORT_B, "/reports/import/", {"default_year": 2023},
                                            files={"file": ("reports.zip", _zip())})
    assert status == 302, _body[:500]
    _wait(lambda: _job(stack)["processed"] >= 2, 120, "the worker to import the first files")
    stack.stop("worker", sig=signal.SIGKILL)
    at_kill = _job(stack)
    assert at_kill["status"] == "running" and 2 <= at_kill["processed"] < FILES, at_kill
    time.sleep(4)  # FAZHI_JOB_STALE_SECONDS=3: no progress since the kill
    stack.worker("worker2")  # recovers the stale job on start
    done = _wait(lambda: (job := _job(stack))["status"] == "done" and job, 300, "the recovered job to finish")
    assert done["processed"] == FILES and sorted(done["files"]) == sorted(set(done["files"]))
    assert done["ok"] == FILES
    assert stack.python("from fazhi.reports.models import AnnualReport as R; print(R.objects.count())") == str(FILES)
    assert "recovered" in stack.log("worker2") or "requeue" in stack.python(
        "from fazhi.audit.models import AuditEvent as E; print(E.objects.filter("
        "action='reports.bulk_import_requeue').values_list('action', flat=True).first())")

    # 5. the keyed chain of everything above verifies; a signed checkpoint goes to the second location
    assert re.search(r"checkpoint: .*checkpoint-\d+\.json", stack.fazhi("audit", "checkpoint"))
    out = stack.fazhi("audit", "verify")
    assert "audit chain intact" in out and "1 signed checkpoints" in out
    assert stack.python("from fazhi.audit.models import AuditEvent as E; "
                        "print(E.objects.filter(action='plans.plan_create', ip_address='127.0.0.1').count())") == "1"
