"""Self-checks for the notebooks' exercises: each returns a :class:`Verdict` that says right or wrong and why.

One module per notebook topic (``step_decay``, ``onecycle``, ...); every check takes the learner's
answer, compares it with what torch really does, and explains the difference.
"""

from __future__ import annotations

from dataclasses import dataclass


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
