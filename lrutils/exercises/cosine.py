"""Self-checks for notebook 03 (cosine annealing, ``CosineAnnealingLR``).

"The lr at step t" is the lr used after ``scheduler.step()`` has been called t times. Every check
asks the real torch scheduler.

>>> check_midpoint_lr(0.0505)
right: halfway, cos(pi/2) = 0, so the lr is eta_min + (0.1 - eta_min) / 2 = 0.0505.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ..curves.closed_form import lr_curve
from ..curves.torch_reference import torch_lr_curve
from . import Verdict
from . import number_answer as _number
from .loop_check import check_loop

BASE_LR = 0.1
T_MAX = 100
ETA_MIN = 1e-3
RTOL = 1e-2
"""Relative tolerance for learning-rate answers."""
EPOCHS = 30
STEPS_PER_EPOCH = 30


def check_midpoint_lr(answer: float | None) -> Verdict:
    """Exercise 1: the lr at t = T_max/2 = 50 of ``CosineAnnealingLR(T_max=100, eta_min=1e-3)`` from 0.1.

    >>> check_midpoint_lr(0.05)  # doctest: +ELLIPSIS
    not yet: 0.05 is halfway between 0.1 and 0, but the floor is eta_min=0.001...
    """
    value = _number(answer, "answer")
    if value is None:
        return Verdict(False, "no answer yet: set answer to the learning rate (a number) and run the cell again.")
    truth = float(
        torch_lr_curve("CosineAnnealingLR", T_MAX // 2 + 1, base_lr=BASE_LR, T_max=T_MAX, eta_min=ETA_MIN)[-1]
    )
    if math.isclose(value, truth, rel_tol=RTOL / 5):  # tighter: 0.05 (eta_min forgotten) is only 1 % off
        return Verdict(True, f"halfway, cos(pi/2) = 0, so the lr is eta_min + (0.1 - eta_min) / 2 = {truth:.4g}.")
    if math.isclose(value, BASE_LR / 2, rel_tol=RTOL / 5):
        return Verdict(
            False, "0.05 is halfway between 0.1 and 0, but the floor is eta_min=0.001: halfway between 0.1 and 0.001."
        )
    if math.isclose(value, ETA_MIN + (BASE_LR - ETA_MIN) * (1 + math.cos(math.pi * 50 / 100)), rel_tol=RTOL):
        return Verdict(False, "you dropped the 1/2: (1 + cos(pi/2)) / 2 = 0.5, not 1.")
    return Verdict(False, f"torch gives another value; what is cos(pi * 50 / 100)? (you said {value:.4g})")


def check_lr_at_150(answer: float | None) -> Verdict:
    """Exercise 2: the lr at step 150 of ``CosineAnnealingLR(T_max=100)`` (eta_min=0) from 0.1.

    >>> check_lr_at_150(0.0)  # doctest: +ELLIPSIS
    not yet: CosineAnnealingLR does not stop at eta_min after T_max...
    """
    value = _number(answer, "answer")
    if value is None:
        return Verdict(False, "no answer yet: set answer to the learning rate (a number) and run the cell again.")
    truth = float(torch_lr_curve("CosineAnnealingLR", 151, base_lr=BASE_LR, T_max=T_MAX)[-1])
    if math.isclose(value, truth, rel_tol=RTOL):
        return Verdict(
            True,
            f"past T_max the cosine keeps going: (1 + cos(1.5 pi)) / 2 = 0.5,"
            f" so {truth:.4g}, on the way back up to 0.1.",
        )
    if abs(value) < 1e-6:
        return Verdict(
            False, "CosineAnnealingLR does not stop at eta_min after T_max: torch keeps following the cosine."
        )
    if math.isclose(value, BASE_LR, rel_tol=RTOL):
        return Verdict(
            False,
            "0.1 would be a restart (CosineAnnealingWarmRestarts); CosineAnnealingLR climbs back smoothly, "
            "reaching 0.1 only at step 200.",
        )
    return Verdict(False, f"torch gives another value; what is cos(pi * 150 / 100)? (you said {value:.4g})")


def check_t_max_per_batch(answer: int | None) -> Verdict:
    """Exercise 3: T_max for ONE cosine over 30 epochs of 30 batches when the scheduler is stepped every batch.

    >>> check_t_max_per_batch(900)
    right: stepped every batch, T_max counts batches: 30 epochs * 30 batches = 900.
    """
    if answer is None:
        return Verdict(False, "no answer yet: set answer to T_max (an int) and run the cell again.")
    if isinstance(answer, bool) or not isinstance(answer, numbers.Integral):
        raise TypeError(f"T_max must be an int (a number of scheduler steps), got {type(answer).__name__} {answer!r}")
    if answer < 1:
        raise ValueError(f"T_max must be at least 1, got {answer}")
    total = EPOCHS * STEPS_PER_EPOCH
    curve = torch_lr_curve("CosineAnnealingLR", total + 1, base_lr=BASE_LR, T_max=int(answer))
    if answer == total:
        return Verdict(True, f"stepped every batch, T_max counts batches: 30 epochs * 30 batches = {total}.")
    if answer < total:
        periods = total / (2 * answer)
        return Verdict(
            False,
            f"T_max={answer} reaches eta_min after {answer} batches ({answer / STEPS_PER_EPOCH:.3g} epoch(s)) and "
            f"then climbs again: the 900 batches hold {periods:.3g} full down-and-up cycle(s) of 2*T_max.",
        )
    return Verdict(
        False,
        f"T_max={answer} is longer than the run: at the last batch the lr is still {curve[total - 1]:.3e}, "
        "the cosine never reaches eta_min.",
    )


LOOP_EPOCHS = 3
LOOP_BATCHES = 10
LOOP_WHAT = "CosineAnnealingLR stepped per batch over 3 epochs of 10 batches"


def intended_per_batch_loop(epochs: int = LOOP_EPOCHS, batches: int = LOOP_BATCHES) -> np.ndarray:
    """The lr of every optimizer step of exercise 4: ``CosineAnnealingLR(T_max=epochs * batches)``
    stepped after every batch, from 0.1 down towards 0.

    >>> [round(v, 6) for v in intended_per_batch_loop(1, 4).tolist()]
    [0.1, 0.085355, 0.05, 0.014645]
    """
    total = epochs * batches
    return lr_curve("CosineAnnealingLR", total, base_lr=BASE_LR, T_max=total)


def check_per_batch_loop(loop: Callable[[torch.optim.Optimizer], Any] | None) -> Verdict:
    """Exercise 4: ``loop(optimizer)`` builds ``CosineAnnealingLR`` (``eta_min=0``) and trains 3
    epochs of 10 batches, calling ``scheduler.step()`` after every optimizer step, so that the
    lr follows one half cosine over the whole run.

    >>> def loop(optimizer):
    ...     scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=3 * 10)
    ...     for epoch in range(3):
    ...         for batch in range(10):
    ...             optimizer.step()
    ...             scheduler.step()
    >>> check_per_batch_loop(loop)
    right: your loop used the intended lr at all 30 optimizer steps of CosineAnnealingLR stepped per batch over 3 \
epochs of 10 batches.
    """
    total = LOOP_EPOCHS * LOOP_BATCHES
    mistakes = {
        f"That is T_max={LOOP_EPOCHS} (epochs) stepped every batch: the lr reaches 0 after {LOOP_EPOCHS} batches "
        f"and climbs again, {total // (2 * LOOP_EPOCHS)} full cycles in {total} batches. Stepping per batch, "
        f"T_max counts batches: {LOOP_EPOCHS} * {LOOP_BATCHES}.": lr_curve(
            "CosineAnnealingLR", total, base_lr=BASE_LR, T_max=LOOP_EPOCHS
        ),
        f"That is T_max={LOOP_EPOCHS} stepped once per epoch: a staircase of {LOOP_EPOCHS} values. The exercise "
        "steps every batch: call scheduler.step() inside the batch loop and count T_max in batches.": np.repeat(
            lr_curve("CosineAnnealingLR", LOOP_EPOCHS, base_lr=BASE_LR, T_max=LOOP_EPOCHS), LOOP_BATCHES
        ),
    }
    return check_loop(loop, intended_per_batch_loop(), LOOP_WHAT, mistakes=mistakes)
