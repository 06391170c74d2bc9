"""Self-checks for notebook 03 (cosine annealing, ``CosineAnnealingLR``).

"The lr at step t" is the lr used after ``scheduler.step()`` has been called t times. Every check
asks the real torch scheduler.

>>> check_midpoint_lr(0.0505)
right: halfway, cos(pi/2) = 0, so the lr is eta_min + (0.1 - eta_min) / 2 = 0.0505.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ..curves.closed_form import lr_curve
from ..curves.torch_reference import torch_lr_curve
from ..text.i18n import tr
from . import Verdict
from .answers import answer_check, number
from .loop_check import check_loop, per_epoch_lrs

BASE_LR = 0.1
T_MAX = 100
ETA_MIN = 1e-3
RTOL = 1e-2
"""Relative tolerance for learning-rate answers."""


@answer_check
def check_midpoint_lr(answer: float | None) -> Verdict:
    """Exercise 1: the lr at t = T_max/2 = 50 of ``CosineAnnealingLR(T_max=100, eta_min=1e-3)`` from 0.1.

    >>> check_midpoint_lr(0.05)  # doctest: +ELLIPSIS
    not yet: 0.05 is halfway between 0.1 and 0, but the floor is eta_min=0.001...
    """
    if answer is None:
        return Verdict(False, tr("no answer yet: set answer to the learning rate (a number) and run the cell again."))
    value = number(answer, asked=tr("a number (the lr at step 50)"))
    truth = float(
        torch_lr_curve("CosineAnnealingLR", T_MAX // 2 + 1, base_lr=BASE_LR, T_max=T_MAX, eta_min=ETA_MIN)[-1]
    )
    if math.isclose(value, truth, rel_tol=RTOL / 5):  # tighter: 0.05 (eta_min forgotten) is only 1 % off
        return Verdict(
            True,
            tr("halfway, cos(pi/2) = 0, so the lr is eta_min + (0.1 - eta_min) / 2 = {lr}.", lr=f"{truth:.4g}"),
        )
    if math.isclose(value, BASE_LR / 2, rel_tol=RTOL / 5):
        return Verdict(
            False,
            tr("0.05 is halfway between 0.1 and 0, but the floor is eta_min=0.001: halfway between 0.1 and 0.001."),
        )
    if math.isclose(value, ETA_MIN + (BASE_LR - ETA_MIN) * (1 + math.cos(math.pi * 50 / 100)), rel_tol=RTOL):
        return Verdict(False, tr("you dropped the 1/2: (1 + cos(pi/2)) / 2 = 0.5, not 1."))
    return Verdict(
        False, tr("torch gives another value; what is cos(pi * 50 / 100)? (you said {value})", value=f"{value:.4g}")
    )


PAST_STEP = 130
"""Exercise 2 asks for the lr at this step, 30 steps past ``T_max`` (30 epochs longer than planned)."""


@answer_check
def check_lr_past_t_max(answer: float | None) -> Verdict:
    """Exercise 2: the lr at step :data:`PAST_STEP` = 130 of ``CosineAnnealingLR(T_max=100)`` (eta_min=0) from 0.1.

    >>> check_lr_past_t_max(0.0)  # doctest: +ELLIPSIS
    not yet: CosineAnnealingLR does not stop at eta_min after T_max...
    """
    if answer is None:
        return Verdict(False, tr("no answer yet: set answer to the learning rate (a number) and run the cell again."))
    value = number(answer, asked=tr("a number (the lr at step 130)"))
    truth = float(torch_lr_curve("CosineAnnealingLR", PAST_STEP + 1, base_lr=BASE_LR, T_max=T_MAX)[-1])
    restart = float(torch_lr_curve("CosineAnnealingWarmRestarts", PAST_STEP + 1, base_lr=BASE_LR, T_0=T_MAX)[-1])
    if math.isclose(value, truth, rel_tol=RTOL):
        return Verdict(
            True,
            tr(
                "past T_max the cosine keeps going: 0.1 * (1 + cos(1.3 pi)) / 2 = {lr}, 30 steps into the climb "
                "back to 0.1 (the same lr as at step 70: the curve is symmetric about T_max).",
                lr=f"{truth:.4g}",
            ),
        )
    if abs(value) < 1e-6:
        return Verdict(
            False, tr("CosineAnnealingLR does not stop at eta_min after T_max: torch keeps following the cosine.")
        )
    if math.isclose(value, restart, rel_tol=RTOL):
        return Verdict(
            False,
            tr(
                "{value} is where a restart (CosineAnnealingWarmRestarts) would be, 30 steps into a new descent; "
                "CosineAnnealingLR climbs back up from 0 after step 100.",
                value=f"{value:.4g}",
            ),
        )
    if math.isclose(value, BASE_LR, rel_tol=RTOL):
        return Verdict(
            False,
            tr(
                "0.1 is the top: CosineAnnealingLR climbs back smoothly and reaches 0.1 only at step 200 (a restart, "
                "CosineAnnealingWarmRestarts, would jump there at step 100)."
            ),
        )
    return Verdict(
        False, tr("torch gives another value; what is cos(pi * 130 / 100)? (you said {value})", value=f"{value:.4g}")
    )


LOOP_EPOCHS = 3
LOOP_BATCHES = 10


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
        tr(
            "That is T_max={epochs} (epochs) stepped every batch: the lr reaches 0 after {epochs} batches and climbs "
            "again, {cycles} full cycles in {total} batches. Stepping per batch, T_max counts batches: "
            "{epochs} * {batches}.",
            epochs=LOOP_EPOCHS,
            cycles=total // (2 * LOOP_EPOCHS),
            total=total,
            batches=LOOP_BATCHES,
        ): lr_curve("CosineAnnealingLR", total, base_lr=BASE_LR, T_max=LOOP_EPOCHS),
        tr(
            "That is T_max={epochs} stepped once per epoch: a staircase of {epochs} values. The exercise steps every "
            "batch: call scheduler.step() inside the batch loop and count T_max in batches.",
            epochs=LOOP_EPOCHS,
        ): per_epoch_lrs("CosineAnnealingLR", LOOP_EPOCHS, LOOP_BATCHES, T_max=LOOP_EPOCHS),
    }
    what = tr(
        "CosineAnnealingLR stepped per batch over {epochs} epochs of {batches} batches",
        epochs=LOOP_EPOCHS,
        batches=LOOP_BATCHES,
    )
    return check_loop(loop, intended_per_batch_loop(), what, mistakes=mistakes)
