"""Self-checks for notebook 13 (schedules in the wild).

* :func:`check_noam_lambda`: write the original Transformer's schedule as a LambdaLR factor, with
  the paper's step count (the first optimizer step is ``step_num = 1``).
* :func:`check_per_batch`: convert an epoch-based warm-up + cosine recipe to per-batch stepping.

Each check runs the real torch scheduler and compares every step with the intended schedule;
``None`` gives a polite "not yet", so the notebook runs top to bottom.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..curves.closed_form import lr_curve
from ..curves.torch_reference import torch_lr_curve
from ..training.loops import describe_error
from . import Verdict

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
        return Verdict(False, "write a function factor(t) (a lambda is fine) and pass it in.")
    if not callable(factor):
        raise TypeError(f"factor must be a function of the step t, got {type(factor).__name__}")
    try:
        factor(0)  # the first call: t = 0, where the step count matters most
    except ZeroDivisionError as err:
        return Verdict(
            False,
            f"at t = 0 your factor raised {describe_error(err)}. LambdaLR calls it with t = 0 for the first "
            "optimizer step, which the paper counts as step_num = 1: use step_num = t + 1.",
        )
    except Exception as err:  # the learner's code: report it, do not crash the notebook
        return Verdict(False, f"at t = 0 your factor raised {describe_error(err)}")
    try:
        got = torch_lr_curve("LambdaLR", NOAM_STEPS, base_lr=1.0, lr_lambda=factor)
    except Exception as err:
        return Verdict(False, f"LambdaLR with your factor raised {describe_error(err)}")
    want = lr_curve("noam", NOAM_STEPS, base_lr=1.0, d_model=NOAM_D_MODEL, warmup_steps=NOAM_WARMUP)
    scale = float(want.max())
    if _agree(got, want, scale):
        return Verdict(
            True,
            f"step_num = t + 1; the peak {want.max():.4e} = (d_model * warmup_steps)**-0.5 comes at t = "
            f"{int(np.argmax(want))}, the {NOAM_WARMUP}th optimizer step.",
        )
    steps = np.arange(NOAM_STEPS, dtype=float)
    if _agree(got, _noam(np.maximum(steps, 1.0)), scale):
        return Verdict(
            False,
            "t = 0 and t = 1 both use step_num = 1, so every later step runs one step behind the paper (the "
            "Annotated Transformer's rate() does this with `if step == 0: step = 1`); use step_num = t + 1.",
        )
    if _agree(got, _noam(steps + 1, 1.0), scale):
        return Verdict(
            False, f"the factor d_model**-0.5 is missing: your lrs are sqrt({NOAM_D_MODEL}) times too large."
        )
    if _agree(got, _noam(steps + 2), scale):
        return Verdict(False, "every step is one ahead of the paper: step_num = t + 1, not t + 2.")
    k = int(np.argmax(np.abs(got - want) > 1e-12 * scale + 1e-9 * np.abs(want)))
    return Verdict(
        False,
        f"at t = {k} LambdaLR set lr {got[k]:.6g}; the paper's lrate at step_num = {k + 1} is {want[k]:.6g}.",
    )


def check_per_batch(answer: Mapping[str, Any] | None) -> Verdict:
    """Exercise 2: the per-batch keywords of ``warmup_cosine(warmup_steps=5, T_max=85)`` (90 epochs, 50 batches each).

    ``answer`` is a dict ``{"warmup_steps": ..., "T_max": ...}`` for a scheduler stepped once per batch.

    >>> check_per_batch({"warmup_steps": 250, "T_max": 4250}).correct
    True
    >>> check_per_batch({"warmup_steps": 5, "T_max": 85})  # doctest: +ELLIPSIS
    not yet: these still count epochs: ...
    """
    if answer is None:
        return Verdict(False, 'set answer to a dict such as {"warmup_steps": 10, "T_max": 100} and run the cell again.')
    if not isinstance(answer, Mapping):
        raise TypeError(f"answer must be a dict with keys warmup_steps and T_max, got {type(answer).__name__}")
    if set(answer) != {"warmup_steps", "T_max"}:
        raise ValueError(f"answer must have exactly the keys warmup_steps and T_max, got {sorted(answer)}")
    for key, value in answer.items():
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise TypeError(f"answer[{key!r}] must be an int >= 1 (a number of batches), got {value!r}")
    w, t_max = int(answer["warmup_steps"]), int(answer["T_max"])
    n = EPOCHS * BATCHES_PER_EPOCH
    want_w, want_t = EPOCH_RECIPE["warmup_steps"] * BATCHES_PER_EPOCH, EPOCH_RECIPE["T_max"] * BATCHES_PER_EPOCH
    want = lr_curve("warmup_cosine", n, warmup_steps=want_w, T_max=want_t)
    got = torch_lr_curve("warmup_cosine", n, warmup_steps=w, T_max=t_max)
    if _agree(got, want, 0.1):
        per_epoch = lr_curve("warmup_cosine", EPOCHS, **EPOCH_RECIPE)
        same = _agree(got[::BATCHES_PER_EPOCH], per_epoch, 0.1)
        at_epochs = " at the first batch of every epoch the lr equals the per-epoch recipe's, and" if same else ""
        return Verdict(
            True,
            f"{want_w} and {want_t} batches are 5 and 85 epochs of {BATCHES_PER_EPOCH} batches;{at_epochs} "
            "within an epoch it now moves smoothly instead of in steps.",
        )
    if (w, t_max) == (EPOCH_RECIPE["warmup_steps"], EPOCH_RECIPE["T_max"]):
        return Verdict(
            False,
            f"these still count epochs: stepped per batch, the warm-up ends after {w} batches and the cosine "
            f"after {w + t_max}, then rises again (period 2 * T_max). Multiply by {BATCHES_PER_EPOCH}.",
        )
    parts = []
    if w != want_w:
        parts.append(f"warmup_steps: 5 epochs are {want_w} batches, not {w}")
    if t_max == n:
        parts.append(f"T_max counts the batches after the warm-up: {n} - {want_w} = {want_t}")
    elif t_max != want_t:
        parts.append(f"T_max: 85 epochs are {want_t} batches, not {t_max}")
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
