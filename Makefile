# Two commands do everything on a fresh machine: `make lab` and `make test`.
# Both create .venv and install the pinned environment on first use (see `setup`).

# Python 3.11 (torch 2.13.0 CPU wheel here is cp311); falls back to python3 if that is 3.11 under another name.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# One thread everywhere: outputs are bit-for-bit reproducible and a tiny MLP trains faster.
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export PYTHONHASHSEED  := 0

NBVAL_FLAGS := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout 300
# Both cores: every test file and every notebook goes to one worker as a whole (a notebook's cells
# run in order in its own fresh kernel).
XDIST := -n 2 --dist loadfile

.PHONY: help setup lab test check lint unit nbval notebooks bench versions test-cpu-paths test-browser clean

help:
	@echo "make lab           set up on first use, then open JupyterLab on notebooks/"
	@echo "make test          set up on first use, then ruff + unit tests + strict nbval (both cores)"
	@echo "make notebooks     re-execute every notebook in place (after changing lrutils)"
	@echo "make nbval NB=...  strict nbval on one notebook (default: all of them)"
	@echo "make bench         print the benchmark table"
	@echo "make test-cpu-paths strict nbval under every CPU path this machine can emulate"
	@echo "make test-browser  run every notebook in headless Chromium through JupyterLab"

setup: $(STAMP)

# torch first, alone: `torch==2.13.0` takes the local CPU wheel; resolving it together with other
# packages could pull the multi-GB CUDA build instead.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Bound to localhost, token authentication left on (open the link it prints). Jupyter refuses to
# run as root unless told; containers often are root, so allow it only there.
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root)

versions: $(STAMP)
	@$(PY) tools/versions.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check lrutils tests tools

unit: $(STAMP)
	$(PY) -m pytest tests lrutils --ignore=tests/browser -q $(XDIST) -m "not cpu_paths"

# `make nbval NB=notebooks/01_step_decay.ipynb` checks one notebook's saved outputs.
NB ?= notebooks
nbval: $(STAMP)
	$(PY) -m pytest $(NBVAL_FLAGS) $(NB) -q $(XDIST)

# Unit tests, doctests and strict nbval in one pytest run, so both cores stay busy to the end.
# The emulated-CPU probes (tests/test_cpu_paths.py, marker cpu_paths) run in test-cpu-paths.
check: $(STAMP)
	$(PY) -m pytest $(NBVAL_FLAGS) tests lrutils notebooks --ignore=tests/browser -q $(XDIST) -m "not cpu_paths"

test: versions lint check

# Every CPU path this machine can emulate: the probes (every bit and the tagged cells), then strict
# nbval of every notebook under each path. CI runs it after make test.
test-cpu-paths: $(STAMP)
	$(PY) -m pytest tests/test_cpu_paths.py -q -m cpu_paths
	$(PY) tools/nbval_cpu_paths.py

notebooks: $(STAMP)
	$(PY) tools/execute_notebooks.py notebooks/*.ipynb

bench: $(STAMP)
	$(PY) tools/bench.py

test-browser: $(STAMP)
	bash tools/install_browser.sh $(VENV)
	$(PY) -m pytest tests/browser -v -p no:cacheprovider

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
