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

# the package is installed editable: its bytecode is compiled here, as an install from a
# wheel compiles it, so that no command compiles it again (PYTHONDONTWRITEBYTECODE)
COMPILE := $(BIN)/python -m compileall -q geo layers

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(COMPILE)
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(COMPILE)
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/planatlas gazetteer --build
	$(BIN)/python -m layers static
	$(BIN)/python -m layers.serve --server.headless true --browser.gatherUsageStats false

test: $(STAMP_DEV)
	$(BIN)/python -m pytest

bench: $(STAMP_DEV)
	$(COMPILE)
	$(BIN)/python benchmarks/bench_mentions.py
	$(BIN)/python benchmarks/bench_library.py
	$(BIN)/python benchmarks/bench_app.py

lint: $(STAMP_DEV)
	$(BIN)/python -m ruff check geo layers tests benchmarks streamlit_app.py
	$(BIN)/python -m mypy

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
