# The whole set-up: `make run` and `make test`. Each creates .venv when missing
# and installs the project (with test extras for `make test`) before running.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the project's metadata changes.
$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/chie-kokan run scenarios/shimizu.toml

test: $(STAMP_TEST)
	$(BIN)/ruff check src tests
	$(BIN)/python -m pytest

# Figures, not tests: every bench/*_bench.py prints its measurements and targets.
# `make bench BENCH_ARGS=--json > run.jsonl`: one JSON object per bench, to compare runs.
BENCH_ARGS ?=
bench: $(STAMP_RUN)
	@for script in bench/*_bench.py; do echo "== $$script" >&2; $(BIN)/python $$script $(BENCH_ARGS) || exit 1; done

lint: $(STAMP_TEST)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

clean:
	rm -rf $(VENV) .pytest_cache
