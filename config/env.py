"""Settings read from the environment, validated before Django starts.

Every variable the platform understands is listed in ``KNOWN``. A ``FAZHI_*`` variable that is not
listed, or a known one with a malformed value, stops start-up with a message naming the setting —
a typo such as ``FAZHI_DEBG=1`` must not be silently ignored.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured

from fazhi.audit.keyfile import AuditKey, KeyFileError, read_key_file

BASE_DIR = Path(__file__).resolve().parent.parent

#: name -> one-line description (shown in the error for an unknown FAZHI_* variable).
KNOWN = {
    "FAZHI_DEBUG": "true/false: debug pages (default false; the demo turns it on)",
    "FAZHI_SECRET_KEY": "secret key (required when FAZHI_DEBUG is false and not testing)",
    "FAZHI_ALLOWED_HOSTS": "comma-separated host names (default 127.0.0.1,localhost)",
    "FAZHI_DATA_DIR": "folder for the SQLite file and uploaded files (default ./var)",
    "FAZHI_TASKS_EAGER": "true/false: run background tasks in-process (default true unless CELERY_BROKER_URL is set)",
    "FAZHI_EMAIL_URL": "smtp://user:pass@host:port, consolemail:// or filemail://PATH (default: console)",
    "FAZHI_DEFAULT_FROM_EMAIL": "sender address for notifications",
    "FAZHI_SEEDS_DIR": "folder of the five source documents (default: the copy shipped with the package)",
    "FAZHI_TEST_DATABASE_URL": "database URL the test suite uses (default: SQLite in memory)",
    "FAZHI_LOG_LEVEL": "DEBUG, INFO, WARNING or ERROR (default INFO)",
    "FAZHI_AUDIT_KEY_FILE": "file of the audit chain's secret keys, outside the database (required in production)",
    "FAZHI_AUDIT_ALGORITHM": "hmac-sha256 (default) or hmac-sm3 (国密 SM3, for 商用密码 compliance)",
    "FAZHI_AUDIT_DIR": "second location for the audit anchor and signed checkpoints (default DATA_DIR/audit)",
    "FAZHI_JOB_STALE_SECONDS": "a running background job with no progress for this long is recovered (default 900)",
    "FAZHI_STORAGE": "where uploaded files live: local (default, DATA_DIR/media) or s3 (S3-compatible storage)",
    "FAZHI_S3_BUCKET": "bucket for uploaded files when FAZHI_STORAGE=s3",
    "FAZHI_S3_ENDPOINT_URL": "http(s) URL of the S3-compatible server when FAZHI_STORAGE=s3",
    "FAZHI_S3_REGION": "region name for the S3-compatible server (optional)",
    "FAZHI_CACHE_URL": "redis://host:port/db: a cache shared by all app servers (default: in-process memory)",
    "FAZHI_TRUSTED_PROXIES": "comma-separated addresses or networks of our reverse proxies, whose X-Forwarded-For "
                             "is believed (default: none)",
    "FAZHI_HTTPS": "true/false: the site is served over HTTPS (nginx in front): HSTS, secure cookies, redirect "
                   "to HTTPS, X-Forwarded-Proto believed from FAZHI_TRUSTED_PROXIES (default false)",
    "FAZHI_PASSWORD_MAX_AGE_DAYS": "days a password lasts before its owner must change it (default 90; 0: never)",
    "FAZHI_SESSION_IDLE_MINUTES": "a signed-in session unused this long ends (default 30)",
    "FAZHI_SESSION_MAX_HOURS": "a signed-in session ends this long after sign-in, however active (default 12)",
    "FAZHI_REQUIRE_2FA": "true/false: offices, approvers and admins must use a TOTP second factor (default false)",
}
OTHER_KNOWN = {"DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}

_BOOL_TRUE = {"1", "true", "yes", "on"}
_BOOL_FALSE = {"0", "false", "no", "off", ""}


def _fail(name: str, problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"Setting {name}: {problem} (设置 {name} 有误)")


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _BOOL_TRUE:
        return True
    if value in _BOOL_FALSE:
        return False
    raise _fail(name, f"expected true or false, got {raw!r}")


def _url(name: str, schemes: set[str]) -> str | None:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in schemes:
        raise _fail(name, f"scheme must be one of {sorted(schemes)}, got {raw!r}")
    return raw


@dataclass(frozen=True)
class Env:
    debug: bool
    secret_key: str | None
    allowed_hosts: list[str]
    data_dir: Path
    database: dict
    broker_url: str | None
    result_backend: str | None
    tasks_eager: bool
    email: dict
    default_from_email: str
    log_level: str
    audit_keys: tuple[AuditKey, ...] = ()
    audit_key_file: Path | None = None
    audit_algorithm: str = "hmac-sha256"
    audit_dir: Path | None = None
    job_stale_seconds: int = 900
    storage: dict | None = None
    cache_url: str | None = None
    trusted_proxies: tuple[str, ...] = ()
    https: bool = False
    password_max_age_days: int = 90
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    require_2fa: bool = False


#: Concurrent writers wait (busy timeout, seconds) instead of failing with "database is locked": a transaction
#: takes the write lock at BEGIN (IMMEDIATE), so none has to upgrade a read lock mid-way (which SQLite refuses
#: at once, whatever the timeout); WAL lets readers go on while one writes.
SQLITE_OPTIONS = {"timeout": 20, "transaction_mode": "IMMEDIATE",
                  "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}

DB_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql", "psql"}


def _database(name: str, raw_url: str | None, data_dir: Path) -> dict:
    if raw_url is None:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(data_dir / "fazhi.sqlite3"),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    _url(name, DB_SCHEMES)
    try:
        db = environ.Env.db_url_config(raw_url)
    except Exception as exc:  # django-environ raises several types for a malformed URL
        raise _fail(name, f"cannot parse {raw_url!r}: {exc}") from exc
    if db["ENGINE"].endswith("sqlite3"):
        db["OPTIONS"] = {**SQLITE_OPTIONS, **db.get("OPTIONS", {})}
    if db["ENGINE"].endswith("postgresql") and not db.get("NAME"):
        raise _fail(name, "a PostgreSQL URL must name the database, e.g. postgres://user@host:5432/fazhi")
    return db


AUDIT_ALGORITHMS = {"hmac-sha256", "hmac-sm3"}


def _audit_keys() -> tuple[Path | None, tuple[AuditKey, ...]]:
    raw = os.environ.get("FAZHI_AUDIT_KEY_FILE", "").strip()
    if not raw:
        return None, ()
    path = Path(raw).expanduser().resolve()
    try:
        return path, read_key_file(path)
    except KeyFileError as exc:
        raise _fail("FAZHI_AUDIT_KEY_FILE", str(exc)) from None


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) <= 0:
        raise _fail(name, f"expected a whole number of seconds above 0, got {raw!r}")
    return int(raw)


def _whole(name: str, default: int, minimum: int, unit: str) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < minimum:
        raise _fail(name, f"expected a whole number of {unit}, at least {minimum}, got {raw!r}")
    return int(raw)


def _storage() -> dict | None:
    """None for files on local disk; the S3 options for django-storages when FAZHI_STORAGE=s3."""
    kind = os.environ.get("FAZHI_STORAGE", "local").strip().lower()
    if kind == "local":
        return None
    if kind != "s3":
        raise _fail("FAZHI_STORAGE", f"expected local or s3, got {kind!r}")
    bucket = os.environ.get("FAZHI_S3_BUCKET", "").strip()
    if not bucket:
        raise _fail("FAZHI_S3_BUCKET", "required when FAZHI_STORAGE=s3")
    options = {"bucket_name": bucket, "default_acl": None, "querystring_auth": True, "file_overwrite": False}
    endpoint = _url("FAZHI_S3_ENDPOINT_URL", {"http", "https"})
    if endpoint:
        options["endpoint_url"] = endpoint
    region = os.environ.get("FAZHI_S3_REGION", "").strip()
    if region:
        options["region_name"] = region
    return options


def _networks(name: str) -> tuple[str, ...]:
    raw = os.environ.get(name, "")
    out = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            out.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise _fail(name, f"{item!r} is not an IP address or network") from None
    return tuple(out)


def read_env() -> Env:
    """Read and validate the environment; raise ImproperlyConfigured naming the bad setting."""
    unknown = sorted(k for k in os.environ if k.startswith("FAZHI_") and k not in KNOWN)
    if unknown:
        known = ", ".join(sorted(KNOWN))
        raise _fail(unknown[0], f"unknown setting; known FAZHI_* settings are: {known}")

    debug = _bool("FAZHI_DEBUG", False)
    data_dir = Path(os.environ.get("FAZHI_DATA_DIR") or BASE_DIR / "var").expanduser().resolve()
    hosts_raw = os.environ.get("FAZHI_ALLOWED_HOSTS", "127.0.0.1,localhost")
    hosts = [h.strip() for h in hosts_raw.split(",") if h.strip()]
    if not hosts:
        raise _fail("FAZHI_ALLOWED_HOSTS", "must name at least one host")
    for host in hosts:
        if " " in host or "/" in host:
            raise _fail("FAZHI_ALLOWED_HOSTS", f"{host!r} is not a host name")

    broker = _url("CELERY_BROKER_URL", {"redis", "rediss", "amqp", "amqps", "memory"})
    backend = _url("CELERY_RESULT_BACKEND", {"redis", "rediss", "db+sqlite", "db+postgresql", "rpc"})
    eager = _bool("FAZHI_TASKS_EAGER", broker is None)

    email_url = _url("FAZHI_EMAIL_URL", {"smtp", "smtps", "consolemail", "filemail", "memorymail", "dummymail"})
    email = environ.Env.email_url_config(email_url) if email_url else {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }

    level = os.environ.get("FAZHI_LOG_LEVEL", "INFO").upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise _fail("FAZHI_LOG_LEVEL", f"expected DEBUG, INFO, WARNING or ERROR, got {level!r}")

    algorithm = os.environ.get("FAZHI_AUDIT_ALGORITHM", "hmac-sha256").strip().lower()
    if algorithm not in AUDIT_ALGORITHMS:
        raise _fail("FAZHI_AUDIT_ALGORITHM", f"expected one of {sorted(AUDIT_ALGORITHMS)}, got {algorithm!r}")
    key_file, audit_keys = _audit_keys()
    audit_dir_raw = os.environ.get("FAZHI_AUDIT_DIR", "").strip()
    audit_dir = Path(audit_dir_raw).expanduser().resolve() if audit_dir_raw else data_dir / "audit"

    return Env(
        audit_keys=audit_keys,
        audit_key_file=key_file,
        audit_algorithm=algorithm,
        audit_dir=audit_dir,
        job_stale_seconds=_positive_int("FAZHI_JOB_STALE_SECONDS", 900),
        storage=_storage(),
        cache_url=_url("FAZHI_CACHE_URL", {"redis", "rediss"}),
        trusted_proxies=_networks("FAZHI_TRUSTED_PROXIES"),
        https=_bool("FAZHI_HTTPS", False),
        password_max_age_days=_whole("FAZHI_PASSWORD_MAX_AGE_DAYS", 90, 0, "days"),
        session_idle_minutes=_whole("FAZHI_SESSION_IDLE_MINUTES", 30, 1, "minutes"),
        session_max_hours=_whole("FAZHI_SESSION_MAX_HOURS", 12, 1, "hours"),
        require_2fa=_bool("FAZHI_REQUIRE_2FA", False),
        debug=debug,
        secret_key=os.environ.get("FAZHI_SECRET_KEY") or None,
        allowed_hosts=hosts,
        data_dir=data_dir,
        database=_database("DATABASE_URL", os.environ.get("DATABASE_URL"), data_dir),
        broker_url=broker,
        result_backend=backend,
        tasks_eager=eager,
        email=email,
        default_from_email=os.environ.get("FAZHI_DEFAULT_FROM_EMAIL", "fazhi@localhost"),
        log_level=level,
    )
