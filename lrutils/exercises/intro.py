"""Self-checks for notebook 00 (what a scheduler is): a diverging learning rate, the training loop's order,
and a per-epoch scheduler in a loop over batches.

>>> check_diverging_lrs([0.09, 0.15])
right: 0.09 and 0.15 diverge: the steep direction is multiplied by |1 - lr * 25| > 1 at every step.
>>> check_loop_order("ABCDE").correct
False
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np

from ..curves.closed_form import lr_curve
from ..curves.surface import descend, max_stable_lr
from . import Verdict
from .loop_check import BASE_LR, check_loop

EXERCISE_CURVATURE = (1.0, 25.0)
"""The bowl of the first exercise: f = (x^2 + 25 y^2) / 2, so plain gradient descent diverges above 2/25 = 0.08."""
CANDIDATE_LRS = (0.05, 0.075, 0.09, 0.15)
"""The learning rates the learner sorts into converging and diverging."""

LOOP_LINES = {
    "A": "scheduler.step()",
    "B": "loss.backward()",
    "C": "optimizer.zero_grad()",
    "D": "optimizer.step()",
    "E": "loss = loss_fn(model(x), y)",
}
"""The five lines of one per-batch training step, labelled A-E in a shuffled order."""


def _diverges(lr: float, steps: int = 200) -> bool:
    """What really happens: run the bowl and see whether the loss ends above where it started."""
    path = descend(lr, steps=steps, curvature=EXERCISE_CURVATURE, start=(1.0, 1.0))
    end = np.abs(path[-1])
    return bool(not np.all(np.isfinite(end)) or end.max() > 1.0)


def _fmt(values: Iterable[float]) -> str:
    return " and ".join(f"{v:g}" for v in sorted(values)) or "none"


def _verb(values: list[float], verb: str) -> str:
    return verb + "s" if len(values) == 1 else verb


def check_diverging_lrs(answer: object) -> Verdict:
    """Check which of :data:`CANDIDATE_LRS` diverge on the bowl ``f = (x^2 + 25 y^2) / 2``.

    ``answer`` is the list (or set) of the candidates that diverge. ``None`` (the placeholder)
    gives a polite "not yet". The truth is found by running :func:`lrutils.curves.surface.descend`.

    >>> check_diverging_lrs([0.15]).correct
    False
    """
    if answer is None:
        return Verdict(False, f"list the learning rates among {list(CANDIDATE_LRS)} that diverge, e.g. [0.05].")
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        answer = [answer]
    if isinstance(answer, (str, bytes)) or not isinstance(answer, Iterable):
        raise TypeError(f"answer must be a list of learning rates (numbers), got {type(answer).__name__}")
    chosen = list(answer)
    if not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in chosen):
        raise TypeError(f"answer must contain only numbers (learning rates), got {chosen!r}")
    unknown = [v for v in chosen if not any(np.isclose(v, c) for c in CANDIDATE_LRS)]
    if unknown:
        raise ValueError(f"{_fmt(unknown)} is not one of the candidates {list(CANDIDATE_LRS)}")
    picked = {c for c in CANDIDATE_LRS if any(np.isclose(v, c) for v in chosen)}
    truth = {c for c in CANDIDATE_LRS if _diverges(c)}
    limit = max_stable_lr(EXERCISE_CURVATURE)
    b = max(EXERCISE_CURVATURE)
    if picked == truth:
        return Verdict(
            True,
            f"{_fmt(truth)} diverge: the steep direction is multiplied by |1 - lr * {b:g}| > 1 at every step.",
        )
    wrong = sorted(picked - truth)
    missed = sorted(truth - picked)
    parts = []
    if wrong:
        factors = ", ".join(f"|1 - {v:g} * {b:g}| = {abs(1 - v * b):.3g}" for v in wrong)
        parts.append(f"{_fmt(wrong)} still {_verb(wrong, 'converge')} ({factors} < 1: it zigzags but shrinks)")
    if missed:
        factors = ", ".join(f"|1 - {v:g} * {b:g}| = {abs(1 - v * b):.3g}" for v in missed)
        parts.append(f"{_fmt(missed)} {_verb(missed, 'diverge')} ({factors} > 1: each step overshoots further)")
    return Verdict(False, "; ".join(parts) + f". The limit is 2 / {b:g} = {limit:g}.")


_RIGHT_ORDERS = ("ECBDA", "CEBDA")


def check_loop_order(answer: object) -> Verdict:
    """Check the order of the five :data:`LOOP_LINES` (letters A-E) in one per-batch training step.

    The forward pass (E) and ``zero_grad`` (C) both come before ``backward`` (B), in either order;
    then ``optimizer.step()`` (D), then ``scheduler.step()`` (A). ``answer`` is a string like
    ``"ABCDE"`` or a list of letters; ``None`` (the placeholder) gives a polite "not yet".

    >>> check_loop_order("CEBDA")  # doctest: +ELLIPSIS
    right: forward and zero_grad (either order), backward, optimizer.step(), then scheduler.step(): the lr changes ...
    >>> check_loop_order(["E", "C", "B", "A", "D"]).correct
    False
    """
    if answer is None:
        return Verdict(False, 'write the letters A-E in the order the lines run, e.g. "ABCDE".')
    if isinstance(answer, str):
        letters = [ch for ch in answer.upper() if not ch.isspace() and ch not in ",-"]
    elif isinstance(answer, Iterable) and not isinstance(answer, bytes):
        letters = list(answer)
        if not all(isinstance(v, str) for v in letters):
            raise TypeError(f"answer must be letters A-E (a string or a list of strings), got {letters!r}")
        letters = [v.strip().upper() for v in letters]
    else:
        raise TypeError(f"answer must be a string like 'ABCDE' or a list of letters, got {type(answer).__name__}")
    if sorted(letters) != sorted(LOOP_LINES):
        raise ValueError(f"answer must use each of the letters A, B, C, D, E exactly once, got {''.join(letters)!r}")
    order = "".join(letters)
    if order in _RIGHT_ORDERS:
        return Verdict(
            True,
            "forward and zero_grad (either order), backward, optimizer.step(), then scheduler.step(): "
            "the lr changes only after it was used.",
        )
    pos = {letter: i for i, letter in enumerate(order)}
    if pos["A"] < pos["D"]:
        return Verdict(
            False,
            "scheduler.step() runs before optimizer.step(): torch warns 'Detected call of `lr_scheduler.step()` "
            "before `optimizer.step()`' and the first learning rate of the schedule is skipped.",
        )
    if pos["B"] > pos["D"]:
        return Verdict(False, "optimizer.step() needs the gradients, so loss.backward() must come before it.")
    if pos["E"] > pos["B"]:
        return Verdict(False, "loss.backward() needs the loss, so the forward line (E) must come before it.")
    # the only order left: zero_grad (C) after backward (B)
    return Verdict(
        False,
        "optimizer.zero_grad() after loss.backward() wipes the gradients just computed: it must come before backward.",
    )


EPOCHS = 3
BATCHES = 4
GAMMA = 0.5
"""The loop exercise: ``ExponentialLR(optimizer, gamma=0.5)`` stepped once per epoch, 3 epochs of 4 batches."""


def intended_epoch_loop_lrs() -> np.ndarray:
    """The lr of each of the 12 optimizer steps: 0.1 for the first epoch's 4 batches, then 0.05, then 0.025.

    >>> intended_epoch_loop_lrs().tolist()
    [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025]
    """
    return np.repeat(lr_curve("ExponentialLR", EPOCHS, base_lr=BASE_LR, gamma=GAMMA), BATCHES)


def check_epoch_loop(loop: object) -> Verdict:
    """Check the learner's ``loop(optimizer)``: ``ExponentialLR(gamma=0.5)`` over 3 epochs of 4 batches,
    ``optimizer.step()`` for every batch and ``scheduler.step()`` once per epoch, after the batches.

    >>> import torch
    >>> def loop(optimizer):
    ...     scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.5)
    ...     for epoch in range(3):
    ...         for batch in range(4):
    ...             optimizer.step()
    ...         scheduler.step()
    >>> check_epoch_loop(loop).correct
    True
    """
    what = f"ExponentialLR(gamma={GAMMA:g}) stepped once per epoch ({EPOCHS} epochs of {BATCHES} batches)"
    steps = EPOCHS * BATCHES
    per_batch = lr_curve("ExponentialLR", steps, base_lr=BASE_LR, gamma=GAMMA)
    epoch_early = np.repeat(lr_curve("ExponentialLR", EPOCHS + 1, base_lr=BASE_LR, gamma=GAMMA)[1:], BATCHES)
    mistakes = {
        f"your lr halves at every batch (0.1, 0.05, 0.025, ...): scheduler.step() sits inside the batch "
        f"loop. ExponentialLR here counts epochs: call it once per epoch, after the {BATCHES} batches.": per_batch,
        "your first epoch already used 0.05: scheduler.step() runs at the start of each epoch, before "
        "the batches. Call it after them (torch warns about this order at the first step).": epoch_early,
    }
    return check_loop(loop, intended_epoch_loop_lrs(), what, mistakes=mistakes)  # type: ignore[arg-type]


__all__ = [
    "BATCHES",
    "CANDIDATE_LRS",
    "EPOCHS",
    "EXERCISE_CURVATURE",
    "GAMMA",
    "LOOP_LINES",
    "check_diverging_lrs",
    "check_epoch_loop",
    "check_loop_order",
    "intended_epoch_loop_lrs",
]
