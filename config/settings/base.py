"""Django settings for fazhi, driven by the environment (see ``config/env.py``)."""

from __future__ import annotations

import os
import sys

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, read_env

ENV = read_env()

DEBUG = ENV.debug
TESTING = "pytest" in sys.modules or os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".test")
if ENV.secret_key:
    SECRET_KEY = ENV.secret_key
elif DEBUG or TESTING:
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
else:
    raise ImproperlyConfigured(
        "Setting FAZHI_SECRET_KEY: required when FAZHI_DEBUG is false (设置 FAZHI_SECRET_KEY 未设置)"
    )

ALLOWED_HOSTS = ENV.allowed_hosts
DATA_DIR = ENV.data_dir
DATA_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file and uploads live here
(DATA_DIR / "staticfiles").mkdir(exist_ok=True)  # whitenoise expects STATIC_ROOT to exist
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "axes",
    # Domain apps, one per area (see README "Architecture").
    "fazhi.orgs",
    "fazhi.accounts",
    "fazhi.audit",
    "fazhi.documents",
    "fazhi.assessment",
    "fazhi.reviews",
    "fazhi.plans",
    "fazhi.reports",
    "fazhi.portal",
    "fazhi.casereview",
    "fazhi.fieldwork",
    "fazhi.surveys",
    "fazhi.selfreport",
    "fazhi.findings",
    "fazhi.workbench",  # the top floor: it imports every app, none imports it
]

MIDDLEWARE = [
    "fazhi.accounts.network.TrustedProxyMiddleware",  # first: every later step sees the real client address
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fazhi.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fazhi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fazhi.orgs.context_processors.navigation",
            ],
            "builtins": ["fazhi.templatetags.punctuation"],
        },
    }
]

DATABASES = {"default": ENV.database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked account before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (fazhi/accounts/throttle.py): axes counts failures per account *at one address* in the
# database (shared by every process); a lock there never keeps the real user out from their own machines.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "fazhi.accounts.network.request_address"
AXES_LOCKOUT_CALLABLE = "fazhi.accounts.views.locked_out"
AXES_VERBOSE = False
#: Reverse proxies whose X-Forwarded-For is believed (fazhi/accounts/network.py).
FAZHI_TRUSTED_PROXIES = ENV.trusted_proxies
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Chinese first: Simplified Chinese is the default, English the translation. Message ids are Chinese.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "fazhi" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "fazhi" / "static"]
STORAGES = {
    # uploaded files: local disk by default; S3-compatible storage (django-storages) for several app servers
    "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": ENV.storage} if ENV.storage
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # the embedded demo serves static files without collectstatic

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The audit chain (fazhi/audit): signed with keys kept outside the database (FAZHI_AUDIT_KEY_FILE; the last key
# signs new rows), HMAC-SHA256 or HMAC-SM3. Without a key file only debug and test runs start, on a fixed
# development key (id "dev") that protects nothing.
if ENV.audit_keys:
    FAZHI_AUDIT_KEYS = ENV.audit_keys
elif DEBUG or TESTING:
    from fazhi.audit.keyfile import AuditKey

    FAZHI_AUDIT_KEYS = (AuditKey("dev", b"fazhi-development-audit-key-protects-nothing"),)
else:
    raise ImproperlyConfigured(
        "Setting FAZHI_AUDIT_KEY_FILE: required when FAZHI_DEBUG is false; create it with "
        "`fazhi audit keygen PATH` (设置 FAZHI_AUDIT_KEY_FILE 未设置)"
    )
FAZHI_AUDIT_KEY_FILE = ENV.audit_key_file
FAZHI_AUDIT_ALGORITHM = ENV.audit_algorithm
#: The head of the chain (last event id and hash, signed) after every commit, and the signed checkpoints written
#: on a schedule, live in FAZHI_AUDIT_DIR — a second location, not the database (None: no anchor).
FAZHI_AUDIT_ANCHOR = ENV.audit_dir / "anchor.json"
FAZHI_AUDIT_CHECKPOINT_DIR = ENV.audit_dir / "checkpoints"
#: A background job (import) RUNNING with no progress for this long, or PENDING that long, is recovered.
FAZHI_JOB_STALE_SECONDS = ENV.job_stale_seconds

#: Largest evidence or document upload accepted anywhere (bytes).
FAZHI_MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# Several app servers need one cache (login failure counts, rate limits): FAZHI_CACHE_URL=redis://…
# Without it, one machine's processes share a file cache (gunicorn runs several workers, even in the demo);
# the tests keep an in-memory one.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": ENV.cache_url}
          if ENV.cache_url else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"} if TESTING
          else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(DATA_DIR / "cache")}}

# Celery: a real broker in production (CELERY_BROKER_URL=redis://...); in the embedded demo and the tests
# tasks run in-process (eager) so one command serves everything.
CELERY_BROKER_URL = ENV.broker_url or "memory://"
CELERY_RESULT_BACKEND = ENV.result_backend
CELERY_TASK_ALWAYS_EAGER = ENV.tasks_eager
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# A broker that is down must answer fast (the user gets a message, the job is marked failed), not hang a request.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 5, "max_retries": 1}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose worker dies is redelivered (acks after the task); imports resume where they stopped.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {
    "audit-checkpoint": {"task": "fazhi.audit.tasks.write_checkpoint", "schedule": 3600.0},
    "recover-stale-jobs": {"task": "fazhi.io.jobs.recover_stale_jobs", "schedule": 300.0},
    "feedback-reminders": {"task": "fazhi.reviews.tasks.send_reminders", "schedule": crontab(hour=8, minute=30)},
    "selfreport-reminders": {"task": "fazhi.selfreport.tasks.send_deadline_reminders",
                             "schedule": crontab(hour=8, minute=40)},
}

for _key, _value in ENV.email.items():
    globals()[_key] = _value
DEFAULT_FROM_EMAIL = ENV.default_from_email

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # never HTTP Basic: a password sent with every call would bypass the sign-in throttle
        # personal API tokens (Authorization: Bearer fz_…); first, so a refusal answers 401 with WWW-Authenticate
        "fazhi.accounts.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # the signed-in browser, with CSRF
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON read within DATA_UPLOAD_MAX_MEMORY_SIZE (REST framework reads the stream, bypassing Django's check)
    "DEFAULT_PARSER_CLASSES": ["fazhi.io.parsers.LimitedJSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "fazhi API",
    "DESCRIPTION": "法治政府建设督导考核平台 API — units, plans, assessment, reports, and the assessment methods "
                   "(self-reports, case-file review, field visits, satisfaction surveys).",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI assets come from the drf-spectacular-sidecar package: served locally, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # the method apps each have a "status": named per model, not by a hash
    "ENUM_NAME_OVERRIDES": {
        "CaseReviewStatusEnum": "fazhi.casereview.models.ReviewStatus",
        "FieldVisitStatusEnum": "fazhi.fieldwork.models.VisitStatus",
        "SelfReportStatusEnum": "fazhi.selfreport.models.ReportStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": ENV.log_level},
    "loggers": {"jieba": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; keep the default
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

SITE_TITLE = _("法治政府建设督导考核平台")
