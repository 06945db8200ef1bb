# The commands the README gives. Every target makes its own .venv, so a fresh clone
# needs nothing but python3 (3.11+) and make.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data
BUILD ?= build

.PHONY: serve test install records eval-people clean

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

# Reads every page in data/ into clean records. The web app comes with the next issues;
# until then `make serve` stops here and says so.
serve: install
	@mkdir -p $(BUILD)
	$(BIN)/archive-search records $(DATA) > $(BUILD)/records.jsonl
	@echo "Records written to $(BUILD)/records.jsonl. The search page is not built yet: nothing to serve."

records: install
	$(BIN)/archive-search records $(DATA)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

# People precision/recall against the hand-checked table in tests/fixtures/people_gold.tsv.
eval-people: install
	$(BIN)/python bench/people_eval.py

clean:
	rm -rf $(VENV) $(BUILD) .pytest_cache
