"""Drawing pieces shared by the topic figures."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..text.i18n import template, tr


def staircase(values: np.ndarray, per: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """x and y for ``drawstyle="steps-post"`` whose last value also lasts its full step (to x = len / per).

    >>> x, y = staircase([0.1, 0.05])
    >>> x.tolist(), y.tolist()
    ([0.0, 1.0, 2.0], [0.1, 0.05, 0.05])
    """
    values = np.asarray(values, dtype=float)
    return np.arange(len(values) + 1) / per, np.append(values, values[-1:])


TORCH_DOTS = 50
"""At most this many dots of a torch trace: sparse enough to see the line under them."""


def torch_dots(
    ax: Any,
    values: np.ndarray,
    label: str | None = template("torch (stepped)"),
    x: np.ndarray | None = None,
    size: float = 4,
) -> None:
    """Every few steps of what the real torch scheduler set, as black dots over the drawn curve.

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots(); torch_dots(ax, np.linspace(1, 0, 200))
    >>> len(ax.lines[0].get_xdata())
    50
    """
    values = np.asarray(values, dtype=float)
    label = tr(label) if label is not None else None  # the default is a catalog template
    every = max(1, len(values) // TORCH_DOTS)
    x = np.arange(len(values)) if x is None else np.asarray(x)
    ax.plot(x[::every], values[::every], "k.", markersize=size, label=label, zorder=4)


CHAR_INCHES = 0.075
"""About the width of one character of the legend's 10 pt font (DejaVu Sans, mostly lower case)."""


def legend_columns(labels: list[str], width: float, most: int = 3) -> int:
    """How many legend columns of ``labels`` fit in ``width`` inches (at least 1, at most ``most``).

    Each column is as wide as the longest label (of its lines) plus the handle and the gaps.

    >>> legend_columns(["StepLR", "constant"], 7.0), legend_columns(["OneCycleLR at the steepest point"] * 6, 7.0)
    (2, 2)
    """
    longest = max(max(len(line) for line in label.split("\n")) for label in labels)
    column = longest * CHAR_INCHES + 0.6  # handle, padding and the gap between columns
    return max(1, min(most, len(labels), int(width // column)))


def legend_below(fig: Any, handles: list[Any], labels: list[str], most: int = 3, width: float | None = None) -> None:
    """One frameless legend under the figure's panels (never on a curve), in as many columns as fit.

    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(7, 3), layout="constrained"); ax = fig.subplots(); line, = ax.plot([1, 2])
    >>> legend_below(fig, [line], ["one"]); len(fig.legends)
    1
    """
    columns = legend_columns(labels, fig.get_figwidth() if width is None else width, most)
    fig.legend(handles, labels, loc="outside lower center", ncols=columns, frameon=False)


def layered_width(i: int, n: int, base: float = 2.0, extra: float = 1.6) -> float:
    """Line width of the ``i``-th of ``n`` curves that may coincide: earlier ones wider (at most
    ``base + extra``), so a curve hidden under a later, equal one still shows at its edges.

    >>> [round(layered_width(i, 3), 2) for i in range(3)], layered_width(0, 1)
    ([3.6, 2.8, 2.0], 2.0)
    """
    step = min(0.8, extra / (n - 1)) if n > 1 else 0.0
    return base + step * (n - 1 - i)
