# Two commands on a fresh machine with Python 3.11+:  make run   and   make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/planatlas gazetteer --build
	$(BIN)/python -m layers static
	$(BIN)/python -m layers.serve --server.headless true --browser.gatherUsageStats false

test: $(STAMP_DEV)
	$(BIN)/python -m pytest

bench: $(STAMP_DEV)
	$(BIN)/python benchmarks/bench_mentions.py
	$(BIN)/python benchmarks/bench_library.py
	$(BIN)/python benchmarks/bench_app.py

lint: $(STAMP_DEV)
	$(BIN)/python -m ruff check geo layers tests benchmarks streamlit_app.py
	$(BIN)/python -m mypy

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
