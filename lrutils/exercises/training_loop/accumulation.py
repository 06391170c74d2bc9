"""Exercise 2 of notebook 11: warm-up + cosine with gradient accumulation over k micro-batches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ...curves.closed_form import lr_curve
from ...text.i18n import tr
from ...training.loops import CaughtWarnings, LrRecorder, batch, describe_error, loss_of, two_part_model
from .. import Verdict, limits
from ..answers import function
from ..limits import run_learner
from ..loop_check import scheduler_steps

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
        return Verdict(
            False, tr("write a function train(model, optimizer, micro_batches) with its loop and pass it in.")
        )
    function(train, "train(model, optimizer, micro_batches)")
    model, optimizer = _fresh_accumulation_setup()
    with LrRecorder(optimizer) as used, CaughtWarnings() as caught, scheduler_steps(optimizer) as stepped:
        outcome = run_learner(train, model, optimizer, accumulation_batches())
    if outcome.out_of_time:
        return Verdict(
            False,
            tr(
                "your function was still running after {seconds:g} seconds and was stopped, after {n} optimizer "
                "steps: does every loop in it end?",
                seconds=limits.TIME_LIMIT,
                n=used.steps,
            ),
        )
    if outcome.error is not None:
        return Verdict(False, tr("your function raised {error}", error=describe_error(outcome.error)))
    if np.any(used.group_counts != 1) or len(optimizer.param_groups) != 1:
        return Verdict(
            False,
            tr("your function changed the optimizer's param groups; the exercise trains the one group it gets."),
        )
    lrs = used.lrs[:, 0] if used.steps else np.empty(0)
    torch_warned = any(
        "before `optimizer.step()`" in text
        for text, from_torch in zip(caught.texts, caught.from_torch, strict=True)
        if from_torch
    )
    warned = tr("(torch warned: 'Detected call of `lr_scheduler.step()` before `optimizer.step()`'.)")
    n, want_n = len(lrs), ACCUM_OPTIMIZER_STEPS
    if n != want_n:
        return Verdict(
            False,
            tr(
                "optimizer.step() ran {n} times; with {micro} micro-batches and k = {k} it should run {want} times, "
                "once after every {k}th micro-batch.",
                n=n,
                micro=ACCUM_MICRO_BATCHES,
                k=ACCUM_K,
                want=want_n,
            ),
        )
    want = _accumulation_curve(ACCUM_WARMUP, want_n - ACCUM_WARMUP)
    if _close(lrs, want) and stepped[0] == 0:
        return Verdict(
            False,
            tr(
                "no scheduler stepped the lr: your function used the intended lrs, but it set them itself. The "
                "exercise asks a scheduler to set them: build one on the optimizer and call its step()."
            ),
        )
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
                tr(
                    "the lrs are right, but the weights differ from the reference loop's: divide each micro-batch "
                    "loss by k = {k}, and call optimizer.zero_grad() after each optimizer.step(), not per "
                    "micro-batch.",
                    k=ACCUM_K,
                ),
            )
        return Verdict(
            True,
            tr(
                "{n} optimizer steps, each with the lr of the {n}-step schedule: warm-up over {warmup} optimizer "
                "steps, T_max = {n} - {warmup} = {t_max}.",
                n=want_n,
                warmup=ACCUM_WARMUP,
                t_max=want_n - ACCUM_WARMUP,
            ),
        )
    long = _accumulation_curve(ACCUM_WARMUP, want_n - ACCUM_WARMUP, ACCUM_MICRO_BATCHES + 1)
    per_micro = [long[np.arange(want_n) * ACCUM_K + ACCUM_K - 1 + shift] for shift in (0, 1)]
    if any(_close(lrs, p) for p in per_micro):
        message = tr(
            "the scheduler stepped once per micro-batch, {k}x too fast: the warm-up was over before the second "
            "optimizer step and the cosine reached 0 a quarter of the way in. Call scheduler.step() once per "
            "optimizer step.",
            k=ACCUM_K,
        )
        return Verdict(False, f"{message} {warned}" if torch_warned else message)
    micro_lengths = _accumulation_curve(ACCUM_WARMUP * ACCUM_K, (want_n - ACCUM_WARMUP) * ACCUM_K)
    if _close(lrs, micro_lengths):
        return Verdict(
            False,
            tr(
                "warm-up {warmup} and T_max {t_max} count micro-batches, but the scheduler steps once per optimizer "
                "step: the schedule runs {k}x too slowly and never ends. Count optimizer steps ({micro} / {k} = "
                "{n}).",
                warmup=ACCUM_WARMUP * ACCUM_K,
                t_max=(want_n - ACCUM_WARMUP) * ACCUM_K,
                k=ACCUM_K,
                micro=ACCUM_MICRO_BATCHES,
                n=want_n,
            ),
        )
    if _close(lrs, _accumulation_curve(ACCUM_WARMUP, want_n)):
        return Verdict(
            False,
            tr(
                "T_max counts the steps after the warm-up: {n} - {warmup} = {t_max}, so that the cosine ends at the "
                "last step.",
                n=want_n,
                warmup=ACCUM_WARMUP,
                t_max=want_n - ACCUM_WARMUP,
            ),
        )
    if _close(lrs, _accumulation_curve(ACCUM_WARMUP, want_n - ACCUM_WARMUP, want_n + 1)[1:]):
        message = tr(
            "every step used the next step's lr: scheduler.step() runs before optimizer.step(), so the first "
            "value of the warm-up is never used."
        )
        return Verdict(False, f"{message} {warned}" if torch_warned else message)
    k = int(np.argmax(np.abs(lrs - want) > 1e-12 * ACCUM_LR + 1e-9 * np.abs(want)))
    message = tr(
        "optimizer step {step} used lr {used}; the intended schedule has {want} there (warm-up over {warmup} "
        "optimizer steps from {start} * lr, then a cosine to 0).",
        step=k,
        used=f"{lrs[k]:.6g}",
        want=f"{want[k]:.6g}",
        warmup=ACCUM_WARMUP,
        start=ACCUM_START_FACTOR,
    )
    return Verdict(False, f"{message} {warned}" if torch_warned else message)


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
