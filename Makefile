# Entry points, each from a fresh clone with only Python >= 3.11:
#   make demo   the whole loop on the bundled samples, into demo-out/
#   make test   ruff, then the whole test suite
#   make dist   the wheel (templates, division codes and samples inside), into dist/, for `pip install` on
#               a PC without make (README: 在 Windows 上安装)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/xlsreport: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

.PHONY: demo test dist
demo: $(BIN)/xlsreport
	$(BIN)/xlsreport demo -o demo-out

test: $(BIN)/xlsreport
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

dist: $(BIN)/xlsreport
	rm -rf dist
	$(BIN)/python -m pip wheel -q --no-deps -w dist .
	$(BIN)/python -c "import sys, zipfile; names = zipfile.ZipFile(sys.argv[1]).namelist(); \
	assert 'xlsreport/templates/report.docx' in names and 'xlsreport/data/places.json' in names, names; \
	print(sys.argv[1])" dist/xlsreport-*.whl
