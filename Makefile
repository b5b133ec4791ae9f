# Qamqor: `make run` serves the app with demo data, a Celery worker and beat;
# `make test` runs every check. Both set up what is missing first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
# Development settings for local commands; production sets its own environment.
export DEBUG ?= 1
PYTEST_ARGS ?=

.PHONY: run test fuzz install services chromium migrate seed lint format migrations-check messages bench clean backup restore code

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Qamqor needs Python 3.11 or newer (found $$($(PYTHON) --version))."; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && \
			rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); \
		else echo "Python's venv module is missing: install python3-venv (Debian/Ubuntu)."; exit 1; fi; }

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

services: install
	$(BIN)/python scripts/services.py --create-db

# The browser tests' Chromium and chromedriver (Debian's packages); `make run` needs neither.
chromium: install
	$(BIN)/python scripts/services.py --chromium

migrate: services
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@echo ""
	@echo "Qamqor is starting at http://127.0.0.1:8000/  (Ctrl-C stops the web server, worker and beat)"
	@mkdir -p var
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

# The current two-factor code of a demo login: `make code LOGIN=opeka.head`.
code: install
	@test -n "$(LOGIN)" || { echo "Usage: make code LOGIN=<demo username>"; exit 1; }
	@$(BIN)/python manage.py demo_code "$(LOGIN)"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: services
	$(BIN)/python manage.py makemigrations --check --dry-run

test: lint migrations-check chromium
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

# Only the API fuzzing and the forms' bad-input test (both are part of `make test` too).
fuzz: migrations-check
	$(BIN)/pytest -s tests/api/test_fuzz.py tests/cases/test_forms_bad_input.py $(PYTEST_ARGS)

messages: install
	cd . && $(BIN)/python manage.py makemessages -l ru -l kk -l en --no-obsolete --ignore=.venv
	$(BIN)/python manage.py compilemessages --ignore=.venv

# A full backup to var/backups/; `make restore FILE=var/backups/x.dump INTO=qamqor_copy`
# restores it into a new database and compares it with the live one.
backup: services
	$(BIN)/python manage.py backup

restore: services
	@test -n "$(FILE)" -a -n "$(INTO)" || { echo "Usage: make restore FILE=var/backups/<name>.dump INTO=<new database>"; exit 1; }
	$(BIN)/python manage.py restore "$(FILE)" --into "$(INTO)" --compare

# Benchmarks on a national-size population in a database of their own (generated on the
# first run: about 15 minutes for a million children), never the demo's. Production
# settings: DEBUG off, cached templates, hashed static files.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/qamqor_bench
BENCH_CHILDREN ?= 1000000
BENCH_ENV = DEBUG=0 SECRET_KEY=bench-only-key-never-deployed-$(shell hostname)-0123456789abcdef \
	ALLOWED_HOSTS=testserver,127.0.0.1,localhost SECURE_SSL_REDIRECT=0 \
	DJANGO_SETTINGS_MODULE=casework.bench.settings DATABASE_URL=$(BENCH_DATABASE_URL)
BENCH_ARGS ?=

bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python scripts/services.py --create-db
	$(BIN)/python scripts/services.py --wrk
	$(BENCH_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(BENCH_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(BENCH_ENV) $(BIN)/python manage.py bench --children $(BENCH_CHILDREN) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles var
