# The commands the README gives. Every target makes its own .venv, so a fresh clone
# needs nothing but python3 (3.11+) and make.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data
INDEX ?= data/index
BUILD ?= build

.PHONY: serve test install records eval-people bench-index clean

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

# Builds the index from data/ when there is none (data/index is a link to its current
# generation). The search page comes with the next issue; until then serve stops here.
serve: install
	@if [ ! -e $(INDEX) ]; then $(BIN)/archive-search build $(DATA) --index $(INDEX); fi
	@echo "Index ready at $(INDEX). Try: $(BIN)/archive-search search Stalin --year 1953 --index $(INDEX)"
	@echo "The search page is not built yet: nothing to serve."

records: install
	$(BIN)/archive-search records $(DATA)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

# People precision/recall against the hand-checked table in tests/fixtures/people_gold.tsv.
eval-people: install
	$(BIN)/python bench/people_eval.py

# Build speed and search latency on 30,000 generated records (minutes; not part of make test).
bench-index: install
	$(BIN)/python bench/index_speed.py --count 30000

clean:
	rm -rf $(VENV) $(BUILD) .pytest_cache $(INDEX) $(INDEX).* data/.index.lock
