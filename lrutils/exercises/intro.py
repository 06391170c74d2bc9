"""Self-checks for notebook 00 (what a scheduler is): a diverging learning rate, the training loop's order,
and a per-epoch scheduler in a loop over batches.

>>> check_diverging_lrs([0.09, 0.15])
right: 0.09 and 0.15 diverge: the steep direction is multiplied by |1 - lr * 25| > 1 at every step.
>>> check_loop_order("ABCDE").correct
False
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..curves.surface import descend, max_stable_lr
from ..text.i18n import tr
from . import Verdict
from .answers import answer_check, joined, letters, numbers
from .loop_check import check_loop, epoch_mistakes, per_epoch_lrs

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
    return joined([f"{v:g}" for v in sorted(values)]) or tr("none")


def _factors(values: list[float], b: float) -> str:
    return ", ".join(f"|1 - {v:g} * {b:g}| = {abs(1 - v * b):.3g}" for v in values)


@answer_check
def check_diverging_lrs(answer: object) -> Verdict:
    """Check which of :data:`CANDIDATE_LRS` diverge on the bowl ``f = (x^2 + 25 y^2) / 2``.

    ``answer`` is the list of the candidates that diverge; a set, or a lone number for one lr,
    are fine too. ``None`` (the placeholder) gives a polite "not yet". The truth is found by
    running :func:`lrutils.curves.surface.descend`.

    >>> check_diverging_lrs([0.15]).correct
    False
    """
    if answer is None:
        return Verdict(
            False,
            tr("list the learning rates among {candidates} that diverge, e.g. [0.05].", candidates=list(CANDIDATE_LRS)),
        )
    chosen = numbers(answer, asked=tr("a list of learning rates (numbers)"), single=True, sets=True)
    unknown = [v for v in chosen if not any(np.isclose(v, c) for c in CANDIDATE_LRS)]
    if len(unknown) == 1:
        return Verdict(
            False,
            tr(
                "{lrs} is not one of the candidates {candidates}: list the candidates that diverge.",
                lrs=_fmt(unknown),
                candidates=list(CANDIDATE_LRS),
            ),
        )
    if unknown:
        return Verdict(
            False,
            tr(
                "{lrs} are not among the candidates {candidates}: list the candidates that diverge.",
                lrs=_fmt(unknown),
                candidates=list(CANDIDATE_LRS),
            ),
        )
    picked = {c for c in CANDIDATE_LRS if any(np.isclose(v, c) for v in chosen)}
    truth = {c for c in CANDIDATE_LRS if _diverges(c)}
    limit = max_stable_lr(EXERCISE_CURVATURE)
    b = max(EXERCISE_CURVATURE)
    if picked == truth:
        return Verdict(
            True,
            tr(
                "{lrs} diverge: the steep direction is multiplied by |1 - lr * {b}| > 1 at every step.",
                lrs=_fmt(truth),
                b=f"{b:g}",
            ),
        )
    wrong = sorted(picked - truth)
    missed = sorted(truth - picked)
    converge = (
        tr("{lrs} still converges ({factors} < 1: it zigzags but shrinks)"),
        tr("{lrs} still converge ({factors} < 1: it zigzags but shrinks)"),
    )
    diverge = (
        tr("{lrs} diverges ({factors} > 1: each step overshoots further)"),
        tr("{lrs} diverge ({factors} > 1: each step overshoots further)"),
    )
    said = ((wrong, *converge), (missed, *diverge))  # (lrs, the template for one, for several)
    parts = [
        (one if len(lrs) == 1 else many).format(lrs=_fmt(lrs), factors=_factors(lrs, b))
        for lrs, one, many in said
        if lrs
    ]
    return Verdict(
        False, tr("{parts}. The limit is 2 / {b} = {limit}.", parts="; ".join(parts), b=f"{b:g}", limit=f"{limit:g}")
    )


_RIGHT_ORDERS = ("ECBDA", "CEBDA")


@answer_check
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
        return Verdict(False, tr('write the letters A-E in the order the lines run, e.g. "ABCDE".'))
    order = letters(answer, "".join(LOOP_LINES))
    if order in _RIGHT_ORDERS:
        return Verdict(
            True,
            tr(
                "forward and zero_grad (either order), backward, optimizer.step(), then scheduler.step(): "
                "the lr changes only after it was used."
            ),
        )
    pos = {letter: i for i, letter in enumerate(order)}
    if pos["A"] < pos["D"]:
        return Verdict(
            False,
            tr(
                "scheduler.step() runs before optimizer.step(): torch warns 'Detected call of `lr_scheduler.step()` "
                "before `optimizer.step()`' and the first learning rate of the schedule is skipped."
            ),
        )
    if pos["B"] > pos["D"]:
        return Verdict(False, tr("optimizer.step() needs the gradients, so loss.backward() must come before it."))
    if pos["E"] > pos["B"]:
        return Verdict(False, tr("loss.backward() needs the loss, so the forward line (E) must come before it."))
    # the only order left: zero_grad (C) after backward (B)
    return Verdict(
        False,
        tr(
            "optimizer.zero_grad() after loss.backward() wipes the gradients just computed: it must come before "
            "backward."
        ),
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
    return per_epoch_lrs("ExponentialLR", EPOCHS, BATCHES, gamma=GAMMA)


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
    what = tr(
        "ExponentialLR(gamma={gamma}) stepped once per epoch ({epochs} epochs of {batches} batches)",
        gamma=f"{GAMMA:g}",
        epochs=EPOCHS,
        batches=BATCHES,
    )
    mistakes = epoch_mistakes("ExponentialLR", EPOCHS, BATCHES, gamma=GAMMA)
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
