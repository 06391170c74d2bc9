"""Self-checks for notebook 04 (ReduceLROnPlateau): when does torch really cut the learning rate?

Each ``check_...`` takes the learner's answer, replays the exercise through the real torch
scheduler and returns a :class:`~lrutils.exercises.Verdict` that says why a wrong answer is wrong.
A placeholder answer (``None``) gives a polite "not yet", so a notebook runs top to bottom.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..torch_reference import torch_lr_curve
from . import Verdict

BASE_LR = 0.1
"""The optimizer's lr in both exercises."""

FIRST_CUT_METRIC: tuple[float, ...] = (1.00, 0.80, 0.70, 0.72, 0.69995, 0.71, 0.70, 0.705, 0.71, 0.70, 0.71, 0.72)
"""Validation loss after epochs 0, 1, 2, ... for :func:`check_first_cut` (note 0.69995 at epoch 4)."""

FIRST_CUT_KWARGS: dict[str, Any] = {"patience": 3, "factor": 0.1}
"""``ReduceLROnPlateau(optimizer, patience=3, factor=0.1)``; every other keyword is torch's default."""

FLAT_EPOCHS = 30
"""Epochs in :func:`check_change_epochs` (the loss never improves after epoch 0)."""

FLAT_KWARGS: dict[str, Any] = {"patience": 2, "cooldown": 3, "factor": 0.5, "min_lr": 0.02}
"""``ReduceLROnPlateau(optimizer, patience=2, cooldown=3, factor=0.5, min_lr=0.02)``."""

_PLACEHOLDER = "replace None with your answer, then run the cell again"


def _torch_lrs(metrics: Sequence[float], n_epochs: int, **kwargs: Any) -> np.ndarray:
    """The lr used in epochs 0..n_epochs-1: real torch, stepped with ``metrics[epoch]`` after each epoch."""
    return torch_lr_curve(
        "ReduceLROnPlateau", n_epochs, base_lr=BASE_LR, metrics=list(metrics)[: n_epochs - 1], **kwargs
    )


def _first_cut_truth() -> int:
    lrs = _torch_lrs(FIRST_CUT_METRIC, len(FIRST_CUT_METRIC), **FIRST_CUT_KWARGS)
    return int(np.flatnonzero(lrs < BASE_LR)[0])


def _change_epochs_truth() -> list[int]:
    lrs = _torch_lrs([1.0] * FLAT_EPOCHS, FLAT_EPOCHS, **FLAT_KWARGS)
    return [int(e) for e in np.flatnonzero(np.diff(lrs)) + 1]


def _as_int(answer: object, what: str) -> int:
    if isinstance(answer, bool) or not isinstance(answer, numbers.Integral):
        raise TypeError(f"{what} must be an int (an epoch number), got {type(answer).__name__} {answer!r}")
    return int(answer)


def check_first_cut(answer: int | None) -> Verdict:
    """Exercise: with ``patience=3`` and :data:`FIRST_CUT_METRIC`, in which epoch (0-based) does
    training first run with the reduced lr?

    The metric of epoch ``j`` is passed to ``scheduler.step`` after epoch ``j``, so a cut decided
    there shows in epoch ``j + 1`` (the index ``lrutils.lr_curve`` uses).

    >>> check_first_cut(None).correct
    False
    >>> check_first_cut(7).correct, check_first_cut(6).correct
    (True, False)
    """
    if answer is None:
        return Verdict(False, _PLACEHOLDER)
    guess = _as_int(answer, "answer")
    truth = _first_cut_truth()
    if guess == truth:
        return Verdict(
            True,
            f"torch runs epoch {truth} with lr {BASE_LR * 0.1:.2f}: the best loss is 0.70 (epoch 2); 0.69995 is not "
            "1e-4 (relative) better, so epochs 3, 4, 5, 6 are 4 = patience + 1 epochs without improvement.",
        )
    hints = {
        truth - 1: "the cut is decided after epoch 6 (the 4th bad epoch) and used from the next epoch on.",
        truth - 2: "patience=3 tolerates 3 bad epochs; it cuts on the 4th, not the 3rd.",
        truth + 1: "torch cuts after patience + 1 = 4 bad epochs, and the new lr is used in the very next epoch.",
        truth + 2: "0.69995 is not an improvement: with threshold=1e-4, threshold_mode='rel' it must be below "
        "0.70 * (1 - 1e-4) = 0.69993.",
        truth + 4: "a tie is not an improvement: 0.70 at epoch 6 equals the best, it does not reset the count.",
    }
    why = hints.get(guess, "replay it: count epochs since the best loss (0.70 at epoch 2); cut after 4 bad ones.")
    return Verdict(False, f"{guess} is not it; {why}")


def check_change_epochs(answer: Sequence[int] | None) -> Verdict:
    """Exercise: the loss never improves after epoch 0. With :data:`FLAT_KWARGS` and lr 0.1, list
    the epochs (0-based, over :data:`FLAT_EPOCHS` epochs) whose lr differs from the epoch before.

    >>> check_change_epochs([4, 10, 16]).correct
    True
    """
    if answer is None:
        return Verdict(False, _PLACEHOLDER)
    if isinstance(answer, (str, bytes)) or not isinstance(answer, Sequence):
        raise TypeError(f"answer must be a list of epoch numbers (ints), got {type(answer).__name__} {answer!r}")
    guess = [_as_int(a, "each epoch in answer") for a in answer]
    truth = _change_epochs_truth()
    if guess == truth:
        return Verdict(
            True,
            "cuts at epochs 4, 10, 16 (lr 0.05, 0.025, 0.02): 3 bad epochs, 3 ignored in cooldown, 3 bad again...; "
            "at 0.02 = min_lr the next 'cut' changes nothing.",
        )
    if guess[: len(truth)] == truth and len(guess) > len(truth):
        why = "at epoch 22 the lr is already min_lr = 0.02; max(0.02 * 0.5, 0.02) = 0.02 changes nothing."
    elif guess[:2] == [4, 7] or guess[:2] == [3, 6]:
        why = "after each cut, cooldown=3 ignores 3 epochs before bad epochs count again (period 3 + 3 = 6)."
    elif guess[:1] == [3]:
        why = (
            "the metric of epoch 0 is the first best; epochs 1, 2, 3 are patience + 1 = 3 bad ones, "
            "so the cut shows in epoch 4."
        )
    elif guess[:1] == [4] and len(guess) > 1 and guess[1] - guess[0] != 6:
        why = "the first cut is right; the next needs cooldown (3) + patience + 1 (3) = 6 more epochs."
    else:
        why = "replay it step by step: 3 bad epochs cut, cooldown ignores 3, and min_lr=0.02 stops the cuts."
    return Verdict(False, f"{guess} is not it; {why}")


__all__ = [
    "BASE_LR",
    "FIRST_CUT_KWARGS",
    "FIRST_CUT_METRIC",
    "FLAT_EPOCHS",
    "FLAT_KWARGS",
    "check_change_epochs",
    "check_first_cut",
]
