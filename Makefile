# Two commands on a fresh machine with Python 3.11 and pip:
#   make demo   set everything up, then run the main job (python -m nn)
#   make test   set everything up, then run the whole test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[all]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m nn

# system programs the tests drive (Graphviz `dot`, Debian's chromium): the script installs them when
# missing where it can (apt-get as root or with password-less sudo); there the tests require them
# instead of skipping
REQUIRE_SYSTEM_DEPS := $(shell command -v apt-get >/dev/null 2>&1 && { [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; } && echo 1 || echo 0)

test: $(STAMP)
	bash scripts/ensure-system-deps.sh || echo "ensure-system-deps failed: the graph/browser tests will say what is missing"
	AUTOGRAD_CORE_REQUIRE_SYSTEM_DEPS=$(REQUIRE_SYSTEM_DEPS) $(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
