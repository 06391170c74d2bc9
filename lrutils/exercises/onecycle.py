"""Self-checks for notebook 05 (OneCycleLR): where the cycle peaks, where it ends, how long it lasts,
and a raw-torch loop that steps it per batch (:func:`check_onecycle_loop`).

Each ``check_...`` takes the learner's answer, asks the real torch scheduler and returns a
:class:`~lrutils.exercises.Verdict` that says why a wrong answer is wrong. A placeholder answer
(``None``) gives a polite "not yet", so a notebook runs top to bottom.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..curves.closed_form import lr_curve
from ..curves.torch_reference import torch_lr_curve
from ..text.i18n import tr
from . import Verdict
from .answers import answer_check, no_answer_yet, number, shown, whole
from .loop_check import check_loop, per_epoch_lrs

LAST_LR_KWARGS: dict[str, Any] = {"max_lr": 0.3, "total_steps": 500, "div_factor": 10.0}
"""``OneCycleLR(optimizer, max_lr=0.3, total_steps=500, div_factor=10)`` for :func:`check_last_lr` (the notebook
prints the default cycle's ends, so the exercise changes ``max_lr`` and ``div_factor``)."""

ALLOWED_KWARGS: dict[str, Any] = {"max_lr": 0.1, "steps_per_epoch": 100, "epochs": 10}
"""The blog's ``OneCycleLR(optimizer, max_lr=0.1, steps_per_epoch=100, epochs=10)`` for :func:`check_allowed_steps`."""

PEAK_KWARGS: dict[str, Any] = {"max_lr": 0.1, "epochs": 5, "steps_per_epoch": 40, "pct_start": 0.25}
"""``OneCycleLR(optimizer, max_lr=0.1, epochs=5, steps_per_epoch=40, pct_start=0.25)`` for :func:`check_peak_step`
(the notebook prints the default cycle's peak, step 299 of 1000)."""
PEAK_TOTAL = PEAK_KWARGS["epochs"] * PEAK_KWARGS["steps_per_epoch"]

LOOP_EPOCHS = 4
LOOP_STEPS_PER_EPOCH = 5
LOOP_KWARGS: dict[str, Any] = {"max_lr": 0.1, "epochs": LOOP_EPOCHS, "steps_per_epoch": LOOP_STEPS_PER_EPOCH}
"""``OneCycleLR(optimizer, max_lr=0.1, epochs=4, steps_per_epoch=5)`` for :func:`check_onecycle_loop`."""


def _allowed_truth() -> int:
    """Count the ``scheduler.step()`` calls the real scheduler accepts before it raises.

    This one steps raw torch on purpose: the error past the end is the answer.
    """
    import torch

    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, **ALLOWED_KWARGS)
    calls = 0
    while True:
        optimizer.step()
        try:
            scheduler.step()
        except ValueError:
            return calls
        calls += 1


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-3, abs_tol=1e-15)


@answer_check
def check_last_lr(answer: float | None) -> Verdict:
    """Exercise: the lr at the last step (step 499) of ``OneCycleLR(max_lr=0.3, total_steps=500, div_factor=10)``.

    >>> check_last_lr(None).correct
    False
    >>> check_last_lr(3e-6).correct, check_last_lr(0.0).correct
    (True, False)
    """
    if answer is None:
        return no_answer_yet()
    guess = number(answer, asked=tr("a number (the lr at the last step)"))
    total, max_lr, div = LAST_LR_KWARGS["total_steps"], LAST_LR_KWARGS["max_lr"], LAST_LR_KWARGS["div_factor"]
    lrs = torch_lr_curve("OneCycleLR", total + 1, **LAST_LR_KWARGS)
    truth, one_past = float(lrs[-2]), float(lrs[-1])
    if _close(guess, truth):
        return Verdict(
            True,
            tr(
                "{lr} = max_lr / div_factor / final_div_factor = {max_lr} / {div} / 1e4.",
                lr=f"{truth:.1e}",
                max_lr=f"{max_lr:g}",
                div=f"{div:g}",
            ),
        )
    if guess == 0.0:
        why = tr("torch never reaches 0: it ends at initial_lr / final_div_factor, far below the start.")
    elif _close(guess, max_lr / div):
        why = tr(
            "{start} = max_lr / div_factor is where the cycle starts; it ends final_div_factor = 1e4 times lower.",
            start=f"{max_lr / div:g}",
        )
    elif _close(guess, max_lr / 1e4):
        why = tr("final_div_factor divides the initial lr (max_lr / div_factor), not max_lr.")
    elif _close(guess, max_lr / 25 / 1e4):
        why = tr("that uses the default div_factor = 25; this cycle sets div_factor = {div}.", div=f"{div:g}")
    elif _close(guess, truth / 10) or _close(guess, truth * 10):
        why = tr("check the power of ten: final_div_factor defaults to 1e4.")
    elif _close(guess, one_past):
        why = tr(
            "{lr} is the lr after one step too many (step {step}): the cosine has turned up again.",
            lr=f"{one_past:.1e}",
            step=total,
        )
    else:
        why = tr("start from initial_lr = max_lr / div_factor, then divide by final_div_factor (default 1e4).")
    return Verdict(False, tr("{guess} is not it; {why}", guess=f"{guess:.3e}", why=why))


@answer_check
def check_allowed_steps(answer: int | None) -> Verdict:
    """Exercise: how many ``scheduler.step()`` calls does the blog's OneCycleLR accept before it raises?

    >>> check_allowed_steps(1000).correct, check_allowed_steps(10).correct
    (True, False)
    """
    if answer is None:
        return no_answer_yet()
    guess = whole(answer, asked=tr("a whole number (of scheduler.step() calls)"), unit=tr("calls"))
    truth = _allowed_truth()
    if guess == truth:
        return Verdict(
            True,
            tr(
                "{truth} = epochs * steps_per_epoch calls; call {next} raises "
                "'Tried to step {next} times. The specified number of total steps is {truth}'.",
                truth=truth,
                next=truth + 1,
            ),
        )
    per_batch = tr("OneCycleLR is stepped once per batch: total_steps = epochs * steps_per_epoch.")
    hints = {
        truth - 1: tr("the constructor's own step sets step 0 and does not count; your calls 1..1000 all work."),
        truth + 1: tr("call {next} is the one that raises 'Tried to step {next} times'.", next=truth + 1),
        ALLOWED_KWARGS["epochs"]: per_batch,
        ALLOWED_KWARGS["epochs"] + 1: per_batch,
        ALLOWED_KWARGS["steps_per_epoch"]: tr(
            "that is one epoch; the cycle spans all epochs * steps_per_epoch batches."
        ),
    }
    why = hints.get(guess) or tr(
        "total_steps = epochs * steps_per_epoch; count the calls that may follow the constructor."
    )
    return Verdict(False, tr("{guess} is not it; {why}", guess=shown(guess), why=why))


@answer_check
def check_peak_step(answer: int | None) -> Verdict:
    """Exercise: at which step (0-based) does ``OneCycleLR(max_lr=0.1, epochs=5, steps_per_epoch=40,
    pct_start=0.25)`` reach max_lr?

    >>> check_peak_step(49).correct, check_peak_step(50).correct
    (True, False)
    """
    if answer is None:
        return no_answer_yet()
    guess = whole(answer, asked=tr("a whole number (a step, counted from 0)"))
    truth = int(np.argmax(torch_lr_curve("OneCycleLR", PEAK_TOTAL, **PEAK_KWARGS)))
    if guess == truth:
        return Verdict(
            True,
            tr(
                "the warm-up ends at step float(pct_start * total_steps) - 1 = {truth}, where lr = max_lr exactly.",
                truth=truth,
            ),
        )
    pct, per_epoch = PEAK_KWARGS["pct_start"], PEAK_KWARGS["steps_per_epoch"]
    if guess == truth + 1:
        why = tr(
            "torch ends the warm-up at pct_start * total_steps - 1: step 0 is the first of its {n} warm-up steps.",
            n=truth + 1,
        )
    elif guess in (PEAK_TOTAL // 2 - 1, PEAK_TOTAL // 2):
        why = tr("that is the middle, where the blog's sketch peaks; torch peaks after pct_start of the steps.")
    elif guess in (round(0.3 * PEAK_TOTAL) - 1, round(0.3 * PEAK_TOTAL)):
        why = tr("that is the default pct_start = 0.3; this cycle sets pct_start = {pct}.", pct=pct)
    elif guess in (0, 1, int(pct * per_epoch) - 1, int(pct * per_epoch)):
        why = tr(
            "the steps are batches of the whole run: total_steps = epochs * steps_per_epoch = {total}.",
            total=PEAK_TOTAL,
        )
    else:
        why = tr("the warm-up lasts pct_start * total_steps steps, counting step 0.")
    return Verdict(False, tr("{guess} is not it; {why}", guess=shown(guess), why=why))


def loop_intended() -> np.ndarray:
    """The lr of each of the ``epochs * steps_per_epoch`` optimizer steps of :data:`LOOP_KWARGS`.

    >>> len(loop_intended()), int(loop_intended().argmax())
    (20, 5)
    """
    return lr_curve("OneCycleLR", LOOP_EPOCHS * LOOP_STEPS_PER_EPOCH, **LOOP_KWARGS)


def _loop_mistakes() -> dict[str, np.ndarray]:
    """lrs of the usual OneCycleLR loop mistakes, each with what to change."""
    steps = LOOP_STEPS_PER_EPOCH
    return {
        tr(
            "your scheduler is stepped once per epoch: OneCycleLR counts batches (total_steps = epochs * "
            "steps_per_epoch = {total}), so the lr never leaves the warm-up. Call scheduler.step() after every "
            "optimizer.step().",
            total=LOOP_EPOCHS * steps,
        ): per_epoch_lrs("OneCycleLR", LOOP_EPOCHS, steps, **LOOP_KWARGS),
        tr(
            "your cycle has one step per epoch (total_steps = epochs), so the lr changes only between epochs. "
            "Build it with epochs and steps_per_epoch and step it after every batch."
        ): per_epoch_lrs("OneCycleLR", LOOP_EPOCHS, steps, max_lr=LOOP_KWARGS["max_lr"], total_steps=LOOP_EPOCHS),
    }


def check_onecycle_loop(loop: Any) -> Verdict:
    """Exercise: write ``loop(optimizer)`` that builds ``OneCycleLR(optimizer, max_lr=0.1, epochs=4,
    steps_per_epoch=5)`` and runs 4 epochs of 5 batches, stepping the scheduler after every batch.

    >>> import torch
    >>> def loop(optimizer):
    ...     scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, epochs=4, steps_per_epoch=5)
    ...     for epoch in range(4):
    ...         for _ in range(5):
    ...             optimizer.step()
    ...             scheduler.step()
    >>> check_onecycle_loop(loop).correct
    True
    """
    args = ", ".join(f"{k}={v!r}" for k, v in LOOP_KWARGS.items())
    what = tr("OneCycleLR(optimizer, {args}) stepped per batch", args=args)
    hints = {
        "Tried to step": tr(
            "The scheduler was built for fewer steps than the loop takes. Give it the loop's epochs and "
            "steps_per_epoch (or total_steps = epochs * steps_per_epoch)."
        )
    }
    return check_loop(loop, loop_intended(), what, mistakes=_loop_mistakes(), error_hints=hints)


__all__ = [
    "ALLOWED_KWARGS",
    "LAST_LR_KWARGS",
    "LOOP_EPOCHS",
    "LOOP_KWARGS",
    "LOOP_STEPS_PER_EPOCH",
    "PEAK_KWARGS",
    "PEAK_TOTAL",
    "check_allowed_steps",
    "check_last_lr",
    "check_onecycle_loop",
    "check_peak_step",
    "loop_intended",
]
