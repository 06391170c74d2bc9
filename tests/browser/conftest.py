"""Session fixtures for the real-browser tests: one JupyterLab server, one Chromium.

The server runs on a temporary COPY of the notebook folder (inside a mirror of
the repo, so ``..`` from a notebook still reaches the repo), with every Jupyter
state directory (config, user data, runtime, lab settings, lab workspaces,
IPython) in a temporary folder and autosave off, so the repository, the home
folder and the venv stay untouched.

Run: ``make test-browser`` (or ``bash tools/install_browser.sh .venv`` then
``.venv/bin/python -m pytest tests/browser -v -p no:cacheprovider``).

Environment:
    LRUTILS_BROWSER_NOTEBOOKS  folder whose ``*.ipynb`` files are tested
                               (default: ``<repo>/notebooks`` plus
                               ``fixtures/03_every_explorer.ipynb``); e.g.
                               ``tests/browser/fixtures`` (must pass) or
                               ``tests/browser/fixtures/broken`` (must FAIL: the
                               slider check, and the figure check of a figure
                               too tall for the screen).
    LRUTILS_BROWSER_HEADED=1   show the browser window (needs a display).

Outputs (git-ignored): ``build/screenshots/<notebook>-explorerNN-<scheduler>-*.png`` and
``build/jupyter-browser-test.log`` (the server log).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .lab_server import LabServer, free_port, stop_server, write_settings
from .page_helpers import ConsoleErrors

REPO_ROOT = Path(__file__).resolve().parents[2]
EVERY_EXPLORER = Path(__file__).resolve().parent / "fixtures" / "03_every_explorer.ipynb"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SERVER_START_TIMEOUT = 60.0


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``browser`` marker."""
    config.addinivalue_line("markers", "browser: real-browser test (JupyterLab in Chromium)")


def notebook_dir() -> Path:
    """Folder whose notebooks are tested (``LRUTILS_BROWSER_NOTEBOOKS`` or notebooks/)."""
    configured = os.environ.get("LRUTILS_BROWSER_NOTEBOOKS")
    if configured:
        path = Path(configured)
        return path if path.is_absolute() else (REPO_ROOT / path)
    return REPO_ROOT / "notebooks"


def notebook_paths() -> list[Path]:
    """The notebooks to test, sorted by name; by default also every explorer lrutils has."""
    folder = notebook_dir()
    paths = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    if not os.environ.get("LRUTILS_BROWSER_NOTEBOOKS"):
        paths += sorted((folder / "ko").glob("*.ipynb"))  # the Korean edition, run the same way
        paths.append(EVERY_EXPLORER)  # whatever the notebooks show, every explorer is checked and screenshotted
    return paths


def served_path(path: Path) -> str:
    """Where JupyterLab serves ``path``: relative to the notebook folder (``ko/00_x.ipynb``), or beside it.

    >>> served_path(notebook_dir() / "ko" / "00_x.ipynb")
    'ko/00_x.ipynb'
    """
    try:
        return path.relative_to(notebook_dir()).as_posix()
    except ValueError:
        return path.name  # the every-explorer fixture, copied beside the notebooks


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``notebook_path`` with every notebook (ids are the served paths, ``ko/...`` for Korean)."""
    if "notebook_path" in metafunc.fixturenames:
        paths = notebook_paths()
        metafunc.parametrize("notebook_path", paths, ids=[served_path(p) for p in paths])


@pytest.fixture(scope="session")
def lab_server() -> Iterator[LabServer]:
    """Start JupyterLab on a copy of the notebooks; stop it and its kernels after."""
    source = notebook_dir()
    state_dir = Path(tempfile.mkdtemp(prefix="lrutils-browser-"))
    # A mirror of the repo: the notebook folder is a real copy, every other
    # top-level entry a symlink, so paths relative to a notebook (``..``) still work.
    mirror = state_dir / "repo"
    mirror.mkdir()
    for entry in REPO_ROOT.iterdir():
        if entry.name not in {source.name, ".git"}:
            (mirror / entry.name).symlink_to(entry)
    root_dir = mirror / source.name
    if source.is_dir():
        shutil.copytree(source, root_dir, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    else:
        root_dir.mkdir()
    for path in notebook_paths():
        if not (root_dir / path.name).exists():  # the every-explorer fixture, served beside the notebooks
            shutil.copy(path, root_dir / path.name)
    jupyter_state = state_dir / "jupyter"
    env = dict(os.environ)
    for var, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        # Only the *user* data dir (notary db, secrets, user kernelspecs): lab
        # extensions such as ipywidgets' are still found in <venv>/share/jupyter.
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
        ("IPYTHONDIR", "ipython"),
    ]:
        (jupyter_state / sub).mkdir(parents=True)
        env[var] = str(jupyter_state / sub)
    env.pop("JUPYTER_TOKEN", None)
    write_settings(jupyter_state / "lab-settings")

    port = free_port()
    token = secrets.token_hex(24)
    log_path = state_dir / "jupyter.log"
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--LabApp.expose_app_in_browser=True",
        f"--ServerApp.root_dir={root_dir}",
        "--FileContentsManager.delete_to_trash=False",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # CI and dev machines here run as root
    log = log_path.open("wb")
    process = subprocess.Popen(
        cmd,
        cwd=root_dir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = LabServer(
        base_url=f"http://127.0.0.1:{port}",
        token=token,
        root_dir=root_dir,
        process=process,
        state_dir=state_dir,
        log_path=log_path,
    )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"jupyter lab exited with {process.returncode}:\n{server.log_tail()}")
            try:
                server.api("GET", "/api/status", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"jupyter lab did not answer in {SERVER_START_TIMEOUT}s:\n{server.log_tail()}")
                time.sleep(0.25)
        yield server
    finally:
        strays = stop_server(server)
        log.close()
        # Keep the server log for debugging failures (build/ is git-ignored).
        (REPO_ROOT / "build").mkdir(exist_ok=True)
        shutil.copyfile(log_path, REPO_ROOT / "build" / "jupyter-browser-test.log")
        shutil.rmtree(state_dir, ignore_errors=True)
    assert not strays, f"processes we started were still alive after shutdown (killed now): {strays}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium driven by Playwright for the whole session."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="run `bash tools/install_browser.sh .venv` (or `make test-browser`)"
    )
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash tools/install_browser.sh .venv`")
    headed = os.environ.get("LRUTILS_BROWSER_HEADED") == "1"
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=not headed, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """``build/screenshots`` in the repo (git-ignored), emptied of earlier explorer shots."""
    path = REPO_ROOT / "build" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*-explorer*-*.png"):  # from an earlier run
        stale.unlink()
    return path


@pytest.fixture(scope="session")
def browser_context(browser: Any) -> Iterator[Any]:
    """One browser context for the session (shares the HTTP cache between notebooks), 1366x768."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})  # a common laptop / projector size
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def lab_page(browser_context: Any, lab_server: LabServer) -> Iterator[tuple[Any, ConsoleErrors]]:
    """A new page per notebook; it is closed and every kernel shut down afterwards."""
    page = browser_context.new_page()
    errors = ConsoleErrors(page)
    try:
        yield page, errors
    finally:
        try:
            page.close()
        finally:
            lab_server.shutdown_all_sessions()
