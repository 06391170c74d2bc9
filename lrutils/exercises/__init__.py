"""Self-checks for the notebooks' exercises: each returns a :class:`Verdict` that says right or wrong and why.

One module per notebook topic (``step_decay``, ``onecycle``, ...); every check takes the learner's
answer, compares it with what torch really does, and explains the difference. Loops a learner
writes are run and judged by :mod:`~lrutils.exercises.loop_check`.

One rule for every checker: **the kind of an answer decides whether a checker raises; its value
only decides the verdict.** Every checker reads answers with :mod:`~lrutils.exercises.answers`:

1. Numbers are ``int``, ``float``, ``Fraction``, ``Decimal``, numpy scalars, 0-d numpy arrays and
   0-d torch tensors; ``bool`` is not a number. Another kind raises ``TypeError`` naming the
   parameter and what it should hold; NaN and infinities raise ``ValueError``; a number beyond
   float range is a "far off" not-yet, never an ``OverflowError``.
2. A whole number (a step, an epoch, a count) may be written as any number whose value is whole:
   ``299.0``, ``np.float64(299.0)``, ``np.array(299)`` and ``torch.tensor(299)`` are 299. A
   non-whole number is a not-yet that says it is "not a whole number".
3. Lists are ``list``, ``tuple``, ``range``, 1-d numpy arrays and 1-d torch tensors, each element
   by rules 1 and 2. ``str``, ``set``, ``dict`` and a lone number raise ``TypeError``, unless the
   checker's docstring accepts them (``intro.check_diverging_lrs`` takes a set or one number).
4. A well-typed but wrong answer (outside the exercise's or the scheduler's range, a list of the
   wrong length, wrong or repeated letters, missing or extra keys, a value that is not one of the
   candidates) is a not-yet that says what is wrong with it, never an exception.
5. ``None``, the notebooks' placeholder, is a polite not-yet.
6. A function answer (a loop, ``smooth``, ``resume``, ``build``, ...) that is not callable raises
   ``TypeError``; whatever the function does (raises, returns junk, never ends, adds a param
   group, sets the lrs by hand) ends in a verdict within a time limit
   (:mod:`~lrutils.exercises.limits`), and the loop checkers add a step budget. A message never
   says the function raised when it returned, and never blames torch for the learner's warning.

Every message goes through :func:`lrutils.text.i18n.tr` as a constant English template, so that a
Korean catalog can replace it.

Layer 5, the top: may import every other package (:mod:`lrutils.curves`, :mod:`lrutils.figures`,
:mod:`lrutils.training`, :mod:`lrutils.explorer`, :mod:`lrutils.text`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..text.i18n import tr


@dataclass(frozen=True)
class Verdict:
    """The result of a self-check: ``correct`` and a one-line explanation.

    >>> Verdict(True, "StepLR halves the lr at epoch 10.")
    right: StepLR halves the lr at epoch 10.
    """

    correct: bool
    message: str

    def __repr__(self) -> str:
        return (tr("right: ") if self.correct else tr("not yet: ")) + self.message

    def __bool__(self) -> bool:
        return self.correct
