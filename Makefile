# Two commands do everything on a fresh machine: `make lab` and `make test`.
# Both create .venv and install the locked environment (requirements/lock.txt) on first use (see `setup`).

# Python 3.11 (torch 2.13.0 CPU wheel here is cp311); falls back to python3 if that is 3.11 under another name.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LOCK   := requirements/lock.txt
# One thread everywhere: outputs are bit-for-bit reproducible and a tiny MLP trains faster.
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export PYTHONHASHSEED  := 0

NBVAL_FLAGS := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout 300
# Both cores: every test file and every notebook goes to one worker as a whole (a notebook's cells
# run in order in its own fresh kernel).
XDIST := -n 2 --dist loadfile

.PHONY: help setup lab lab-ko ko test check lint unit nbval notebooks bench versions lock test-cpu-paths test-browser \
	test-torch-next test-pythons test-floor clean

help:
	@echo "make lab           set up on first use, then open JupyterLab on notebooks/"
	@echo "make lab-ko        the same in Korean: JupyterLab's Korean interface on the Korean edition (notebooks/ko/)"
	@echo "make test          set up on first use, then ruff + unit tests + strict nbval (both cores)"
	@echo "make notebooks     re-execute every notebook in place (after changing lrutils)"
	@echo "make ko            Korean edition: copy changed code from English, list cells to translate, re-execute,"
	@echo "                   then list figure labels still in English"
	@echo "make nbval NB=...  strict nbval on one notebook (default: all of them)"
	@echo "make bench         print the benchmark table"
	@echo "make test-cpu-paths strict nbval under every CPU path this machine can emulate"
	@echo "make test-browser  run every notebook in headless Chromium through JupyterLab"
	@echo "make lock          rewrite $(LOCK) from what .venv holds"
	@echo "make test-torch-next  unit tests + strict nbval with torch $(TORCH_NEXT) in .venv-torch-next (slow, GBs)"
	@echo "make test-pythons  unit tests on Python $(PYTHON_VERSIONS), newest packages (NBVAL=1: + nbval; GBs)"
	@echo "make test-floor    unit tests with the lowest versions pyproject.toml allows (NBVAL=1: + nbval)"

setup: $(STAMP)

# torch first, alone, its CPU build: from PyTorch's CPU index (or, here, a local wheel); PyPI's Linux
# build of the same version is the multi-GB CUDA one. Where that index cannot be reached pip says so
# (a few retry warnings, about 10 s) and goes on; `make setup TORCH_INDEX=` skips it. torch's own
# dependencies come with the lock. Then the lock (every package, exact) and the package itself,
# editable; pip checks that pyproject's ranges admit the lock.
TORCH_INDEX ?= --extra-index-url https://download.pytorch.org/whl/cpu
$(STAMP): pyproject.toml $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-deps torch==2.13.0 $(TORCH_INDEX)
	$(PY) -m pip install --quiet -r $(LOCK) -e ".[dev]"
	# The distribution was named lrutils before (as is an unrelated PyPI project with an `lrutils`
	# package): drop that name from an older .venv, so only lr-scheduler-notebooks provides lrutils.
	$(PY) -m pip uninstall --quiet --yes lrutils
	touch $(STAMP)

# Bound to localhost, token authentication left on (open the link it prints). Jupyter refuses to
# run as root unless told; containers often are root, so allow it only there.
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root)

# The Korean edition with JupyterLab's own Korean interface (jupyterlab-language-pack-ko-kr): the same
# server on notebooks/, opening notebooks/ko/, with a settings directory of its own that sets the locale.
KO_SETTINGS := $(VENV)/lab-ko-settings
lab-ko: $(STAMP)
	mkdir -p $(KO_SETTINGS)/@jupyterlab/translation-extension
	echo '{"locale": "ko_KR"}' > $(KO_SETTINGS)/@jupyterlab/translation-extension/plugin.jupyterlab-settings
	JUPYTERLAB_SETTINGS_DIR=$(CURDIR)/$(KO_SETTINGS) $(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 \
		--ServerApp.root_dir=notebooks --LabApp.default_url=/lab/tree/ko/00_what_is_a_scheduler.ipynb \
		$(if $(filter 0,$(shell id -u)),--allow-root)

versions: $(STAMP)
	@$(PY) tools/versions.py

# After changing what .venv holds on purpose; commit the result.
lock: $(STAMP)
	$(PY) tools/lock.py

lint: $(STAMP)
	$(VENV)/bin/ruff check --no-cache .
	$(VENV)/bin/ruff format --no-cache --check lrutils tests tools conftest.py

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

# The Korean edition: copy changed code cells from English (the set-up line says lang="ko"), list the
# Korean cells whose English changed (translate them, then `tools/korean_edition.py revisit`), and
# re-execute every Korean notebook, then list figure labels still in English (add them to
# lrutils/text/ko_labels.toml). tests/test_korean_edition.py checks that both editions are in step.
ko: $(STAMP)
	$(PY) tools/korean_edition.py sync
	$(PY) tools/korean_edition.py execute
	$(PY) tools/korean_figure_texts.py

bench: $(STAMP)
	$(PY) tools/bench.py

test-browser: $(STAMP)
	bash tools/install_browser.sh $(VENV)
	$(PY) -m pytest tests/browser -v -p no:cacheprovider

# --- Beyond the lock: other torch, other Pythons, the lowest versions pyproject allows -----------------
# Each in its own venv, outside `make test` and CI (they download GBs and take minutes); the results
# are recorded in CONTRIBUTING.md. setup() tells a kernel with another torch so once (a warning on
# stderr); strict nbval compares stderr too, so these runs silence exactly that notice (kernels read
# PYTHONWARNINGS, pytest -W) and tests/test_notebook_setup.py checks the notice itself. The test that
# the installed packages are the lock's (marker locked_env) does not apply here.
OTHER_TORCH_NOTICE := These notebooks were checked with torch
OFF_LOCK_PYTEST := -W "ignore:$(OTHER_TORCH_NOTICE)" -m "not cpu_paths and not locked_env"
export_notice := PYTHONWARNINGS="ignore:$(OTHER_TORCH_NOTICE)"

# torch 2.14.1 resolves here from local files (the CUDA build; it runs on CPU). Everything else is
# the lock's, so any difference comes from torch alone.
TORCH_NEXT ?= 2.14.1
NEXT_VENV  := .venv-torch-next
$(NEXT_VENV)/.installed: pyproject.toml $(LOCK)
	test -x $(NEXT_VENV)/bin/python || $(PYTHON) -m venv $(NEXT_VENV)
	$(NEXT_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(NEXT_VENV)/bin/python -m pip install --quiet torch==$(TORCH_NEXT)
	grep -v '^torch==' $(LOCK) > $(NEXT_VENV)/lock-without-torch.txt
	$(NEXT_VENV)/bin/python -m pip install --quiet -r $(NEXT_VENV)/lock-without-torch.txt -e ".[dev]"
	touch $@

test-torch-next: $(NEXT_VENV)/.installed
	$(NEXT_VENV)/bin/python tools/versions.py
	$(export_notice) $(NEXT_VENV)/bin/python -m pytest $(NBVAL_FLAGS) tests lrutils notebooks --ignore=tests/browser \
		-q $(XDIST) $(OFF_LOCK_PYTEST)

# Python 3.12 and 3.13 (Colab runs 3.12): the package with the newest releases pip finds for each
# (torch pinned to TORCH_NEXT: never an unpinned torch). Unit tests; `make test-pythons NBVAL=1`
# adds strict nbval. A python is found on the PATH or under ~/.pyenv/versions.
PYTHON_VERSIONS ?= 3.12 3.13
find_python = $(shell for p in $$(command -v python$(1)) $$(ls -d $$HOME/.pyenv/versions/$(1).*/bin/python$(1) 2>/dev/null); \
	do "$$p" -c "" 2>/dev/null && echo "$$p" && break; done)
.venv-py%/.installed: pyproject.toml
	@test -n "$(call find_python,$*)" || { echo "no working python$* found"; exit 1; }
	test -x $(@D)/bin/python || $(call find_python,$*) -m venv $(@D)
	$(@D)/bin/python -m pip install --quiet --upgrade pip
	$(@D)/bin/python -m pip install --quiet torch==$(TORCH_NEXT)
	$(@D)/bin/python -m pip install --quiet --upgrade -e ".[dev]"
	touch $@

test-pythons: $(foreach v,$(PYTHON_VERSIONS),.venv-py$(v)/.installed)
	status=0; for v in $(PYTHON_VERSIONS); do \
		echo "== Python $$v"; .venv-py$$v/bin/python tools/versions.py; \
		$(export_notice) .venv-py$$v/bin/python -m pytest tests lrutils $(if $(NBVAL),notebooks $(NBVAL_FLAGS)) \
			--ignore=tests/browser -q $(XDIST) $(OFF_LOCK_PYTEST) || status=1; \
	done; exit $$status

# The lowest version of each runtime dependency pyproject allows (tools/floor_requirements.py), the
# rest from the lock, on this Python: proves the lower bounds. Unit tests; `make test-floor NBVAL=1`
# adds strict nbval (the saved outputs belong to the lock, so that one only reports what holds).
FLOOR_VENV := .venv-floor
$(FLOOR_VENV)/.installed: pyproject.toml $(LOCK) tools/floor_requirements.py
	test -x $(FLOOR_VENV)/bin/python || $(PYTHON) -m venv $(FLOOR_VENV)
	$(FLOOR_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(FLOOR_VENV)/bin/python tools/floor_requirements.py $(LOCK) $(FLOOR_VENV)
	$(FLOOR_VENV)/bin/python -m pip install --quiet -r $(FLOOR_VENV)/torch.txt
	$(FLOOR_VENV)/bin/python -m pip install --quiet -r $(FLOOR_VENV)/floor.txt -e ".[dev]"
	touch $@

test-floor: $(FLOOR_VENV)/.installed
	$(FLOOR_VENV)/bin/python tools/versions.py
	$(export_notice) $(FLOOR_VENV)/bin/python -m pytest tests lrutils $(if $(NBVAL),notebooks $(NBVAL_FLAGS)) \
		--ignore=tests/browser -q $(XDIST) $(OFF_LOCK_PYTEST)

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
