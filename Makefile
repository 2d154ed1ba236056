# One command to run the app with demo data, one to run the tests.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
FLASK = $(BIN)/flask --app wsgi
# The port of `make run`: `PORT=5001 make run` (or `make run PORT=5001`).
PORT ?= 5000
# The port of `make prod`.
PORT_PROD ?= 8000

.PHONY: setup run worker prod test lint translations messages debian-packages

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

translations: $(BIN)/.installed
	$(BIN)/pybabel compile --statistics -d app/translations

# Re-extract the message ids from the sources and merge them into the catalogues.
messages: $(BIN)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations -l ru --no-fuzzy-matching

setup: $(BIN)/.installed translations

run: setup
	$(FLASK) db upgrade
	-$(FLASK) demo
	$(BIN)/huey_consumer app.reports.jobs.huey --workers 2 --logfile instance/worker.log & \
	  trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --host 127.0.0.1 --port $(PORT)

worker: setup
	$(BIN)/huey_consumer app.reports.jobs.huey --workers 2

# The production-like start: gunicorn (5 workers) and the worker on this machine's PostgreSQL
# and Redis, with the checks of production (scripts/prod.sh says what it sets).
prod: setup
	VENV=$(VENV) PORT=$(PORT_PROD) bash scripts/prod.sh

# Chromium for the browser tests, LibreOffice and poppler for the exported documents' tests.
debian-packages:
	bash scripts/install-debian-packages.sh

test: setup debian-packages
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
