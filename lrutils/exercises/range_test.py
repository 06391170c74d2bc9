"""Self-checks for notebook 11, the learning-rate range test.

* :func:`check_smoothing`: write the bias-corrected exponential moving average of the losses.
* :func:`check_batch160_max_lr`: read ``max_lr`` off a range test run at batch size 160 with
  the min-loss / 10 rule.
* :func:`check_sweep_loop`: write the sweep itself as a raw-torch loop (the lr of every optimizer
  step grows by the same factor, from ``SWEEP_START`` to ``SWEEP_END`` in ``SWEEP_STEPS`` steps).

Every check returns a :class:`~lrutils.exercises.Verdict`; the placeholder ``None`` gets a polite
"not yet" so the notebook runs top to bottom.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np

from ..training.range_rules import smooth_losses
from ..training.range_test import sweep_lrs
from . import Verdict
from .loop_check import check_loop

_CASES: tuple[tuple[tuple[float, ...], float], ...] = (
    ((2.0, 1.0, 3.0, 0.5, 0.25), 0.9),
    ((1.0, 3.0, 2.0, 2.0), 0.5),
    ((1.2, 0.7, 0.9), 0.0),
)
EX2_BATCH = 160
TOLERANCE = 0.02
"""Relative tolerance for a learning rate typed in by hand (three significant digits are enough)."""


def _unbiased(losses: np.ndarray, beta: float) -> np.ndarray:
    out, avg = np.empty(len(losses)), 0.0
    for i, loss in enumerate(losses):
        avg = beta * avg + (1 - beta) * loss
        out[i] = avg
    return out


def _swapped(losses: np.ndarray, beta: float) -> np.ndarray:
    out, avg = np.empty(len(losses)), 0.0
    for i, loss in enumerate(losses):
        avg = (1 - beta) * avg + beta * loss
        out[i] = avg / (1 - (1 - beta) ** (i + 1))
    return out


def check_smoothing(fn: Callable[[np.ndarray, float], np.ndarray] | None) -> Verdict:
    """Check ``fn(losses, beta)``: the bias-corrected moving average, one value per loss.

    ``avg_i = beta * avg_{i-1} + (1 - beta) * loss_i`` from ``avg_{-1} = 0``, then
    ``smoothed_i = avg_i / (1 - beta ** (i + 1))``.

    >>> def smooth(losses, beta):
    ...     out, avg = [], 0.0
    ...     for i, loss in enumerate(losses):
    ...         avg = beta * avg + (1 - beta) * loss
    ...         out.append(avg / (1 - beta ** (i + 1)))
    ...     return out
    >>> check_smoothing(smooth).correct
    True
    >>> check_smoothing(None).correct
    False
    """
    if fn is None:
        return Verdict(False, "write a function smooth(losses, beta) and pass it (not called) to the check.")
    if not callable(fn):
        raise TypeError(f"fn must be a function smooth(losses, beta), got {type(fn).__name__}")
    for values, beta in _CASES:
        losses = np.array(values)
        try:
            got = np.asarray(fn(losses.copy(), beta), dtype=np.float64)
        except Exception as error:  # the learner's code: report, do not crash the notebook
            return Verdict(False, f"your function raised {type(error).__name__}: {error}")
        want = smooth_losses(losses, beta)
        if got.shape != want.shape:
            return Verdict(
                False,
                f"for {len(losses)} losses it returned shape {got.shape}; expected one value per loss {want.shape}.",
            )
        if np.allclose(got, want, rtol=1e-9, atol=1e-12):
            continue
        if np.allclose(got, _unbiased(losses, beta), rtol=1e-9, atol=1e-12):
            return Verdict(
                False,
                f"that is the moving average without bias correction: with beta={beta} its first value is "
                f"{got[0]:.4f}, pulled towards 0; divide avg_i by (1 - beta**(i+1)) to get {want[0]:.4f}.",
            )
        if np.allclose(got, _swapped(losses, beta), rtol=1e-9, atol=1e-12):
            return Verdict(False, "beta and 1 - beta are swapped: beta weights the OLD average, 1 - beta the new loss.")
        bad = int(np.argmax(~np.isclose(got, want, rtol=1e-9, atol=1e-12)))
        return Verdict(
            False,
            f"with losses {list(values)} and beta={beta}, value {bad} is {got[bad]:.6f}; expected {want[bad]:.6f}.",
        )
    return Verdict(
        True, "bias-corrected EMA: the first value equals the first loss and later ones average ~1/(1-beta) batches."
    )


@lru_cache(maxsize=1)
def _runs() -> tuple[float, float, float, float]:
    from lrutils.training.range_test import lr_range_test

    ours = lr_range_test(batch_size=EX2_BATCH)
    demo = lr_range_test()
    return ours.suggestion, ours.min_loss_lr, ours.steepest_lr, demo.suggestion


def check_batch160_max_lr(answer: float | None) -> Verdict:
    """Check ``max_lr`` read off ``lr_range_test(batch_size=160)`` with the min-loss / 10 rule.

    Within 2 % counts as right (typing three significant digits is enough).

    >>> check_batch160_max_lr(None)
    not yet: run lr_range_test(batch_size=160), take the lr of the smallest smoothed loss, divide by 10.
    >>> check_batch160_max_lr(0.104).correct
    True
    """
    if answer is None:
        return Verdict(
            False,
            f"run lr_range_test(batch_size={EX2_BATCH}), take the lr of the smallest smoothed loss, divide by 10.",
        )
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise TypeError(f"answer must be a learning rate (a number), got {type(answer).__name__} {answer!r}")
    if not (math.isfinite(answer) and answer > 0):
        raise ValueError(f"answer must be a positive finite learning rate, got {answer!r}")
    want, minimum, steepest, demo = _runs()

    def near(x: float) -> bool:
        return abs(answer - x) <= TOLERANCE * x

    if near(want):
        return Verdict(
            True,
            f"{want:.3e}: with 4x larger batches the gradient is less noisy, so the loss keeps falling to a larger lr "
            f"than at batch size 40 ({demo:.3e}). Rerun the test whenever the batch size changes.",
        )
    if near(demo):
        return Verdict(False, f"{answer:.3e} is the suggestion for batch size 40; rerun with batch_size={EX2_BATCH}.")
    if near(minimum):
        return Verdict(
            False, f"{answer:.3e} is the min-loss lr itself, already at the edge of divergence; divide by 10."
        )
    if near(steepest):
        return Verdict(False, f"{answer:.3e} is the steepest-slope rule; this exercise asks for min-loss lr / 10.")
    if near(minimum / 100):
        return Verdict(False, f"{answer:.3e} is 100x below the min-loss lr; divide by 10 only once.")
    return Verdict(False, f"{answer:.3e} is not it: take r.lrs at np.argmin(r.smoothed), then divide by 10.")


SWEEP_START = 1e-4
SWEEP_END = 1.0
SWEEP_STEPS = 20


def check_sweep_loop(loop: Callable[[Any], Any] | None) -> Verdict:
    """Exercise 3: a raw-torch loop of 20 optimizer steps whose lr grows exponentially from 1e-4 (the
    optimizer's lr) to exactly 1.0 at the last step: ``lr_i = 1e-4 * (1.0 / 1e-4) ** (i / 19)``.

    >>> check_sweep_loop(None)
    not yet: no loop yet: define loop(optimizer) and pass it to the check.
    """
    what = f"an exponential sweep from {SWEEP_START:g} to {SWEEP_END:g} in {SWEEP_STEPS} steps"
    short = [SWEEP_START * (SWEEP_END / SWEEP_START) ** (i / SWEEP_STEPS) for i in range(SWEEP_STEPS)]
    mistakes = {
        f"your last step used {short[-1]:.4g}, one factor short of {SWEEP_END:g}: {SWEEP_STEPS} steps have "
        f"{SWEEP_STEPS - 1} gaps, so gamma = (end / start) ** (1 / {SWEEP_STEPS - 1}).": short,
        "that sweep is linear (Smith's original test); this one multiplies the lr by the same factor every "
        "step, so that every decade gets the same number of steps.": np.linspace(SWEEP_START, SWEEP_END, SWEEP_STEPS),
    }
    return check_loop(loop, sweep_lrs(SWEEP_START, SWEEP_END, SWEEP_STEPS), what, lr=SWEEP_START, mistakes=mistakes)


__all__ = ["SWEEP_END", "SWEEP_START", "SWEEP_STEPS", "check_batch160_max_lr", "check_smoothing", "check_sweep_loop"]
