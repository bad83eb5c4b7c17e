# The project's commands. `make run` and `make test` work from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app campaign
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in development mail point at the development server.
DEV := CAMPAIGN_DEVELOPMENT=1 CAMPAIGN_BASE_URL=http://$(HOST):$(PORT)
# Root installs system packages directly; anyone else through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run serve test bench bench-faults messages install dev-install venv system-packages test-packages migrate demo worker lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# A fresh virtual environment comes with the pip and setuptools of the Python that made it,
# often older than the fixes we rely on: bring them up to date before installing anything
# (also in a .venv made before this rule existed).
$(VENV)/.tools-current: | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade "pip>=23.3" "setuptools>=70"
	touch $@

venv: $(VENV)/.tools-current

$(VENV)/.installed: pyproject.toml | $(VENV)/.tools-current system-packages
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(VENV)/.tools-current test-packages
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

dev-install: $(VENV)/.dev-installed

# Debian's packages: Pango and HarfBuzz for WeasyPrint's PDFs and DejaVu fonts (Latin,
# Cyrillic, Armenian) to run; Chromium for the browser tests (never a downloaded browser).
RUNTIME_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core
TEST_PACKAGES := $(RUNTIME_PACKAGES) chromium
define apt_install
	@if ! dpkg -s $(1) >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(1); \
	fi
endef

system-packages:
	$(call apt_install,$(RUNTIME_PACKAGES))

test-packages:
	$(call apt_install,$(TEST_PACKAGES))

migrate: install
	$(DEV) $(FLASK) db upgrade

demo: migrate
	$(DEV) $(FLASK) demo load --if-empty $(if $(DEMO_PASSWORD),--password '$(DEMO_PASSWORD)')

# The development server and a mail worker writing .eml files to instance/outbox/.
run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ ; mail goes to instance/outbox/*.eml"
	@trap 'kill 0' EXIT INT TERM; \
	$(DEV) $(FLASK) mail worker & \
	$(DEV) $(FLASK) run --host $(HOST) --port $(PORT)

# Production serving: gunicorn, workers from the processor count, loopback unless CAMPAIGN_BIND
# is set. Needs CAMPAIGN_SECRET_KEY, CAMPAIGN_BASE_URL and, with several workers, rate limits
# they share: CAMPAIGN_RATELIMIT_STORAGE_URI=redis://... (or CAMPAIGN_DEVELOPMENT=1 to try it
# locally).
serve: install
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

worker: install
	$(DEV) $(FLASK) mail worker

test: dev-install test-packages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: dev-install
	$(BIN)/python -m bench.count_read
	$(BIN)/python -m bench.export_signatures
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.big_requests

# Faults under load: SIGKILL of a web worker, and a restart of the local PostgreSQL server.
bench-faults: dev-install
	$(BIN)/python -m bench.faults all

# The catalogue of every user-facing string, for translators.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o campaign/translations/messages.pot .

lint: dev-install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
