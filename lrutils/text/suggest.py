"""A "did you mean" hint for a mistyped name, used by every error that lists what is accepted."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .i18n import tr


def did_you_mean(word: object, candidates: Iterable[object]) -> str:
    """``"; did you mean 'x'?"`` for the closest candidate (case ignored), or ``""`` if none is close.

    >>> did_you_mean("steplr", ["StepLR", "ExponentialLR"])
    "; did you mean 'StepLR'?"
    >>> did_you_mean("xyz", ["StepLR"])
    ''
    """
    by_lower = {str(c).lower(): c for c in candidates}
    close = difflib.get_close_matches(str(word).lower(), list(by_lower), n=1, cutoff=0.6)
    return tr("; did you mean {word}?", word=repr(by_lower[close[0]])) if close else ""
