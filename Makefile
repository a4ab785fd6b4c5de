# The reading room.  Two commands matter: `make serve` (build and read) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MKDOCS := NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
AXE_VERSION := 4.10.3
AXE := .cache/node_modules/axe-core/axe.min.js
# Apache Annotator, another W3C client, anchors our export in the browser tests (tests/annotator.py);
# its package imports @apache-annotator/selector without depending on it, hence both
ANNOTATOR_VERSION := 0.2.0
ESBUILD_VERSION := 0.24.0
ANNOTATOR := .cache/annotator/annotator.js

.PHONY: serve build test test-fast clean bench detect suggest eval-detect install browser pyc check export

# Who runs make: apt-get needs root, and a user who is not gets told what to install instead.
USER_ID ?= $(shell id -u)
NEEDS := see Requirements in README.md

$(STAMP): requirements.txt
	@python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "The room needs Python 3.11 or newer as python3; this machine has: $$(python3 --version 2>&1) ($(NEEDS))" >&2; exit 1; }
	@python3 -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "python3 cannot make a virtual environment: on Debian or Ubuntu install python3-venv (apt-get install python3-venv) ($(NEEDS))" >&2; exit 1; }
	@echo "Installing the pinned Python packages of requirements.txt into $(VENV) (the first time takes about a minute) ..."
	$(VENV)/bin/pip install --disable-pip-version-check --progress-bar on -r requirements.txt
	@touch $(STAMP)

install: $(STAMP)

# Bytecode for the hooks, which Python would otherwise compile afresh on every build where
# PYTHONDONTWRITEBYTECODE is set (as on our machines and CI); compileall skips what is current.
pyc: $(STAMP)
	@$(PY) -m compileall -q hooks >/dev/null

serve: pyc  ## build and serve at http://127.0.0.1:8000, rebuilding on every change
	$(MKDOCS) serve --dev-addr 127.0.0.1:8000

build: pyc  ## site/ that works from file:// (a USB stick), search included
	$(MKDOCS) build --strict

check: pyc  ## every problem of the room, as the build reports them, in about a second (exit 1 on any)
	@PYTHONPATH=hooks $(PY) -m reading_room check $(if $(FORMAT),--format $(FORMAT),)

export: $(STAMP)  ## the room as a plain docs tree any engine builds without hooks: make export OUT=dir
	@test -n "$(OUT)" || { echo "make export OUT=<folder>: name the folder to write" >&2; exit 2; }
	PYTHONPATH=hooks $(PY) -m reading_room export "$(OUT)"

browser:  ## Debian's chromium for the browser tests (apt only; Playwright never downloads its own)
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$(USER_ID)" != 0 ]; then \
	    echo "The browser tests need Debian's chromium at $(CHROMIUM), which is not installed, and installing it needs root." >&2; \
	    echo "  Install it:   sudo apt-get install chromium     (then run make test again)" >&2; \
	    echo "  Or, without the browser tests:   make test-fast" >&2; \
	    exit 1; \
	  fi; \
	  echo "Installing Debian's chromium for the browser tests (apt-get install chromium) ..."; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	fi

$(AXE):
	@command -v npm >/dev/null || { \
	  echo "The accessibility tests need axe-core from npm, and npm is not installed: install Node.js with npm (apt-get install npm), or run make test-fast ($(NEEDS))" >&2; exit 1; }
	@echo "Installing axe-core $(AXE_VERSION) from npm into .cache/ (for the accessibility tests) ..."
	mkdir -p .cache && npm install --no-save --no-audit --no-fund --prefix .cache axe-core@$(AXE_VERSION)

$(ANNOTATOR): tests/js/annotator-entry.js
	mkdir -p .cache/annotator && npm install --silent --no-save --no-audit --no-fund --prefix .cache/annotator \
	  @apache-annotator/dom@$(ANNOTATOR_VERSION) @apache-annotator/selector@$(ANNOTATOR_VERSION) esbuild@$(ESBUILD_VERSION)
	NODE_PATH=.cache/annotator/node_modules .cache/annotator/node_modules/.bin/esbuild $< --bundle --format=iife \
	  --outfile=$@ --log-level=warning

test: pyc browser $(AXE) $(ANNOTATOR)  ## the whole suite (about 6 minutes on 2 cores)
	$(PY) -m pytest

test-fast: pyc  ## the suite without the browser tests: no chromium, no npm (about 2 minutes)
	$(PY) -m pytest -m "not browser"

bench: pyc browser  ## the benchmark: N = 5 and 500 synthetic sources, SIZES=500,5000 for the big library (prints a table)
	$(PY) bench/bench.py $(if $(SIZES),--sizes $(SIZES),) $(BENCH_ARGS)

detect: $(STAMP)  ## machine flags for one text file, as JSON Lines: make -s detect FILE=path
	@PYTHONPATH=hooks $(PY) -m reading_room.detect "$(FILE)"

suggest: $(STAMP)  ## merge detector suggestions into annotations/<slug>.yml: make suggest SOURCE=slug
	PYTHONPATH=hooks $(PY) -m reading_room.detect.suggest "$(SOURCE)"

eval-detect: $(STAMP)  ## detector precision/recall/F1 on the held-out labelled sentences
	$(PY) bench/eval_detect.py

clean:
	rm -rf site .cache .pytest_cache .hypothesis tests/screenshots bench/out
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
