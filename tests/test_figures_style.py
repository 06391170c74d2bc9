"""The series' colours read for everyone: contrast on white, and apart under colour-vision deficiencies.

Contrast: WCAG 2's ratio (L1 + 0.05) / (L2 + 0.05) of relative luminances; graphics need 3:1.
Colour-vision deficiencies: Machado, Oliveira and Fernandes (2009), "A physiologically-based model
for simulation of color vision deficiency", severity 1.0 matrices, applied to linear RGB; colour
difference: CIE76 ΔE (Euclidean distance in CIELAB, D65). For scale: 100 separates tab:orange from
tab:green for normal vision, 5 for a protanope (the issue that replaced matplotlib's tab10).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from lrutils.figures import style

MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}
VISIONS = (None, *MACHADO)
MIN_CONTRAST = 3.0
MIN_DELTA_E = 15.0
"""Colours shown together differ by at least this much (CIE76) for every vision simulated."""

TOGETHER = [
    ["constant", "StepLR", "ExponentialLR", "CosineAnnealingLR", "ReduceLROnPlateau", "OneCycleLR"],  # 07
    ["constant", "CosineAnnealingLR", "warmup_cosine"],  # 08, 13
    ["constant", "CosineAnnealingLR", "CosineAnnealingWarmRestarts"],  # 03, 09
    ["constant", "CosineAnnealingLR", "CyclicLR"],  # 10
    ["warmup_cosine", "warmup_stable_decay"],  # 08
    ["StepLR", "MultiStepLR"],  # 01
]
"""Schedules that notebooks draw in one figure."""


def linear(colour: str) -> np.ndarray:
    """sRGB -> linear RGB."""
    c = np.asarray(to_rgb(colour), dtype=float)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def contrast_on_white(colour: str) -> float:
    """WCAG 2 contrast ratio against white."""
    luminance = float(np.dot([0.2126, 0.7152, 0.0722], linear(colour)))
    return 1.05 / (luminance + 0.05)


def lab(colour: str, vision: str | None = None) -> np.ndarray:
    """CIELAB (D65) of ``colour`` as seen with ``vision`` (a key of MACHADO, or None for normal vision)."""
    rgb = linear(colour)
    if vision is not None:
        rgb = np.clip(np.array(MACHADO[vision]) @ rgb, 0.0, 1.0)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, vision: str | None = None) -> float:
    """CIE76 colour difference of two colours as seen with ``vision``."""
    return float(np.linalg.norm(lab(a, vision) - lab(b, vision)))


def test_the_measures_reproduce_known_values() -> None:
    """Without this, a broken measure could pass every check below."""
    assert contrast_on_white("#000000") == pytest.approx(21.0)
    assert contrast_on_white("#777777") == pytest.approx(4.48, abs=0.01)  # WCAG's famous grey
    assert delta_e("#ffffff", "#000000") == pytest.approx(100.0, abs=0.01)
    assert delta_e("tab:orange", "tab:green") > 90
    assert delta_e("tab:orange", "tab:green", "protanopia") < 6  # the pair the issue measured at 5
    assert delta_e("#ff0000", "#00ff00", "deuteranopia") < delta_e("#ff0000", "#00ff00") / 3


COLOURS = sorted({*style.PALETTE, *style.SCHEDULE_COLORS.values()})


@pytest.mark.parametrize("colour", COLOURS)
def test_every_colour_has_3_to_1_contrast_on_white(colour: str) -> None:
    assert contrast_on_white(colour) >= MIN_CONTRAST, f"{colour}: {contrast_on_white(colour):.2f}:1"


def _far_apart(colours: dict[str, str]) -> list[str]:
    problems = []
    for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
        for vision in VISIONS:
            d = delta_e(ca, cb, vision)
            if d < MIN_DELTA_E:
                problems.append(f"{a} {ca} vs {b} {cb}: ΔE {d:.1f} ({vision or 'normal vision'})")
    return problems


@pytest.mark.parametrize("names", TOGETHER, ids=lambda names: "+".join(names))
def test_schedules_drawn_together_differ_for_every_vision(names: list[str]) -> None:
    assert _far_apart({name: style.SCHEDULE_COLORS[name] for name in names}) == []


def test_the_first_six_fallback_colours_differ_for_every_vision() -> None:
    """Curves that are not named schedules (notebook 10 compares six) take the palette in order."""
    assert _far_apart({f"PALETTE[{i}]": c for i, c in enumerate(style.PALETTE[:6])}) == []


@pytest.mark.parametrize("names", TOGETHER, ids=lambda names: "+".join(names))
def test_schedules_drawn_together_differ_in_line_style_and_marker(names: list[str]) -> None:
    looks = [style.SCHEDULE_LOOKS[name] for name in names]
    assert len({str(look.linestyle) for look in looks}) == len(looks)
    assert len({look.marker for look in looks}) == len(looks)


def test_every_schedule_has_its_own_line_style_and_marker() -> None:
    """No two schedules share (line style, marker), nor (colour, line style): hue is never all that differs."""
    looks = {name: look for name, look in style.SCHEDULE_LOOKS.items() if name != "SequentialLR"}  # an alias
    assert style.SCHEDULE_LOOKS["SequentialLR"] == style.SCHEDULE_LOOKS["warmup_cosine"]
    assert len({(str(look.linestyle), look.marker) for look in looks.values()}) == len(looks)
    assert len({(look.color, str(look.linestyle)) for look in looks.values()}) == len(looks)


def test_fallback_looks_differ_in_every_respect() -> None:
    looks = [style.fallback_look(i) for i in range(len(style.LINESTYLES))]
    assert len({look.color for look in looks}) == len({str(look.linestyle) for look in looks}) == len(looks)
    assert len({look.marker for look in looks}) == len(looks)


def test_labels_that_share_a_colour_all_get_fallback_looks() -> None:
    looks = style.looks_for(["SequentialLR([warm, cosine])", "ChainedScheduler([warm, cosine])", "LambdaLR(f)"])
    assert list(looks.values()) == [style.fallback_look(i) for i in range(3)]  # SequentialLR's colour is C1's
    assert style.looks_for(["constant", "StepLR"]) == {k: style.SCHEDULE_LOOKS[k] for k in ("constant", "StepLR")}
