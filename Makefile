# make run   set up everything (virtualenv, database, demo data) and serve on 127.0.0.1:8000
# make test  the whole test suite (PostgreSQL when DATABASE_URL points at it, else SQLite)

# The first Python 3.11 or newer on this machine.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Development settings for run and test; production sets its own environment.
DEV_ENV := DEBUG=1

.PHONY: run test lint messages clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	@echo
	@echo "  Newsroom fact check: http://$(HOST):$(PORT)/   (stop with Ctrl+C)"
	@echo
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev
	$(DEV_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

# Regenerate the German translation catalogue after changing texts (needs GNU gettext).
messages: $(VENV)/.dev
	$(DEV_ENV) $(BIN)/python manage.py makemessages --locale de --no-obsolete --add-location file
	$(DEV_ENV) $(BIN)/python manage.py makemessages --locale de --domain djangojs --no-obsolete --add-location file --ignore '.venv/*' --ignore 'staticfiles/*'
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --locale de --ignore '.venv'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
