"""General lr-curve figures (a topic's own figures live in :mod:`lrutils.figures`). Every helper
returns a matplotlib Figure and never calls ``show()``.

Figures are built with ``matplotlib.figure.Figure`` (not pyplot), so nothing leaks into pyplot's
global state and widgets can re-render them. Sizes and fonts follow :mod:`lrutils.figures.style`: at most
:data:`~lrutils.figures.style.MAX_WIDTH` wide, no text below :data:`~lrutils.figures.style.SMALL_FONT`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..text.i18n import template, tr
from .language import localized
from .style import MAX_WIDTH, log_scale, looks_for


def _style(ax: Axes, xlabel: str, log: bool) -> None:
    ax.set_xlabel(tr(xlabel))  # the default "epoch" is a catalog template; another label stays as given
    ax.set_ylabel(tr("learning rate (log scale)") if log else tr("learning rate"))
    if log:
        log_scale(ax)
    ax.grid(True, alpha=0.3)


def plot_curves(
    curves: Mapping[str, np.ndarray],
    title: str = "",
    xlabel: str = template("epoch"),
    log: bool = False,
    figsize: tuple[float, float] = (MAX_WIDTH, 3.5),
) -> Figure:
    """Overlay several learning-rate curves, one labelled line each, each in its own colour and line style.

    >>> fig = plot_curves({"a": np.ones(3), "b": np.zeros(3)})
    >>> len(fig.axes[0].lines)
    2
    """
    if not curves:
        raise ValueError("curves must contain at least one curve (a mapping label -> array)")
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    looks = looks_for(list(curves))
    for label, values in curves.items():
        ax.plot(np.arange(len(values)), values, label=label, **looks[label].line())
    _style(ax, xlabel, log)
    if title:
        ax.set_title(title)
    if len(curves) > 1:
        ax.legend()
    return localized(fig)


def plot_curve(values: np.ndarray, title: str = "", xlabel: str = template("epoch"), log: bool = False) -> Figure:
    """Draw one learning-rate curve.

    >>> plot_curve(np.linspace(1, 0, 5)).axes[0].get_xlabel()
    'epoch'
    """
    return plot_curves({title or "lr": np.asarray(values)}, title=title, xlabel=xlabel, log=log)
