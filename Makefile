# Two entry points, both from a fresh clone with only Python >= 3.11:
#   make demo   the whole loop on the bundled samples, into demo-out/
#   make test   ruff, then the whole test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/xlsreport: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

.PHONY: demo test
demo: $(BIN)/xlsreport
	$(BIN)/xlsreport demo -o demo-out

test: $(BIN)/xlsreport
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest
