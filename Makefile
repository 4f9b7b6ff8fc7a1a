# Two entry points: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# `make demo`: the package (editable) with RE2 and its runtime dependencies, nothing else.
RUNTIME := $(VENV)/.runtime-installed
# Everything else: the development tools (ruff, mypy, Sphinx, nox), the test suite's
# requirements and the plugin distributions, added to the same environment.
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest sessions upstream docs bench clean

$(RUNTIME): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check 'pip>=21.3'
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[re2]'
	touch $(RUNTIME)

$(STAMP): $(RUNTIME) $(wildcard plugins/*/pyproject.toml)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[re2,test,dev]'
	$(PY) -m pip install --quiet $(foreach plugin,$(wildcard plugins/*/pyproject.toml),-e $(dir $(plugin)))
	$(PY) -m pip install --quiet -e "plugins/flask-cors-origin-registry[test]"
	touch $(STAMP)

demo: $(RUNTIME)
	$(PY) examples/demo.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(STAMP)
	$(PY) -m mypy --strict src

pytest: $(STAMP)
	$(PY) -c "import flask_cors, sys; p = flask_cors.__file__; sys.exit(0 if '/src/flask_cors/' in p else 'flask_cors imported from ' + p)"
	$(PY) -m pytest --cov --cov-report=term

# The whole suite on the lowest allowed versions, the newest releases and Flask's
# development branch, one nox session each (noxfile.py; they replace `pytest` here).
sessions: $(STAMP)
	$(PY) -m nox

test: lint typecheck docs sessions

# Flask-Cors 6.0.5's own tests against this package (also part of every suite run, in
# tests/compat/test_upstream_suite.py); -v prints pytest's output.
upstream: $(STAMP)
	$(PY) tests/compat/run_upstream.py -v

docs: $(STAMP)
	$(PY) -m sphinx -W --keep-going -b html docs docs/_build/html

bench: $(STAMP)
	$(PY) benchmarks/bench.py

clean:
	rm -rf $(VENV) .nox build .pytest_cache .mypy_cache .ruff_cache .coverage
