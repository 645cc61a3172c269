# Newsroom: `make run` starts it embedded (SQLite, file cache, tasks and scheduled work
# in-process, demo content);
# `make test` runs the suite (PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
# axe-core for the browser tests' accessibility checks, from the npm registry (package.json).
AXE := node_modules/axe-core/axe.min.js
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test leak-check lint format migrate demo worker beat bench-feeds bench-api bench-scaleout bench-import bench-parse bench-formats clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements/base.txt requirements/prod.txt requirements/dev.txt
	$(BIN)/pip install --quiet -r requirements/dev.txt
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_admin --site http://$(HOST):$(PORT)
	$(BIN)/python manage.py serve $(HOST):$(PORT)

$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $(AXE); \
	else echo "npm is not installed: the accessibility tests will skip (apt-get install npm)"; fi

test: $(STAMP) $(AXE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The cross-channel leak test's long profile: LEAK_SEQUENCES operation sequences (10,000).
leak-check: $(STAMP)
	LEAK_PROFILE=long $(BIN)/python -m pytest tests/leaks -q -s -p no:randomly $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

worker: $(STAMP)
	$(BIN)/celery -A newsroom worker --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A newsroom beat --loglevel=INFO

clean:
	rm -rf $(VENV) data node_modules .pytest_cache .ruff_cache

bench-import: $(STAMP)
	$(BIN)/python -m bench.import_wire $(BENCH_ARGS)

# Parse time of one story at 10 KB, 100 KB and 1 MB, against a same-run baseline.
bench-parse: $(STAMP)
	$(BIN)/python -m bench.parse_scaling $(BENCH_ARGS)

# Stories/s in each agency format against plain text, same stories, same run.
bench-formats: $(STAMP)
	$(BIN)/python -m bench.formats $(BENCH_ARGS)

# Feed serving rate against a bare view, and publish-to-feed latency (see bench/feeds.py).
bench-feeds: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1) \
		|| echo "bench-feeds: could not install wrk; install it with: apt-get install -y wrk"
	$(BIN)/python -m bench.feeds $(BENCH_ARGS)

# Partner API depth and rate against a bare view, and push to 50 endpoints (see bench/api.py).
bench-api: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1) \
		|| echo "bench-api: could not install wrk; install it with: apt-get install -y wrk"
	$(BIN)/python -m bench.api $(BENCH_ARGS)

# Two web instances and two workers on one PostgreSQL and one Redis: a publish reaches
# both instances' feeds and every endpoint once (see bench/scaleout.py).
bench-scaleout: $(STAMP)
	$(BIN)/python -m bench.scaleout $(BENCH_ARGS)
