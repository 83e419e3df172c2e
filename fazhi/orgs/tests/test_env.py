"""Start-up refuses unknown or malformed settings, naming the setting."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def clean_env(monkeypatch):
    for key in list(os.environ):
        if key.startswith("FAZHI_") or key in env.OTHER_KNOWN:
            monkeypatch.delenv(key, raising=False)
    return monkeypatch


def test_defaults_are_sqlite_in_the_data_dir_and_eager_tasks(clean_env, tmp_path):
    clean_env.setenv("FAZHI_DATA_DIR", str(tmp_path))
    result = env.read_env()
    assert result.database["ENGINE"] == "django.db.backends.sqlite3"
    assert result.database["NAME"] == str(tmp_path / "fazhi.sqlite3")
    assert result.tasks_eager is True
    assert result.debug is False


def test_postgres_url_and_redis_broker(clean_env):
    clean_env.setenv("DATABASE_URL", "postgres://fazhi:pw@db.example:5432/fazhi")
    clean_env.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    result = env.read_env()
    assert result.database["ENGINE"] == "django.db.backends.postgresql"
    assert result.database["NAME"] == "fazhi"
    assert result.database["PORT"] == 5432
    assert result.tasks_eager is False


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FAZHI_DEBUG", "maybe"),
        ("FAZHI_DEBG", "1"),
        ("DATABASE_URL", "mysql2://x"),
        ("DATABASE_URL", "postgres://host-only"),
        ("CELERY_BROKER_URL", "kafka://x"),
        ("FAZHI_TASKS_EAGER", "sometimes"),
        ("FAZHI_LOG_LEVEL", "LOUD"),
        ("FAZHI_ALLOWED_HOSTS", " , "),
        ("FAZHI_EMAIL_URL", "pigeon://coop"),
    ],
)
def test_bad_settings_name_the_setting(clean_env, name, value):
    clean_env.setenv(name, value)
    with pytest.raises(ImproperlyConfigured) as info:
        env.read_env()
    assert name in str(info.value)


def test_the_command_stops_with_a_message_not_a_traceback(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    environment.update({"FAZHI_DEBUG": "true", "FAZHI_DATA_DIR": str(tmp_path), "FAZHI_COLOUR": "red"})
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    completed = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"], capture_output=True, text=True, env=environment,
        cwd=ROOT, timeout=120,
    )
    assert completed.returncode == 2
    assert "FAZHI_COLOUR" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_production_requires_a_secret_key(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    environment.update({"FAZHI_DATA_DIR": str(tmp_path)})
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    completed = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"], capture_output=True, text=True, env=environment,
        cwd=ROOT, timeout=120,
    )
    assert completed.returncode == 2
    assert "FAZHI_SECRET_KEY" in completed.stderr
