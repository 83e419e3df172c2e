"""``make demo`` serves with the production server: the Makefile's ``serve`` command (the one ``make demo`` ends
with) starts gunicorn with threaded workers, which serves a page, a static file through WhiteNoise and a page
that needs the database — on a free loopback port, with its own data folder."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def server(tmp_path):
    port = free_port()
    keys = tmp_path / "audit.keys"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FAZHI_", "DATABASE_URL", "DJANGO_"))}
    env.update(FAZHI_DATA_DIR=str(tmp_path), FAZHI_DEBUG="false")
    fazhi = str(ROOT / ".venv" / "bin" / "fazhi")
    subprocess.run([fazhi, "audit", "keygen", str(keys), "--key-id", "t"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    demo_env = f"FAZHI_DEBUG=false FAZHI_SECRET_KEY=test-{port}-secret-key-long-enough FAZHI_AUDIT_KEY_FILE={keys}"
    subprocess.run([fazhi, "migrate", "--noinput", "-v0"], cwd=ROOT, check=True, capture_output=True,
                   env={**env, "FAZHI_SECRET_KEY": "x" * 50, "FAZHI_AUDIT_KEY_FILE": str(keys)})
    proc = subprocess.Popen(["make", "--no-print-directory", "serve", f"DEMO_BIND=127.0.0.1:{port}",
                             "DEMO_WORKERS=2", "DEMO_THREADS=4", f"DEMO_ENV={demo_env}"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            get(base + "/")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGTERM)
                pytest.fail("the demo server did not start:\n" + proc.stdout.read().decode(errors="replace"))
            time.sleep(0.5)
    yield base, proc
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def test_make_serve_runs_gunicorn_threads_and_serves_pages_and_static(server):
    base, proc = server
    status, headers, body = get(base + "/")
    assert status == 200
    assert "法治" in body.decode()
    status, headers, body = get(base + "/static/vendor/htmx.min.js")
    assert status == 200 and len(body) > 1000
    assert "max-age" in headers.get("Cache-Control", "") or headers.get("Last-Modified")
    # the login page reads the session table: the database is there
    status, _headers, body = get(base + "/login/")
    assert status == 200 and b"csrfmiddlewaretoken" in body
    # it is gunicorn (gthread), not runserver: the master has worker children
    out = subprocess.run(["ps", "-o", "args=", "--ppid", str(_gunicorn_master(proc.pid))], capture_output=True,
                         text=True).stdout
    workers = [line for line in out.splitlines() if "gunicorn" in line]
    assert len(workers) == 2, out


def _gunicorn_master(make_pid: int) -> int:
    """make execs the shell recipe, which execs gunicorn: the master is make's child or make itself."""
    out = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(make_pid)], capture_output=True, text=True).stdout
    for line in out.splitlines():
        pid, args = line.strip().split(" ", 1)
        if "gunicorn" in args:
            return int(pid)
    return make_pid
