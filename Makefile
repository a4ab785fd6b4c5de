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

$(STAMP): requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

# Bytecode for the hooks, which Python would otherwise compile afresh on every build where
# PYTHONDONTWRITEBYTECODE is set (as on our machines and CI); compileall skips what is current.
pyc: $(STAMP)
	@$(PY) -m compileall -q hooks >/dev/null

serve: pyc  ## build and serve at http://127.0.0.1:8000, rebuilding on every change
	$(MKDOCS) serve --dev-addr 127.0.0.1:8000

build: pyc  ## site/ that works from file:// (a USB stick), search included
	$(MKDOCS) build --strict

check: $(STAMP)  ## every problem of the room, as the build reports them, in about a second (exit 1 on any)
	@PYTHONPATH=hooks $(PY) -m reading_room check $(if $(FORMAT),--format $(FORMAT),)

export: $(STAMP)  ## the room as a plain docs tree any engine builds without hooks: make export OUT=dir
	@test -n "$(OUT)" || { echo "make export OUT=<folder>: name the folder to write" >&2; exit 2; }
	PYTHONPATH=hooks $(PY) -m reading_room export "$(OUT)"

browser:  ## Debian's chromium for the browser tests (apt only; Playwright never downloads its own)
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

$(AXE):
	mkdir -p .cache && npm install --silent --no-save --no-audit --no-fund --prefix .cache axe-core@$(AXE_VERSION)

$(ANNOTATOR): tests/js/annotator-entry.js
	mkdir -p .cache/annotator && npm install --silent --no-save --no-audit --no-fund --prefix .cache/annotator \
	  @apache-annotator/dom@$(ANNOTATOR_VERSION) @apache-annotator/selector@$(ANNOTATOR_VERSION) esbuild@$(ESBUILD_VERSION)
	NODE_PATH=.cache/annotator/node_modules .cache/annotator/node_modules/.bin/esbuild $< --bundle --format=iife \
	  --outfile=$@ --log-level=warning

test: pyc browser $(AXE) $(ANNOTATOR)  ## the whole suite
	$(PY) -m pytest

bench: pyc browser  ## the benchmark: N = 5, 50, 500 synthetic sources (prints a table)
	$(PY) bench/bench.py $(if $(SIZES),--sizes $(SIZES),)

detect: $(STAMP)  ## machine flags for one text file, as JSON Lines: make -s detect FILE=path
	@PYTHONPATH=hooks $(PY) -m reading_room.detect "$(FILE)"

suggest: $(STAMP)  ## merge detector suggestions into annotations/<slug>.yml: make suggest SOURCE=slug
	PYTHONPATH=hooks $(PY) -m reading_room.detect.suggest "$(SOURCE)"

eval-detect: $(STAMP)  ## detector precision/recall/F1 on the held-out labelled sentences
	$(PY) bench/eval_detect.py

clean:
	rm -rf site .cache .pytest_cache .hypothesis tests/screenshots bench/out
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
