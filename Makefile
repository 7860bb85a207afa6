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

bench: $(STAMP)
	$(BIN)/python bench/ack_latency.py
	$(BIN)/python bench/answer_latency.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
