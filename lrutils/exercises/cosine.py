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
from .answers import answer_check, length, number, shown
from .loop_check import check_loop, per_epoch_lrs

BASE_LR = 0.1
T_MAX = 100
ETA_MIN = 1e-3
RTOL = 1e-2
"""Relative tolerance for learning-rate answers."""
EPOCHS = 30
STEPS_PER_EPOCH = 30


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


@answer_check
def check_lr_at_150(answer: float | None) -> Verdict:
    """Exercise 2: the lr at step 150 of ``CosineAnnealingLR(T_max=100)`` (eta_min=0) from 0.1.

    >>> check_lr_at_150(0.0)  # doctest: +ELLIPSIS
    not yet: CosineAnnealingLR does not stop at eta_min after T_max...
    """
    if answer is None:
        return Verdict(False, tr("no answer yet: set answer to the learning rate (a number) and run the cell again."))
    value = number(answer, asked=tr("a number (the lr at step 150)"))
    truth = float(torch_lr_curve("CosineAnnealingLR", 151, base_lr=BASE_LR, T_max=T_MAX)[-1])
    if math.isclose(value, truth, rel_tol=RTOL):
        return Verdict(
            True,
            tr(
                "past T_max the cosine keeps going: (1 + cos(1.5 pi)) / 2 = 0.5, so {lr}, on the way back up to 0.1.",
                lr=f"{truth:.4g}",
            ),
        )
    if abs(value) < 1e-6:
        return Verdict(
            False, tr("CosineAnnealingLR does not stop at eta_min after T_max: torch keeps following the cosine.")
        )
    if math.isclose(value, BASE_LR, rel_tol=RTOL):
        return Verdict(
            False,
            tr(
                "0.1 would be a restart (CosineAnnealingWarmRestarts); CosineAnnealingLR climbs back smoothly, "
                "reaching 0.1 only at step 200."
            ),
        )
    return Verdict(
        False, tr("torch gives another value; what is cos(pi * 150 / 100)? (you said {value})", value=f"{value:.4g}")
    )


@answer_check
def check_t_max_per_batch(answer: int | None) -> Verdict:
    """Exercise 3: T_max for ONE cosine over 30 epochs of 30 batches when the scheduler is stepped every batch.

    >>> check_t_max_per_batch(900)
    right: stepped every batch, T_max counts batches: 30 epochs * 30 batches = 900.
    """
    if answer is None:
        return Verdict(False, tr("no answer yet: set answer to T_max (an int) and run the cell again."))
    t_max = length(
        answer,
        "T_max",
        tr("the scheduler steps of one descent"),
        asked=tr("a whole number (T_max, in scheduler steps)"),
        unit=tr("scheduler steps"),
    )
    total = EPOCHS * STEPS_PER_EPOCH
    if t_max == total:
        return Verdict(
            True, tr("stepped every batch, T_max counts batches: 30 epochs * 30 batches = {total}.", total=total)
        )
    if t_max < total:
        periods = total / (2 * t_max)
        return Verdict(
            False,
            tr(
                "T_max={t_max} reaches eta_min after {t_max} batches ({epochs} epoch(s)) and then climbs again: "
                "the 900 batches hold {periods} full down-and-up cycle(s) of 2*T_max.",
                t_max=t_max,
                epochs=f"{t_max / STEPS_PER_EPOCH:.3g}",
                periods=f"{periods:.3g}",
            ),
        )
    if t_max > 1000 * total:
        return Verdict(
            False,
            tr(
                "T_max={t_max} is far longer than the run: at the last batch the cosine has hardly begun, "
                "the lr is still about 0.1.",
                t_max=shown(t_max),
            ),
        )
    curve = torch_lr_curve("CosineAnnealingLR", total, base_lr=BASE_LR, T_max=t_max)
    return Verdict(
        False,
        tr(
            "T_max={t_max} is longer than the run: at the last batch the lr is still {lr}, the cosine never "
            "reaches eta_min.",
            t_max=t_max,
            lr=f"{curve[total - 1]:.3e}",
        ),
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
