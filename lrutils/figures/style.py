"""Figure style that reads on a projector: sizes, fonts and colours shared by every lrutils figure.

JupyterLab shows a figure at ``figure.dpi`` pixels per inch and shrinks it only when it is wider
than the notebook column. Measured in JupyterLab 4.6 in Chromium, the output column is 720 px wide
in a 900x900 window with the left sidebar collapsed (a projector) and 934 px in a 1366x768 window
with the file browser open (a laptop); the inline PNG is about 11 px wider than the figure. At
:data:`DPI` = 100, a figure at most :data:`MAX_WIDTH` = 7 inches wide (711 px as shown) is
therefore shown unshrunk in both, and the smallest text, :data:`SMALL_FONT` = 10 pt, is
10 / 72 * 100 = 13.9 px tall (the issue's floor is 10 px).
:func:`apply` sets these in matplotlib's rcParams (``lrutils.setup()`` calls it); the notebook
also renders PNGs at twice the pixel density ("retina") so they stay crisp.

>>> font_px(SMALL_FONT) >= 10
True
"""

from __future__ import annotations

import matplotlib

DPI = 100
MAX_WIDTH = 7.0
"""Widest figure, in inches, that JupyterLab shows without shrinking in a 900 px wide window (720 px column)."""
BASE_FONT = 11.0
SMALL_FONT = 10.0
"""Legends, tick labels: the smallest text in any lrutils figure."""

SCHEDULE_COLORS = {
    "constant": "black",
    "StepLR": "tab:blue",
    "ExponentialLR": "tab:orange",
    "CosineAnnealingLR": "tab:green",
    "ReduceLROnPlateau": "tab:red",
    "OneCycleLR": "tab:purple",
    "CosineAnnealingWarmRestarts": "tab:brown",
    "CyclicLR": "tab:pink",
    "warmup_cosine": "tab:olive",
    "SequentialLR": "tab:olive",
    "warmup_stable_decay": "tab:cyan",
    "MultiStepLR": "tab:gray",
}
"""One colour per scheduler across the series (the constant baseline is black)."""

RC_PARAMS = {
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "font.size": BASE_FONT,
    "axes.titlesize": BASE_FONT + 1,
    "axes.labelsize": BASE_FONT,
    "legend.fontsize": SMALL_FONT,
    "xtick.labelsize": SMALL_FONT,
    "ytick.labelsize": SMALL_FONT,
    "figure.titlesize": BASE_FONT + 2,
    "lines.linewidth": 2.0,
    "axes.grid": True,
    "grid.alpha": 0.3,
}


def font_px(points: float, dpi: float = DPI) -> float:
    """Height in screen pixels of text of ``points`` points in a figure shown at ``dpi``.

    >>> round(font_px(9, 72), 1)
    9.0
    """
    return points / 72.0 * dpi


def color_for(label: str, index: int = 0) -> str:
    """The series' colour for a schedule label (its scheduler name may start the label, also as a
    call: ``"MultiStepLR(milestones=[30, 80])"``), else C{index}.

    Only the label ``"constant"`` itself is black: other constant-lr labels ("constant 0.05") get
    C{index}, so that two constants in one figure can be told apart.

    >>> color_for("constant"), color_for("StepLR (tuned)"), color_for("constant 0.05", 3), color_for("mine", 4)
    ('black', 'tab:blue', 'C3', 'C4')
    >>> color_for("MultiStepLR(milestones=[30, 80], gamma=0.1)")
    'tab:gray'
    """
    if label in SCHEDULE_COLORS:
        return SCHEDULE_COLORS[label]
    first = label.split(" ")[0].split("(")[0].rstrip(",")
    if first == "constant":
        return f"C{index % 10}"
    return SCHEDULE_COLORS.get(first, f"C{index % 10}")


def colors_for(labels: list[str]) -> dict[str, str]:
    """One colour per label: the series' colours (:func:`color_for`), unless two labels would share
    one ("OneCycleLR at 0.1", "OneCycleLR at 0.8"); then every label gets its own C{index}.

    >>> colors_for(["constant", "StepLR"]), colors_for(["StepLR a", "StepLR b"])
    ({'constant': 'black', 'StepLR': 'tab:blue'}, {'StepLR a': 'C0', 'StepLR b': 'C1'})
    """
    colours = {label: color_for(label, i) for i, label in enumerate(labels)}
    if len(set(colours.values())) == len(colours):
        return colours
    return {label: f"C{i % 10}" for i, label in enumerate(labels)}


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
    "DPI",
    "MAX_WIDTH",
    "SCHEDULE_COLORS",
    "SMALL_FONT",
    "apply",
    "color_for",
    "colors_for",
    "font_px",
]
