"""Figures in the learner's language: a Hangul font for the Korean edition, shipped with lrutils.

matplotlib's DejaVu Sans has no Hangul: a Korean title would draw empty boxes and warn "Glyph ...
missing". :func:`use_language` registers NanumSquare (``fonts/NanumSquareR.ttf``, SIL Open Font
License, see ``fonts/README.md``) and lists it after DejaVu Sans, so every Latin letter, digit and
the minus sign keep DejaVu's glyphs and only Hangul comes from NanumSquare (matplotlib falls back
glyph by glyph). It works the same on every machine: no system font is needed.

>>> use_language("ko"); matplotlib.rcParams["font.family"]
['DejaVu Sans', 'NanumSquare']
>>> use_language("en"); matplotlib.rcParams["font.family"]
['DejaVu Sans']
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

from ..text.i18n import check_language, tr_label

KOREAN_FONT = Path(__file__).with_name("fonts") / "NanumSquareR.ttf"
LATIN_FONT = "DejaVu Sans"
"""matplotlib's own font: digits, Latin letters and the minus sign, in both editions."""


@cache
def korean_font_name() -> str:
    """Register the shipped Hangul font with matplotlib (once) and return its family name."""
    font_manager.fontManager.addfont(str(KOREAN_FONT))
    return font_manager.FontProperties(fname=str(KOREAN_FONT)).get_name()


def font_family(lang: str) -> list[str]:
    """The ``font.family`` list for ``lang``: DejaVu Sans, then the Hangul font for Korean.

    >>> font_family("en")
    ['DejaVu Sans']
    """
    return [LATIN_FONT, korean_font_name()] if check_language(lang) == "ko" else [LATIN_FONT]


def use_language(lang: str) -> None:
    """Set matplotlib's fonts for figures in ``lang`` (``"en"`` or ``"ko"``)."""
    matplotlib.rcParams["font.family"] = font_family(lang)


def localized(fig: Figure) -> Figure:
    """``fig`` with every title, axis label and legend entry that a catalog knows in the learner's language.

    lrutils' own words go through ``tr`` as a figure is drawn; the labels a notebook passes in (dict
    keys, ``title=``) are the same English in both editions, so every figure function hands its
    figure through here last, and each whole text is looked up with ``tr_label``. Styles are chosen by
    the English label before this, so a schedule keeps its colour in both editions.

    >>> fig = Figure(); _ = fig.subplots().set_title("no floor")
    >>> localized(fig).axes[0].get_title()
    'no floor'
    """
    for text in fig.findobj(Text):
        translated = tr_label(text.get_text())
        if translated != text.get_text():
            text.set_text(translated)
    return fig


__all__ = ["KOREAN_FONT", "LATIN_FONT", "font_family", "korean_font_name", "localized", "use_language"]
