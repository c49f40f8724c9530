# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## Set up, migrate, seed demo data if empty, reset demo logins, and run web + worker.
run: $(BIN)/.installed
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/run-portal.sh

## Run the whole test suite (and the linter). The browser tests run in a pytest process of
## their own: Playwright's event loop and Django's test-database state don't share one well.
test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
