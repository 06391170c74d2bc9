"""Figures for notebook 07 (warm-up and composing schedulers): several curves on one lr axis."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from ..text.i18n import template, tr
from ._draw import layered_width, legend_below, staircase
from .language import localized
from .style import MAX_WIDTH, looks_for


def lr_curves(curves: Mapping[str, np.ndarray], title: str = "", xlabel: str = template("epoch")) -> Figure:
    """Several per-epoch lr curves as staircases (the lr is constant within a step), legend under the axes.

    Each curve has its own colour and line style, and earlier curves are drawn wider, so that
    curves that coincide (three ways to compose one warm-up) still show at their edges.

    >>> fig = lr_curves({"a": np.ones(3), "b": np.zeros(3)}, title="two")
    >>> len(fig.axes[0].lines), fig.axes[0].get_title()
    (2, 'two')
    """
    if not curves:
        raise ValueError("curves must contain at least one curve (a mapping label -> array)")
    fig = Figure(figsize=(MAX_WIDTH, 3.2 + 0.25 * len(curves)), layout="constrained")
    ax = fig.subplots()
    looks = looks_for(list(curves))
    for i, (label, values) in enumerate(curves.items()):
        # the last epoch's lr lasts its whole epoch too: one more point, so its step is drawn
        width = layered_width(i, len(curves))
        ax.plot(*staircase(values), drawstyle="steps-post", label=label, linewidth=width, **looks[label].line())
    ax.set(title=title, xlabel=tr(xlabel), ylabel=tr("learning rate"))
    legend_below(fig, *ax.get_legend_handles_labels(), most=2)
    return localized(fig)


__all__ = ["lr_curves"]
