# Every user action is a target; `make` alone lists them.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(abspath $(VENV)/bin)
export PATH := $(BIN):$(PATH)
export DVC_NO_ANALYTICS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
TERRITORY ?=
JOBS ?= $(shell nproc)

.DEFAULT_GOAL := help
.PHONY: help install browser study study-locked studies test bench pdf lab fetch demo templates checksums strip lint lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# PYTHONWARNINGS: setuptools warns that the folder pipeline/ may shadow the installed package;
# it is the package (editable install).
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed ## Create .venv from the lock file (done by every target that needs it)

browser: ## Install Debian's chromium for the browser tests and the PDF, if missing (needs root)
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

study: install ## Run the whole study with DVC: reports/rapport.html (TERRITORY=<key> to switch)
	@$(BIN)/python -m pipeline.core.lock $(MAKE) --no-print-directory study-locked

# The body of `make study`, run holding the study's lock (pipeline/core/lock.py): no other run,
# territory switch or demo generation meanwhile. TERRITORY is read from the environment (make
# exports it), never pasted into the shell command; set-territory validates it.
study-locked:
	@if [ -n "$${TERRITORY:-}" ]; then $(BIN)/python -m pipeline.core.config set-territory "$$TERRITORY"; fi
	$(BIN)/python -m pipeline.demo --if-missing
	$(BIN)/dvc repro

# TERRITORIES and DEPARTEMENT are read from the environment (make exports them), never pasted
# into the command; pipeline.batch checks every key. `set -f`: no file name expansion of keys.
studies: install ## Study many territories on DVC's queue (TERRITORIES="k1 k2" or DEPARTEMENT=972; JOBS=N)
	@set -f; $(BIN)/python -m pipeline.batch --jobs "$(JOBS)" \
	  $${DEPARTEMENT:+--departement "$$DEPARTEMENT"} $${TERRITORIES:-}

test: install browser ## Run the tests (unit tests, end-to-end run of the chain, browser checks)
	$(BIN)/pytest

bench: install ## Run the benchmarks (about 30 min): benchmarks/results.json and README table
	$(BIN)/python benchmarks/run.py

pdf: install browser ## Print reports/rapport.html to reports/rapport.pdf (run `make study` first)
	$(BIN)/python -m pipeline.report.browser pdf

# pipeline/lab/ goes first on Jupyter's config path, beside the user's own config (which
# --config would replace): its pre-save hook writes notebooks stripped, as DVC tracks them.
lab: install ## Open the notebooks in JupyterLab (saved stripped; a run writes to data/scratch/)
	JUPYTER_CONFIG_PATH="$(CURDIR)/pipeline/lab$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	  $(BIN)/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

fetch: install ## Download the real public data behind data/raw/ (needs the network)
	$(BIN)/python -m pipeline.sources.fetch

demo: install ## Regenerate the demo inputs of the selected territory (never a user file)
	$(BIN)/python -m pipeline.demo

# TERRITORY is read from the environment, never pasted into the command (pipeline.templates checks it).
templates: install ## Write spreadsheet templates of the inputs filled in by hand: templates/<territory>/
	$(BIN)/python -m pipeline.templates $${TERRITORY:+"$$TERRITORY"}

checksums: install ## Record the sha256 of raw files again, after a deliberate change to data/raw/
	$(BIN)/python -m pipeline.core.checksums record

strip: install ## Remove outputs from the notebooks before committing
	$(BIN)/python -m pipeline.core.notebooks strip

lint: install ## Check style with ruff and the import contracts of pyproject.toml
	$(BIN)/ruff check pipeline tests
	$(BIN)/lint-imports --no-cache

lock: install ## Re-resolve requirements.lock from pyproject.toml (needs the package registry)
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet '.[dev]'
	.venv-lock/bin/pip freeze --all --exclude-editable | grep -v '^tiers-lieu-etude' > requirements.lock
	rm -rf .venv-lock

clean: ## Remove processed outputs and the report (raw data are kept)
	rm -rf data/processed/*/ reports/rapport.html
