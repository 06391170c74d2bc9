"""Self-checks for notebook 08 (warm restarts: ``CosineAnnealingWarmRestarts``).

Epochs are counted from 0: "the lr at epoch t" is the lr after ``scheduler.step()`` has been called
t times. Every check asks the real torch scheduler.

>>> check_restart_epochs([5, 20, 65])
right: cycles of 5, 15 and 45 epochs start at 0, 5, 20 and 65; the next would start at 200, past the run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import Any

import numpy as np

from ..curves.torch_reference import torch_fractional_epoch_lrs, torch_lr_curve
from ..text.i18n import tr
from . import Verdict
from .answers import answer_check, wholes
from .loop_check import check_loop

BASE_LR = 0.1
EPOCHS = 100
T_0 = 5
T_MULT = 3
LOOP_T_0 = 2
LOOP_EPOCHS = 4
LOOP_BATCHES = 5


def restart_epochs() -> list[int]:
    """The epochs (within the first 100) at which torch's lr jumps back up to the initial lr.

    >>> restart_epochs()
    [5, 20, 65]
    """
    lrs = torch_lr_curve("CosineAnnealingWarmRestarts", EPOCHS, base_lr=BASE_LR, T_0=T_0, T_mult=T_MULT)
    return (np.flatnonzero(np.diff(lrs) > 0) + 1).tolist()


def _cycle_lengths() -> list[int]:
    """The lengths of the cycles that start within the run: 5, 15, 45, 135."""
    lengths = [T_0]
    while sum(lengths) < EPOCHS:
        lengths.append(lengths[-1] * T_MULT)
    return lengths


@answer_check
def check_restart_epochs(answer: Sequence[int] | None) -> Verdict:
    """Exercise 1: at which epochs (0..99) does ``CosineAnnealingWarmRestarts(T_0=5, T_mult=3)`` restart?

    >>> check_restart_epochs([5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95])
    ... # doctest: +ELLIPSIS
    not yet: that is T_mult=1 (every cycle 5 epochs)...
    """
    if answer is None:
        return Verdict(False, tr("no answer yet: set answer to a list of epochs (ints) and run the cell again."))
    epochs = sorted(wholes(answer, asked=tr("a list of whole numbers (epochs)"), unit=tr("epochs")))
    truth = restart_epochs()
    lengths = _cycle_lengths()
    starts = [0, *accumulate(lengths)]
    if epochs == truth:
        return Verdict(
            True,
            tr(
                "cycles of {a}, {b} and {c} epochs start at 0, {start_b}, {start_c} and {start_d}; the next would "
                "start at {next}, past the run.",
                a=lengths[0],
                b=lengths[1],
                c=lengths[2],
                start_b=starts[1],
                start_c=starts[2],
                start_d=starts[3],
                next=starts[4],
            ),
        )
    if 0 in epochs:
        return Verdict(False, tr("epoch 0 is where the first cycle starts, not a restart: leave it out."))
    if any(e < 0 for e in epochs):
        return Verdict(False, tr("epochs are counted from 0: leave out negative epochs."))
    if any(e >= EPOCHS for e in epochs):
        return Verdict(
            False,
            tr(
                "the run has epochs 0..{last}: leave out restarts at or after epoch {epochs}.",
                last=EPOCHS - 1,
                epochs=EPOCHS,
            ),
        )
    if epochs == list(range(T_0, EPOCHS, T_0)):
        return Verdict(
            False,
            tr(
                "that is T_mult=1 (every cycle {t_0} epochs). With T_mult={t_mult} every cycle is {t_mult} times as "
                "long as the one before.",
                t_0=T_0,
                t_mult=T_MULT,
            ),
        )
    if epochs in ([e - 1 for e in truth], [e + 1 for e in truth]):
        return Verdict(
            False,
            tr(
                "off by one: after {t_0} calls of scheduler.step() (epoch {t_0}) T_cur reaches T_i = {t_0} and "
                "resets to 0, so epoch {t_0} already uses the initial lr again.",
                t_0=T_0,
            ),
        )
    if epochs and set(epochs) < set(truth):
        return Verdict(
            False,
            tr(
                "each of {epochs} is a restart, but {missing} more fall within the run: add up the cycles' lengths "
                "until you pass epoch {last}.",
                epochs=epochs,
                missing=len(truth) - len(epochs),
                last=EPOCHS - 1,
            ),
        )
    if epochs == lengths[: len(epochs)] and len(epochs) > 1:
        return Verdict(
            False,
            tr(
                "{epochs} are the cycles' lengths; a restart comes where a cycle ends, at the sum of the lengths "
                "before it.",
                epochs=epochs,
            ),
        )
    return Verdict(
        False,
        tr(
            "torch restarts at other epochs (you said {epochs}); cycle i lasts T_0 * T_mult**i epochs: {lengths}, ...",
            epochs=epochs,
            lengths=", ".join(map(str, lengths[:3])),
        ),
    )


def fractional_lrs(shift: float = 1.0) -> list[float]:
    """The lr of optimizer step ``k`` (batch ``i`` of epoch ``e``, ``k = 5 e + i``) when the real scheduler is
    stepped with ``epoch + (i + shift) / 5`` after every batch: ``shift=1`` is exercise 2's intended
    schedule (step ``k`` at epoch ``k / 5``), ``shift=0`` the loop of torch's docstring.

    >>> [round(v, 4) for v in fractional_lrs()[:6]]
    [0.1, 0.0976, 0.0905, 0.0794, 0.0655, 0.05]
    """
    lrs = torch_fractional_epoch_lrs(LOOP_T_0, 1, LOOP_EPOCHS, LOOP_BATCHES, base_lr=BASE_LR, shift=shift)
    return lrs.tolist()


def _stepped_lrs(per_batch: bool) -> list[float]:
    """The lrs of plain ``scheduler.step()`` once per batch (``T_0`` counts batches) or once per epoch."""
    n = LOOP_EPOCHS * LOOP_BATCHES
    curve = torch_lr_curve(
        "CosineAnnealingWarmRestarts", n if per_batch else LOOP_EPOCHS, base_lr=BASE_LR, T_0=LOOP_T_0
    )
    return curve.tolist() if per_batch else np.repeat(curve, LOOP_BATCHES).tolist()


def check_fractional_loop(loop: Callable[[Any], Any] | None) -> Verdict:
    """Exercise 2: a raw-torch loop, 4 epochs of 5 batches, ``CosineAnnealingWarmRestarts(T_0=2)`` stepped after
    every batch with a fractional epoch, so that step ``k`` uses the cosine at epoch ``k / 5``.

    >>> check_fractional_loop(None)
    not yet: no loop yet: define loop(optimizer) and pass it to the check.
    """
    what = tr(
        "CosineAnnealingWarmRestarts(T_0={t_0}) at epoch k / {batches} for optimizer step k",
        t_0=LOOP_T_0,
        batches=LOOP_BATCHES,
    )
    mistakes = {
        tr(
            "one batch late: scheduler.step(epoch + i / iters) after batch i (as in torch's docstring) sets the lr "
            "for the batch that just ran; the next batch, i + 1, should get epoch + (i + 1) / iters."
        ): fractional_lrs(shift=0.0),
        tr(
            "plain scheduler.step() after every batch counts T_0={t_0} in batches: the lr restarts every {t_0} "
            "batches. Pass the fractional epoch: scheduler.step(epoch + (i + 1) / iters).",
            t_0=LOOP_T_0,
        ): _stepped_lrs(per_batch=True),
        tr(
            "your lr changes once per epoch (a staircase); stepping after every batch with the fractional epoch "
            "epoch + (i + 1) / iters makes it glide."
        ): _stepped_lrs(per_batch=False),
    }
    return check_loop(loop, fractional_lrs(), what, mistakes=mistakes)


__all__ = ["check_fractional_loop", "check_restart_epochs", "fractional_lrs", "restart_epochs"]
