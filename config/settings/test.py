"""Fast settings for the test suite: SQLite in memory unless FAZHI_TEST_DATABASE_URL names PostgreSQL."""

import os
import tempfile

import environ

from .base import *  # noqa: F403
from .base import DATA_DIR  # noqa: F401

_test_url = os.environ.get("FAZHI_TEST_DATABASE_URL")
if _test_url:
    DATABASES = {"default": environ.Env.db_url_config(_test_url)}
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # a SQLite file: the production options, kept there
        from config.env import SQLITE_OPTIONS

        DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
        DATABASES["default"]["TEST"] = {"NAME": DATABASES["default"]["NAME"]}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = tempfile.mkdtemp(prefix="fazhi-test-media-")
DEBUG = False
FAZHI_AUDIT_ANCHOR = None  # tests that exercise the anchor point it at a temporary file
