# Sanxiang — `make demo` serves the seeded demo on SQLite; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test install lint typecheck migrations-check ci bench clean-demo

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@mkdir -p var
	@touch $(STAMP)

install: $(STAMP)

var/audit-signing.key: | $(STAMP)
	$(PY) manage.py generate_signing_key

demo: install var/audit-signing.key
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_holidays
	$(PY) manage.py load_demo
	@echo "演示系统：http://127.0.0.1:8000/  （工作人员登录：http://127.0.0.1:8000/accounts/login/）"
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

ci:
	bash .ci/run

bench: install
	$(PY) bench/audit.py

clean-demo:
	rm -f var/sanxiang.sqlite3 var/sanxiang.sqlite3-wal var/sanxiang.sqlite3-shm
