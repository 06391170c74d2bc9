"""Self-checks for notebook 12 (schedules in the wild).

* :func:`check_noam_lambda`: write the original Transformer's schedule as a LambdaLR factor, with
  the paper's step count (the first optimizer step is ``step_num = 1``).
* :func:`check_per_batch`: convert an epoch-based warm-up + cosine recipe to per-batch stepping.

Each check runs the real torch scheduler and compares every step with the intended schedule;
``None`` gives a polite "not yet", so the notebook runs top to bottom.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..curves.closed_form import lr_curve
from ..curves.torch_reference import torch_lr_curve
from ..text.i18n import tr
from ..training.loops import describe_error
from . import Verdict, limits
from .answers import answer_check, function, keyed, length, shown, whole
from .limits import run_learner

NOAM_D_MODEL = 512
NOAM_WARMUP = 4000
NOAM_STEPS = 12_000
"""Exercise 1 steps ``LambdaLR(Adam(lr=1.0), your_factor)`` this many times (d_model 512, warm-up 4000)."""

EPOCHS = 90
BATCHES_PER_EPOCH = 50
EPOCH_RECIPE: dict[str, int] = {"warmup_steps": 5, "T_max": 85}
"""Exercise 2's recipe, per epoch: ``lrutils.warmup_cosine(warmup_steps=5, T_max=85)`` over 90 epochs."""


def _agree(a: np.ndarray, b: np.ndarray, scale: float) -> bool:
    """The project's bar: ``|a - b| <= 1e-12 * scale + 1e-9 * |b|`` at every step."""
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= 1e-12 * scale + 1e-9 * np.abs(b)))


def _noam(step_num: np.ndarray, d_model: float = NOAM_D_MODEL) -> np.ndarray:
    return d_model**-0.5 * np.minimum(step_num**-0.5, step_num * NOAM_WARMUP**-1.5)


def check_noam_lambda(factor: Callable[[int], float] | None) -> Verdict:
    """Exercise 1: ``factor(t)`` for ``LambdaLR`` so that ``Adam(lr=1.0)`` follows the paper's lrate.

    ``lrate = d_model**-0.5 * min(step_num**-0.5, step_num * warmup_steps**-1.5)`` with
    ``d_model = 512``, ``warmup_steps = 4000`` and ``step_num = 1`` at the first optimizer step.

    >>> check_noam_lambda(lambda t: 512**-0.5 * min((t + 1) ** -0.5, (t + 1) * 4000**-1.5)).correct
    True
    >>> check_noam_lambda(lambda t: 512**-0.5 * min(t**-0.5, t * 4000**-1.5))  # doctest: +ELLIPSIS
    not yet: at t = 0 your factor raised ZeroDivisionError: ...
    """
    if factor is None:
        return Verdict(False, tr("write a function factor(t) (a lambda is fine) and pass it in."))
    function(factor, "factor(t)")
    first = run_learner(factor, 0)  # the first call: t = 0, where the step count matters most
    if isinstance(first.error, ZeroDivisionError):
        return Verdict(
            False,
            tr(
                "at t = 0 your factor raised {error}. LambdaLR calls it with t = 0 for the first optimizer step, "
                "which the paper counts as step_num = 1: use step_num = t + 1.",
                error=describe_error(first.error),
            ),
        )
    if first.error is not None:
        return Verdict(False, tr("at t = 0 your factor raised {error}", error=describe_error(first.error)))
    run = first
    if first.returned:  # every step once, under the time limit: torch's 12,000 steps take seconds themselves
        run = run_learner(lambda: [factor(t) for t in range(NOAM_STEPS)])
    if run.returned:
        run = run_learner(
            lambda: torch_lr_curve("LambdaLR", NOAM_STEPS, base_lr=1.0, lr_lambda=factor),
            seconds=20 * limits.TIME_LIMIT,
        )
    if run.out_of_time:
        return Verdict(
            False,
            tr(
                "your factor was still running after {seconds:g} seconds and was stopped: does every loop in it end?",
                seconds=limits.TIME_LIMIT,
            ),
        )
    if run.error is not None:
        return Verdict(False, tr("LambdaLR with your factor raised {error}", error=describe_error(run.error)))
    got = run.value
    want = lr_curve("noam", NOAM_STEPS, base_lr=1.0, d_model=NOAM_D_MODEL, warmup_steps=NOAM_WARMUP)
    scale = float(want.max())
    if _agree(got, want, scale):
        return Verdict(
            True,
            tr(
                "step_num = t + 1; the peak {peak} = (d_model * warmup_steps)**-0.5 comes at t = {t}, the "
                "{warmup}th optimizer step.",
                peak=f"{want.max():.4e}",
                t=int(np.argmax(want)),
                warmup=NOAM_WARMUP,
            ),
        )
    steps = np.arange(NOAM_STEPS, dtype=float)
    if _agree(got, _noam(np.maximum(steps, 1.0)), scale):
        return Verdict(
            False,
            tr(
                "t = 0 and t = 1 both use step_num = 1, so every later step runs one step behind the paper (the "
                "Annotated Transformer's rate() does this with `if step == 0: step = 1`); use step_num = t + 1."
            ),
        )
    if _agree(got, _noam(steps + 1, 1.0), scale):
        return Verdict(
            False,
            tr(
                "the factor d_model**-0.5 is missing: your lrs are sqrt({d_model}) times too large.",
                d_model=NOAM_D_MODEL,
            ),
        )
    if _agree(got, _noam(steps + 2), scale):
        return Verdict(False, tr("every step is one ahead of the paper: step_num = t + 1, not t + 2."))
    k = int(np.argmax(np.abs(got - want) > 1e-12 * scale + 1e-9 * np.abs(want)))
    return Verdict(
        False,
        tr(
            "at t = {t} LambdaLR set lr {got}; the paper's lrate at step_num = {step_num} is {want}.",
            t=k,
            got=f"{got[k]:.6g}",
            step_num=k + 1,
            want=f"{want[k]:.6g}",
        ),
    )


@answer_check
def check_per_batch(answer: Mapping[str, Any] | None) -> Verdict:
    """Exercise 2: the per-batch keywords of ``warmup_cosine(warmup_steps=5, T_max=85)`` (90 epochs, 50 batches each).

    ``answer`` is a dict ``{"warmup_steps": ..., "T_max": ...}`` for a scheduler stepped once per batch.

    >>> check_per_batch({"warmup_steps": 250, "T_max": 4250}).correct
    True
    >>> check_per_batch({"warmup_steps": 5, "T_max": 85})  # doctest: +ELLIPSIS
    not yet: these still count epochs: ...
    """
    if answer is None:
        return Verdict(
            False,
            tr(
                "set answer to a dict such as {example} and run the cell again.",
                example='{"warmup_steps": 10, "T_max": 100}',
            ),
        )
    given = keyed(answer, ["warmup_steps", "T_max"])
    n = EPOCHS * BATCHES_PER_EPOCH
    read = {
        key: whole(given[key], f"answer[{key!r}]", tr("a whole number (of batches)"), tr("batches")) for key in given
    }
    lengths = {}
    for key in ("warmup_steps", "T_max"):
        value = length(read[key], key, tr("batches"))
        if value > 100 * n:
            return Verdict(
                False,
                tr("{key}={value} is far longer than the run of {n} batches.", key=key, value=shown(value), n=n),
            )
        lengths[key] = value
    w, t_max = lengths["warmup_steps"], lengths["T_max"]
    want_w, want_t = EPOCH_RECIPE["warmup_steps"] * BATCHES_PER_EPOCH, EPOCH_RECIPE["T_max"] * BATCHES_PER_EPOCH
    want = lr_curve("warmup_cosine", n, warmup_steps=want_w, T_max=want_t)
    got = torch_lr_curve("warmup_cosine", n, warmup_steps=w, T_max=t_max)
    if _agree(got, want, 0.1):
        per_epoch = lr_curve("warmup_cosine", EPOCHS, **EPOCH_RECIPE)
        if _agree(got[::BATCHES_PER_EPOCH], per_epoch, 0.1):
            return Verdict(
                True,
                tr(
                    "{w} and {t} batches are 5 and 85 epochs of {batches} batches; at the first batch of every epoch "
                    "the lr equals the per-epoch recipe's, and within an epoch it now moves smoothly instead of in "
                    "steps.",
                    w=want_w,
                    t=want_t,
                    batches=BATCHES_PER_EPOCH,
                ),
            )
        return Verdict(
            True,
            tr(
                "{w} and {t} batches are 5 and 85 epochs of {batches} batches; within an epoch it now moves "
                "smoothly instead of in steps.",
                w=want_w,
                t=want_t,
                batches=BATCHES_PER_EPOCH,
            ),
        )
    if (w, t_max) == (EPOCH_RECIPE["warmup_steps"], EPOCH_RECIPE["T_max"]):
        return Verdict(
            False,
            tr(
                "these still count epochs: stepped per batch, the warm-up ends after {w} batches and the cosine "
                "after {end}, then rises again (period 2 * T_max). Multiply by {batches}.",
                w=w,
                end=w + t_max,
                batches=BATCHES_PER_EPOCH,
            ),
        )
    parts = []
    if w != want_w:
        parts.append(tr("warmup_steps: 5 epochs are {want} batches, not {got}", want=want_w, got=w))
    if t_max == n:
        parts.append(tr("T_max counts the batches after the warm-up: {n} - {w} = {t}", n=n, w=want_w, t=want_t))
    elif t_max != want_t:
        parts.append(tr("T_max: 85 epochs are {want} batches, not {got}", want=want_t, got=t_max))
    return Verdict(False, "; ".join(parts) + ".")


__all__ = [
    "BATCHES_PER_EPOCH",
    "EPOCHS",
    "EPOCH_RECIPE",
    "NOAM_D_MODEL",
    "NOAM_STEPS",
    "NOAM_WARMUP",
    "check_noam_lambda",
    "check_per_batch",
]
