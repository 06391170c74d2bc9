"""Self-checks for the notebooks' exercises: each returns a :class:`Verdict` that says right or wrong and why.

One module per notebook topic (``step_decay``, ``onecycle``, ...); every check takes the learner's
answer, compares it with what torch really does, and explains the difference. Loops a learner
writes are run and judged by :mod:`~lrutils.exercises.loop_check`.

Layer 5, the top: may import every other package (:mod:`lrutils.curves`, :mod:`lrutils.figures`,
:mod:`lrutils.training`, :mod:`lrutils.explorer`, :mod:`lrutils.text`).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Verdict:
    """The result of a self-check: ``correct`` and a one-line explanation.

    >>> Verdict(True, "StepLR halves the lr at epoch 10.")
    right: StepLR halves the lr at epoch 10.
    """

    correct: bool
    message: str

    def __repr__(self) -> str:
        return ("right: " if self.correct else "not yet: ") + self.message

    def __bool__(self) -> bool:
        return self.correct


def number_answer(answer: Any, what: str) -> float | None:
    """A learner's answer as a float, ``None`` for the untouched placeholder, or a clear error.

    >>> number_answer(0.025, "answer"), number_answer(None, "answer")
    (0.025, None)
    """
    if answer is None:
        return None
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise TypeError(f"{what} must be a number, got {type(answer).__name__} {answer!r}")
    value = float(answer)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {answer!r}")
    return value
