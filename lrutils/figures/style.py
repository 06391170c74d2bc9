"""Figure style that reads on a projector: sizes, fonts, colours and line styles shared by every lrutils figure.

JupyterLab shows a figure at ``figure.dpi`` pixels per inch and shrinks it only when it is wider
than the notebook column. Measured in JupyterLab 4.6 in Chromium, the output column is 720 px wide
in a 900x900 window with the left sidebar collapsed (a projector) and 934 px in a 1366x768 window
with the file browser open (a laptop); under JupyterLab's bars a 1366x768 (or 1280x720) screen
leaves about 520-580 px of height. The inline backend crops a figure to what is drawn and adds
0.1 inch on each side. At :data:`DPI` = 100, a figure at most :data:`MAX_WIDTH` = 7 inches wide and
:data:`MAX_HEIGHT` = 5 inches tall is therefore shown whole, at most 720 x 520 px, and the
smallest text, :data:`SMALL_FONT` = 10 pt, is 10 / 72 * 100 = 13.9 px tall (the floor is 10 px).
Tick labels on log axes are plain text (``0.001``, ``1e-05``, :class:`PlainLogFormatter`):
matplotlib's default writes 10 with a superscript exponent at 70 % of the tick size.

Colours: Okabe and Ito's colour-blind-safe set, each darkened where needed to at least 3:1
contrast on white (their yellow is dropped: no darker yellow stays yellow). Hue alone never
tells two schedules apart: every schedule also has its own line style and marker
(:func:`look_for`); ``tests/test_figures_style.py`` checks contrast and the colour difference
under simulated protanopia, deuteranopia and tritanopia.
:func:`apply` sets these in matplotlib's rcParams (``lrutils.setup()`` calls it); the notebook
also renders PNGs at twice the pixel density ("retina") so they stay crisp.

>>> font_px(SMALL_FONT) >= 10
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.ticker import LogFormatter

DPI = 100
MAX_WIDTH = 7.0
"""Widest figure, in inches: shown whole (<= 720 px with the inline backend's margins) in a 720 px column."""
MAX_HEIGHT = 5.0
"""Tallest figure, in inches: shown whole (<= 520 px with the margins) under JupyterLab's bars on a 1366x768 screen."""
BASE_FONT = 11.0
SMALL_FONT = 10.0
"""Legends, tick labels: the smallest text in any lrutils figure."""

# Okabe & Ito (2008), "Color Universal Design"; contrast on white in brackets.
BLACK = "#000000"  # (21:1)
BLUE = "#00507d"  # their blue #0072B2 darker (5.2 -> 8.6:1): told from the sky blue by lightness too
VERMILLION = "#d55e00"  # as theirs (3.9:1)
GREEN = "#007e5c"  # their bluish green #009E73 darker (3.4 -> 5.1:1)
PURPLE = "#c36198"  # their reddish purple #CC79A7 darker (3.1 -> 3.8:1)
SKY = "#1d96db"  # their sky blue #56B4E9 darker (2.3 -> 3.3:1)
OCHRE = "#b87f00"  # their orange #E69F00 darker (2.2 -> 3.5:1); close to vermillion for a deuteranope
GREY = "#777777"  # (4.5:1)
PALETTE = (BLUE, VERMILLION, GREEN, PURPLE, SKY, BLACK, OCHRE, GREY)
"""Colours for curves that are not a named schedule, in order: the first six are told apart under
every simulated colour-vision deficiency (ochre and vermillion only by line style)."""

LINESTYLES = {
    "solid": "-",
    "dashed": (0, (5, 2)),
    "dash-dot": (0, (7, 2, 1.5, 2)),
    "dotted": (0, (1.2, 1.6)),
    "long dash": (0, (11, 3)),
    "dash-dot-dot": (0, (7, 2, 1.5, 2, 1.5, 2)),
}
"""Line styles that stay apart at 2 px: with :data:`PALETTE`, what tells two curves apart without colour."""
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h")
"""Marker shapes for points (one per seed, a sweep's lrs), in the order of :data:`PALETTE`."""


@dataclass(frozen=True)
class Look:
    """How one schedule is drawn: its colour, its line style (lines) and its marker (points).

    >>> Look(BLUE, "--", "s").line()
    {'color': '#00507d', 'linestyle': '--'}
    """

    color: str
    linestyle: str | tuple[float, tuple[float, ...]]
    marker: str

    def line(self) -> dict[str, Any]:
        """Keywords for ``ax.plot`` of a line."""
        return {"color": self.color, "linestyle": self.linestyle}

    def points(self) -> dict[str, Any]:
        """Keywords for ``ax.plot`` of markers only."""
        return {"color": self.color, "marker": self.marker, "linestyle": "none"}


def _look(color: str, linestyle: str, marker: str) -> Look:
    return Look(color, LINESTYLES[linestyle], marker)


SCHEDULE_LOOKS = {
    "constant": _look(BLACK, "solid", "o"),
    "StepLR": _look(BLUE, "dashed", "s"),
    "ExponentialLR": _look(SKY, "dash-dot", "^"),
    "CosineAnnealingLR": _look(GREEN, "long dash", "D"),
    "ReduceLROnPlateau": _look(VERMILLION, "dash-dot-dot", "v"),
    "OneCycleLR": _look(PURPLE, "dotted", "P"),
    "CosineAnnealingWarmRestarts": _look(OCHRE, "dashed", "X"),
    "CyclicLR": _look(PURPLE, "dash-dot", "h"),
    "warmup_cosine": _look(VERMILLION, "dotted", "*"),
    "warmup_stable_decay": _look(BLUE, "dash-dot-dot", "p"),
    "MultiStepLR": _look(GREY, "long dash", "d"),
}
"""One look per scheduler across the series (the constant baseline is solid black). Schedules
that share a colour are never compared in one figure, and differ in line style and marker."""
SCHEDULE_LOOKS["SequentialLR"] = SCHEDULE_LOOKS["warmup_cosine"]  # how torch writes that recipe
SCHEDULE_COLORS = {name: look.color for name, look in SCHEDULE_LOOKS.items()}
"""The colour of each scheduler in :data:`SCHEDULE_LOOKS`."""

RC_PARAMS = {
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "font.size": BASE_FONT,
    "axes.titlesize": BASE_FONT + 1,
    "axes.labelsize": BASE_FONT,
    "legend.fontsize": SMALL_FONT,
    "legend.handlelength": 3.0,  # long enough to show a line style's dashes
    "xtick.labelsize": SMALL_FONT,
    "ytick.labelsize": SMALL_FONT,
    "figure.titlesize": BASE_FONT + 2,
    "lines.linewidth": 2.0,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": cycler(color=list(PALETTE)),  # colours only: a line drawn without a style stays solid
}


def font_px(points: float, dpi: float = DPI) -> float:
    """Height in screen pixels of text of ``points`` points in a figure shown at ``dpi``.

    >>> round(font_px(9, 72), 1)
    9.0
    """
    return points / 72.0 * dpi


def fallback_look(index: int) -> Look:
    """The ``index``-th look for curves that are not a named schedule: colour, line style and marker all change.

    >>> fallback_look(0) == Look(PALETTE[0], "-", "o"), fallback_look(9).color == PALETTE[1]
    (True, True)
    """
    styles = list(LINESTYLES.values())
    return Look(PALETTE[index % len(PALETTE)], styles[index % len(styles)], MARKERS[index % len(MARKERS)])


def _scheduler_of(label: str) -> str:
    """The first word of a label, also as a call: ``"MultiStepLR(milestones=[30, 80])"`` -> ``"MultiStepLR"``."""
    return label.split(" ")[0].split("(")[0].rstrip(",")


def look_for(label: str, index: int = 0) -> Look:
    """The series' look for a schedule label (its scheduler name may start the label, also as a
    call: ``"MultiStepLR(milestones=[30, 80])"``), else :func:`fallback_look` of ``index``.

    Only the label ``"constant"`` itself is solid black: other constant-lr labels ("constant 0.05")
    get a fallback look, so that two constants in one figure can be told apart.

    >>> look_for("StepLR (tuned)").color == BLUE, look_for("constant 0.05", 3) == fallback_look(3)
    (True, True)
    """
    if label in SCHEDULE_LOOKS:
        return SCHEDULE_LOOKS[label]
    first = _scheduler_of(label)
    if first == "constant":
        return fallback_look(index)
    return SCHEDULE_LOOKS.get(first, fallback_look(index))


def looks_for(labels: Sequence[str]) -> dict[str, Look]:
    """One look per label: the series' looks (:func:`look_for`), unless two labels would share a
    colour ("OneCycleLR at 0.1", "OneCycleLR at 0.8"); then every label gets its own fallback look.

    >>> looks = looks_for(["StepLR a", "StepLR b"])
    >>> looks["StepLR a"] == fallback_look(0), looks["StepLR b"] == fallback_look(1)
    (True, True)
    """
    looks = {label: look_for(label, i) for i, label in enumerate(labels)}
    if len({look.color for look in looks.values()}) == len(looks):
        return looks
    return {label: fallback_look(i) for i, label in enumerate(labels)}


def color_for(label: str, index: int = 0) -> str:
    """The colour of :func:`look_for` (label, index).

    >>> color_for("constant"), color_for("StepLR (tuned)") == BLUE, color_for("mine", 4) == PALETTE[4]
    ('#000000', True, True)
    >>> color_for("MultiStepLR(milestones=[30, 80], gamma=0.1)") == GREY
    True
    """
    return look_for(label, index).color


def colors_for(labels: Sequence[str]) -> dict[str, str]:
    """The colours of :func:`looks_for` (labels).

    >>> colors_for(["constant", "StepLR"]) == {"constant": BLACK, "StepLR": BLUE}
    True
    """
    return {label: look.color for label, look in looks_for(labels).items()}


class PlainLogFormatter(LogFormatter):
    """Log-axis tick labels as plain text, ``0.1``, ``0.001``, ``1e-05``: no superscript exponent,
    which matplotlib draws at 70 % of the tick size (about 7 px where ticks are 10 px).
    Which ticks get a label is matplotlib's choice (:class:`~matplotlib.ticker.LogFormatter`).

    >>> PlainLogFormatter()._num_to_string(1e-3, 1e-4, 1.0), PlainLogFormatter()._num_to_string(2e-5, 1e-6, 1.0)
    ('0.001', '2e-05')
    """

    def _num_to_string(self, x: float, vmin: float, vmax: float) -> str:
        return f"{x:g}"


def log_scale(ax: Axes, axis: str = "y") -> None:
    """Put ``ax``'s ``axis`` ("x" or "y") on a log scale with plain-text tick labels (:class:`PlainLogFormatter`).

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots(); log_scale(ax); _ = ax.plot([1, 2], [0.1, 0.001]); ax.figure.draw_without_rendering()
    >>> ax.yaxis.get_major_formatter().format_ticks([0.1, 0.01, 0.001])
    ['0.1', '0.01', '0.001']
    """
    if axis not in ("x", "y"):
        raise ValueError(f"axis must be 'x' or 'y', got {axis!r}")
    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    target.set_major_formatter(PlainLogFormatter())
    target.set_minor_formatter(PlainLogFormatter(labelOnlyBase=False))


def apply() -> None:
    """Set matplotlib's rcParams to the series' style, and retina PNGs in a notebook.

    >>> apply(); matplotlib.rcParams["figure.dpi"]
    100.0
    """
    matplotlib.rcParams.update(RC_PARAMS)
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - matplotlib-inline comes with ipykernel
        return
    from ..text.progress import in_kernel

    if in_kernel():
        set_matplotlib_formats("retina")


__all__ = [
    "BASE_FONT",
    "BLACK",
    "BLUE",
    "DPI",
    "GREEN",
    "GREY",
    "LINESTYLES",
    "MARKERS",
    "MAX_HEIGHT",
    "MAX_WIDTH",
    "OCHRE",
    "PALETTE",
    "PURPLE",
    "SCHEDULE_COLORS",
    "SCHEDULE_LOOKS",
    "SKY",
    "SMALL_FONT",
    "VERMILLION",
    "Look",
    "PlainLogFormatter",
    "apply",
    "color_for",
    "colors_for",
    "fallback_look",
    "log_scale",
    "look_for",
    "looks_for",
]
