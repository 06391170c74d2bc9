"""Self-checks for notebook 02 (exponential decay, ``ExponentialLR``).

Epochs are counted from 0: "the lr at epoch t" is the lr used during epoch t, after
``scheduler.step()`` has been called t times. Every check asks the real torch scheduler.

>>> check_halving_gamma(0.5 ** (1 / 10))
right: gamma = 0.5**(1/10) = 0.9330; torch's lr at epoch 10 is 0.5000 x the initial lr.
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
from .answers import answer_check, number, shown
from .loop_check import check_loop, per_epoch_lrs

BASE_LR = 0.1
HALVING_EPOCHS = 10
RTOL = 1e-2
"""Relative tolerance on the lr ratio (a gamma rounded to 3 digits, 0.933, is fine)."""
BELOW_GAMMA = 0.95
BELOW_THRESHOLD = 1e-3


@answer_check
def check_halving_gamma(gamma: float | None) -> Verdict:
    """Exercise 1: the ``gamma`` of ``ExponentialLR`` that halves the lr every 10 epochs.

    >>> check_halving_gamma(0.95)  # doctest: +ELLIPSIS
    not yet: with gamma=0.95 the lr at epoch 10 is 0.5987 x the initial lr, not 0.5. ...
    """
    if gamma is None:
        return Verdict(False, tr("no answer yet: set gamma to a number between 0 and 1 and run the cell again."))
    g = number(gamma, "gamma", tr("a number between 0 and 1"))
    if not 0 < g <= 1:
        return Verdict(
            False, tr("gamma={gamma} does not decay the lr: ExponentialLR needs 0 < gamma < 1.", gamma=f"{g:.4g}")
        )
    ratio = float(torch_lr_curve("ExponentialLR", HALVING_EPOCHS + 1, base_lr=BASE_LR, gamma=g)[-1]) / BASE_LR
    if math.isclose(ratio, 0.5, rel_tol=RTOL):
        return Verdict(
            True,
            tr(
                "gamma = 0.5**(1/10) = {gamma}; torch's lr at epoch 10 is {ratio} x the initial lr.",
                gamma=f"{0.5**0.1:.4f}",
                ratio=f"{ratio:.4f}",
            ),
        )
    said = tr(
        "with gamma={gamma} the lr at epoch 10 is {ratio} x the initial lr, not 0.5.",
        gamma=f"{g:.4g}",
        ratio=f"{ratio:.4f}",
    )
    if math.isclose(g, 0.5, rel_tol=1e-6):
        why = tr("gamma=0.5 halves it every epoch; you need gamma**10 = 0.5.")
    elif math.isclose(g, 0.95, rel_tol=1e-6):
        why = tr("Taking 1 - 0.5/10 treats the decay as linear; it multiplies: gamma**10 = 0.5.")
    else:
        why = tr("The lr is multiplied by gamma ten times in 10 epochs: solve gamma**10 = 0.5.")
    return Verdict(False, f"{said} {why}")


@answer_check
def check_epochs_below(answer: float | None) -> Verdict:
    """Exercise 2: the first epoch at which ``ExponentialLR(gamma=0.95)`` from 0.1 gives an lr below 1e-3.

    >>> check_epochs_below(90)  # doctest: +ELLIPSIS
    right: ...
    """
    if answer is None:
        return Verdict(
            False, tr("no answer yet: set answer to an epoch number (counted from 0) and run the cell again.")
        )
    value = number(answer, asked=tr("a whole number (an epoch, counted from 0)"))
    curve = torch_lr_curve("ExponentialLR", 200, base_lr=BASE_LR, gamma=BELOW_GAMMA)
    truth = int(np.argmax(curve < BELOW_THRESHOLD))
    exact = math.log(BELOW_THRESHOLD / BASE_LR) / math.log(BELOW_GAMMA)
    if not value.is_integer():
        if math.isclose(value, exact, rel_tol=1e-3):
            return Verdict(
                False,
                tr(
                    "{value} solves 0.1 * 0.95**t = 1e-3 exactly, but epochs are whole numbers: "
                    "which is the first whole epoch past it?",
                    value=f"{value:.2f}",
                ),
            )
        return Verdict(
            False,
            tr(
                "{value} is not a whole number: epochs are counted 0, 1, 2, ... and the lr changes once per epoch.",
                value=f"{value:g}",
            ),
        )
    epoch = int(value)
    if epoch == truth:
        return Verdict(
            True,
            tr(
                "0.1 * 0.95**{before} = {lr_before} is still above 1e-3, 0.1 * 0.95**{epoch} = {lr} is the first "
                "value below.",
                before=truth - 1,
                lr_before=f"{curve[truth - 1]:.3e}",
                epoch=truth,
                lr=f"{curve[truth]:.3e}",
            ),
        )
    if 0 <= epoch < len(curve) and curve[epoch] >= BELOW_THRESHOLD:
        return Verdict(
            False,
            tr(
                "at epoch {epoch} the lr is 0.1 * 0.95**{epoch} = {lr}, still at or above 1e-3.",
                epoch=epoch,
                lr=f"{curve[epoch]:.3e}",
            ),
        )
    if 0 <= epoch < len(curve):
        return Verdict(
            False,
            tr(
                "at epoch {epoch} the lr is 0.1 * 0.95**{epoch} = {lr}, below 1e-3, but it got there earlier.",
                epoch=epoch,
                lr=f"{curve[epoch]:.3e}",
            ),
        )
    return Verdict(
        False, tr("epoch {epoch} is far off: solve 0.1 * 0.95**t < 1e-3 with logarithms.", epoch=shown(epoch))
    )


LOOP_EPOCHS = 4
LOOP_BATCHES = 5
EPOCH_GAMMA = 0.5


def intended_per_batch_loop(epochs: int = LOOP_EPOCHS, batches: int = LOOP_BATCHES) -> np.ndarray:
    """The lr of every optimizer step of exercise 3: ``0.1 * gamma_batch**k`` with
    ``gamma_batch = 0.5 ** (1 / batches)``, so that every epoch ends at half its start.

    >>> lrs = intended_per_batch_loop(2, 2)
    >>> [round(v, 6) for v in lrs.tolist()]
    [0.1, 0.070711, 0.05, 0.035355]
    """
    return lr_curve("ExponentialLR", epochs * batches, base_lr=BASE_LR, gamma=EPOCH_GAMMA ** (1 / batches))


def check_per_batch_loop(loop: Callable[[torch.optim.Optimizer], Any] | None) -> Verdict:
    """Exercise 3: ``loop(optimizer)`` builds ``ExponentialLR`` and trains 4 epochs of 5 batches,
    calling ``scheduler.step()`` after every optimizer step, with ``gamma`` chosen so that the lr
    halves every epoch.

    >>> def loop(optimizer):
    ...     scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.5 ** (1 / 5))
    ...     for epoch in range(4):
    ...         for batch in range(5):
    ...             optimizer.step()
    ...             scheduler.step()
    >>> check_per_batch_loop(loop)
    right: your loop used the intended lr at all 20 optimizer steps of ExponentialLR stepped per batch, halving \
every epoch.
    """
    n = LOOP_EPOCHS * LOOP_BATCHES
    mistakes = {
        tr(
            "That is gamma=0.5 per batch: the lr halves every batch, 2**-5 per epoch. Per batch you need "
            "gamma ** 5 = 0.5, i.e. gamma = 0.5 ** (1 / 5)."
        ): lr_curve("ExponentialLR", n, base_lr=BASE_LR, gamma=0.5),
        tr(
            "That is gamma=0.5 stepped once per epoch (a staircase). The exercise steps every batch: call "
            "scheduler.step() inside the batch loop with gamma = 0.5 ** (1 / 5)."
        ): per_epoch_lrs("ExponentialLR", LOOP_EPOCHS, LOOP_BATCHES, gamma=0.5),
        tr(
            "gamma = 1 - 0.5 / 5 = 0.9 treats the decay as linear; five multiplications by gamma must give 0.5: "
            "gamma = 0.5 ** (1 / 5)."
        ): lr_curve("ExponentialLR", n, base_lr=BASE_LR, gamma=0.9),
        tr(
            "gamma = 0.5 / 5 = 0.1 divides instead of taking a root; five multiplications by gamma must give 0.5: "
            "gamma = 0.5 ** (1 / 5)."
        ): lr_curve("ExponentialLR", n, base_lr=BASE_LR, gamma=0.1),
    }
    what = tr("ExponentialLR stepped per batch, halving every epoch")
    return check_loop(loop, intended_per_batch_loop(), what, mistakes=mistakes)
