"""Exercise 2 of notebook 12: warm-up + cosine with gradient accumulation over k micro-batches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ...curves.closed_form import lr_curve
from ...training.loops import CaughtWarnings, LrRecorder, batch, loss_of, two_part_model
from .. import Verdict

ACCUM_K = 4
ACCUM_MICRO_BATCHES = 96
ACCUM_WARMUP = 4
ACCUM_LR = 0.1
ACCUM_START_FACTOR = 0.25
ACCUM_OPTIMIZER_STEPS = ACCUM_MICRO_BATCHES // ACCUM_K


def accumulation_batches() -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The 96 micro-batches of exercise 2, ``(x, y)`` pairs of 8 points each.

    >>> len(accumulation_batches())
    96
    """
    return [batch(i) for i in range(ACCUM_MICRO_BATCHES)]


def _accumulation_curve(warmup: int, t_max: int, n_steps: int = ACCUM_OPTIMIZER_STEPS) -> np.ndarray:
    kwargs = {"warmup_steps": warmup, "T_max": t_max, "start_factor": ACCUM_START_FACTOR}
    return lr_curve("warmup_cosine", n_steps, ACCUM_LR, **kwargs)


def _reference_accumulation(model: torch.nn.Module, optimizer: torch.optim.Optimizer, micro: list[Any]) -> None:
    warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=ACCUM_START_FACTOR, total_iters=ACCUM_WARMUP)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=ACCUM_OPTIMIZER_STEPS - ACCUM_WARMUP)
    scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[ACCUM_WARMUP])
    for i, xy in enumerate(micro):
        (loss_of(model, xy) / ACCUM_K).backward()
        if (i + 1) % ACCUM_K == 0:
            optimizer.step()
            optimizer.zero_grad()
            scheduler.step()


def _fresh_accumulation_setup() -> tuple[torch.nn.Module, torch.optim.Optimizer]:
    model = two_part_model()
    return model, torch.optim.SGD(model.parameters(), lr=ACCUM_LR, momentum=0.9)


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    """The project's bar: ``|a - b| <= 1e-12 * ACCUM_LR + 1e-9 * |b|`` at every step, same length."""
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= 1e-12 * ACCUM_LR + 1e-9 * np.abs(b)))


def check_accumulation(train: Callable[[torch.nn.Module, torch.optim.Optimizer, list[Any]], Any] | None) -> Verdict:
    """Exercise 2: ``train(model, optimizer, micro_batches)`` accumulates k = 4 micro-batches per step.

    It must build its own scheduler: a LinearLR warm-up from ``0.25 * lr`` over the first 4
    optimizer steps, then CosineAnnealingLR down to 0 over the remaining ones. The check passes
    ``two_part_model()``, ``SGD(lr=0.1, momentum=0.9)`` and the 96 :func:`accumulation_batches`.

    >>> check_accumulation(None).correct
    False
    """
    if train is None:
        return Verdict(False, "write a function train(model, optimizer, micro_batches) with its loop and pass it in.")
    if not callable(train):
        raise TypeError(f"train must be a function train(model, optimizer, micro_batches), got {type(train).__name__}")
    model, optimizer = _fresh_accumulation_setup()
    with LrRecorder(optimizer) as used, CaughtWarnings() as caught:
        try:
            train(model, optimizer, accumulation_batches())
        except Exception as err:  # the learner's code: report it, do not crash the notebook
            return Verdict(False, f"your function raised {type(err).__name__}: {err}")
    lrs = used.lrs[:, 0] if used.lrs.size else np.empty(0)
    warned = " (torch warned: 'Detected call of `lr_scheduler.step()` before `optimizer.step()`'.)"
    warned = warned if any("before `optimizer.step()`" in t for t in caught.texts) else ""
    n, want_n = len(lrs), ACCUM_OPTIMIZER_STEPS
    if n != want_n:
        return Verdict(
            False,
            f"optimizer.step() ran {n} times; with {ACCUM_MICRO_BATCHES} micro-batches and k = {ACCUM_K} it should "
            f"run {want_n} times, once after every {ACCUM_K}th micro-batch.",
        )
    want = _accumulation_curve(ACCUM_WARMUP, want_n - ACCUM_WARMUP)
    if _close(lrs, want):
        reference_model, reference_optimizer = _fresh_accumulation_setup()
        _reference_accumulation(reference_model, reference_optimizer, accumulation_batches())
        same = all(
            torch.allclose(a, b, rtol=1e-4, atol=1e-6)
            for a, b in zip(model.parameters(), reference_model.parameters(), strict=True)
        )
        if not same:
            return Verdict(
                False,
                "the lrs are right, but the weights differ from the reference loop's: divide each micro-batch loss "
                f"by k = {ACCUM_K}, and call optimizer.zero_grad() after each optimizer.step(), not per micro-batch.",
            )
        return Verdict(
            True,
            f"{want_n} optimizer steps, each with the lr of the {want_n}-step schedule: warm-up over "
            f"{ACCUM_WARMUP} optimizer steps, T_max = {want_n} - {ACCUM_WARMUP} = {want_n - ACCUM_WARMUP}.",
        )
    long = _accumulation_curve(ACCUM_WARMUP, want_n - ACCUM_WARMUP, ACCUM_MICRO_BATCHES + 1)
    per_micro = [long[np.arange(want_n) * ACCUM_K + ACCUM_K - 1 + shift] for shift in (0, 1)]
    if any(_close(lrs, p) for p in per_micro):
        return Verdict(
            False,
            f"the scheduler stepped once per micro-batch, {ACCUM_K}x too fast: the warm-up was over before the "
            f"second optimizer step and the cosine reached 0 a quarter of the way in. Call scheduler.step() once "
            f"per optimizer step.{warned}",
        )
    micro_lengths = _accumulation_curve(ACCUM_WARMUP * ACCUM_K, (want_n - ACCUM_WARMUP) * ACCUM_K)
    if _close(lrs, micro_lengths):
        return Verdict(
            False,
            f"warm-up {ACCUM_WARMUP * ACCUM_K} and T_max {(want_n - ACCUM_WARMUP) * ACCUM_K} count micro-batches, but "
            f"the scheduler steps once per optimizer step: the schedule runs {ACCUM_K}x too slowly and never ends. "
            f"Count optimizer steps ({ACCUM_MICRO_BATCHES} / {ACCUM_K} = {want_n}).",
        )
    if _close(lrs, _accumulation_curve(ACCUM_WARMUP, want_n)):
        return Verdict(
            False,
            f"T_max counts the steps after the warm-up: {want_n} - {ACCUM_WARMUP} = {want_n - ACCUM_WARMUP}, "
            f"so that the cosine ends at the last step.",
        )
    if _close(lrs, _accumulation_curve(ACCUM_WARMUP, want_n - ACCUM_WARMUP, want_n + 1)[1:]):
        return Verdict(
            False,
            f"every step used the next step's lr: scheduler.step() runs before optimizer.step(), so the first "
            f"value of the warm-up is never used.{warned}",
        )
    k = int(np.argmax(np.abs(lrs - want) > 1e-12 * ACCUM_LR + 1e-9 * np.abs(want)))
    return Verdict(
        False,
        f"optimizer step {k} used lr {lrs[k]:.6g}; the intended schedule has {want[k]:.6g} there "
        f"(warm-up over {ACCUM_WARMUP} optimizer steps from {ACCUM_START_FACTOR} * lr, then a cosine to 0).{warned}",
    )


__all__ = [
    "ACCUM_K",
    "ACCUM_LR",
    "ACCUM_MICRO_BATCHES",
    "ACCUM_OPTIMIZER_STEPS",
    "ACCUM_START_FACTOR",
    "ACCUM_WARMUP",
    "accumulation_batches",
    "check_accumulation",
]
