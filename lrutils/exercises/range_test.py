"""Self-checks for notebook 10, the learning-rate range test.

* :func:`check_smoothing`: write the bias-corrected exponential moving average of the losses.
* :func:`check_batch160_max_lr`: read ``max_lr`` off a range test run at batch size 160 with
  the min-loss / 10 rule.
* :func:`check_sweep_loop`: write the sweep itself as a raw-torch loop (the lr of every optimizer
  step grows by the same factor, from ``SWEEP_START`` to ``SWEEP_END`` in ``SWEEP_STEPS`` steps).

Every check returns a :class:`~lrutils.exercises.Verdict`; the placeholder ``None`` gets a polite
"not yet" so the notebook runs top to bottom.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np

from ..text.i18n import tr
from ..training.loops import describe_error
from ..training.range_rules import smooth_losses
from ..training.range_test import sweep_lrs
from . import Verdict, limits
from .answers import answer_check, function, kind, number, shown
from .limits import run_learner
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


def _returned(value: object, n: int) -> np.ndarray | str:
    """What ``smooth`` returned as an array of floats, or what is wrong with it."""
    if value is None:
        return tr("your function returned None: return the smoothed losses, one per loss.")
    try:
        got = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return tr(
            "your function returned {kind} {value}, which is not numbers: return the smoothed losses, one per loss.",
            kind=kind(value),
            value=shown(value),
        )
    if got.shape != (n,):
        return tr("for {n} losses it returned shape {shape}; expected one value per loss ({n},).", n=n, shape=got.shape)
    return got


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
        return Verdict(False, tr("write a function smooth(losses, beta) and pass it (not called) to the check."))
    function(fn, "smooth(losses, beta)")
    for values, beta in _CASES:
        losses = np.array(values)
        outcome = run_learner(fn, losses.copy(), beta)
        if outcome.out_of_time:
            return Verdict(
                False,
                tr(
                    "your function was still running after {seconds:g} seconds and was stopped: does every loop in "
                    "it end?",
                    seconds=limits.TIME_LIMIT,
                ),
            )
        if outcome.error is not None:
            return Verdict(False, tr("your function raised {error}", error=describe_error(outcome.error)))
        got = _returned(outcome.value, len(losses))
        if isinstance(got, str):
            return Verdict(False, got)
        want = smooth_losses(losses, beta)
        if np.allclose(got, want, rtol=1e-9, atol=1e-12):
            continue
        if np.allclose(got, _unbiased(losses, beta), rtol=1e-9, atol=1e-12):
            return Verdict(
                False,
                tr(
                    "that is the moving average without bias correction: with beta={beta} its first value is "
                    "{got}, pulled towards 0; divide avg_i by (1 - beta**(i+1)) to get {want}.",
                    beta=beta,
                    got=f"{got[0]:.4f}",
                    want=f"{want[0]:.4f}",
                ),
            )
        if np.allclose(got, _swapped(losses, beta), rtol=1e-9, atol=1e-12):
            return Verdict(
                False, tr("beta and 1 - beta are swapped: beta weights the OLD average, 1 - beta the new loss.")
            )
        bad = int(np.argmax(~np.isclose(got, want, rtol=1e-9, atol=1e-12)))
        return Verdict(
            False,
            tr(
                "with losses {losses} and beta={beta}, value {index} is {got}; expected {want}.",
                losses=list(values),
                beta=beta,
                index=bad,
                got=f"{got[bad]:.6f}",
                want=f"{want[bad]:.6f}",
            ),
        )
    return Verdict(
        True,
        tr("bias-corrected EMA: the first value equals the first loss and later ones average ~1/(1-beta) batches."),
    )


@lru_cache(maxsize=1)
def _runs() -> tuple[float, float, float, float]:
    from lrutils.training.range_test import lr_range_test

    ours = lr_range_test(batch_size=EX2_BATCH)
    demo = lr_range_test()
    return ours.suggestion, ours.min_loss_lr, ours.steepest_lr, demo.suggestion


@answer_check
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
            tr(
                "run lr_range_test(batch_size={batch}), take the lr of the smallest smoothed loss, divide by 10.",
                batch=EX2_BATCH,
            ),
        )
    value = number(answer, asked=tr("a number (a learning rate)"))
    if value <= 0:
        return Verdict(False, tr("{lr} is no learning rate: a range test sweeps positive lrs.", lr=f"{value:g}"))
    want, minimum, steepest, demo = _runs()

    def near(x: float) -> bool:
        return abs(value - x) <= TOLERANCE * x

    shown_value = f"{value:.3e}"
    if near(want):
        return Verdict(
            True,
            tr(
                "{want}: with 4x larger batches the gradient is less noisy, so the loss keeps falling to a larger lr "
                "than at batch size 40 ({demo}). Rerun the test whenever the batch size changes.",
                want=f"{want:.3e}",
                demo=f"{demo:.3e}",
            ),
        )
    if near(demo):
        return Verdict(
            False,
            tr(
                "{lr} is the suggestion for batch size 40; rerun with batch_size={batch}.",
                lr=shown_value,
                batch=EX2_BATCH,
            ),
        )
    if near(minimum):
        return Verdict(
            False,
            tr("{lr} is the min-loss lr itself, already at the edge of divergence; divide by 10.", lr=shown_value),
        )
    if near(steepest):
        return Verdict(
            False, tr("{lr} is the steepest-slope rule; this exercise asks for min-loss lr / 10.", lr=shown_value)
        )
    if near(minimum / 100):
        return Verdict(False, tr("{lr} is 100x below the min-loss lr; divide by 10 only once.", lr=shown_value))
    return Verdict(False, tr("{lr} is not it: take r.lrs at np.argmin(r.smoothed), then divide by 10.", lr=shown_value))


SWEEP_START = 1e-4
SWEEP_END = 1.0
SWEEP_STEPS = 20


def check_sweep_loop(loop: Callable[[Any], Any] | None) -> Verdict:
    """Exercise 3: a raw-torch loop of 20 optimizer steps whose lr grows exponentially from 1e-4 (the
    optimizer's lr) to exactly 1.0 at the last step: ``lr_i = 1e-4 * (1.0 / 1e-4) ** (i / 19)``.

    >>> check_sweep_loop(None)
    not yet: no loop yet: define loop(optimizer) and pass it to the check.
    """
    what = tr(
        "an exponential sweep from {start} to {end} in {steps} steps",
        start=f"{SWEEP_START:g}",
        end=f"{SWEEP_END:g}",
        steps=SWEEP_STEPS,
    )
    short = [SWEEP_START * (SWEEP_END / SWEEP_START) ** (i / SWEEP_STEPS) for i in range(SWEEP_STEPS)]
    mistakes = {
        tr(
            "your last step used {last}, one factor short of {end}: {steps} steps have {gaps} gaps, so "
            "gamma = (end / start) ** (1 / {gaps}).",
            last=f"{short[-1]:.4g}",
            end=f"{SWEEP_END:g}",
            steps=SWEEP_STEPS,
            gaps=SWEEP_STEPS - 1,
        ): short,
        tr(
            "that sweep is linear (Smith's original test); this one multiplies the lr by the same factor every "
            "step, so that every decade gets the same number of steps."
        ): np.linspace(SWEEP_START, SWEEP_END, SWEEP_STEPS),
    }
    intended = sweep_lrs(SWEEP_START, SWEEP_END, SWEEP_STEPS)
    return check_loop(loop, intended, what, lr=SWEEP_START, mistakes=mistakes, needs_scheduler=False)


__all__ = ["SWEEP_END", "SWEEP_START", "SWEEP_STEPS", "check_batch160_max_lr", "check_smoothing", "check_sweep_loop"]
