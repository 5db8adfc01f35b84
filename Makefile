# Two commands for a fresh machine: `make book` and `make test`.
# Everything else here is for contributors.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Spinning OpenMP threads (scikit-learn's t-SNE) slow a busy 2-core machine tenfold.
export OMP_WAIT_POLICY ?= PASSIVE

.PHONY: install book test test-lib test-lessons lessons lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[course]"
	@touch $@

install: $(STAMP)

## Build the HTML book from the notebooks' stored outputs into _build/html. Every page is
## rebuilt (--all), so a warning in a page that did not change still fails the build.
book: $(STAMP)
	$(BIN)/jupyter-book build . --all -W -n --keep-going
	@echo "The book is in _build/html: open $(CURDIR)/_build/html/index.html"

## Lint, build the book, then the tests (the library's, and the book read in Chromium),
## then every lesson under nbval.
test: $(STAMP) lint book test-lib test-lessons

lint: $(STAMP)
	$(BIN)/ruff check .

test-lib: $(STAMP)
	$(BIN)/python -m pytest tests/

test-lessons: $(STAMP)
	$(BIN)/python -m pytest --nbval lessons/

## Re-execute every lesson top to bottom from its Jupytext text file.
lessons: $(STAMP)
	$(BIN)/python tools/run_lessons.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf _build
