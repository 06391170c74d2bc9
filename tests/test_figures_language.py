"""Korean figures: Hangul renders with the font lrutils ships, digits and the minus sign stay DejaVu's."""

from __future__ import annotations

import io
import warnings

import matplotlib
import pytest
from matplotlib.figure import Figure

from lrutils.figures.language import KOREAN_FONT, LATIN_FONT, font_family, use_language


@pytest.fixture
def korean():
    before = list(matplotlib.rcParams["font.family"])
    use_language("ko")
    yield
    matplotlib.rcParams["font.family"] = before


def render(title: str) -> bytes:
    fig = Figure(figsize=(4, 2))
    ax = fig.subplots()
    ax.plot([0, 1], [-0.5, 2])
    ax.set_title(title)
    ax.set_xlabel("에포크")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def test_hangul_renders_without_a_missing_glyph_warning(korean: None) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for boxes
        render("학습률 스케줄러: 계단식 감쇠 −0.5")


def test_without_the_korean_font_hangul_would_be_missing() -> None:
    """The check above can fail: with DejaVu alone the same title warns."""
    before = list(matplotlib.rcParams["font.family"])
    matplotlib.rcParams["font.family"] = [LATIN_FONT]
    try:
        with pytest.warns(UserWarning, match="missing from font"):
            render("학습률")
    finally:
        matplotlib.rcParams["font.family"] = before


def test_latin_first_so_digits_and_minus_keep_dejavu() -> None:
    assert font_family("ko")[0] == LATIN_FONT and font_family("en") == [LATIN_FONT]
    assert matplotlib.rcParams["axes.unicode_minus"]  # U+2212, which DejaVu Sans draws


def test_the_font_ships_with_its_licence() -> None:
    licence = KOREAN_FONT.with_name("OFL.txt").read_text()
    assert "SIL OPEN FONT LICENSE" in licence and "NAVER Corporation" in licence
    assert KOREAN_FONT.stat().st_size < 1_000_000
