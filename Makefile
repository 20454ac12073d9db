# Two commands matter: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
RASA   := $(VENV)/bin/rasa
DATA   := data/nlu data/stories data/rules
STAMP  := $(VENV)/.installed-stamp

# Member data never leaves the machine: no telemetry, no outside error reporting.
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONPATH := $(CURDIR)
# The source articles sit next to the repository on the team's machines; when present, a test
# checks that no FAQ answer copies their sentences.
export BOT_SOURCES_DIR ?= $(abspath $(wildcard ../shared/sources))

.PHONY: help install train migrate seed run test test-python test-stories validate eval-nlu bench-nlu clean

help:
	@echo "make run    - set up everything and start the assistant (REST :5005, actions :5055, chat page :8080)"
	@echo "make test   - run the whole test suite (pytest, rasa data validate, conversation stories)"
	@echo "make eval-nlu / make bench-nlu - NLU accuracy and speed figures"

# The venv is rebuilt when it is missing, is not Python 3.10, or the pins changed.
$(STAMP): pyproject.toml constraints.txt scripts/find-python.sh
	@if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	  PYBIN=$$(scripts/find-python.sh) || exit 1; \
	  echo "Python 3.10: $$PYBIN"; rm -rf $(VENV); $$PYBIN -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --upgrade "pip>=23,<25"
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

install: $(STAMP)

train: install
	$(PY) -m bot.cli.train

migrate: install
	$(PY) -m bot.backend.migrate

seed: migrate
	$(PY) -m bot.backend.seed

run: install train seed
	$(PY) -m bot.cli.serve

validate: install
	$(RASA) data validate --config config.yml --domain domain.yml --data $(DATA) --fail-on-warnings

test-python: install train
	bash scripts/with-test-postgres.sh $(PY) -m pytest

test-stories: install train
	$(RASA) test core --model $$($(PY) -m bot.cli.train --print-path) --stories tests/stories \
	  --out var/test-results --fail-on-prediction-errors

test: install train test-python validate test-stories

eval-nlu: install
	$(PY) -m bot.nlu.evaluate --folds 5 --json var/eval/figures.json

bench-nlu: install train
	$(PY) -m bot.nlu.bench

clean:
	rm -rf $(VENV) var models/*.tar.gz
