# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint messages

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# The custom plotly.js bundle (see static/src/plotly-bundle.js). Third-party code comes only through npm and
# package-lock.json; static/build/ is not in git.
static/build/plotly.min.js: package.json package-lock.json static/src/plotly-bundle.js
	npm ci --no-audit --no-fund
	npm run build

# Development server on SQLite with the demo data; safe to run again (the data step only adds what is missing).
run: $(VENV)/.installed static/build/plotly.min.js
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	DJANGO_DEBUG=1 $(PY) manage.py collectstatic --no-input --verbosity 0
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite, on every core (pytest-xdist: a process and a test database each); DATABASE_URL chooses
# the database (SQLite by default). pytest-django turns DEBUG off while tests run; DJANGO_DEBUG=1 only spares
# a development machine the production secrets. One file alone, in one process:
# `DJANGO_DEBUG=1 .venv/bin/python -m pytest tests/…/test_x.py`.
test: $(VENV)/.installed-dev static/build/plotly.min.js
	DJANGO_DEBUG=1 $(PY) -m pytest -n auto $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

messages: $(VENV)/.installed-dev
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l vi --no-location --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=node_modules
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv
