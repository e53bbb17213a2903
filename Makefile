# Benniu: `make run` serves the demo on SQLite; `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-postgres bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: install
	$(BIN)/benniu init --demo
	@token=$$($(BIN)/benniu token create --role admin --name "demo admin" | tail -n 1); \
	echo; \
	echo "Benniu is starting at http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/docs)"; \
	echo "Admin token: $$token"; \
	echo "Demo volunteer login: phone 13800000001, password benniu2024"; \
	echo
	$(BIN)/benniu serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest

# The same suite on a throwaway PostgreSQL cluster on loopback.
test-postgres: install
	@url=$$(.ci/postgres start /tmp/benniu-pg 54329 | tail -n 1); \
	BENNIU_TEST_DATABASE_URL=$$url $(BIN)/pytest; status=$$?; \
	.ci/postgres stop /tmp/benniu-pg; exit $$status

clean:
	rm -rf $(VENV) instance .pytest_cache
