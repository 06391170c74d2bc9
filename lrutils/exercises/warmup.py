"""Self-checks for notebook 07 (warm-up and composing schedulers).

Epochs are counted from 0: "the lr at epoch t" is index t of ``lrutils.lr_curve`` (the lr in use
after ``scheduler.step()`` has been called t times). Every check steps the real torch schedulers.

>>> check_restart_lr(0.1)
right: StepLR starts counting at the milestone (epoch 4), so its first cut is at epoch 4 + 3 = 7; epoch 6 is still 0.1.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..curves.shorthand import torch_sequential_curve
from ..text.i18n import tr
from . import Verdict
from .answers import answer_check, number, shown, wholes
from .loop_check import check_loop

BASE_LR = 0.1
RESTART_STAGES = [("LinearLR", {"start_factor": 0.1, "total_iters": 5}), ("StepLR", {"step_size": 3, "gamma": 0.5})]
RESTART_MILESTONES = [4]
RESTART_EPOCH = 6
WSD_EPOCHS = 100
WSD_WARMUP = 5
WSD_DECAY = 20
LOOP_EPOCHS = 3
LOOP_BATCHES = 10
LOOP_WARMUP = 5


def wsd_stages(decay_steps: int = WSD_DECAY) -> list[tuple[str, dict[str, Any]]]:
    """The three stages of exercise 2: warm-up over 5 epochs, hold, linear decay to 0 over ``decay_steps``.

    >>> [name for name, _ in wsd_stages()]
    ['LinearLR', 'ConstantLR', 'LinearLR']
    """
    return [
        ("LinearLR", {"start_factor": 0.01, "total_iters": WSD_WARMUP}),
        ("ConstantLR", {"factor": 1.0, "total_iters": 0}),
        ("LinearLR", {"start_factor": 1.0, "end_factor": 0.0, "total_iters": decay_steps}),
    ]


@answer_check
def check_restart_lr(answer: float | None) -> Verdict:
    """Exercise 1: the lr at epoch 6 of SequentialLR([LinearLR(0.1, 5), StepLR(3, 0.5)], milestones=[4]) from 0.1.

    >>> check_restart_lr(0.025)  # doctest: +ELLIPSIS
    not yet: 0.025 = 0.1 * 0.5**floor(6 / 3) counts StepLR's epochs from 0 of the run; ...
    """
    if answer is None:
        return Verdict(False, tr("no answer yet: set answer to the learning rate (a number) and run the cell again."))
    value = number(answer, asked=tr("a number (the lr at epoch 6)"))
    truth = float(torch_sequential_curve(RESTART_STAGES, RESTART_MILESTONES, RESTART_EPOCH + 1, BASE_LR)[-1])
    if math.isclose(value, truth, rel_tol=1e-2):
        return Verdict(
            True,
            tr(
                "StepLR starts counting at the milestone (epoch 4), so its first cut is at epoch 4 + 3 = 7; "
                "epoch 6 is still {lr}.",
                lr=f"{truth:.3g}",
            ),
        )
    hints = {
        0.025: tr(
            "0.025 = 0.1 * 0.5**floor(6 / 3) counts StepLR's epochs from 0 of the run; SequentialLR restarts "
            "its count at 0 at the milestone."
        ),
        0.05: tr("one cut already? StepLR's count is 6 - 4 = 2 at epoch 6, and it cuts when its count reaches 3."),
        0.082: tr(
            "that is LinearLR's value at epoch 4; from the milestone on only StepLR acts, starting from base_lr."
        ),
        0.01: tr("0.01 is LinearLR's start; at epoch 6 StepLR is in charge."),
    }
    for wrong, hint in hints.items():
        if math.isclose(value, wrong, rel_tol=1e-2):
            return Verdict(False, hint)
    return Verdict(
        False,
        tr(
            "torch gives a different value (you said {value}); whose count is it at epoch 6?",
            value=f"{value:.4g}",
        ),
    )


@answer_check
def check_wsd_milestones(answer: list[int] | None) -> Verdict:
    """Exercise 2: SequentialLR milestones for ``wsd_stages()`` so the run of 100 epochs decays over its last 20.

    >>> check_wsd_milestones([5, 80])  # doctest: +ELLIPSIS
    right: warm-up ends at 5, ...
    >>> check_wsd_milestones([5, 20])  # doctest: +ELLIPSIS
    not yet: milestones are epochs where the next stage starts, not stage lengths; ...
    """
    if answer is None:
        return Verdict(
            False, tr("no answer yet: set answer to a list of two ints such as [5, 50] and run the cell again.")
        )
    milestones = wholes(answer, asked=tr("a list of two whole numbers (epochs)"), unit=tr("epochs"))
    if len(milestones) != 2:
        return Verdict(
            False,
            tr(
                "{answer} has {n} milestone(s): three stages need two, the epochs where the second and the third "
                "start.",
                answer=milestones,
                n=len(milestones),
            ),
        )
    if milestones[1] < milestones[0] or milestones[0] < 0:
        return Verdict(
            False, tr("milestones must be epochs >= 0 that do not decrease, got {answer}", answer=milestones)
        )
    truth_milestones = [WSD_WARMUP, WSD_EPOCHS - WSD_DECAY]
    if milestones[1] < WSD_EPOCHS:
        truth = torch_sequential_curve(wsd_stages(), truth_milestones, WSD_EPOCHS, BASE_LR)
        theirs = torch_sequential_curve(wsd_stages(), milestones, WSD_EPOCHS, BASE_LR)
        if np.allclose(theirs, truth, rtol=1e-12, atol=0.0):
            return Verdict(
                True,
                tr(
                    "warm-up ends at {warmup}, the decay starts at {epochs} - {decay} = {start}, and the last epoch "
                    "runs at {lr} = base_lr / {decay}.",
                    warmup=WSD_WARMUP,
                    epochs=WSD_EPOCHS,
                    decay=WSD_DECAY,
                    start=truth_milestones[1],
                    lr=f"{truth[-1]:.3g}",
                ),
            )
    if milestones == [WSD_WARMUP, WSD_DECAY]:
        return Verdict(
            False,
            tr("milestones are epochs where the next stage starts, not stage lengths; when does the decay start?"),
        )
    if milestones[0] != WSD_WARMUP:
        return Verdict(
            False,
            tr(
                "the warm-up lasts {warmup} epochs (LinearLR total_iters), so the first milestone is?",
                warmup=WSD_WARMUP,
            ),
        )
    if milestones[1] >= WSD_EPOCHS:
        return Verdict(
            False,
            tr(
                "with {answer} the decay starts at epoch {start}, after the run ends (its last epoch is {last}); "
                "it should get the last {decay} epochs.",
                answer=shown(milestones),
                start=shown(milestones[1]),
                last=WSD_EPOCHS - 1,
                decay=WSD_DECAY,
            ),
        )
    return Verdict(
        False,
        tr(
            "with {answer} the decay starts at epoch {start} and gets {epochs} epochs of the run; it should get the "
            "last {decay}.",
            answer=milestones,
            start=milestones[1],
            epochs=WSD_EPOCHS - milestones[1],
            decay=WSD_DECAY,
        ),
    )


def warmup_cosine_factor(t: int, warmup: int = LOOP_WARMUP, total: int = LOOP_EPOCHS * LOOP_BATCHES) -> float:
    """Exercise 3's factor of the initial lr at optimizer step ``t``: ``(t + 1) / warmup`` during the
    warm-up, then half a cosine from 1 to 0 over the remaining ``total - warmup`` steps.

    >>> [round(warmup_cosine_factor(t), 3) for t in (0, 4, 5, 17, 29)]
    [0.2, 1.0, 1.0, 0.531, 0.004]
    """
    if t < warmup:
        return (t + 1) / warmup
    return 0.5 * (1.0 + math.cos(math.pi * (t - warmup) / (total - warmup)))


def _warmup_cosine_lrs(factor: Callable[[int], float], per_batch: bool = True) -> list[float]:
    """The lr of every optimizer step when ``factor`` is stepped per batch (or once per epoch)."""
    steps = range(LOOP_EPOCHS * LOOP_BATCHES)
    return [BASE_LR * factor(t if per_batch else t // LOOP_BATCHES) for t in steps]


def check_warmup_cosine_loop(loop: Callable[[Any], Any] | None) -> Verdict:
    """Exercise 3: a raw-torch loop, 3 epochs of 10 batches, per-batch warm-up (5 steps) + cosine with ``LambdaLR``.

    The learner writes ``def loop(optimizer): ...``; the check records the lr of every real
    ``optimizer.step()`` and names the usual mistakes (``t / w``, stepping once per epoch, the
    scheduler stepped before the optimizer).

    >>> check_warmup_cosine_loop(None)
    not yet: no loop yet: define loop(optimizer) and pass it to the check.
    """
    what = tr("a {warmup}-step warm-up then a cosine to 0, stepped per batch", warmup=LOOP_WARMUP)

    def t_over_w(t: int) -> float:
        return t / LOOP_WARMUP if t < LOOP_WARMUP else warmup_cosine_factor(t)

    mistakes = {
        tr(
            "your first optimizer step used lr 0: a warm-up written t / w gives f(0) = 0, so step 0 is wasted; "
            "write (t + 1) / w."
        ): _warmup_cosine_lrs(t_over_w),
        tr(
            "your lr changes once per epoch: scheduler.step() runs after the batch loop, so each value is used "
            "for {batches} batches; call it after every optimizer.step() (the factor counts batches).",
            batches=LOOP_BATCHES,
        ): _warmup_cosine_lrs(warmup_cosine_factor, per_batch=False),
    }
    return check_loop(loop, _warmup_cosine_lrs(warmup_cosine_factor), what, mistakes=mistakes)


__all__ = ["check_restart_lr", "check_warmup_cosine_loop", "check_wsd_milestones", "warmup_cosine_factor", "wsd_stages"]
