# Everything runs from a local virtualenv, so a machine with python3, git and make is enough.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Start the bot: Slack if credentials are in .env, otherwise the local console.
run: $(STAMP)
	$(BIN)/handoff run

## Run the test suite (SQLite; set TEST_DATABASE_URL for PostgreSQL too).
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench migrations
	$(BIN)/ruff format --check bot tests bench migrations
	$(BIN)/mypy

## Issue #13's targets, one line per figure beside its target (wrk is used if installed;
## BENCH_DATABASE=postgresql+psycopg://… runs them on scratch databases on that server).
BENCH_DB := $(if $(BENCH_DATABASE),--database $(BENCH_DATABASE))
bench: $(STAMP)
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/ack_latency.py $(BENCH_DB)
	$(BIN)/python bench/memory.py $(BENCH_DB)
	$(BIN)/python bench/answer_latency.py $(BENCH_DB)
	$(BIN)/python bench/digest_figures.py $(BENCH_DB)
	$(BIN)/python bench/digest_posting.py $(BENCH_DB)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
