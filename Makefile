# One command set for people and CI. Every target sets up .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint validate build matrix bench soak screenshots clean needs-test needs-soak

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/triggergraph serve --host $(HOST) --port $(PORT)

# System programs come first, before the venv and pytest: found, installed (root with apt) or named.
needs-test:
	@$(PYTHON) scripts/check_system.py chromium

needs-soak:
	@$(PYTHON) scripts/check_system.py wrk

test: needs-test $(STAMP)
	$(BIN)/python -m pytest -q -m "not soak"

lint: $(STAMP)
	$(BIN)/ruff check triggergraph api tests bench scripts
	$(BIN)/ruff format --check triggergraph api tests bench scripts

validate: $(STAMP)
	$(BIN)/triggergraph validate

build: $(STAMP)
	$(BIN)/triggergraph build

matrix: $(STAMP)
	$(BIN)/triggergraph matrix

bench: $(STAMP)
	$(BIN)/python bench/run.py

soak: needs-soak $(STAMP)
	$(BIN)/python -m pytest -q -m soak

clean:
	rm -rf dist .pytest_cache var
