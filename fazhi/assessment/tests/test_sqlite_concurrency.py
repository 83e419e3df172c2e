"""Finding 5 of issue 14: 16 concurrent score saves on SQLite answered several HTTP 500 "database is locked".

The case runs in a subprocess on a SQLite file with the production options (``config.env.SQLITE_OPTIONS``:
busy timeout, BEGIN IMMEDIATE, WAL): every save answers saved or "changed since" (409), none 500."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_sixteen_concurrent_score_saves_on_a_sqlite_file_give_no_500(tmp_path):
    env = {**os.environ, "FAZHI_TEST_DATABASE_URL": f"sqlite:///{tmp_path / 'fazhi.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "-p", "no:xdist",
         str(Path(__file__).with_name("sqlite_concurrency_case.py"))],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    output = result.stdout[-4000:] + result.stderr[-2000:]
    assert result.returncode == 0, output
    assert "STATUSES" in output and "1 passed" in output, output
