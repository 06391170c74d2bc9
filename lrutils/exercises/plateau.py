"""Self-checks for notebook 04 (ReduceLROnPlateau): when does torch really cut the learning rate?

Each ``check_...`` takes the learner's answer, replays the exercise through the real torch
scheduler and returns a :class:`~lrutils.exercises.Verdict` that says why a wrong answer is wrong.
A placeholder answer (``None``) gives a polite "not yet", so a notebook runs top to bottom.

:func:`check_first_cut` (patience and threshold by hand), :func:`check_change_epochs` (cooldown and
min_lr by hand) and :func:`check_knobs_loop` (the learner's raw-torch loop steps the scheduler with a
given validation loss, with threshold, cooldown and min_lr; it runs
:func:`~lrutils.exercises.loop_check.check_loop` and then names the usual plateau mistakes).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..curves.torch_reference import torch_lr_curve
from ..text.i18n import tr
from . import Verdict
from .answers import answer_check, no_answer_yet, shown, whole, wholes
from .loop_check import check_loop, epoch_mistakes, per_epoch_lrs

BASE_LR = 0.1
"""The optimizer's lr in every exercise."""

FIRST_CUT_METRIC: tuple[float, ...] = (1.00, 0.80, 0.70, 0.72, 0.69995, 0.71, 0.70, 0.705, 0.71, 0.70, 0.71, 0.72)
"""Validation loss after epochs 0, 1, 2, ... for :func:`check_first_cut` (note 0.69995 at epoch 4)."""

FIRST_CUT_KWARGS: dict[str, Any] = {"patience": 3, "factor": 0.1}
"""``ReduceLROnPlateau(optimizer, patience=3, factor=0.1)``; every other keyword is torch's default."""

FLAT_EPOCHS = 30
"""Epochs in :func:`check_change_epochs` (the loss never improves after epoch 0)."""

FLAT_KWARGS: dict[str, Any] = {"patience": 2, "cooldown": 3, "factor": 0.5, "min_lr": 0.02}
"""``ReduceLROnPlateau(optimizer, patience=2, cooldown=3, factor=0.5, min_lr=0.02)``."""

STEPS_PER_EPOCH = 3
"""Optimizer steps (batches) per epoch in the loop exercise."""

KNOBS_METRIC: tuple[float, ...] = (
    0.99, 0.876, 0.803, 0.717, 0.636, 0.608, 0.567, 0.547, 0.512, 0.51, 0.497, 0.497,
    0.48, 0.475, 0.456, 0.479, 0.447, 0.465, 0.454, 0.449, 0.449, 0.448, 0.455, 0.451,
)  # fmt: skip
"""The loop exercise: a slightly noisy validation loss after epochs 0, 1, ..., 23."""

KNOBS_KWARGS: dict[str, Any] = {"factor": 0.5, "patience": 2, "threshold": 0.02, "cooldown": 2, "min_lr": 0.03}
"""``ReduceLROnPlateau(optimizer, factor=0.5, patience=2, threshold=0.02, cooldown=2, min_lr=0.03)``."""


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


@answer_check
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
        return no_answer_yet()
    guess = whole(answer, asked=tr("a whole number (an epoch, counted from 0)"), unit=tr("epochs"))
    truth = _first_cut_truth()
    if guess == truth:
        return Verdict(
            True,
            tr(
                "torch runs epoch {epoch} with lr {lr}: the best loss is 0.70 (epoch 2); 0.69995 is not 1e-4 "
                "(relative) better, so epochs 3, 4, 5, 6 are 4 = patience + 1 epochs without improvement.",
                epoch=truth,
                lr=f"{BASE_LR * 0.1:.2f}",
            ),
        )
    hints = {
        truth - 1: tr("the cut is decided after epoch 6 (the 4th bad epoch) and used from the next epoch on."),
        truth - 2: tr("patience=3 tolerates 3 bad epochs; it cuts on the 4th, not the 3rd."),
        truth + 1: tr("torch cuts after patience + 1 = 4 bad epochs, and the new lr is used in the very next epoch."),
        truth + 2: tr(
            "0.69995 is not an improvement: with threshold=1e-4, threshold_mode='rel' it must be below "
            "0.70 * (1 - 1e-4) = 0.69993."
        ),
        truth + 4: tr("a tie is not an improvement: 0.70 at epoch 6 equals the best, it does not reset the count."),
    }
    why = hints.get(guess) or tr("replay it: count epochs since the best loss (0.70 at epoch 2); cut after 4 bad ones.")
    return Verdict(False, tr("{guess} is not it; {why}", guess=shown(guess), why=why))


@answer_check
def check_change_epochs(answer: Sequence[int] | None) -> Verdict:
    """Exercise: the loss never improves after epoch 0. With :data:`FLAT_KWARGS` and lr 0.1, list
    the epochs (0-based, over :data:`FLAT_EPOCHS` epochs) whose lr differs from the epoch before.

    >>> check_change_epochs([4, 10, 16]).correct
    True
    """
    if answer is None:
        return no_answer_yet()
    guess = wholes(answer, asked=tr("a list of whole numbers (epochs, counted from 0)"), unit=tr("epochs"))
    truth = _change_epochs_truth()
    if guess == truth:
        return Verdict(
            True,
            tr(
                "cuts at epochs 4, 10, 16 (lr 0.05, 0.025, 0.02): 3 bad epochs, 3 ignored in cooldown, 3 bad "
                "again...; at 0.02 = min_lr the next 'cut' changes nothing."
            ),
        )
    if guess[: len(truth)] == truth and len(guess) > len(truth):
        why = tr("at epoch 22 the lr is already min_lr = 0.02; max(0.02 * 0.5, 0.02) = 0.02 changes nothing.")
    elif guess[:2] == [4, 7] or guess[:2] == [3, 6]:
        why = tr("after each cut, cooldown=3 ignores 3 epochs before bad epochs count again (period 3 + 3 = 6).")
    elif guess[:1] == [3]:
        why = tr(
            "the metric of epoch 0 is the first best; epochs 1, 2, 3 are patience + 1 = 3 bad ones, "
            "so the cut shows in epoch 4."
        )
    elif guess[:1] == [4] and len(guess) > 1 and guess[1] - guess[0] != 6:
        why = tr("the first cut is right; the next needs cooldown (3) + patience + 1 (3) = 6 more epochs.")
    else:
        why = tr("replay it step by step: 3 bad epochs cut, cooldown ignores 3, and min_lr=0.02 stops the cuts.")
    return Verdict(False, tr("{guess} is not it; {why}", guess=shown(guess), why=why))


def _call(kwargs: dict[str, Any]) -> str:
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    return f"ReduceLROnPlateau(optimizer, {args})"


def loop_intended(metric: Sequence[float], kwargs: dict[str, Any]) -> np.ndarray:
    """The lr each optimizer step should use: ``len(metric)`` epochs of :data:`STEPS_PER_EPOCH` batches,
    the scheduler stepped with ``metric[epoch]`` after each epoch.

    >>> loop_intended(KNOBS_METRIC, KNOBS_KWARGS)[::STEPS_PER_EPOCH].tolist()[17:19]
    [0.1, 0.05]
    """
    epochs = len(metric)
    return per_epoch_lrs(
        "ReduceLROnPlateau", epochs, STEPS_PER_EPOCH, base_lr=BASE_LR, metrics=list(metric)[: epochs - 1], **kwargs
    )


def _timing_mistakes(metric: Sequence[float], kwargs: dict[str, Any]) -> dict[str, np.ndarray]:
    """lrs of the usual timing mistakes, each with what to change."""
    epochs, steps = len(metric), STEPS_PER_EPOCH
    late = np.concatenate([np.full(steps, BASE_LR), loop_intended(metric, kwargs)[: (epochs - 1) * steps]])
    mistakes = epoch_mistakes("ReduceLROnPlateau", epochs, steps, base_lr=BASE_LR, metrics=metric, **kwargs)
    mistakes[
        tr(
            "every cut comes one epoch late: the scheduler sees the previous epoch's loss. After epoch e, pass the "
            "loss measured after epoch e."
        )
    ] = late
    return mistakes


def _check_plateau_style(
    loop: Any, metric: Sequence[float], kwargs: dict[str, Any], variants: dict[str, dict]
) -> Verdict:
    intended = loop_intended(metric, kwargs)
    what = tr("{call} stepped with the loss after each epoch", call=_call(kwargs))
    mistakes = _timing_mistakes(metric, kwargs)
    mistakes.update({hint: loop_intended(metric, wrong) for hint, wrong in variants.items()})
    hints = {
        "missing 1 required positional argument: 'metrics'": tr(
            "Pass the epoch's validation loss: scheduler.step(val_loss)."
        )
    }
    return check_loop(loop, intended, what, mistakes=mistakes, error_hints=hints)


def _without(*keys: str) -> dict[str, Any]:
    return {k: v for k, v in KNOBS_KWARGS.items() if k not in keys}


def knob_mistakes() -> dict[str, dict[str, Any]]:
    """What :func:`check_knobs_loop` says when a knob was left at torch's default (or set the wrong way),
    and the keywords such a loop passed.

    >>> len(knob_mistakes())
    5
    """
    return {
        tr(
            "your lrs are what the default threshold=1e-4 gives: pass threshold=0.02, so that only a 2 % gain "
            "counts as an improvement."
        ): _without("threshold"),
        tr(
            "your lrs are what cooldown=0 gives: pass cooldown=2, so that the 2 epochs after a cut are not counted "
            "as bad."
        ): _without("cooldown"),
        tr("your lrs are what min_lr=0 gives: pass min_lr=0.03, the floor that stops the last cut."): _without(
            "min_lr"
        ),
        tr(
            "your lrs are what threshold_mode='abs' gives: the default 'rel' asks for 2 % of the best loss (about "
            "0.009 here), 'abs' for a gain of 0.02."
        ): {**KNOBS_KWARGS, "threshold_mode": "abs"},
        tr("your lrs are torch's defaults for threshold, cooldown and min_lr: pass all three."): _without(
            "threshold", "cooldown", "min_lr"
        ),
    }


def check_knobs_loop(loop: Any) -> Verdict:
    """Exercise: write ``loop(optimizer)`` that builds ``ReduceLROnPlateau(optimizer, **KNOBS_KWARGS)``,
    runs ``len(KNOBS_METRIC)`` = 24 epochs of :data:`STEPS_PER_EPOCH` ``optimizer.step()`` calls, and
    after each epoch passes that epoch's loss from :data:`KNOBS_METRIC` to ``scheduler.step``. A loop
    that steps at the wrong time, or leaves a knob at its default, is told which.

    >>> import torch
    >>> def loop(optimizer):
    ...     scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=2)
    ...     for loss in KNOBS_METRIC:
    ...         for _ in range(STEPS_PER_EPOCH):
    ...             optimizer.step()
    ...         scheduler.step(loss)
    >>> "defaults for threshold, cooldown and min_lr" in check_knobs_loop(loop).message
    True
    """
    return _check_plateau_style(loop, KNOBS_METRIC, KNOBS_KWARGS, knob_mistakes())


__all__ = [
    "BASE_LR",
    "FIRST_CUT_KWARGS",
    "FIRST_CUT_METRIC",
    "FLAT_EPOCHS",
    "FLAT_KWARGS",
    "KNOBS_KWARGS",
    "KNOBS_METRIC",
    "STEPS_PER_EPOCH",
    "check_change_epochs",
    "check_first_cut",
    "check_knobs_loop",
    "knob_mistakes",
    "loop_intended",
]
