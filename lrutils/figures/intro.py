"""Figures for notebook 00 (what a scheduler is): gradient descent on a bowl you can see.

>>> from lrutils.curves import surface
>>> fig = bowl_paths({"lr 0.1": surface.descend(0.1, steps=5)})
>>> [ax.get_title() for ax in fig.axes]
['the path on the bowl', 'loss per step (log scale)']
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from ..curves.surface import CURVATURE, loss
from ..text.i18n import tr
from ._draw import legend_below
from .language import localized
from .style import MAX_WIDTH, fallback_look, log_scale


def bowl_paths(
    paths: Mapping[str, np.ndarray],
    curvature: tuple[float, float] = CURVATURE,
    extent: tuple[float, float] = (4.5, 2.5),
) -> Figure:
    """Each path on the contours of the bowl (left) and its loss per step (right, log scale).

    ``paths`` maps a label to a path from :func:`lrutils.curves.surface.descend`. Paths are drawn in the
    order given, each in the next fallback look (blue solid, vermillion dashed, green dash-dot, ...:
    colour, line style and marker), so a later one lies on top; one legend below both panels.

    >>> from lrutils.curves import surface
    >>> fig = bowl_paths({"a": surface.descend(0.05, steps=3), "b": surface.descend(0.15, steps=3)})
    >>> len(fig.axes[1].lines), bool(fig.get_figwidth() <= MAX_WIDTH)
    (2, True)
    """
    if not paths:
        raise ValueError("paths must contain at least one path (a mapping label -> array of shape (n, 2))")
    fig = Figure(figsize=(MAX_WIDTH, 3.9), layout="constrained")
    ax_map, ax_loss = fig.subplots(1, 2, width_ratios=(1.35, 1))
    xs = np.linspace(-extent[0], extent[0], 200)
    ys = np.linspace(-extent[1], extent[1], 120)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)
    ax_map.contour(xs, ys, loss(grid, curvature), levels=np.geomspace(0.05, 40, 10), colors="lightgray")
    ax_map.plot(0, 0, "k*", markersize=12)
    handles = []
    for i, (label, path) in enumerate(paths.items()):
        look = fallback_look(i)
        (line,) = ax_map.plot(
            path[:, 0], path[:, 1], marker=look.marker, markersize=3.5, linewidth=1.2, label=label, **look.line()
        )
        with np.errstate(over="ignore", invalid="ignore"):
            ax_loss.plot(np.arange(len(path)), loss(path, curvature), **look.line())
        handles.append(line)
    ax_map.set(xlim=(-extent[0], extent[0]), ylim=(-extent[1], extent[1]), xlabel="x", ylabel="y")
    ax_map.set_title(tr("the path on the bowl"))
    log_scale(ax_loss)
    ax_loss.set(xlabel=tr("step"), ylabel="f(x, y)", title=tr("loss per step (log scale)"))
    legend_below(fig, handles, list(paths))
    return localized(fig)


__all__ = ["bowl_paths"]
