# Treem: `make run` serves the demo, `make test` runs the tests. Both set everything up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed

.PHONY: run test setup venv dev system-deps lint format check translations vendor clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Treem needs Python 3.12 or newer (pyenv reads .python-version); found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt constraints.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

venv: $(RUNTIME_STAMP)

dev: $(DEV_STAMP)

system-deps:
	@bash scripts/system-deps.sh

setup: $(RUNTIME_STAMP)
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_geography
	$(PY) manage.py seed_demo

# DEBUG is off, as anywhere people can reach: Django's debug pages list the URL configuration and
# settings. WhiteNoise still serves static files (from the app folders outside production).
run: setup
	@echo "Treem is at http://$(HOST):$(PORT)/  (staff: http://$(HOST):$(PORT)/accounts/login/)"
	DEBUG=0 TASKS_BACKEND=immediate $(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: $(DEV_STAMP) system-deps
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(DEV_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: $(DEV_STAMP)
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check --fail-level WARNING

translations: $(DEV_STAMP)
	bash scripts/translations.sh

vendor:
	bash scripts/vendor.sh

clean:
	rm -rf $(VENV) var
