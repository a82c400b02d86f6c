# Maillage — the two commands: `make run` and `make test`. `make ci` is what CI runs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/maillage
REDIS_TEST_URL ?= redis://127.0.0.1:6379/5
PYTEST := $(BIN)/python -m pytest -rs -q

.PHONY: install run test lint typecheck test-unit test-browser ci test-postgres test-postgres-unit test-postgres-browser test-unit-both test-faults messages check-deploy clean bench bench-smoke bench-directory

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Compiled catalogues are committed; recompile when GNU gettext is present.
messages: install
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore='.venv/*' -v0; fi

run: install messages
	$(BIN)/python manage.py serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

test-unit: install messages
	$(PYTEST) -m "not browser and not faults"

test-browser: install messages
	@if [ -x /usr/bin/chromium ] || [ "$$MAILLAGE_REQUIRE_ALL" = 1 ]; then \
		$(PYTEST) -m browser; \
	else \
		echo "NOT RUN: browser tests (no /usr/bin/chromium; apt-get install chromium)"; \
	fi

test: lint typecheck test-unit test-browser
	@echo "make test: lint, types, unit tests (SQLite) and browser tests done."

# The suite again on PostgreSQL + Redis, nothing skipped, then the browser tests on them too.
test-postgres: test-postgres-unit test-postgres-browser

# The figures on the annotated corpora (de-identification, linter) touch no database: they run
# once, in the SQLite suite.
DB_AGNOSTIC := maillage/deid/tests/heldout/test_heldout.py maillage/deid/tests/test_corpus.py \
	maillage/directory/tests/test_linter_heldout.py maillage/directory/tests/test_linter_corpus.py

test-postgres-unit: install messages
	MAILLAGE_REQUIRE_ALL=1 DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(PYTEST) -m "not browser and not faults" $(addprefix --ignore=,$(DB_AGNOSTIC))

test-postgres-browser: install messages
	MAILLAGE_REQUIRE_ALL=1 DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(PYTEST) -m browser

# The unit suites on SQLite and on PostgreSQL + Redis side by side (two processes for two
# cores; each has its own test database, and the SQLite one never touches Redis).
test-unit-both: install messages
	$(MAKE) --no-print-directory -j2 --output-sync=target test-unit test-postgres-unit

check-deploy: install
	@SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=maillage.example.fr \
		SITE_URL=https://maillage.example.fr HDS_HOSTING_DECLARATION="HDS host, certificate n° (example)" \
		DJANGO_SETTINGS_MODULE=config.settings.base \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# Fault tests (issue 11): private PostgreSQL and Redis servers stopped, restarted and killed
# under the production topology, and a task worker killed mid-task (docs/security.md).
test-faults: install messages
	$(PYTEST) -m faults maillage/operations/tests/faults

# CI runs `make test` with its browser tests on PostgreSQL + Redis rather than SQLite: the same
# 30-odd Chromium tests twice cost 4 minutes of the 20-minute budget, and the unit suite already
# runs on both databases. `make test` on a workstation still runs them on SQLite.
ci: lint typecheck test-unit-both test-postgres-browser test-faults check-deploy bench-smoke
	@echo "make ci: everything ran (SQLite, PostgreSQL + Redis, Chromium, the fault tests, the benchmark smoke run)."

# Performance (issue 10): the production topology on this machine against the maillage_bench
# database (dropped and rebuilt) and Redis index 7: the pages with wrk, then the websockets on one
# uvicorn process (bench/ws.py); figures printed and written to bench/results/.
bench: install
	$(BIN)/python -m bench.generate --scale large
	$(BIN)/python -m bench.run --scale large --seconds 10
	$(BIN)/python -m bench.directory_scale

# The directory (issue 8) at 100, 10,000 and 100,000 published profiles, one request at a time,
# against its own maillage_h3_bench database (dropped and rebuilt) and Redis index 13.
bench-directory: install
	$(BIN)/python -m bench.directory_scale

# The same at 10,000 patients, a few seconds a page: asserts only that nothing failed.
bench-smoke: install
	$(BIN)/python -m bench.generate --scale small
	$(BIN)/python -m bench.run --scale small --seconds 3

clean:
	rm -rf $(VENV) staticfiles .mypy_cache .ruff_cache
