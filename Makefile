# Every target creates .venv itself on first use (Python 3.11, packages from PyPI only).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test eval bench lint lock clean chromium

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "skillscout needs Python 3.11+ (set PYTHON=python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@# Bytecode written now, not on first import: where PYTHONDONTWRITEBYTECODE is set (CI,
	@# containers) every command would otherwise compile pandas, Prefect and spaCy from source.
	$(BIN)/python -m compileall -q flows pipeline skills scrapers bench data >/dev/null
	@rm -f $(VENV)/.installed-* && touch $@

demo: $(STAMP)        ## crawl the bundled demo board and show matches for the example profile
	$(BIN)/skillscout demo

test: $(STAMP) chromium   ## the test suite (local servers only, no internet)
	$(BIN)/python -m pytest

# The report test renders the page in Debian's headless Chromium.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

eval: $(STAMP)        ## extraction and ranking quality figures
	$(BIN)/skillscout eval

bench: $(STAMP)       ## speed and memory figures
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .

lock:                 ## re-resolve the pinned versions after changing pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra jobspy --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache data/skillscout.duckdb data/runs
