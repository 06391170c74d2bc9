"""Figures for notebook 06 (all five side by side): the blog's grid against torch.

>>> [ax.get_ylabel() for ax in blog_grid().axes][:3]
['lr (log scale)', 'lr (log scale)', 'lr (linear)']
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..curves.blog import BLOG_TORCH_KWARGS, blog_sketch, blog_torch_curve
from ..curves.table import BLOG_SCHEDULERS
from ..text.i18n import tr
from ._draw import legend_columns
from .language import localized
from .style import MAX_WIDTH, color_for, log_scale, look_for

LOG_PANELS = ("StepLR", "ExponentialLR", "ReduceLROnPlateau")
"""Panels whose decay spans decades: drawn on a log lr axis (the blog draws all five linear)."""
STAIRCASES = ("StepLR", "ReduceLROnPlateau")
"""Curves that change in jumps: drawn as steps."""


def _title(name: str) -> str:
    """The scheduler, then the blog's arguments (``OneCycleLR``'s max_lr is the lr 0.1 of every panel; its
    ``total_steps=100`` is lrutils' squeeze of the blog's 1000-step call into the 100-epoch picture).

    >>> print(_title("ReduceLROnPlateau"))
    ReduceLROnPlateau
    patience=10, factor=0.1
    >>> print(_title("OneCycleLR"))
    OneCycleLR
    total_steps=100 (squeezed)
    """
    kwargs = {k: v for k, v in BLOG_TORCH_KWARGS[name].items() if k != "max_lr"}
    squeezed = tr(" (squeezed)") if name == "OneCycleLR" else ""
    return name + "\n" + ", ".join(f"{k}={v}" for k, v in kwargs.items()) + squeezed


def blog_grid() -> Figure:
    """The blog's five curves over its 100 epochs from lr 0.1, in its 3x2 layout turned to 2x3: torch
    (wide, the series' colour) with the blog's numpy sketch (dashed black) on top, then the five torch
    curves together, each in its line style.

    The lr axis is logarithmic where the decay spans decades (:data:`LOG_PANELS` and the last
    panel), and every panel's axis label says its scale; one legend below the grid.

    >>> fig = blog_grid()
    >>> len(fig.axes), bool(fig.get_figwidth() <= MAX_WIDTH)
    (6, True)
    """
    fig = Figure(figsize=(MAX_WIDTH, 4.9), layout="constrained")
    axes = fig.subplots(2, 3, sharex=True).ravel()
    epochs = np.arange(100)
    for ax, name in zip(axes, BLOG_SCHEDULERS, strict=False):
        draw = "steps-post" if name in STAIRCASES else "default"
        ax.plot(epochs, blog_torch_curve(name), color=color_for(name), linewidth=4, alpha=0.8, drawstyle=draw)
        ax.plot(epochs, blog_sketch(name), "--", color="black", linewidth=1.3, drawstyle=draw)
        ax.set_title(_title(name), fontsize="medium")
        if name in LOG_PANELS:
            log_scale(ax)
        ax.set_ylabel(tr("lr (log scale)") if name in LOG_PANELS else tr("lr (linear)"))
    last = axes[-1]
    for name in BLOG_SCHEDULERS:
        draw = "steps-post" if name in STAIRCASES else "default"
        last.plot(epochs, blog_torch_curve(name), drawstyle=draw, **look_for(name).line())
    log_scale(last)
    last.set_ylabel(tr("lr (log scale)"))
    last.set_title(tr("all five (torch)"), fontsize="medium")
    for ax in axes[3:]:
        ax.set_xlabel(tr("epoch"))
    handles = [Line2D([], [], **look_for(name).line()) for name in BLOG_SCHEDULERS]
    handles.append(Line2D([], [], color="grey", linewidth=4, alpha=0.8))
    handles.append(Line2D([], [], color="black", linestyle="--", linewidth=1.3))
    labels = [*BLOG_SCHEDULERS, tr("torch, in its own panel"), tr("the blog's sketch")]
    fig.legend(handles, labels, loc="outside lower center", ncols=legend_columns(labels, MAX_WIDTH, 4), frameon=False)
    return localized(fig)


__all__ = ["LOG_PANELS", "STAIRCASES", "blog_grid"]
