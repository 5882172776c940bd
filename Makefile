# kechuang — two commands: `make run` (the platform with the Luzhai demo) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.PHONY: run test test-pg lint ci setup venv deps-test clean

venv: $(BIN)/kechuang

$(BIN)/kechuang: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv \
		|| $(PYTHON) -m pip install --quiet --disable-pip-version-check --user --break-system-packages uv
	$(UV) sync --frozen
	@touch $@

setup: venv
	$(BIN)/kechuang migrate --noinput
	$(BIN)/kechuang setup
	$(BIN)/kechuang collectstatic --noinput -v0

run: setup
	@echo "科创平台：http://$(HOST):$(PORT)/  （Ctrl+C 停止）"
	@# The task worker runs large web imports in the background; it stops with the web server.
	$(BIN)/kechuang db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn kechuang.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - --graceful-timeout 5

# What the browser tests need from Debian: chromium and a CJK font (these machines run as root).
deps-test:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	fi

test: venv deps-test
	$(BIN)/pytest -p no:cacheprovider

test-pg: venv
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kechuang} $(BIN)/pytest -p no:cacheprovider -m "not browser"

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var/static .pytest_cache
