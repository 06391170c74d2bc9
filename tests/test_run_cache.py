"""The session's shared runs (lrutils.training.run_cache): kernels only; what comes back is what was trained."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lrutils.training import run_cache
from lrutils.training.engine import RunSpec, train_runs


def test_unit_tests_never_see_the_folder() -> None:
    assert run_cache.folder() is None


def test_a_stored_run_comes_back_bit_for_bit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(run_cache.ENV, str(tmp_path))
    runs = [RunSpec("StepLR", {"step_size": 1, "gamma": 0.5}, lr=0.1, seed=s) for s in (0, 1)]
    trained = train_runs(runs, 2, 8, 40)
    assert len(list(tmp_path.iterdir())) == 1
    again = train_runs(runs, 2, 8, 40)
    for a, b in zip(trained, again, strict=True):
        assert a is not b
        for field in ("lr", "train_loss", "val_loss", "val_acc", "batch_loss"):
            assert np.array_equal(getattr(a, field), getattr(b, field))
    monkeypatch.delenv(run_cache.ENV)
    fresh = train_runs(runs, 2, 8, 40)  # what the cache returned is what training gives
    assert all(np.array_equal(a.val_loss, b.val_loss) for a, b in zip(fresh, again, strict=True))


def test_other_settings_are_trained_and_functions_never_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(run_cache.ENV, str(tmp_path))
    train_runs([RunSpec(None, lr=0.1)], 1, 8, 40)
    train_runs([RunSpec(None, lr=0.2)], 1, 8, 40)
    train_runs([RunSpec("LambdaLR", {"lr_lambda": lambda t: 0.5}, lr=0.1)], 1, 8, 40)
    assert len(list(tmp_path.iterdir())) == 2


def test_without_the_folder_nothing_is_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(run_cache.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    train_runs([RunSpec(None, lr=0.1)], 1, 8, 40)
    assert list(tmp_path.iterdir()) == []
