# The two commands: `make run` (set up and serve the demo town) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo static messages lint typecheck pytest bench clean help

help:
	@echo "make run    set up everything and serve the demo town at http://127.0.0.1:$(PORT)"
	@echo "make test   ruff (check, format), import contracts, mypy, makemigrations --check and pytest (DATABASE_URL for PostgreSQL)"
	@echo "make bench  load-test pages and API on a generated county (BENCH_ARGS, see bench/run.py --help)"

$(STAMP): requirements/base.txt requirements/dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || (echo "需要 Python 3.11 或更高版本 / Python 3.11+ is required"; exit 1)
	@echo "正在安装依赖……(首次约需一两分钟) / installing dependencies (first run: a minute or two)"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(PY) manage.py compile_translations

static: install
	$(PY) manage.py collectstatic --noinput --verbosity 0

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: install messages static demo
	@$(PY) manage.py demo_accounts
	@echo "红纽带 running at http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	$(PY) manage.py run_embedded --port $(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: install
	$(VENV)/bin/mypy hongniudai bench

pytest: install messages
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test: install messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy hongniudai bench
	DJANGO_SETTINGS_MODULE=hongniudai.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: install messages
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf var/static var/media
