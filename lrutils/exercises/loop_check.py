"""One checker for every "write the training loop" exercise: run the learner's loop, record the lr
each real ``optimizer.step()`` used, compare with the intended schedule, and explain a difference.

The learner writes ``def loop(optimizer): ...``: build the scheduler on ``optimizer`` and run the
steps (``optimizer.step()`` and ``scheduler.step()``, plus ``scheduler.step(metric)`` for
ReduceLROnPlateau, in whatever order they think right). No model is needed: ``optimizer`` holds one
parameter whose gradient is zero, so ``optimizer.step()`` changes nothing but the record.
:func:`check_loop` says ``right`` or explains the first difference in the series' one wording:
what the loop used, what was intended, and the usual cause of that pattern.

>>> import torch
>>> def loop(optimizer):
...     scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
...     for _ in range(4):
...         optimizer.step()
...         scheduler.step()
>>> check_loop(loop, [0.1, 0.1, 0.05, 0.05], what="StepLR(step_size=2, gamma=0.5)")
right: your loop used the intended lr at all 4 optimizer steps of StepLR(step_size=2, gamma=0.5).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import torch

from ..training.loops import CaughtWarnings, LrRecorder
from . import Verdict

BASE_LR = 0.1
"""The lr the optimizer handed to the learner's loop starts with."""


def optimizer_for_exercise(lr: float = BASE_LR) -> torch.optim.Optimizer:
    """SGD with momentum 0.9 on one parameter with a zero gradient: steps cost nothing and change nothing.

    >>> optimizer_for_exercise().param_groups[0]["lr"]
    0.1
    """
    param = torch.zeros(1, requires_grad=True)
    param.grad = torch.zeros(1)
    return torch.optim.SGD([param], lr=lr, momentum=0.9)


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-9, atol=1e-15))


def _diagnose(used: np.ndarray, want: np.ndarray, per_epoch: int | None) -> str:
    """The usual cause of a difference between the lrs used and the intended ones, or ''."""
    n = min(len(used), len(want))
    if per_epoch and n > per_epoch and _close(used[: n - per_epoch], want[per_epoch:n]):
        return (
            "your lrs are the intended ones one epoch early: scheduler.step() runs at the start of each epoch, "
            "before its batches (torch warns about this once, at the first step)"
        )
    if n > 1 and np.all(used[:n] == used[0]) and not np.all(want[:n] == want[0]):
        return "the lr never changed: is scheduler.step() called inside the loop?"
    if n > 1 and _close(used[: n - 1], want[1:n]):
        return (
            "your lrs are the intended ones one step early: scheduler.step() runs before optimizer.step() "
            "(torch warns about this once, at the first step)"
        )
    if n > 1 and _close(used[1:n], want[: n - 1]):
        return "your lrs are the intended ones one step late: the first scheduler.step() comes one step too late"
    if per_epoch and n > 1 and float(np.mean(used[:n])) < float(np.mean(want[:n])):
        return (
            "your lr falls too fast: is scheduler.step() called for every batch while the schedule "
            f"counts epochs (here every {per_epoch} optimizer steps)?"
        )
    return ""


def check_loop(
    loop: Callable[[torch.optim.Optimizer], Any] | None,
    intended: Sequence[float] | np.ndarray,
    what: str,
    lr: float = BASE_LR,
    per_epoch: int | None = None,
    mistakes: Mapping[str, Sequence[float] | np.ndarray] | None = None,
) -> Verdict:
    """Run ``loop(optimizer)``, record the lr of every real ``optimizer.step()``, compare with ``intended``.

    ``what`` names the schedule in the feedback; ``per_epoch`` (optional) is the number of
    optimizer steps per scheduler step the exercise intends, to recognise a loop stepped at the
    wrong rate or at the wrong end of the epoch. ``mistakes`` (optional) maps a hint to the lrs a
    known wrong loop uses: a loop that used exactly those gets that hint. Warnings torch raises
    inside the loop are reported with the verdict.
    """
    if loop is None:
        return Verdict(False, "no loop yet: define loop(optimizer) and pass it to the check.")
    if not callable(loop):
        raise TypeError(f"loop must be a function loop(optimizer), got {type(loop).__name__}")
    want = np.asarray(intended, dtype=float)
    optimizer = optimizer_for_exercise(lr)
    with CaughtWarnings() as caught, LrRecorder(optimizer) as recorder:
        try:
            loop(optimizer)
        except Exception as err:  # the learner's code: report, do not crash the notebook
            return Verdict(False, f"your loop raised {type(err).__name__}: {err}")
    used = recorder.lrs[:, 0] if recorder.lrs.size else np.zeros(0)
    warned = f" torch warned: {caught.texts[0]}" if caught.texts else ""
    if _close(used, want):
        return Verdict(True, f"your loop used the intended lr at all {len(want)} optimizer steps of {what}.{warned}")
    named = [hint for hint, lrs in (mistakes or {}).items() if _close(used, np.asarray(lrs, dtype=float))]
    cause = named[0] if named else _diagnose(used, want, per_epoch)
    if len(used) != len(want):
        message = f"your loop ran {len(used)} optimizer steps; {what} is meant for {len(want)}."
    else:
        step = int(np.argmax(~np.isclose(used, want, rtol=1e-9, atol=1e-15)))
        message = f"at optimizer step {step} your loop used lr {used[step]:.6g}; {what} intends {want[step]:.6g}."
    return Verdict(False, " ".join(part for part in (message, cause, warned.strip()) if part))


__all__ = ["BASE_LR", "check_loop", "optimizer_for_exercise"]
