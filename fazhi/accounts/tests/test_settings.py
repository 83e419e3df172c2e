"""The account-security settings are read through the FAZHI_* environment like every other (config/env.py):
defaults, values, and a malformed value refused naming the setting."""

from __future__ import annotations

import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for key in list(os.environ):
        if key.startswith("FAZHI_") or key in env.OTHER_KNOWN:
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("FAZHI_DATA_DIR", str(tmp_path))
    return monkeypatch


def test_defaults(clean_env):
    result = env.read_env()
    assert (result.password_max_age_days, result.session_idle_minutes, result.session_max_hours,
            result.require_2fa) == (90, 30, 12, False)


def test_values(clean_env):
    for name, value in {"FAZHI_PASSWORD_MAX_AGE_DAYS": "0", "FAZHI_SESSION_IDLE_MINUTES": "15",
                        "FAZHI_SESSION_MAX_HOURS": "8", "FAZHI_REQUIRE_2FA": "true"}.items():
        clean_env.setenv(name, value)
    result = env.read_env()
    assert (result.password_max_age_days, result.session_idle_minutes, result.session_max_hours,
            result.require_2fa) == (0, 15, 8, True)


@pytest.mark.parametrize("name, value", [
    ("FAZHI_PASSWORD_MAX_AGE_DAYS", "-1"), ("FAZHI_PASSWORD_MAX_AGE_DAYS", "ninety"),
    ("FAZHI_SESSION_IDLE_MINUTES", "0"), ("FAZHI_SESSION_IDLE_MINUTES", "３０"),
    ("FAZHI_SESSION_MAX_HOURS", "1.5"), ("FAZHI_REQUIRE_2FA", "maybe"),
])
def test_a_malformed_value_is_refused_naming_the_setting(clean_env, name, value):
    clean_env.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        env.read_env()


def test_a_misspelt_setting_is_refused(clean_env):
    clean_env.setenv("FAZHI_REQUIRE_TWO_FACTOR", "true")
    with pytest.raises(ImproperlyConfigured, match="FAZHI_REQUIRE_TWO_FACTOR"):
        env.read_env()
