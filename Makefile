# The report's commands. Quick start: `make book` builds the site, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
SITE := _build/html
CHAPTERS := chapters

NODE_STAMP := node_modules/.package-lock.json

.PHONY: book test validate execute chromium fonts clean freeze

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

validate: $(STAMP)
	$(BIN)/mineral-report validate

## book: install, validate the data, execute every chapter, build the HTML site and its PDF.
book: validate chromium fonts
	$(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/python -m mineral_report.book.pdf --site $(SITE) --toc _toc.yml --citation CITATION.cff --manifest data/datapackage.json
	@echo "The book is in $(SITE): open $(abspath $(SITE))/index.html"

## chromium: the real-browser tests need Debian's chromium.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "Debian's chromium is needed for the browser tests: sudo apt-get install chromium" >&2; exit 1; \
	  fi; \
	fi

## fonts: the PDF prints Chinese titles in the references (Debian's Noto CJK); DejaVu, which
## comes with chromium, covers Latin and Cyrillic.
fonts:
	@if ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fonts-dejavu-core; \
	  else \
	    echo "The PDF needs Debian's CJK fonts: sudo apt-get install fonts-noto-cjk" >&2; exit 1; \
	  fi; \
	fi

## The accessibility tests inject axe-core (pinned in package-lock.json) into each page.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent

## test: data validation, unit tests, nbval on every chapter, real-browser tests of the site.
test: book chromium $(NODE_STAMP)
	$(BIN)/pytest tests $(CHAPTERS) --nbval -p no:cacheprovider

## execute: re-run every chapter in place, to accept new outputs after a data change.
execute: validate
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.record_timing=False $(CHAPTERS)/*.ipynb

freeze: $(STAMP)
	{ head -2 requirements.txt; $(BIN)/pip freeze --exclude-editable | grep -v '^-e'; } > requirements.tmp
	mv requirements.tmp requirements.txt

clean:
	rm -rf _build

## refresh: fetch new vintages from the publishers. By default (SOURCE=all) UN Comtrade for YEARS
## (default the last five complete calendar years), then USGS MCS world data when EDITION and ITEM
## (ScienceBase item id) are given; SOURCE=comtrade or SOURCE=usgs runs that one alone. PIN=yes
## makes the book use them. Nothing in data/ changes if a download fails.
YEARS ?= $(shell y=$$(date +%Y); echo $$((y - 5))-$$((y - 1)))
SOURCE ?= all
refresh: $(STAMP)
	$(if $(filter all comtrade usgs,$(SOURCE)),,$(error SOURCE must be all, comtrade or usgs, not '$(SOURCE)'))
	$(if $(filter usgs,$(SOURCE)),$(if $(and $(EDITION),$(ITEM)),,$(error make refresh SOURCE=usgs needs EDITION and ITEM)))
	$(if $(filter all comtrade,$(SOURCE)),$(BIN)/mineral-report refresh comtrade --years $(YEARS) $(if $(PIN),--pin))
	$(if $(and $(filter all usgs,$(SOURCE)),$(EDITION),$(ITEM)),$(BIN)/mineral-report refresh usgs --edition $(EDITION) --item $(ITEM) $(if $(PIN),--pin))

## data-diff: rows added, removed and changed between two vintages of a dataset, e.g.
## make data-diff DATASET=usgs-mcs-world OLD=2025 NEW=2026
data-diff: $(STAMP)
	$(BIN)/mineral-report diff $(DATASET) $(OLD) $(NEW)

.PHONY: refresh data-diff

## linkcheck: check the external links of the book (needs the internet; reports, never blocks).
linkcheck: $(STAMP)
	-$(BIN)/jupyter-book build . --builder linkcheck

.PHONY: linkcheck

## bench: build, rebuild, validation and reader cost, measured on throwaway copies of the book;
## results in benchmarks/results.json and benchmarks/results.md.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

.PHONY: bench
