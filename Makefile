# The README's two commands: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint validate scenarios site dist clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	@# The distribution was called policykit before it became ledyard-policykit: drop the old name.
	$(BIN)/python -m pip uninstall --quiet --yes policykit 2>/dev/null || true
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[test,docs,editors]'
	touch $(STAMP)

setup: $(STAMP)

## run: set up, build the staff site and serve it with the decision API on http://127.0.0.1:8000
run: setup
	$(BIN)/policykit validate
	$(BIN)/policykit site build
	$(BIN)/mkdocs build --strict --quiet
	$(BIN)/policykit serve --host $(HOST) --port $(PORT)

## test: set up and run every test: the policy checks, scenario coverage and mutants, then pytest
## (scenarios included; pytest goes last so that its summary closes the output, on every core: -n auto)
test: setup lint
	$(BIN)/policykit validate
	$(BIN)/policykit coverage
	$(BIN)/policykit mutate --quiet
	$(BIN)/policykit site build
	$(BIN)/mkdocs build --strict --quiet
	$(BIN)/python -m pytest -n auto --durations=15

## lint: ruff over the sources, tests and benchmarks; mypy over the package (strict on core/)
lint: setup
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

validate: setup
	$(BIN)/policykit validate

## scenarios: run only the scenarios, then coverage and mutants
scenarios: setup
	$(BIN)/python -m pytest tests/test_features.py
	$(BIN)/policykit coverage
	$(BIN)/policykit mutate --quiet

## site: build the staff site into site/
site: setup
	$(BIN)/policykit site build
	$(BIN)/mkdocs build --strict

## dist: build the wheel (distribution ledyard-policykit, import name policykit) into dist/
dist: setup
	$(BIN)/python -m pip wheel --no-deps --no-build-isolation --wheel-dir dist .

clean:
	rm -rf $(VENV) site build dist .pytest_cache .hypothesis
