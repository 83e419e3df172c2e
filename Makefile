# fazhi — the two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
FAZHI := $(VENV)/bin/fazhi
VENDOR := fazhi/static/vendor
export FAZHI_DEBUG ?= true

.PHONY: setup venv assets translations demo serve test lint test-postgres smoke bench browser clean

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
DEMO_ENV = FAZHI_DEBUG=false FAZHI_SECRET_KEY="$$(cat var/secret_key)" FAZHI_AUDIT_KEY_FILE=var/audit.keys
demo: setup var/secret_key var/audit.keys
	$(DEMO_ENV) $(FAZHI) migrate --noinput
	$(DEMO_ENV) $(FAZHI) load_demo
	$(DEMO_ENV) $(FAZHI) runserver --insecure 127.0.0.1:8000

var/secret_key:
	mkdir -p var
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# The audit chain's signing key, outside the database (made once for this checkout, mode 600).
var/audit.keys: | venv
	mkdir -p var
	$(FAZHI) audit keygen $@ --key-id demo

lint: venv
	$(VENV)/bin/ruff check .

# Browser tests need Debian's Chromium and ChromeDriver (installed here when missing).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null)

test: setup browser lint
	$(VENV)/bin/pytest -q -p no:cacheprovider

# The same suite on the local PostgreSQL server (CI runs both).
test-postgres: setup browser
	FAZHI_TEST_DATABASE_URL=$${FAZHI_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/fazhi} \
	  $(VENV)/bin/pytest -q -p no:cacheprovider

# The production stack on loopback (deploy/tests): two gunicorn app servers, a Celery worker on private Redis
# servers (ports 8150-8153) and the local PostgreSQL (database fazhi_h15_smoke, or FAZHI_SMOKE_DATABASE_URL).
smoke: setup
	@command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null)
	$(VENV)/bin/pytest -q -p no:cacheprovider deploy/tests

bench: setup
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) frontend/node_modules $(VENDOR) var
