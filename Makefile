# carebridge: the two set-up commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_LINK_MODE := copy
PYTEST_WORKERS ?= auto

.PHONY: help install demo serve test test-fast test-browser lint format bench bench-seed bench-pages bench-eligibility bench-pathway bench-charging bench-duties bench-duties-million bench-dashboard bench-cld bench-cld-county bench-transfer clean

help:
	@echo "make demo   install everything, seed a synthetic county, serve on http://127.0.0.1:8000/"
	@echo "make test   install everything (and Debian's chromium), run the whole test suite"
	@echo "make lint   ruff check and format check"
	@echo "make bench  performance benchmarks at county scale (50,000 people)"

$(BIN)/uv:
	@PY=$$(scripts/find-python312) && echo "Using $$PY" && $$PY -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(BIN)/uv node_modules/.package-lock.json
	scripts/install-system-libs
	$(BIN)/uv sync --frozen --quiet
	$(BIN)/carebridge collectstatic --noinput --verbosity 0

demo: install
	$(BIN)/carebridge demo

serve: install
	$(BIN)/carebridge serve

test: install
	scripts/install-browser
	$(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

test-fast: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser"

test-browser: install
	scripts/install-browser
	$(BIN)/pytest -m browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: bench-seed bench-pages bench-pathway bench-eligibility bench-charging bench-duties bench-dashboard bench-cld bench-transfer

bench-seed: install
	$(BIN)/python bench/bench_seed.py --people 50000 --seed 1

bench-pages: install
	$(BIN)/python bench/bench_pages.py --people 50000 --seed 1

bench-duties: install
	$(BIN)/python bench/bench_duties.py --people 50000 --seed 1 --history-years 15

bench-dashboard: install
	$(BIN)/python bench/bench_dashboard.py --people 50000 --seed 1 --history-years 15

# The duties at about a million events (135,000 people over 15 years): seeding takes a while.
bench-duties-million: install
	$(BIN)/python bench/bench_duties.py --people 135000 --seed 1 --history-years 15

bench-cld: install
	$(BIN)/python bench/bench_cld.py --people 50000 --seed 1 --history-years 15

# The returns at the issue's scale (about 40,000 requests and 17,000 people on long-term support
# a year need about 135,000 people): the same databases as bench-duties-million.
bench-cld-county: install
	$(BIN)/python bench/bench_cld.py --people 135000 --seed 1 --history-years 15

bench-transfer: install
	$(BIN)/python bench/bench_transfer.py --people 50000 --seed 1

bench-pathway: install
	$(BIN)/python bench/bench_pathway.py --people 50000 --seed 1

bench-eligibility: install
	$(BIN)/python bench/bench_eligibility.py

bench-charging: install
	$(BIN)/python bench/bench_charging.py

clean:
	rm -rf $(VENV) node_modules var/static
