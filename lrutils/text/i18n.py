"""One message catalog: what lrutils says to a learner, in English (the default) or Korean.

Every sentence a learner reads (checker feedback, verdicts, table captions and headers, progress
labels, explorer readouts, errors met in the notebooks) is written in the code as an English
template passed to :func:`tr`. The template is its own key: :func:`tr` looks it up in the catalog of
the language set by :func:`set_language` (``lrutils.setup(lang="ko")`` sets it), falls back to the
English template, and fills in the fields with :meth:`str.format`, so numbers are formatted the same
way in both languages. A template defined away from where it is used (a table of descriptions) is
marked with :func:`template`. The Korean templates live in ``ko.toml`` next to this module;
``tests/test_i18n.py`` checks that every template in the code has one, with the same fields.

>>> tr("{n} seeds", n=10)
'10 seeds'
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "ko")
"""The languages lrutils speaks: English (the default) and Korean."""
_CATALOG_FILES = {"ko": Path(__file__).with_name("ko.toml")}
_LABEL_FILES = {"ko": Path(__file__).with_name("ko_labels.toml")}

_current = "en"


@cache
def catalog_entries(lang: str) -> tuple[dict[str, Any], ...]:
    """Every ``[[message]]`` of ``lang``'s catalog file, as written (``todo = true``: not translated yet)."""
    if lang == "en":
        return ()
    return tuple(tomllib.loads(_CATALOG_FILES[lang].read_text(encoding="utf-8")).get("message", []))


@cache
def catalog(lang: str) -> dict[str, str]:
    """English template -> template in ``lang``, for the entries translated (empty for English).

    >>> catalog("en")
    {}
    """
    return {entry["en"]: entry[lang] for entry in catalog_entries(lang) if not entry.get("todo", False)}


@cache
def label_catalog(lang: str) -> dict[str, str]:
    """English label -> label in ``lang``: the legend labels and titles written in the notebooks' code.

    The notebooks' code is the same in both editions, so a label it passes to a figure (a dict key, a
    ``title=``) is English there; lrutils shows it in the learner's language (:func:`tr_label`).

    >>> label_catalog("en")
    {}
    """
    if lang == "en":
        return {}
    entries = tomllib.loads(_LABEL_FILES[lang].read_text(encoding="utf-8")).get("label", [])
    return {entry["en"]: entry[lang] for entry in entries}


def check_language(lang: object) -> str:
    """``lang`` if lrutils speaks it, else a clear error.

    >>> check_language("ko")
    'ko'
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGUAGES))}, got {lang!r}")
    return str(lang)


def set_language(lang: str) -> None:
    """Speak ``lang`` from now on (``"en"`` or ``"ko"``).

    >>> set_language("en"); current_language()
    'en'
    """
    global _current
    _current = check_language(lang)


def current_language() -> str:
    """The language :func:`tr` speaks now."""
    return _current


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Speak ``lang`` inside a ``with`` block, then the language before it."""
    before = _current
    set_language(lang)
    try:
        yield
    finally:
        set_language(before)


def template(text: str) -> str:
    """Mark ``text`` as a catalog template that is translated later, where it is used (``tr(TABLE[key])``).

    >>> template("validation loss")
    'validation loss'
    """
    return text


def tr(template: str, /, **fields: Any) -> str:
    """``template`` in the current language, with ``fields`` filled in.

    >>> tr("lower on {wins} of {n} seeds", wins=8, n=10)
    'lower on 8 of 10 seeds'
    """
    text = catalog(_current).get(template, template) if _current != "en" else template
    return text.format(**fields) if fields else text  # no fields: the caller fills it in with .format


def tr_label(text: str) -> str:
    """``text`` (a whole label or title, no fields) in the current language, or unchanged if no catalog has it.

    Looks in the label catalog (labels written in the notebooks' code), then in the message catalog
    (a fixed template lrutils draws as a label, e.g. the blog's sketch).

    >>> tr_label("no scheduler state")
    'no scheduler state'
    """
    if _current == "en":
        return text
    return label_catalog(_current).get(text) or catalog(_current).get(text, text)


__all__ = [
    "LANGUAGES",
    "catalog",
    "catalog_entries",
    "check_language",
    "current_language",
    "label_catalog",
    "language",
    "set_language",
    "template",
    "tr",
    "tr_label",
]
