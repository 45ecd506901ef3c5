# make run   set up everything (virtualenv, database, demo data) and serve on 127.0.0.1:8000
# make test  the whole test suite (PostgreSQL when DATABASE_URL points at it, else SQLite)
# make serve production: gunicorn with the settings from the environment (see docs/operations.md)
# make load  load test: a desk of 20 people against gunicorn on DATABASE_URL (see README)

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

.PHONY: run test serve load load-data lint messages clean

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

# Production: SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL come from the environment, gunicorn's own
# settings from gunicorn.conf.py (GUNICORN_BIND, GUNICORN_WORKERS, ...). DEBUG stays off.
serve: $(VENV)/.runtime
	$(BIN)/python manage.py check --deploy
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/gunicorn -c gunicorn.conf.py newsroom.wsgi

# 100,000 articles with 1,000,000 claims for the load test and the benchmarks (PostgreSQL: DATABASE_URL).
load-data: $(VENV)/.runtime
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py generate_load_data --articles 100000 --claims-per-article 10

LOAD_USERS ?= 20
LOAD_SECONDS ?= 60
load: $(VENV)/.dev
	$(DEV_ENV) $(BIN)/python manage.py run_load --users $(LOAD_USERS) --desk-seconds $(LOAD_SECONDS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

# Regenerate the German translation catalogue after changing texts (needs GNU gettext).
messages: $(VENV)/.dev
	$(DEV_ENV) $(BIN)/python manage.py makemessages --locale de --no-obsolete --add-location file
	$(DEV_ENV) $(BIN)/python manage.py makemessages --locale de --domain djangojs --no-obsolete --add-location file --ignore '.venv/*' --ignore 'staticfiles/*'
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --locale de --ignore '.venv'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
