# The two commands of the README are the contract:
#   make book   set up .venv from the pinned lock, build the HTML book (-W -n)
#   make test   set up .venv from the pinned lock, run the whole test suite
# Everything else is for maintainers (see `make help`).

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
SOURCES ?= $(if $(wildcard ../shared/sources),../shared/sources,)
# Same hash seed for the run that stores outputs and the run that checks them.
export PYTHONHASHSEED := 0

.PHONY: help venv book pdf report readme test test-fast coverage lint data check-data outputs sensitivity bench lock clean

help:
	@echo "make book        build the HTML book into _build/html (sets up .venv first)"
	@echo "make test        run the whole test suite (sets up .venv first)"
	@echo "make pdf         the whole book as one PDF, _build/pdf/sinoiran-book.pdf (needs Debian's chromium)"
	@echo "make report      one HTML page of a chapter rerun: NB=run.ipynb (executed), or NB=chapters/X.ipynb P='-p name value ...'"
	@echo "make readme      rewrite the README's 'What the replication found' from the claims ledger"
	@echo "make test-fast   the unit tests only (seconds): no chapter execution, book build or browser"
	@echo "make coverage    the fast suite under coverage.py: how much of the engine (src/sinoiran/make) it runs"
	@echo "make lint        ruff (lint, format) on the code and, through nbQA, the chapters; mypy on the package"
	@echo "make data        rebuild data/ from raw exports (SOURCES=$(or $(SOURCES),<unset>))"
	@echo "make check-data  verify data/ checksums and schemas"
	@echo "make sensitivity rerun the trends chapter over the parameter grid (results/sensitivity.csv)"
	@echo "make bench       time cold/serial/no-change/data-change builds, the tests and the panel; medians and ratios"
	@echo "                 (BENCH_ARGS=\"--only panel\": the panel alone, about a minute)"
	@echo "make lock        recompile requirements.txt from requirements.in (needs the network)"
	@echo "make clean       remove build products (keeps .venv)"

# The environment is rebuilt whenever the lock or the package metadata changes.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

venv: $(STAMP)

# Stale chapters execute in parallel into the cache (a key per chapter over its code, the files
# it read, the modules it runs and the lock), then Sphinx builds with warnings as errors
# (-W -n --keep-going), re-reading only what changed and the pages that glue from it.
book: $(STAMP)
	@$(BIN)/python -m sinoiran book

# The whole book as one PDF: the HTML build, then the single-page build printed by Chromium.
pdf: $(STAMP)
	@$(BIN)/python -m sinoiran pdf

# One HTML page of a papermill run, its glue resolved: NB=_build/algeria.ipynb (executed by papermill), or
# NB=chapters/own_country.ipynb P="-p recipient Pakistan -p vintage 2016" to run the chapter first.
NB ?= chapters/own_country.ipynb
report: $(STAMP)
	@$(BIN)/python -m sinoiran report $(NB) $(P)

# The README's findings, generated from the claims ledger (a test fails when they differ).
readme: $(STAMP)
	@$(BIN)/python -m sinoiran.book.readme

# Unit tests, data checks, strict nbval on every chapter, the book build, staleness
# and browser checks; spread over the cores by what tests share (xdist groups: one per
# notebook for nbval, one for the tests of the built book; the rest one test at a time).
TEST_ARGS := -n auto --dist loadgroup
test: $(STAMP)
	$(BIN)/python -m pytest $(TEST_ARGS)

# The unit tests only: everything not marked `slow` (see pyproject.toml), one process.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow" -p no:xdist tests/

# How much of the engine (sinoiran.make) the fast suite runs, module by module.
coverage: $(STAMP)
	$(BIN)/python -m coverage run --source=src/sinoiran/make --data-file=_build/.coverage -m pytest -q -m "not slow" -p no:xdist tests/
	$(BIN)/python -m coverage report --data-file=_build/.coverage --show-missing

# What the pre-commit hooks run; the test suite runs the same checks (tests/test_style.py).
lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .
	$(BIN)/nbqa ruff chapters/ && $(BIN)/nbqa "ruff format" chapters/ --check
	$(BIN)/mypy

data: $(STAMP)
	@if [ -z "$(SOURCES)" ]; then \
	  echo "make data: no raw exports found. Expected the folder ../shared/sources (or pass SOURCES=DIR)"; \
	  echo "holding the SIPRI and IMF exports listed in README.md, section 'Data availability'."; \
	  exit 2; fi
	$(BIN)/python -m sinoiran data build --sources "$(SOURCES)"

check-data: $(STAMP)
	$(BIN)/python -m sinoiran data check

lock:
	$(PYTHON) -m venv /tmp/sinoiran-lock && /tmp/sinoiran-lock/bin/pip install --quiet pip-tools==7.6.2
	/tmp/sinoiran-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links --output-file requirements.txt requirements.in

clean:
	rm -rf _build .pytest_cache

# Re-execute every chapter in place and store its outputs (the record nbval checks).
outputs: $(STAMP)
	$(BIN)/python -m sinoiran outputs

# The trends chapter over every vintage x break year x window, in parallel (papermill).
sensitivity: $(STAMP)
	$(BIN)/python -m sinoiran sensitivity --output results/sensitivity.csv

# Speed targets live here, not in timed tests: medians and ratios over repetitions.
bench: $(STAMP)
	$(BIN)/python bench/bench.py $(BENCH_ARGS)
