# Two commands for a fresh machine: `make book` and `make test`.
# Everything else here is for contributors.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
# The course runs on Python 3.11 to 3.13: the newest of them found here, or PYTHON=...
SUPPORTED := 3.13 3.12 3.11
PYTHON ?= $(firstword $(foreach v,$(SUPPORTED),$(shell python$(v) -c '' >/dev/null 2>&1 && echo python$(v))))
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Spinning OpenMP threads (scikit-learn's t-SNE) slow a busy 2-core machine tenfold.
export OMP_WAIT_POLICY ?= PASSIVE

.PHONY: install book book-student pdf linkcheck test test-fast test-lib test-lessons lessons lint bench lock clean

$(STAMP): pyproject.toml requirements.lock
	@if [ ! -x $(BIN)/python ]; then \
	    if [ -z "$(PYTHON)" ]; then \
	        echo "Bands2Vec needs Python 3.11, 3.12 or 3.13, and none of python3.13, python3.12," \
	             "python3.11 runs here. Install one, or name it: make PYTHON=/path/to/python3.12"; \
	        exit 1; \
	    fi; \
	    $(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' || { \
	        echo "$(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'):" \
	             "Bands2Vec needs 3.11, 3.12 or 3.13."; exit 1; }; \
	    $(PYTHON) -m venv $(VENV); \
	fi
	tools/install $(BIN)/python
	@touch $@

install: $(STAMP)

## Build the HTML book from the notebooks' stored outputs into _build/html. Every page is
## rebuilt (--all), so a warning in a page that did not change still fails the build.
book: $(STAMP)
	$(BIN)/jupyter-book build . --all -W -n --keep-going
	@echo "The book is in _build/html: open $(CURDIR)/_build/html/index.html"
	@if [ -f _build/bands2vec.pdf ]; then echo "Its download menu offers the whole course as one PDF (_build/bands2vec.pdf)."; \
	 else echo "Its download menu offers no PDF: run make pdf (needs TeX Live), then make book, to add the whole course's."; fi

## The student edition: the same site with every exercise's solution left out, its prose
## and its code cells, into _build/student/_build/html (book/_ext/book_editions.py).
book-student: $(STAMP)
	BANDS2VEC_EDITION=student $(BIN)/jupyter-book build . --all -W -n --keep-going --path-output _build/student
	@echo "The student edition is in _build/student/_build/html"

## The whole course as one PDF, by LaTeX (pdflatex, from TeX Live), into _build/pdf. `make book`
## after it puts the PDF in the site and links it from every page's download menu.
pdf: $(STAMP)
	$(BIN)/jupyter-book build . --all -W -n --keep-going --builder pdflatex --path-output _build/pdf
	cp _build/pdf/_build/latex/bands2vec.pdf _build/bands2vec.pdf
	@echo "The PDF is _build/bands2vec.pdf"

## Every external link of the book, followed (Sphinx's linkcheck builder): needs the internet.
linkcheck: $(STAMP)
	$(BIN)/jupyter-book build . --all --builder linkcheck --path-output _build/linkcheck

## Lint, build the book and its student edition side by side, then the tests (the library's, the
## book read in Chromium, the lessons live in JupyterLab and on the real data) and every lesson
## under nbval, each on both cores (pytest-xdist, one test file or notebook per worker at a time).
test: $(STAMP)
	$(MAKE) lint
	$(BIN)/python -m book._ext.book_assets
	$(MAKE) -j2 book book-student
	$(MAKE) test-lib test-lessons

lint: $(STAMP)
	$(BIN)/ruff check .

XDIST := -n 2 --dist loadfile

test-lib: $(STAMP)
	$(BIN)/python -m pytest tests/ $(XDIST)

test-lessons: $(STAMP)
	$(BIN)/python -m pytest --nbval lessons/ $(XDIST)

## A contributor's loop, a few minutes: lint, then the library's tests and the lesson checks
## that need no browser, no book build and no re-execution of the notebooks.
test-fast: $(STAMP)
	$(MAKE) lint
	$(BIN)/python -m pytest tests/ -m "not built" --ignore=tests/test_lessons_limits.py -n 2 --dist load

## Re-execute every lesson top to bottom from its Jupytext text file.
lessons: $(STAMP)
	$(BIN)/python -m tools.run_lessons

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

## Lock every package, direct and transitive, with its hashes, for every platform and
## Python the course supports, from pyproject.toml's pins; versions already in the lock
## stay unless pyproject.toml asks for others.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra course --universal --python-version 3.11 \
	    --generate-hashes --custom-compile-command "make lock" --quiet -o requirements.lock

clean:
	rm -rf _build
