# Quick start: `make demo` then `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install soffice bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# LibreOffice headless recalculates workbooks in the parity tests and prints PDFs
# (with CJK fonts, so Chinese reports print as text, not boxes); Gnumeric's
# ssconvert is the parity tests' second engine.
soffice:
	@if ! command -v soffice >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libreoffice-calc-nogui poppler-utils fonts-noto-cjk >/dev/null; fi
	@if ! command -v ssconvert >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnumeric >/dev/null; fi

demo: $(STAMP)
	$(BIN)/xl-crm demo

test: $(STAMP) soffice
	$(BIN)/ruff check xl_crm tests benchmarks macros
	$(BIN)/python -m pytest

# Each benchmark prints its timings and ratios and writes them to benchmarks/results/.
bench: $(STAMP) soffice
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) reports build *.egg-info
