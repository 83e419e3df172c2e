"""A real production stack on loopback for the smoke test: PostgreSQL (the local server, database
``fazhi_h15_smoke``), two private Redis servers (broker and cache, so the broker can be stopped alone), two gunicorn
app servers with the production settings (debug off, keyed audit), one Celery worker.

Ports 8150–8154; everything is started and stopped by ``Stack`` and bounded in time.
"""

from __future__ import annotations

import http.cookiejar
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DB_URL = os.environ.get("FAZHI_SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fazhi_h15_smoke")
PORT_A, PORT_B, PORT_BROKER, PORT_CACHE = 8150, 8151, 8152, 8153


def _wait(predicate, timeout: float, what: str, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Stack:
    def __init__(self, workdir: Path):
        self.dir = workdir
        self.procs: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        keys = workdir / "audit.keys"
        keys.write_text(f"smoke {secrets.token_hex(32)}\n")
        keys.chmod(0o600)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")
                    and k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CELERY_BROKER_URL"}}
        self.env.update(
            DJANGO_SETTINGS_MODULE="config.settings.base", FAZHI_DEBUG="false",
            FAZHI_SECRET_KEY=secrets.token_urlsafe(40), FAZHI_ALLOWED_HOSTS="127.0.0.1",
            FAZHI_DATA_DIR=str(workdir / "data"), FAZHI_AUDIT_DIR=str(workdir / "audit"),
            FAZHI_AUDIT_KEY_FILE=str(keys), DATABASE_URL=DB_URL, FAZHI_TASKS_EAGER="false",
            CELERY_BROKER_URL=f"redis://127.0.0.1:{PORT_BROKER}/0", FAZHI_CACHE_URL=f"redis://127.0.0.1:{PORT_CACHE}/0",
            FAZHI_JOB_STALE_SECONDS="3", FAZHI_LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1",
        )

    # ------------------------------------------------------------ processes

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = self.dir / f"{name}.log"
        self.logs[name] = log
        stream = log.open("ab")
        proc = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=stream, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs[name] = proc
        return proc

    def stop(self, name: str, sig=signal.SIGTERM, timeout: float = 20) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)

    def log(self, name: str) -> str:
        path = self.logs.get(name)
        return path.read_text(errors="replace")[-3000:] if path and path.exists() else ""

    def redis(self, name: str, port: int) -> None:
        folder = self.dir / name
        folder.mkdir(exist_ok=True)
        self.start(name, ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                          "--appendonly", "no", "--dir", str(folder)])
        _wait(lambda: subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True,
                                     check=False).stdout.strip() == "PONG", 20, f"redis on {port}")

    def web(self, name: str, port: int) -> None:
        env_bind = {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "4"}
        self.env.update(env_bind)
        self.start(name, [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")])
        _wait(lambda: self._answers(port), 60, f"app server {name} on {port}")

    def worker(self, name: str = "worker") -> None:
        self.start(name, [str(BIN / "celery"), "-A", "config", "worker", "--concurrency", "1", "--loglevel",
                          "INFO", "--hostname", f"{name}-{uuid.uuid4().hex[:6]}@smoke", "--without-gossip",
                          "--without-mingle", "--without-heartbeat"])
        _wait(lambda: "ready" in self.log(name), 60, f"celery {name} ready")

    @staticmethod
    def _answers(port: int) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def fazhi(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run([sys.executable, "-m", "fazhi.cli", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=timeout, check=False)
        if result.returncode != 0:
            raise AssertionError(f"fazhi {' '.join(args)} failed: {result.stderr[-2000:]}")
        return result.stdout

    def python(self, code: str) -> str:
        """Run ``code`` in the stack's Django (``fazhi shell -c``) and return what it printed."""
        return self.fazhi("shell", "--no-imports", "-c", code).strip()


class Browser:
    """A person's browser: one cookie jar, any of the app servers."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, port: int, path: str, data: dict | None = None, files: dict | None = None):
        url = f"http://127.0.0.1:{port}{path}"
        headers = {"Referer": url}
        body = None
        if files is not None:
            boundary = uuid.uuid4().hex
            body = _multipart(boundary, {**(data or {}), "csrfmiddlewaretoken": self.csrf()}, files)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace"), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), error.headers

    def sign_in(self, port: int, username: str, password: str):
        self.request(port, "/login/")
        return self.request(port, "/login/", {"username": username, "password": password})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _multipart(boundary: str, fields: dict, files: dict) -> bytes:
    out = []
    for name, value in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                   f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)
