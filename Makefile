# Sanxiang — `make demo` serves the seeded demo on SQLite; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test install system-packages lint typecheck migrations-check ci bench clean-demo

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@mkdir -p var
	@touch $(STAMP)

# Debian packages the documents need: CJK fonts for PDF text (without them WeasyPrint draws boxes), pango
# for WeasyPrint and HarfBuzz-subset (without it WeasyPrint subsets the CJK fonts with fontTools, seconds per
# PDF), poppler (pdftotext, pdffonts, pdftoppm) and LibreOffice Writer for the rendering tests; Chromium for the
# portal's browser tests (Playwright drives /usr/bin/chromium and never downloads a browser of its own); Ceph's
# monitor, OSD and RADOS Gateway, the real S3 server with object lock that the evidence store's tests start on
# loopback (sanxiang/evidence/testing/ceph_rgw.py; installing them starts no daemon).
SYSTEM_PACKAGES := fonts-noto-cjk fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils \
	libreoffice-writer-nogui chromium ceph-mon ceph-osd radosgw ceph-common

install: system-packages $(STAMP)

system-packages:
	@if ! command -v dpkg-query >/dev/null; then \
	  echo "system-packages: not a Debian system; install by hand: $(SYSTEM_PACKAGES)"; exit 0; fi; \
	missing=""; \
	for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "system-packages: missing$$missing; not root, so not installing them (run 'sudo make system-packages')"; \
	  exit 0; fi; \
	echo "system-packages: installing$$missing"; \
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing
	@if ! fc-list :lang=zh family 2>/dev/null | grep -q "Noto Serif CJK SC"; then \
	  echo "system-packages: fc-list :lang=zh lists no Noto Serif CJK SC: PDFs would show boxes"; \
	  test "$$(id -u)" != 0; fi

var/audit-signing.key: | $(STAMP)
	$(PY) manage.py generate_signing_key

demo: install var/audit-signing.key
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_holidays
	$(PY) manage.py load_demo
	$(PY) manage.py db_worker --batch --no-reload --no-startup-delay -v 0
	@echo "演示系统：http://127.0.0.1:8000/  （工作人员登录：http://127.0.0.1:8000/accounts/login/）"
	@# The background worker (media metadata, thumbnails) runs beside the server and stops with it.
	$(PY) manage.py db_worker --no-reload -v 0 & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
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
	$(PY) bench/rendering.py

clean-demo:
	rm -f var/sanxiang.sqlite3 var/sanxiang.sqlite3-wal var/sanxiang.sqlite3-shm
