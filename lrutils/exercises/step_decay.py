"""Self-checks for notebook 01 (step decay, ``StepLR``).

Epochs are counted from 0: "the lr at epoch t" is the lr the optimizer uses during epoch t, after
``scheduler.step()`` has been called t times (index t of ``lrutils.lr_curve``). Every check asks
the real torch scheduler for the right answer.

>>> check_lr_at_epoch_25(0.025)
right: epoch 25 lies after two decays (at epochs 10 and 20): 0.1 * 0.5**2 = 0.025.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ..curves.torch_reference import torch_lr_curve
from ..text.i18n import tr
from . import Verdict
from .answers import answer_check, length, number, whole
from .loop_check import check_loop, epoch_mistakes, per_epoch_lrs

BASE_LR = 0.1
TARGET_EPOCH = 60
TARGET_LR = 1e-3
RTOL = 1e-2
"""Relative tolerance for learning-rate answers (a rounded gamma such as 0.2154 is fine)."""


@answer_check
def check_lr_at_epoch_25(answer: float | None) -> Verdict:
    """Exercise 1: the lr at epoch 25 of ``StepLR(step_size=10, gamma=0.5)`` from lr 0.1.

    >>> check_lr_at_epoch_25(0.0125)  # doctest: +ELLIPSIS
    not yet: 0.0125 is 0.1 * 0.5**3, three decays; ...
    """
    if answer is None:
        return Verdict(False, tr("no answer yet: set answer to the learning rate (a number) and run the cell again."))
    value = number(answer, asked=tr("a number (the lr at epoch 25)"))
    truth = float(torch_lr_curve("StepLR", 26, base_lr=BASE_LR, step_size=10, gamma=0.5)[25])
    if math.isclose(value, truth, rel_tol=RTOL):
        return Verdict(True, tr("epoch 25 lies after two decays (at epochs 10 and 20): 0.1 * 0.5**2 = 0.025."))
    hints = {
        0.1 * 0.5**3: tr(
            "0.0125 is 0.1 * 0.5**3, three decays; but the third decay comes at epoch 30, and floor(25 / 10) = 2."
        ),
        0.1 * 0.5**2.5: tr(
            "that is 0.1 * 0.5**2.5, the smooth formula; StepLR uses floor(t / step_size), a whole number."
        ),
        0.1 * 0.5: tr("that is one decay; the lr is halved at epoch 10 AND at epoch 20."),
        0.1 * 0.5**25: tr("that halves the lr every epoch; StepLR halves it only every step_size = 10 epochs."),
        0.1: tr("the lr does not stay at 0.1: it is halved at epochs 10 and 20."),
    }
    for wrong, hint in hints.items():
        if math.isclose(value, wrong, rel_tol=RTOL):
            return Verdict(False, hint)
    return Verdict(
        False,
        tr(
            "torch gives a different value; count the decays up to epoch 25: floor(25 / 10) = ? (you said {value})",
            value=f"{value:.4g}",
        ),
    )


@answer_check
def check_reach_target(step_size: int | None, gamma: float | None) -> Verdict:
    """Exercise 2: ``StepLR(step_size, gamma)`` from lr 0.1 must give lr 0.001 (within 1 %) at epoch 60.

    >>> check_reach_target(30, 0.1)
    right: 0.1 * 0.1**floor(60 / 30) = 1.000e-03 at epoch 60.
    >>> check_reach_target(10, 0.5)  # doctest: +ELLIPSIS
    not yet: at epoch 60 torch gives 0.1 * 0.5**floor(60 / 10) = 1.563e-03, not 1e-03. ...
    """
    if step_size is None or gamma is None:
        return Verdict(False, tr("no answer yet: set step_size (an int) and gamma (a number) and run the cell again."))
    g = number(gamma, "gamma")  # both kinds first: a wrong kind raises whatever the other value is
    size = whole(step_size, "step_size", tr("a whole number (of epochs between decays)"), tr("epochs"))
    size = length(size, "step_size", tr("the epochs between decays"))
    if not 0 < g < 1:
        return Verdict(
            False,
            tr(
                "gamma={gamma} does not decay the lr: StepLR multiplies it by gamma at each decay, so 0 < gamma < 1.",
                gamma=f"{g:.4g}",
            ),
        )
    n_decays = TARGET_EPOCH // size
    if n_decays == 0:
        return Verdict(
            False,
            tr("with step_size={step_size} the first decay comes after epoch 60: the lr is still 0.1.", step_size=size),
        )
    got = float(torch_lr_curve("StepLR", TARGET_EPOCH + 1, base_lr=BASE_LR, step_size=size, gamma=g)[TARGET_EPOCH])
    formula = f"0.1 * {g:.4g}**floor(60 / {size})"
    if math.isclose(got, TARGET_LR, rel_tol=RTOL):
        return Verdict(True, tr("{formula} = {lr} at epoch 60.", formula=formula, lr=f"{got:.3e}"))
    needed = (TARGET_LR / BASE_LR) ** (1 / n_decays)
    return Verdict(
        False,
        tr(
            "at epoch 60 torch gives {formula} = {lr}, not 1e-03. With step_size={step_size} there are "
            "{decays} decays by epoch 60, so gamma**{decays} must be 0.01: gamma = {needed}.",
            formula=formula,
            lr=f"{got:.3e}",
            step_size=size,
            decays=n_decays,
            needed=f"{needed:.4g}",
        ),
    )


MILESTONES = (30, 80)
"""Exercise 3: ``MultiStepLR(milestones=[30, 80], gamma=0.1)`` from lr 0.1, stepped before each epoch's training."""
WRONG_ORDER_TARGET = 1e-3
"""Exercise 3 asks for the first epoch that trains with this lr (0.1 after both cuts)."""


def wrong_order_lrs(n_epochs: int, milestones: tuple[int, ...] = MILESTONES, gamma: float = 0.1) -> list[float]:
    """The lr each epoch trains with when ``MultiStepLR.step()`` is called BEFORE the epoch's training.

    Torch's warning about the call order is silenced here (notebook 00 shows it).

    >>> wrong_order_lrs(3, milestones=(2,), gamma=0.5)
    [0.1, 0.05, 0.05]
    """
    param = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([param], lr=BASE_LR)
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=list(milestones), gamma=gamma)
    used = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(n_epochs):
            scheduler.step()  # the mistake: before the epoch's optimizer steps
            used.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
    return used


@answer_check
def check_wrong_order_epoch(answer: int | None) -> Verdict:
    """Exercise 3: with ``scheduler.step()`` called before each epoch's training, the first epoch that
    trains with lr 0.001 under ``MultiStepLR(milestones=[30, 80], gamma=0.1)`` from lr 0.1.

    >>> check_wrong_order_epoch(79)  # doctest: +ELLIPSIS
    right: the first scheduler.step() comes before epoch 0 trains, so every value arrives one epoch early: ...
    """
    if answer is None:
        return Verdict(
            False, tr("no answer yet: set answer to an epoch number (an int, counted from 0) and run the cell again.")
        )
    epoch = whole(answer, asked=tr("a whole number (an epoch, counted from 0)"), unit=tr("epochs"))
    used = wrong_order_lrs(MILESTONES[-1] + 5)
    truth = next(e for e, lr in enumerate(used) if math.isclose(lr, WRONG_ORDER_TARGET, rel_tol=RTOL))
    first_cut = next(e for e, lr in enumerate(used) if lr < BASE_LR)
    if epoch == truth:
        return Verdict(
            True,
            tr(
                "the first scheduler.step() comes before epoch 0 trains, so every value arrives one epoch early: "
                "0.01 from epoch {first} and 0.001 from epoch {epoch}, one epoch before the milestones 30 and 80.",
                first=first_cut,
                epoch=truth,
            ),
        )
    if epoch == truth + 1:
        return Verdict(
            False,
            tr(
                "{epoch} is the milestone, right for the correct order; with scheduler.step() first, the whole "
                "schedule moves.",
                epoch=epoch,
            ),
        )
    if epoch == truth + 2:
        return Verdict(
            False,
            tr("the schedule moves earlier, not later: the first scheduler.step() happens before epoch 0 trains."),
        )
    if epoch in (first_cut, first_cut + 1):
        return Verdict(
            False,
            tr(
                "epoch {epoch} is about the first cut, to 0.01; the question asks for 0.001, after the second.",
                epoch=epoch,
            ),
        )
    return Verdict(
        False,
        tr(
            "not epoch {epoch}: lrutils.exercises.step_decay.wrong_order_lrs(90) lists the lr each epoch trains "
            "with in this order; find the first 0.001.",
            epoch=epoch,
        ),
    )


LOOP_EPOCHS = 5
LOOP_BATCHES = 4


def intended_step_lr_loop(epochs: int = LOOP_EPOCHS, batches: int = LOOP_BATCHES) -> np.ndarray:
    """The lr of every optimizer step of exercise 4: epoch e trains all its batches with lr_curve[e].

    >>> intended_step_lr_loop(3, 2).tolist()
    [0.1, 0.1, 0.1, 0.1, 0.05, 0.05]
    """
    return per_epoch_lrs("StepLR", epochs, batches, step_size=2, gamma=0.5)


def check_step_lr_loop(loop: Callable[[torch.optim.Optimizer], Any] | None) -> Verdict:
    """Exercise 4: ``loop(optimizer)`` builds ``StepLR(optimizer, step_size=2, gamma=0.5)`` and trains
    5 epochs of 4 batches, calling ``scheduler.step()`` once per epoch, after the epoch's optimizer steps.

    >>> def loop(optimizer):
    ...     scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    ...     for epoch in range(5):
    ...         for batch in range(4):
    ...             optimizer.step()
    ...         scheduler.step()
    >>> check_step_lr_loop(loop)  # doctest: +ELLIPSIS
    right: your loop used the intended lr at all 20 optimizer steps of StepLR(step_size=2, gamma=0.5) ...
    """
    what = tr("StepLR(step_size=2, gamma=0.5) stepped per epoch")
    mistakes = epoch_mistakes("StepLR", LOOP_EPOCHS, LOOP_BATCHES, step_size=2, gamma=0.5)
    return check_loop(loop, intended_step_lr_loop(), what, mistakes=mistakes)
