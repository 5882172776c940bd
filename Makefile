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

.PHONY: run test test-pg lint ci setup venv deps-font deps-test clean

venv: $(BIN)/kechuang

$(BIN)/kechuang: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv \
		|| $(PYTHON) -m pip install --quiet --disable-pip-version-check --user --break-system-packages uv
	$(UV) sync --frozen
	@touch $@

setup: venv deps-font
	$(BIN)/kechuang migrate --noinput
	$(BIN)/kechuang setup
	$(BIN)/kechuang collectstatic --noinput -v0

run: setup
	@echo "科创平台：http://$(HOST):$(PORT)/  （Ctrl+C 停止）"
	@# The task worker runs large web imports in the background; it stops with the web server.
	$(BIN)/kechuang db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn kechuang.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - --graceful-timeout 5

# A CJK font from Debian, for the charts of the Word reports and for screenshots (these machines run as root).
# Without one the platform still runs; the report command then says how to install it.
deps-font:
	@if ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fontconfig fonts-wqy-microhei >/dev/null) \
		|| echo "警告：未能安装中文字体 fonts-wqy-microhei，监测报告的图表需要中文字体（apt-get install fonts-wqy-microhei）"; \
	fi

# What the browser tests need from Debian: chromium and a CJK font.
deps-test: deps-font
	@if ! command -v chromium >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

test: venv deps-test
	$(BIN)/pytest -p no:cacheprovider

test-pg: venv deps-font
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kechuang} $(BIN)/pytest -p no:cacheprovider -m "not browser"

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var/static .pytest_cache
