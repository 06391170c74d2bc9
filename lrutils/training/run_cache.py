"""A folder of trained runs shared by the notebooks' kernels during one test session, and nothing else.

The Korean edition runs the very same code on the very same numbers as the English one. So that
strict nbval can check both editions without training everything twice, the test session
(``conftest.py`` at the repository's root) points :data:`ENV` at a fresh temporary folder for the
notebook kernels it starts: the first kernel that trains a set of runs stores the results there,
and a later kernel asking for exactly the same runs reads them back. The folder is deleted when the
session ends, so every ``make test`` trains everything at least once and compares it with both
editions' saved outputs. Unit tests never see the folder, and a learner never has it: without
:data:`ENV` nothing is read or written.

Only runs whose every setting is plain data (numbers, strings, lists, dicts) are stored: a run
with a function in its settings (``LambdaLR``'s ``lr_lambda``) is always trained, because two
notebooks may define different functions under one name.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ENV = "LRUTILS_RUN_CACHE"
"""Environment variable naming the session's folder; unset (the default) turns the cache off."""

_PLAIN = (type(None), bool, int, float, str, np.integer, np.floating)


def plain(value: Any) -> bool:
    """True if ``value`` is data that pickles the same for equal values: no functions, no objects.

    >>> plain({"milestones": [30, 80], "gamma": 0.1}), plain({"lr_lambda": len})
    (True, False)
    """
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, (list, tuple)):
        return all(plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    return False


def cache_key(runs: Sequence[Any], *settings: Any) -> str | None:
    """A digest of every run (name, keywords, lr, seed, optimizer, fixed lrs) and ``settings``; None if not plain.

    >>> from lrutils.training.engine import RunSpec
    >>> runs = [RunSpec("StepLR", {"step_size": 10})]
    >>> key = cache_key(runs, 30, 32, 40)
    >>> key == cache_key(list(runs), 30, 32, 40), key == cache_key(runs, 29, 32, 40)
    (True, False)
    >>> cache_key([RunSpec("LambdaLR", {"lr_lambda": lambda t: 1.0})], 30, 32, 40) is None
    True
    """
    described = [
        (
            run.name,
            run.kwargs,
            float(run.lr),
            int(run.seed),
            run.optimizer,
            None if run.step_lrs is None else [float(x) for x in run.step_lrs],
        )
        for run in runs
    ]
    if not plain([described, list(settings)]):
        return None
    return hashlib.sha256(pickle.dumps((described, settings), protocol=5)).hexdigest()


def folder() -> Path | None:
    """The session's folder, or None when the cache is off."""
    value = os.environ.get(ENV)
    return Path(value) if value else None


def load(key: str | None) -> Any | None:
    """What was stored under ``key`` in this session, or None."""
    where = folder()
    if where is None or key is None:
        return None
    try:
        return pickle.loads((where / key).read_bytes())
    except FileNotFoundError:
        return None


def store(key: str | None, value: Any) -> None:
    """Store ``value`` under ``key`` (atomically: a kernel on the other core may read it at any time)."""
    where = folder()
    if where is None or key is None:
        return
    fd, temporary = tempfile.mkstemp(dir=where)
    with os.fdopen(fd, "wb") as out:
        pickle.dump(value, out, protocol=5)
    os.replace(temporary, where / key)


__all__ = ["ENV", "cache_key", "folder", "load", "plain", "store"]
