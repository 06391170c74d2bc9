"""Self-checks for notebook 08 (warm-up and composing schedulers).

Epochs are counted from 0: "the lr at epoch t" is index t of ``lrutils.lr_curve`` (the lr in use
after ``scheduler.step()`` has been called t times). Every check steps the real torch schedulers.

>>> check_restart_lr(0.1)
right: StepLR starts counting at the milestone (epoch 4), so its first cut is at epoch 4 + 3 = 7; epoch 6 is still 0.1.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from ..curves.shorthand import torch_sequential_curve
from . import Verdict
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


def check_restart_lr(answer: float | None) -> Verdict:
    """Exercise 1: the lr at epoch 6 of SequentialLR([LinearLR(0.1, 5), StepLR(3, 0.5)], milestones=[4]) from 0.1.

    >>> check_restart_lr(0.025)  # doctest: +ELLIPSIS
    not yet: 0.025 = 0.1 * 0.5**floor(6 / 3) counts StepLR's epochs from 0 of the run; ...
    """
    if answer is None:
        return Verdict(False, "no answer yet: set answer to the learning rate (a number) and run the cell again.")
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise TypeError(f"answer must be a number, got {type(answer).__name__} {answer!r}")
    value = float(answer)
    if not math.isfinite(value):
        raise ValueError(f"answer must be a finite number, got {answer!r}")
    truth = float(torch_sequential_curve(RESTART_STAGES, RESTART_MILESTONES, RESTART_EPOCH + 1, BASE_LR)[-1])
    if math.isclose(value, truth, rel_tol=1e-2):
        return Verdict(
            True,
            "StepLR starts counting at the milestone (epoch 4), so its first cut is at epoch 4 + 3 = 7; "
            f"epoch 6 is still {truth:.3g}.",
        )
    hints = {
        0.025: "0.025 = 0.1 * 0.5**floor(6 / 3) counts StepLR's epochs from 0 of the run; SequentialLR restarts "
        "its count at 0 at the milestone.",
        0.05: "one cut already? StepLR's count is 6 - 4 = 2 at epoch 6, and it cuts when its count reaches 3.",
        0.082: "that is LinearLR's value at epoch 4; from the milestone on only StepLR acts, starting from base_lr.",
        0.01: "0.01 is LinearLR's start; at epoch 6 StepLR is in charge.",
    }
    for wrong, hint in hints.items():
        if math.isclose(value, wrong, rel_tol=1e-2):
            return Verdict(False, hint)
    return Verdict(False, f"torch gives a different value (you said {value:.4g}); whose count is it at epoch 6?")


def check_wsd_milestones(answer: list[int] | None) -> Verdict:
    """Exercise 2: SequentialLR milestones for ``wsd_stages()`` so the run of 100 epochs decays over its last 20.

    >>> check_wsd_milestones([5, 80])  # doctest: +ELLIPSIS
    right: warm-up ends at 5, ...
    >>> check_wsd_milestones([5, 20])  # doctest: +ELLIPSIS
    not yet: milestones are epochs where the next stage starts, not stage lengths; ...
    """
    if answer is None:
        return Verdict(False, "no answer yet: set answer to a list of two ints such as [5, 50] and run the cell again.")
    if isinstance(answer, (str, bytes)) or not isinstance(answer, (list, tuple)):
        raise TypeError(f"answer must be a list of two ints, got {type(answer).__name__} {answer!r}")
    if len(answer) != 2 or not all(isinstance(m, numbers.Integral) and not isinstance(m, bool) for m in answer):
        raise ValueError(f"answer must be a list of two ints (three stages need two milestones), got {answer!r}")
    answer = [int(m) for m in answer]
    if answer[1] < answer[0] or answer[0] < 0:
        return Verdict(False, f"milestones must be epochs >= 0 that do not decrease, got {answer}")
    truth_milestones = [WSD_WARMUP, WSD_EPOCHS - WSD_DECAY]
    truth = torch_sequential_curve(wsd_stages(), truth_milestones, WSD_EPOCHS, BASE_LR)
    theirs = torch_sequential_curve(wsd_stages(), answer, WSD_EPOCHS, BASE_LR)
    if np.allclose(theirs, truth, rtol=1e-12, atol=0.0):
        return Verdict(
            True,
            f"warm-up ends at {WSD_WARMUP}, the decay starts at {WSD_EPOCHS} - {WSD_DECAY} = {truth_milestones[1]}, "
            f"and the last epoch runs at {truth[-1]:.3g} = base_lr / {WSD_DECAY}.",
        )
    if answer == [WSD_WARMUP, WSD_DECAY]:
        return Verdict(
            False, "milestones are epochs where the next stage starts, not stage lengths; when does the decay start?"
        )
    if answer[0] != WSD_WARMUP:
        return Verdict(
            False, f"the warm-up lasts {WSD_WARMUP} epochs (LinearLR total_iters), so the first milestone is?"
        )
    return Verdict(
        False,
        f"with {answer} the decay starts at epoch {answer[1]} and gets {WSD_EPOCHS - answer[1]} epochs of the run; "
        f"it should get the last {WSD_DECAY}.",
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
    what = f"a {LOOP_WARMUP}-step warm-up then a cosine to 0, stepped per batch"

    def t_over_w(t: int) -> float:
        return t / LOOP_WARMUP if t < LOOP_WARMUP else warmup_cosine_factor(t)

    mistakes = {
        "your first optimizer step used lr 0: a warm-up written t / w gives f(0) = 0, so step 0 is wasted; "
        "write (t + 1) / w.": _warmup_cosine_lrs(t_over_w),
        f"your lr changes once per epoch: scheduler.step() runs after the batch loop, so each value is used "
        f"for {LOOP_BATCHES} batches; call it after every optimizer.step() (the factor counts batches).": (
            _warmup_cosine_lrs(warmup_cosine_factor, per_batch=False)
        ),
    }
    return check_loop(loop, _warmup_cosine_lrs(warmup_cosine_factor), what, mistakes=mistakes)


__all__ = ["check_restart_lr", "check_warmup_cosine_loop", "check_wsd_milestones", "warmup_cosine_factor", "wsd_stages"]
