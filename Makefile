# Eurodyssey exchange platform. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NPM := npm --prefix frontend

.PHONY: help install run test lint format test-unit test-integration test-browser frontend bench bench-matching bench-search bench-notifications bench-statistics clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-22s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "installing the Python packages into $(VENV) (log: $(VENV)/install.log) ..."
	@$(PY) -m pip install --upgrade pip > $(VENV)/install.log 2>&1 || true
	@$(PY) -m pip install -e '.[dev]' >> $(VENV)/install.log 2>&1 || { tail -30 $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

install: $(STAMP) ## Create the virtual environment and install the project (done by run and test when needed)

frontend: $(STAMP) ## Build the web front end into frontend/dist (needs node and npm)
	@if [ -f frontend/package.json ]; then \
		command -v npm >/dev/null || { echo "npm is missing: apt-get install -y nodejs npm"; exit 1; }; \
		$(PY) -m backend.cli.openapi frontend/openapi.json && \
		$(NPM) ci --no-audit --no-fund --loglevel=error && \
		$(NPM) run gen:api && $(NPM) run build; \
	else echo "no front end yet"; fi

run: $(STAMP) ## Start the whole platform with its services and demo data (Ctrl-C stops it)
	@if [ -f frontend/package.json ] && command -v npm >/dev/null; then $(MAKE) --no-print-directory frontend; fi
	@$(PY) -m infra.run

lint: $(STAMP) ## ruff (lint + format check) and mypy (strict) on backend/ and workers/
	$(VENV)/bin/ruff check backend workers infra tests bench
	$(VENV)/bin/ruff format --check backend workers infra tests bench
	$(VENV)/bin/mypy

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix backend workers infra tests bench
	$(VENV)/bin/ruff format backend workers infra tests bench

test: lint ## Lint, then the whole test suite (starts its own PostgreSQL, Redis, SeaweedFS, SMTP and Chromium)
	$(VENV)/bin/pytest

test-unit: $(STAMP) ## Pure unit tests only (no services)
	$(VENV)/bin/pytest tests/unit

test-integration: $(STAMP) ## Integration tests on the real services
	$(VENV)/bin/pytest tests/integration tests/infra tests/workers

test-browser: $(STAMP) ## Browser tests in headless Chromium
	$(VENV)/bin/pytest tests/browser

bench-matching: $(STAMP) ## Matching engine against the `matching` package (2k/10k/20k applicants, 100k, balanced 50k)
	$(PY) -m bench.matching

bench-search: $(STAMP) ## Offer search under load (100k offers, 1M applications) with wrk
	$(PY) -m bench.search

bench-statistics: $(STAMP) ## Statistics endpoints on 1M applications and 100k placements (40 regions, 5 years)
	$(PY) -m bench.statistics

bench-notifications: $(STAMP) ## Drain 10,000 notifications to the local SMTP server
	$(PY) -m bench.notifications

bench: bench-matching bench-search bench-statistics bench-notifications ## Every benchmark

clean: ## Remove caches and build output (keeps .stack/ with the local data)
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis frontend/dist tests/browser/artifacts
