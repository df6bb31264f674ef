# The two commands of the README:
#   make build   install everything, validate the edition, write dist/ (html, epub, txt)
#   make test    install everything, run the test suite
VENV ?= .venv
PYTHON ?= python3

.PHONY: setup system-deps build test bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[test]"
	touch $@

system-deps:
	scripts/install-system-deps.sh

setup: system-deps $(VENV)/.installed

build: setup
	$(VENV)/bin/tei-tools build

test: setup
	$(VENV)/bin/python -m pytest

bench: setup
	$(VENV)/bin/python bench/run.py

clean:
	rm -rf dist build .pytest_cache
