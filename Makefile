# Support Desk: `make run` serves the app with demo data; `make test` runs every test.
# Both set up what they need first (virtualenv, Python and npm packages, the web build).

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Links in emails point at the server `make run` starts, unless SITE_URL says otherwise.
SITE_URL ?= http://$(HOST):$(PORT)
PYTEST_ARGS ?=

WEB_SOURCES := $(shell find web/src web/index.html web/vite.config.ts web/tsconfig*.json web/package.json -type f 2>/dev/null)

.PHONY: run test test-python test-web setup web lint pins worker beat clean bench-data bench

run: setup web
	@DEBUG=$${DEBUG-1} $(BIN)/python manage.py migrate --no-input -v 0
	@DEBUG=$${DEBUG-1} $(BIN)/python manage.py collectstatic --no-input -v 0
	@DEBUG=$${DEBUG-1} SITE_URL=$(SITE_URL) EMAIL_BACKEND=$${EMAIL_BACKEND-django.core.mail.backends.filebased.EmailBackend} \
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Web app:   http://$(HOST):$(PORT)/"
	@echo "  API docs:  http://$(HOST):$(PORT)/api/docs/"
	@echo "  Admin:     http://$(HOST):$(PORT)/admin/"
	@echo ""
	DEBUG=$${DEBUG-1} EMBEDDED_SCHEDULER=$${EMBEDDED_SCHEDULER-1} SITE_URL=$(SITE_URL) \
	EMAIL_BACKEND=$${EMAIL_BACKEND-django.core.mail.backends.filebased.EmailBackend} \
	$(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --ws websockets-sansio --lifespan off

test: setup web test-web test-python

test-python: setup
	$(BIN)/pytest $(PYTEST_ARGS)

test-web: web/node_modules/.installed
	npm --prefix web run --silent typecheck
	npm --prefix web test --silent

setup: $(VENV)/.installed

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements/base.txt -r requirements/dev.txt
	touch $@

web: web/dist/index.html

web/node_modules/.installed: web/package.json web/package-lock.json
	npm --prefix web ci --no-audit --no-fund --loglevel=error
	touch $@

web/dist/index.html: web/node_modules/.installed $(WEB_SOURCES)
	npm --prefix web run --silent build

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Re-pin Python dependencies after editing requirements/*.in (no index URLs are recorded).
pins: setup
	cd requirements && ../$(BIN)/uv pip compile base.in -o base.txt --python-version 3.11 --no-header -q
	cd requirements && ../$(BIN)/uv pip compile dev.in -o dev.txt --python-version 3.11 --no-header -q

# Production-style background processes (with REDIS_URL set).
worker: setup
	$(BIN)/celery -A config worker --loglevel=INFO

beat: setup
	$(BIN)/celery -A config beat --loglevel=INFO

clean:
	rm -rf $(VENV) web/node_modules web/dist staticfiles data/test

# Benchmarks (bench/README.md): DATABASE_URL must name a PostgreSQL database to fill, e.g.
# postgres://postgres@127.0.0.1:5432/desk_bench, and wrk must be installed.
BENCH_ARGS ?=
bench-data: setup
	$(BIN)/python -m bench.generate --replace

bench: setup
	$(BIN)/python -m bench.run $(BENCH_ARGS)
