"""gunicorn for fazhi: threaded workers (gthread) — requests wait mostly on PostgreSQL, so threads serve the
~100 people scoring at once with little memory. Tune with the environment (see docs/deploy.md)."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then (memory held by big imports/exports)
max_requests_jitter = 200
# nginx in front sets X-Forwarded-For / -Proto; only believe them from the local proxy
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
wsgi_app = "config.wsgi:application"
