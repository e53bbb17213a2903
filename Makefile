# Benniu: `make run` serves the demo on SQLite; `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-run lock test-lowest system-packages run test test-postgres bench bench-reports translations clean

# Debian packages: a CJK font for the Chinese captions under printed QR codes (running needs
# only this one); Chromium for the browser tests, wrk for the benchmarks, nginx and openssl for
# the HTTPS deployment test. Installed when missing and we may (root); else a note.
RUN_DEB_PACKAGES := fonts-wqy-microhei
DEB_PACKAGES := $(RUN_DEB_PACKAGES) chromium wrk nginx openssl

# Everything, to run and to test (CI, `make test`).
install: $(VENV)/.installed-test system-packages

# Only what running needs (`make run`): no pytest, Playwright, schemathesis or ruff.
install-run: $(VENV)/.installed
	@$(MAKE) --no-print-directory system-packages DEB_PACKAGES="$(RUN_DEB_PACKAGES)"

system-packages:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing $$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	      || echo "note: could not install $$missing"; \
	  else echo "note: install $$missing (Debian packages) for Chinese QR captions and the browser tests"; fi; \
	fi

# Both install the versions pinned in requirements.lock (made from pyproject.toml by `make lock`).
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

# After changing a dependency in pyproject.toml: pin the newest versions it allows, for Python 3.11.
lock: install
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --no-header --quiet -o requirements.lock

run: install-run
	$(BIN)/benniu init --demo
	@token=$$($(BIN)/benniu token create --role admin --name "demo admin" | tail -n 1); \
	lan=$$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^(10|172|192)\.' | head -n 1); \
	echo; \
	echo "Benniu is starting at http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/docs)"; \
	echo "Admin token: $$token"; \
	echo "Sign in at http://$(HOST):$(PORT)/login (password benniu2024 for everyone):"; \
	echo "  volunteers     13800000001, 13800000002, 13800000003"; \
	echo "  organiser      13900000001 (振宇社区)"; \
	echo "  partner clerk  13900000002 (老街理发店)"; \
	if [ -n "$$lan" ]; then \
	  echo "Phones on the same Wi-Fi: make run HOST=0.0.0.0 BENNIU_PUBLIC_URL=http://$$lan:$(PORT)"; \
	  echo "  then open http://$$lan:$(PORT)/ on the phone (printed QR codes then point there too)"; \
	fi; \
	echo
	$(BIN)/benniu serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest

# The unit and API tests on the lowest versions pyproject.toml allows, in a virtualenv of their own (CI runs it).
test-lowest: install
	.ci/lowest

# The same suite on a throwaway PostgreSQL cluster on loopback.
test-postgres: install
	@url=$$(.ci/postgres start /tmp/benniu-pg 54329 | tail -n 1); \
	BENNIU_TEST_DATABASE_URL=$$url $(BIN)/pytest; status=$$?; \
	.ci/postgres stop /tmp/benniu-pg; exit $$status

# Benchmarks (not part of the tests): check-in throughput against the /healthz ceiling,
# and read cost against history, on SQLite and on a throwaway PostgreSQL (fsync on).
bench: install
	$(BIN)/python -m bench.throughput --operations checkins,redemptions,fulfilments
	$(BIN)/python -m bench.history
	$(BIN)/python -m bench.home_page
	@url=$$(PG_FSYNC=on .ci/postgres start /tmp/benniu-bench-pg 54331 | tail -n 1); \
	$(BIN)/python -m bench.throughput --operations checkins,redemptions,fulfilments --database $$url && $(BIN)/python -m bench.history --database $$url; \
	status=$$?; .ci/postgres stop /tmp/benniu-bench-pg; exit $$status

# Reports against history (1,000 vs up to 1,000,000 entries, 10,000 members) and export memory (SQLite).
bench-reports: install
	$(BIN)/python -m bench.reports

# After changing text in pages: re-extract, merge into the English catalogue, translate the new
# entries in api/translations/en/LC_MESSAGES/messages.po, then run this again to compile the .mo (committed).
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k gettext --no-location -o api/translations/messages.pot .
	$(BIN)/pybabel update -i api/translations/messages.pot -d api/translations --no-fuzzy-matching --omit-header
	$(BIN)/pybabel compile --use-fuzzy -d api/translations --statistics

clean:
	rm -rf $(VENV) instance .pytest_cache
