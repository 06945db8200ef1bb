# The commands the README gives. Every target makes its own .venv, so a fresh clone
# needs nothing but python3 (3.11+) and make.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The seed pages in data/, and the archive's real sample (its CSV export and record pages,
# with subjects, places, languages and the documents' text) where the checkout has it.
DATA ?= data $(wildcard ../shared/archive-sample/wilson_archive_sample.csv ../shared/archive-sample/records)
INDEX ?= data/index
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
BUILD ?= build

.PHONY: serve test test-fast lint fuzz install records eval-people bench bench-million load bench-index audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

# Builds the index from $(DATA) when there is none, or it cannot be opened (an older schema:
# data/index is a link to its current generation), then serves the search page with gunicorn on http://$(HOST):$(PORT)/.
serve: install
	@if ! $(BIN)/archive-search search --index $(INDEX) --per-page 1 > /dev/null 2>&1; then \
		$(BIN)/archive-search build $(DATA) --index $(INDEX); fi
	$(BIN)/archive-search serve --host $(HOST) --port $(PORT) --workers $(WORKERS) --index $(INDEX)

records: install
	$(BIN)/archive-search records $(DATA)

# Browser tests drive Debian's chromium (installed here when missing; root on CI) and
# check accessibility with axe-core from the npm registry.
CHROMIUM ?= /usr/bin/chromium
AXE := $(BUILD)/npm/node_modules/axe-core/axe.min.js
AXE_VERSION := 4.14.1

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# The serving tests run haproxy in front of replicas, and the rate limit against a real
# Redis (docs/scaling.md): Debian's packages, installed here when missing.
HAPROXY ?= /usr/sbin/haproxy
REDIS ?= /usr/bin/redis-server

$(HAPROXY) $(REDIS):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy redis-server

$(AXE):
	npm install --silent --no-audit --no-fund --prefix $(BUILD)/npm axe-core@$(AXE_VERSION)

# The gates: format, lint, strict types, and the layer contracts (pyproject.toml).
lint: $(VENV)/.installed-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint $(CHROMIUM) $(AXE) $(HAPROXY) $(REDIS)
	$(BIN)/python -m pip check
	AXE_PATH=$(AXE) $(BIN)/python -m pytest

# The unit tests only (no servers, browsers or long builds): seconds, for the edit loop.
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not slow" -q

# The query grammar fuzzer: 100,000 texts from the grammar of the query language with a
# fixed seed against the engine, 20,000 against every route; counts per kind of answer.
# A failure is added to tests/fixtures/query_regressions.jsonl (replayed by make test).
fuzz: $(VENV)/.installed-test
	$(BIN)/python bench/fuzz.py --examples 100000 --http-examples 20000 --seed 20261201

# People precision/recall against the hand-checked table in tests/fixtures/people_gold.tsv.
eval-people: install
	$(BIN)/python bench/people_eval.py

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@ $(VENV)/.installed

# The benchmark suite (issue 7): build, HTTP latency beside SQLite FTS5, throughput, memory,
# per corpus size; writes bench/results/<date>.json, docs/performance.md and .png. Then the
# capacity model's figures (searches/s per core, with wrk: docs/scaling.md), the people
# and record pages, and a sample of the CSL styles.
SIZES ?= 10000 30000
WRK ?= /usr/bin/wrk

$(WRK):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk

bench: $(VENV)/.installed-bench $(WRK)
	$(BIN)/python bench/fulltext.py
	$(BIN)/python bench/perf.py --sizes $(SIZES)
	$(BIN)/python bench/load.py
	$(BIN)/python bench/capacity.py --sizes 30000 100000
	$(BIN)/python bench/pages.py --records 100000
	$(BIN)/python bench/styles.py --sample 400

# One million generated records built, served and updated for real (about 15 minutes):
# writes bench/results/million-<date>.json, which `make bench` puts in docs/performance.md.
bench-million: $(VENV)/.installed-bench
	$(BIN)/python bench/million.py

# 50 concurrent clients for 60 s against 2 workers, steady and with a rebuild swapped in.
load: $(VENV)/.installed-bench
	$(BIN)/python bench/load.py

# Build speed and search latency on 30,000 generated records (minutes; not part of make test).
bench-index: install
	$(BIN)/python bench/index_speed.py --count 30000

# Known vulnerabilities in the installed dependencies, from PyPI's advisory data. Needs
# PyPI's JSON API (not only its package index); see docs/security.md.
audit: install
	$(BIN)/python -m pip install --quiet "pip-audit>=2.7"
	$(BIN)/pip-audit --strict --skip-editable

clean:
	rm -rf $(VENV) $(BUILD) .pytest_cache $(INDEX) $(INDEX).* data/.index.lock
