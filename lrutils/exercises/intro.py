"""Self-checks for notebook 00 (what a scheduler is): a diverging learning rate, a paired interval read
from the notebook's comparison over seeds, and the training loop's order.

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
from ..training.comparison import Comparison
from ..training.stats import Paired
from . import Verdict
from .answers import answer_check, joined, letters, numbers

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


SMALL = "small constant 0.025"
BASE = "constant 0.1"
METRIC = "train_loss"
"""The reading exercise: the paired difference ``SMALL - BASE`` in training loss, from notebook 00's comparison."""
TOLERANCE = 5e-4
"""How far each end of an answered interval may be from the truth (answers rounded to 3 decimals pass)."""


def _interval_text(low: float, high: float) -> str:
    return f"[{low:+.4f}, {high:+.4f}]"


def _close(answer: list[float], low: float, high: float) -> bool:
    return abs(answer[0] - low) <= TOLERANCE and abs(answer[1] - high) <= TOLERANCE


def _the_comparison(result: object) -> Comparison:
    """``result`` if it is a comparison holding both constants, else a clear error."""
    if not isinstance(result, Comparison):
        raise TypeError(
            tr(
                "result must be the comparison c of this notebook (from lrutils.compare), got {kind}",
                kind=type(result).__name__,
            )
        )
    missing = [label for label in (SMALL, BASE) if label not in result.runs]
    if missing:
        raise ValueError(
            tr(
                "result must hold the runs labelled {labels}; missing {missing}",
                labels=joined([repr(SMALL), repr(BASE)]),
                missing=joined([repr(m) for m in missing]),
            )
        )
    return result.with_baseline(BASE)


@answer_check
def check_paired_interval(answer: object, result: object) -> Verdict:
    """Exercise 2 of notebook 00: the 95 % interval ``[low, high]`` of the paired difference in training
    loss, small constant 0.025 minus constant 0.1, read from ``result`` (the notebook's comparison ``c``).

    ``answer`` is a list of two numbers; ``None`` (the placeholder) gives a polite "not yet". The
    truth is ``result.with_baseline("constant 0.1").paired("small constant 0.025", "train_loss")``.

    >>> from lrutils import Setup, compare
    >>> c = compare({SMALL: Setup(None, 0.025), BASE: Setup(None, 0.1)}, epochs=2, seeds=3, progress=False)
    >>> d = c.with_baseline(BASE).paired(SMALL, METRIC).difference
    >>> check_paired_interval([d.low, d.high], c).correct
    True
    """
    if answer is None:
        return Verdict(
            False,
            tr(
                "set answer to the paired interval [low, high] of the training loss, {small} minus {base}.",
                small=SMALL,
                base=BASE,
            ),
        )
    given = numbers(answer, asked=tr("a list of two numbers [low, high]"))
    paired_to_base = _the_comparison(result)
    if len(given) != 2:
        return Verdict(False, tr("give two numbers, the interval's ends [low, high]; got {n}.", n=len(given)))
    if given[0] > given[1]:
        return Verdict(False, tr("the lower end comes first: [low, high]."))
    p = paired_to_base.paired(SMALL, METRIC)
    d = p.difference
    if _close(given, d.low, d.high):
        return Verdict(True, _reading(paired_to_base, p))
    if _close(given, -d.high, -d.low):
        return Verdict(
            False,
            tr(
                "that is {base} minus {small}; the difference asked for is {small} minus {base}: "
                "c.paired(label, metric) subtracts the baseline ({base}) from label.",
                small=SMALL,
                base=BASE,
            ),
        )
    for label in (SMALL, BASE):
        own = paired_to_base.summary(label, METRIC)
        if _close(given, own.low, own.high):
            return Verdict(
                False,
                tr(
                    "that is the interval of {label} alone, from the table; pair the two setups seed by seed "
                    "with c.paired({small}, {metric}).",
                    label=label,
                    small=repr(SMALL),
                    metric=repr(METRIC),
                ),
            )
    other = paired_to_base.paired(SMALL, "val_loss").difference
    if _close(given, other.low, other.high):
        return Verdict(
            False, tr("that is the paired interval of the final validation loss; the question asks for train_loss.")
        )
    return Verdict(
        False,
        tr(
            "not the paired interval: compute p = c.paired({small}, {metric}) and read p.difference.low and "
            "p.difference.high (you said {given}).",
            small=repr(SMALL),
            metric=repr(METRIC),
            given=_interval_text(*given),
        ),
    )


def _reading(result: Comparison, p: Paired) -> str:
    """What the right interval says: the rule "a clear difference = the paired interval excludes 0"."""
    d = p.difference
    interval = _interval_text(d.low, d.high)
    if not p.clear:
        return tr(
            "{interval} contains 0: no clear difference in training loss between {small} and {base}.",
            interval=interval,
            small=SMALL,
            base=BASE,
        )
    small, base = result.summary(SMALL, METRIC), result.summary(BASE, METRIC)
    overlap = small.low <= base.high and base.low <= small.high
    if d.mean > 0:
        text = tr(
            "{interval} excludes 0: {small} ends with a clearly higher training loss than {base} "
            "(lower on only {wins} of {n} seeds)",
            interval=interval, small=SMALL, base=BASE, wins=p.wins, n=p.n,
        )  # fmt: skip
    else:
        text = tr(
            "{interval} excludes 0: {small} ends with a clearly lower training loss than {base} "
            "(lower on {wins} of {n} seeds)",
            interval=interval, small=SMALL, base=BASE, wins=p.wins, n=p.n,
        )  # fmt: skip
    if overlap:
        return text + tr(", although their own intervals in the table overlap.")
    return text + "."


__all__ = [
    "BASE",
    "CANDIDATE_LRS",
    "EXERCISE_CURVATURE",
    "LOOP_LINES",
    "METRIC",
    "SMALL",
    "check_diverging_lrs",
    "check_loop_order",
    "check_paired_interval",
]
