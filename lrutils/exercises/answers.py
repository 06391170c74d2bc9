"""Reading a learner's answer the same way in every checker: the kind of an answer decides whether
a checker raises, its value only decides the verdict.

* :func:`number` reads a number: ``int``, ``float``, ``Fraction``, ``Decimal``, numpy scalars, 0-d
  numpy arrays and 0-d torch tensors (``bool`` is not a number). NaN and infinities raise
  ``ValueError``; a number too large for a float is a "far off" not-yet.
* :func:`whole` reads a whole number (a step, an epoch, a count): a number whose value is whole
  (``299.0``, ``np.float64(299.0)``, ``np.array(299)``, ``torch.tensor(299)``) is that int; a
  non-whole one is a not-yet that says "not a whole number".
* :func:`numbers` and :func:`wholes` read a list: ``list``, ``tuple``, ``range``, a 1-d numpy array
  or a 1-d torch tensor, each element by the rules above. ``str``, ``set``, ``dict`` and a lone
  number raise ``TypeError`` unless the checker documents that it accepts them.
* :func:`letters`, :func:`keyed` and :func:`function` read a string of letters, a dict with fixed
  keys and a function.

A reader raises ``TypeError`` (naming the parameter and what it should hold) for the wrong kind of
answer, and :class:`NotYet` for a well-typed answer it can already tell is wrong;
:func:`answer_check` turns :class:`NotYet` into a not-yet :class:`~lrutils.exercises.Verdict`.
``None``, the notebooks' placeholder, is each checker's own polite "not yet" and never reaches a reader.

>>> whole(np.float64(299.0))
299
>>> @answer_check
... def check(answer):
...     return Verdict(whole(answer) == 299, "the peak")
>>> check(299.5)
not yet: 299.5 is not a whole number: steps are counted 0, 1, 2, ...
"""

from __future__ import annotations

import decimal
import functools
import math
import numbers as _abc
import reprlib
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
import torch

from ..text.i18n import tr
from . import Verdict

Check = TypeVar("Check", bound=Callable[..., Verdict])

_SHORT = reprlib.Repr()
_SHORT.maxstring = 40
_SHORT.maxother = 40
_SHORT.maxlong = 40
_SHORT.maxlist = 6
_SHORT.maxtuple = 6


class NotYet(Exception):
    """A well-typed answer that is wrong: :func:`answer_check` makes it a not-yet verdict with this message.

    >>> str(NotYet("299.5 is not a whole number"))
    '299.5 is not a whole number'
    """


def answer_check(check: Check) -> Check:
    """Decorate a checker: a :class:`NotYet` raised while it reads the answer becomes ``Verdict(False, message)``.

    >>> @answer_check
    ... def check(answer):
    ...     raise NotYet("far off")
    >>> check(1)
    not yet: far off
    """

    @functools.wraps(check)
    def checked(*args: Any, **kwargs: Any) -> Verdict:
        try:
            return check(*args, **kwargs)
        except NotYet as wrong:
            return Verdict(False, str(wrong))

    return checked  # type: ignore[return-value]


def no_answer_yet() -> Verdict:
    """The polite not-yet for the notebooks' placeholder ``None``.

    >>> no_answer_yet()
    not yet: replace None with your answer, then run the cell again
    """
    return Verdict(False, tr("replace None with your answer, then run the cell again"))


def shown(value: object) -> str:
    """``value`` as the learner wrote it, cut short when long: quotes for a str, digits for a number.

    >>> shown("0.025"), shown(0.025), shown(np.float64(299.5)), shown(torch.tensor(3))
    ("'0.025'", '0.025', '299.5', '3')
    """
    value = _scalar(value)
    if isinstance(value, float):
        return repr(value)
    return _SHORT.repr(value)


def joined(items: Sequence[str]) -> str:
    """``"a, b and c"`` (``""`` for none), for lists inside messages.

    >>> joined(["0.09"]), joined(["0.09", "0.15"]), joined(["a", "b", "c"])
    ('0.09', '0.09 and 0.15', 'a, b and c')
    """
    if len(items) < 2:
        return "".join(items)
    return tr("{items} and {last}", items=", ".join(items[:-1]), last=items[-1])


def kind(value: object) -> str:
    """The type of ``value`` in a message: ``'str'``, ``'float32 tensor'``, ``'2-d ndarray'``.

    >>> kind("x"), kind(torch.tensor(0.1)), kind(np.zeros((2, 2))), kind(np.float64(1))
    ('str', 'float32 tensor', '2-d ndarray', 'float64')
    """
    if isinstance(value, torch.Tensor):
        dtype = str(value.dtype).removeprefix("torch.")
        return f"{dtype} tensor" if value.dim() == 0 else f"{value.dim()}-d {dtype} tensor"
    if isinstance(value, np.ndarray):
        return f"{value.ndim}-d ndarray"
    return type(value).__name__


def wrong_kind(name: str, asked: str, value: object) -> TypeError:
    """The error for an answer of the wrong kind: ``name must be asked, got <kind> <value>``.

    >>> wrong_kind("answer", "a list of epochs", {4}).args[0]
    'answer must be a list of epochs, got set {4}'
    """
    return TypeError(
        tr("{name} must be {asked}, got {kind} {value}", name=name, asked=asked, kind=kind(value), value=shown(value))
    )


def _far_off(value: object) -> NotYet:
    if isinstance(value, _abc.Integral):
        return NotYet(tr("a number with {digits} digits is far off.", digits=len(str(abs(int(value))))))
    return NotYet(tr("{value} is far off.", value=shown(value)))


def _scalar(value: object) -> object:
    """A 0-d numpy array, a 0-d torch tensor or a numpy scalar as the Python number it holds; else ``value``."""
    if isinstance(value, torch.Tensor) and value.dim() == 0:
        return value.item()
    if isinstance(value, (np.ndarray, np.generic)) and np.ndim(value) == 0:
        return value.item()
    return value


def is_number(value: object) -> bool:
    """Whether :func:`number` reads ``value`` (``bool`` is not a number).

    >>> is_number(np.array(0.1)), is_number(True), is_number("1")
    (True, False, False)
    """
    value = _scalar(value)
    return not isinstance(value, bool) and isinstance(value, (_abc.Real, decimal.Decimal))


def number(answer: object, name: str = "answer", asked: str | None = None) -> float:
    """``answer`` as a float: ``TypeError`` if it is not a number, ``ValueError`` if it is NaN or infinite.

    ``name`` is the parameter the learner set and ``asked`` what it should hold (for the error).
    A number beyond float range raises :class:`NotYet` ("far off").

    >>> from fractions import Fraction
    >>> number(np.array(0.025)), number(Fraction(1, 4)), number(torch.tensor(2))
    (0.025, 0.25, 2.0)
    >>> number("0.025", asked="the lr at epoch 25 (a number)")
    Traceback (most recent call last):
    TypeError: answer must be the lr at epoch 25 (a number), got str '0.025'
    """
    value = _scalar(answer)
    if not is_number(value):
        raise wrong_kind(name, asked or tr("a number"), answer)
    if isinstance(value, decimal.Decimal) and not value.is_finite():
        raise ValueError(tr("{name} must be a finite number, got {value}", name=name, value=shown(answer)))
    try:
        result = float(value)  # type: ignore[arg-type]
    except OverflowError:
        raise _far_off(value) from None
    if math.isinf(result) and isinstance(value, decimal.Decimal):
        raise _far_off(value)
    if not math.isfinite(result):
        raise ValueError(tr("{name} must be a finite number, got {value}", name=name, value=shown(answer)))
    return result


def whole(answer: object, name: str = "answer", asked: str | None = None, unit: str | None = None) -> int:
    """``answer`` as an int when its value is whole (``299.0`` is 299); a not-yet when it is not.

    ``unit`` names what is counted (default ``"steps"``) in the not-yet: "299.5 is not a whole
    number: steps are counted 0, 1, 2, ...". Other kinds raise as in :func:`number`.

    >>> whole(torch.tensor(299)), whole(np.array(7.0)), whole(decimal.Decimal("900"))
    (299, 7, 900)
    """
    value = _scalar(answer)
    if not is_number(value):
        raise wrong_kind(name, asked or tr("a whole number"), answer)
    if isinstance(value, _abc.Integral):
        if abs(int(value)) > sys.float_info.max:
            raise _far_off(value)
        return int(value)
    result = number(value, name, asked)
    if not result.is_integer():
        raise NotYet(
            tr(
                "{value} is not a whole number: {unit} are counted 0, 1, 2, ...",
                value=shown(result),
                unit=unit or tr("steps"),
            )
        )
    return int(result)


def length(
    answer: object, what: str, counts: str, name: str = "answer", asked: str | None = None, unit: str | None = None
) -> int:
    """A whole number of at least 1 that counts ``counts`` (a scheduler's ``T_max``, ``step_size``, ...).

    ``what`` names it in the not-yet for a value below 1: "T_max=0 is no length: it counts the
    scheduler steps of one descent, at least 1". Other values are read as in :func:`whole`.

    >>> length(30.0, "step_size", "the epochs between decays")
    30
    """
    value = whole(answer, name, asked, unit)
    if value < 1:
        raise NotYet(
            tr("{what}={value} is no length: it counts {counts}, at least 1.", what=what, value=value, counts=counts)
        )
    return value


def _elements(answer: object, name: str, asked: str, single: bool, sets: bool) -> list[object]:
    """The elements of a list-like answer (see :func:`numbers`), or ``TypeError``."""
    if isinstance(answer, (torch.Tensor, np.ndarray)):
        ndim = answer.dim() if isinstance(answer, torch.Tensor) else answer.ndim
        if ndim == 1:
            return list(answer.tolist())
        if ndim == 0 and single:
            return [answer]
        raise wrong_kind(name, asked, answer)
    if isinstance(answer, (set, frozenset)) and sets:
        return list(answer)
    if isinstance(answer, Sequence) and not isinstance(answer, (str, bytes, bytearray)):
        return list(answer)
    if single and is_number(answer):
        return [answer]
    raise wrong_kind(name, asked, answer)


def numbers(
    answer: object, name: str = "answer", asked: str | None = None, single: bool = False, sets: bool = False
) -> list[float]:
    """A list of numbers: list, tuple, 1-d numpy array or 1-d torch tensor, each element read by :func:`number`.

    ``single=True`` also takes a lone number as a list of one, ``sets=True`` a set (for checkers
    that say so); otherwise those, ``str`` and ``dict`` raise ``TypeError``.

    >>> numbers(torch.tensor([0.5, 0.25], dtype=torch.float64)), numbers(0.1, single=True)
    ([0.5, 0.25], [0.1])
    """
    asked = asked or tr("a list of numbers")
    items = _elements(answer, name, asked, single, sets)
    return [number(item, f"{name}[{i}]") for i, item in enumerate(items)]


def wholes(answer: object, name: str = "answer", asked: str | None = None, unit: str | None = None) -> list[int]:
    """A list of whole numbers, each element read by :func:`whole` (``[4.0, 10.0]`` is ``[4, 10]``).

    >>> wholes(np.array([4, 10, 16])), wholes((4.0, 10.0))
    ([4, 10, 16], [4, 10])
    """
    asked = asked or tr("a list of whole numbers")
    items = _elements(answer, name, asked, single=False, sets=False)
    return [whole(item, f"{name}[{i}]", unit=unit) for i, item in enumerate(items)]


def letters(answer: object, alphabet: str, name: str = "answer") -> str:
    """A string of letters using each of ``alphabet`` once: ``"c e b d a"``, ``"C,E,B,D,A"`` or a list of letters.

    Another kind raises ``TypeError``; letters that are missing, repeated or not in ``alphabet``
    are a not-yet that names them.

    >>> letters("c, e b-d a", "ABCDE"), letters(["E", "c", "B", "D", "A"], "ABCDE")
    ('CEBDA', 'ECBDA')
    """
    asked = tr("a string of the letters {letters} such as {example}", letters=alphabet, example=repr(alphabet))
    if isinstance(answer, str):
        found = [ch for ch in answer.upper() if not ch.isspace() and ch not in ",-"]
    elif isinstance(answer, Sequence) and not isinstance(answer, (bytes, bytearray)):
        if not all(isinstance(item, str) for item in answer):
            raise wrong_kind(name, asked, answer)
        found = [item.strip().upper() for item in answer]
    else:
        raise wrong_kind(name, asked, answer)
    order = "".join(found)
    problems = []
    unknown = sorted({ch for ch in found if ch not in alphabet})
    if unknown:
        problems.append(tr("{letters} not among {alphabet}", letters=", ".join(unknown), alphabet=alphabet))
    missing = [ch for ch in alphabet if ch not in found]
    if missing:
        problems.append(tr("{letters} missing", letters=", ".join(missing)))
    repeated = sorted({ch for ch in found if found.count(ch) > 1})
    if repeated:
        problems.append(tr("{letters} more than once", letters=", ".join(repeated)))
    if problems:
        raise NotYet(
            tr(
                "{answer} does not use each of the letters {alphabet} exactly once: {problems}.",
                answer=repr(order),
                alphabet=alphabet,
                problems="; ".join(problems),
            )
        )
    return order


def keyed(answer: object, keys: Collection[str], name: str = "answer") -> Mapping[str, Any]:
    """A dict with exactly ``keys``: another kind raises ``TypeError``, missing or extra keys are a not-yet.

    >>> dict(keyed({"T_max": 10}, ["T_max"]))
    {'T_max': 10}
    """
    wanted = ", ".join(keys)
    if not isinstance(answer, Mapping):
        raise wrong_kind(name, tr("a dict with the keys {keys}", keys=wanted), answer)
    missing = [k for k in keys if k not in answer]
    extra = [shown(k) for k in answer if k not in keys]
    if missing or extra:
        problems = []
        if missing:
            problems.append(tr("{keys} missing", keys=", ".join(missing)))
        if extra:
            problems.append(tr("{keys} not asked for", keys=", ".join(extra)))
        raise NotYet(
            tr(
                "{name} needs exactly the keys {keys}: {problems}.",
                name=name,
                keys=wanted,
                problems="; ".join(problems),
            )
        )
    return answer


def function(answer: object, signature: str) -> Callable[..., Any]:
    """``answer`` if it can be called; else ``TypeError`` that names the function asked for, e.g. ``loop(optimizer)``.

    >>> function(print, "loop(optimizer)") is print
    True
    """
    if not callable(answer):
        raise TypeError(
            tr(
                "{name} must be a function {signature}, got {kind} {value}",
                name=signature.partition("(")[0],
                signature=signature,
                kind=kind(answer),
                value=shown(answer),
            )
        )
    return answer


__all__ = [
    "NotYet",
    "answer_check",
    "function",
    "is_number",
    "joined",
    "keyed",
    "kind",
    "length",
    "letters",
    "no_answer_yet",
    "number",
    "numbers",
    "shown",
    "whole",
    "wholes",
    "wrong_kind",
]
