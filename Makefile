# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test test-sqlite test-postgres lint format translations translations-update constraints browser

install: $(VENV)/.installed translations

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $@

# Compiled catalogues are build output, not committed.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy --statistics -d coordination/translations

# Sorted and without file:line comments, so that two branches adding strings merge cleanly.
translations-update: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_ngettext:1,2 --no-location --sort-output \
		-o coordination/translations/messages.pot .
	$(BIN)/pybabel update -N --ignore-obsolete -i coordination/translations/messages.pot \
		-d coordination/translations

run: install
	$(FLASK) setup
	@echo "Serving on http://$(HOST):$(PORT)/"
	$(FLASK) run --debug --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install lint test-sqlite test-postgres

test-sqlite:
	env -u TEST_DATABASE_URL $(BIN)/pytest -q

# Runs only when TEST_DATABASE_URL is set, e.g.
# TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test make test
test-postgres:
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$TEST_DATABASE_URL"; $(BIN)/pytest -q; \
	else \
		echo "== PostgreSQL skipped: TEST_DATABASE_URL is not set"; \
	fi

constraints:
	$(BIN)/pip freeze --exclude-editable | grep -v "^pip==\|^setuptools==" > constraints.txt

# Debian's Chromium for the browser tests (Playwright's own download does not work here).
browser:
	@if [ -x /usr/bin/chromium ]; then \
		/usr/bin/chromium --version 2>/dev/null || echo "Chromium: /usr/bin/chromium"; \
	else \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi
