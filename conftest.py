"""The test session's one shared resource: a folder of trained runs for the notebooks' kernels.

Strict nbval runs both editions of every notebook; the Korean one repeats the English one's training
call for call. While a notebook's cells run, ``LRUTILS_RUN_CACHE`` names a folder created for this
session (see :mod:`lrutils.training.run_cache`), so the edition that trains a set of runs first
stores it and the other reads it back. Unit tests run without it; the folder goes when the session ends.

With ``-n 2 --dist loadfile`` (``make test``) the two editions of a notebook are one unit of work
that one worker runs English first, so the Korean twin finds every run already trained (xdist would
otherwise start the twins, equal in size, at the same time on both cores); every other file is a unit
of its own, as ``loadfile`` makes it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

import pytest

from lrutils.training.run_cache import ENV

_SESSION_FOLDER = "LRUTILS_TEST_SESSION_RUNS"  # set once by the controlling process, inherited by workers


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput") and _SESSION_FOLDER not in os.environ:
        os.environ[_SESSION_FOLDER] = tempfile.mkdtemp(prefix="lrutils-runs-")
        config._lrutils_runs_owner = True  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    if getattr(config, "_lrutils_runs_owner", False):
        shutil.rmtree(os.environ.pop(_SESSION_FOLDER), ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A notebook's kernel starts in the set-up of its first cell: give it the folder; other tests never."""
    if str(item.path).endswith(".ipynb") and _SESSION_FOLDER in os.environ:
        os.environ[ENV] = os.environ[_SESSION_FOLDER]
    else:
        os.environ.pop(ENV, None)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadfile``, with a notebook and its Korean twin (``notebooks/ko/``) in one unit of work."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class TwinsTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return super()._split_scope(nodeid).replace("notebooks/ko/", "notebooks/", 1)

    return TwinsTogether(config, log)
