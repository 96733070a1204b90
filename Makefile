# One command set for people and CI. Every target sets up .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint validate build matrix bench soak screenshots i18n clean needs-test needs-soak

# The package's bytecode is written ahead, as pip does when it installs a wheel: a process that
# may not write it (PYTHONDONTWRITEBYTECODE, a read-only checkout) would otherwise compile every
# module it imports at each start, about 0.15 s of the API's. Quick when nothing changed.
BYTECODE := $(BIN)/python -m compileall -q triggergraph api

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BYTECODE)
	touch $(STAMP)

run: $(STAMP)
	$(BYTECODE)
	$(BIN)/triggergraph serve --host $(HOST) --port $(PORT)

# System programs come first, before the venv and pytest: found, installed (root with apt) or named.
needs-test:
	@$(PYTHON) scripts/check_system.py chromium virtuoso

needs-soak:
	@$(PYTHON) scripts/check_system.py wrk

# Tests run on every core (pytest-xdist); a module's tests stay on one worker, so its fixtures
# are built once. PYTEST_WORKERS=0 runs them in one process.
PYTEST_WORKERS ?= auto
test: needs-test $(STAMP)
	$(BIN)/python -m pytest -q -m "not soak" -n $(PYTEST_WORKERS) --dist loadscope

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

screenshots: $(STAMP)
	$(BIN)/python bench/screenshots.py

# Interface texts: extract from the viewer's Python and templates, merge into the nl/en
# catalogues, compile the .mo files (committed, so a fresh clone and the wheel work), then fail
# on any message without a translation or a catalogue out of step with the code.
LOCALE := triggergraph/viewer/locale
i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k ngettext:1,2 --no-location --sort-output --project triggergraph -o $(LOCALE)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages --no-fuzzy-matching --no-wrap
	$(BIN)/pybabel compile -d $(LOCALE) -D messages --statistics
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_viewer_i18n.py

clean:
	rm -rf dist .pytest_cache var
