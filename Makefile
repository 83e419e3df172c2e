# fazhi — the two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
FAZHI := $(VENV)/bin/fazhi
VENDOR := fazhi/static/vendor
export FAZHI_DEBUG ?= true

.PHONY: setup venv assets translations demo serve test lint test-postgres smoke bench bench-web browser pdf-tools rum clean

setup: venv assets translations

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

# Front-end assets come from the npm registry (frontend/package-lock.json) and are served locally.
assets: $(VENDOR)/.installed
$(VENDOR)/.installed: frontend/package.json frontend/package-lock.json fazhi/vendor_assets.py | venv
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	$(PY) -m fazhi.vendor_assets frontend/node_modules $(VENDOR)
	touch $@

translations: venv
	$(FAZHI) compile_translations

# The embedded demo: SQLite in ./var, demo data, tasks in-process, served on http://127.0.0.1:8000.
# It runs with debug pages off (as users would see it) and a secret key made once for this checkout.
# The server is the production one (gunicorn, threaded workers, static files by WhiteNoise; deploy/gunicorn.conf.py),
# never runserver: one slow page must not hold up the others.
DEMO_ENV = FAZHI_DEBUG=false FAZHI_SECRET_KEY="$$(cat var/secret_key)" FAZHI_AUDIT_KEY_FILE=var/audit.keys
DEMO_BIND ?= 127.0.0.1:8000
DEMO_WORKERS ?= 2
DEMO_THREADS ?= 8
demo: setup pdf-tools var/secret_key var/audit.keys
	$(DEMO_ENV) $(FAZHI) migrate --noinput
	$(DEMO_ENV) $(FAZHI) load_demo
	$(MAKE) --no-print-directory serve

# Serve what is in the database (no set-up, no data loading): gunicorn as in production, tasks in-process.
serve:
	$(DEMO_ENV) GUNICORN_BIND=$(DEMO_BIND) GUNICORN_WORKERS=$(DEMO_WORKERS) GUNICORN_THREADS=$(DEMO_THREADS) \
	  GUNICORN_FORWARDED_ALLOW_IPS=127.0.0.1 exec $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py

var/secret_key:
	mkdir -p var
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# The audit chain's signing key, outside the database (made once for this checkout, mode 600).
var/audit.keys: | venv
	mkdir -p var
	$(FAZHI) audit keygen $@ --key-id demo

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Browser tests need Debian's Chromium and ChromeDriver (installed here when missing).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null)

# Official documents as PDF: LibreOffice headless, pdftoppm, and open CJK fonts that stand in for the fonts offices
# name (仿宋_GB2312 → FandolFang from texlive-lang-chinese, 方正小标宋简体/宋体 → Noto Serif CJK, 黑体 → Noto Sans
# CJK, 楷体_GB2312 → AR PL UKai; see fazhi/io/fonts/fonts.conf). Installed here when missing.
PDF_PACKAGES := libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming texlive-lang-chinese
pdf-tools:
	@command -v soffice >/dev/null && command -v pdftoppm >/dev/null && \
	  test -f /usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf && \
	  fc-list | grep -q "Noto Serif CJK" && fc-list | grep -q "UKai" || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(PDF_PACKAGES) >/dev/null)

test: setup browser pdf-tools lint
	$(VENV)/bin/pytest -q -p no:cacheprovider

# RUM ranks full-text hits inside the index on PostgreSQL (portal migration 0004 uses it when installed).
rum:
	@test ! -d /usr/share/postgresql/15 || test -f /usr/share/postgresql/15/extension/rum.control || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15-rum >/dev/null)

# The same suite on the local PostgreSQL server (CI runs both).
test-postgres: setup browser pdf-tools rum
	FAZHI_TEST_DATABASE_URL=$${FAZHI_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/fazhi} \
	  $(VENV)/bin/pytest -q -p no:cacheprovider

# The production stack on loopback (deploy/tests): two gunicorn app servers, a Celery worker on private Redis
# servers (ports 8150-8153) and the local PostgreSQL (database fazhi_h15_smoke, or FAZHI_SMOKE_DATABASE_URL).
smoke: setup
	@command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null)
	$(VENV)/bin/pytest -q -p no:cacheprovider deploy/tests

# Benchmarks (docs/benchmarks.md; results in bench/results/*.json). BENCH_PG: a PostgreSQL database the engine
# bench may empty (default fazhi_scale_bench is NOT used unless given); BENCH_PAGES_DBS: space-separated
# label=URL pairs of databases holding the demo (and demo_scale) data, for page and search times.
BENCH_PG ?=
BENCH_PAGES_DBS ?=
bench: setup
	$(PY) bench/bench_assessment.py
	@if [ -n "$(BENCH_PG)" ]; then $(PY) bench/bench_assessment.py --database "$(BENCH_PG)"; fi
	$(PY) bench/bench_search.py
	$(PY) bench/bench_text.py
	@for pair in $(BENCH_PAGES_DBS); do $(PY) bench/bench_pages.py --label "$${pair%%=*}" --database "$${pair#*=}" && \
	  $(PY) bench/bench_search_db.py --label "$${pair%%=*}" --database "$${pair#*=}" || exit 1; done

# Load on the production server (gunicorn via make serve) over PostgreSQL with demo_scale data; 1 and 100 users.
BENCH_WEB_DB ?= postgres://postgres@127.0.0.1:5432/fazhi_scale_bench
bench-web: setup rum
	$(PY) bench/bench_web.py --database "$(BENCH_WEB_DB)" --users 1,100 --duration 60

clean:
	rm -rf $(VENV) frontend/node_modules $(VENDOR) var
