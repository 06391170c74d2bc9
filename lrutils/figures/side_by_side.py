"""Figures for notebook 07 (all five side by side): the blog's grid against torch.

>>> [ax.get_yscale() for ax in blog_grid().axes]
['log', 'log', 'linear', 'log', 'linear', 'log']
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..curves.blog import BLOG_TORCH_KWARGS, blog_sketch, blog_torch_curve
from ..curves.table import BLOG_SCHEDULERS
from .style import MAX_WIDTH, color_for

LOG_PANELS = ("StepLR", "ExponentialLR", "ReduceLROnPlateau")
"""Panels whose decay spans decades: drawn on a log lr axis (the blog draws all five linear)."""
STAIRCASES = ("StepLR", "ReduceLROnPlateau")
"""Curves that change in jumps: drawn as steps."""


def _title(name: str, width: int = 22) -> str:
    """The scheduler, then the blog's arguments: on one line if they fit ``width`` characters, else
    one argument per line (a panel is a third of the figure wide: longer lines reach the next title).

    >>> print(_title("ExponentialLR"))
    ExponentialLR
    (gamma=0.9)
    >>> print(_title("OneCycleLR"))
    OneCycleLR
    (max_lr=0.1,
    total_steps=100)
    """
    parts = [f"{k}={v}" for k, v in BLOG_TORCH_KWARGS[name].items()]
    args = f"({', '.join(parts)})"
    if len(args) > width:
        args = "(" + ",\n".join(parts) + ")"
    return f"{name}\n{args}"


def blog_grid() -> Figure:
    """The blog's five curves over its 100 epochs from lr 0.1, in its 3x2 layout turned to 2x3: torch
    (solid, the series' colour) with the blog's numpy sketch (dashed black) on top, then the five torch
    curves together.

    The lr axis is logarithmic where the decay spans decades (:data:`LOG_PANELS` and the last
    panel); one legend below the grid.

    >>> fig = blog_grid()
    >>> len(fig.axes), bool(fig.get_figwidth() <= MAX_WIDTH)
    (6, True)
    """
    fig = Figure(figsize=(MAX_WIDTH, 6.4), layout="constrained")
    axes = fig.subplots(2, 3, sharex=True).ravel()
    epochs = np.arange(100)
    for ax, name in zip(axes, BLOG_SCHEDULERS, strict=False):
        draw = "steps-post" if name in STAIRCASES else "default"
        ax.plot(epochs, blog_torch_curve(name), color=color_for(name), linewidth=3, drawstyle=draw)
        ax.plot(epochs, blog_sketch(name), "--", color="black", linewidth=1.3, drawstyle=draw)
        ax.set_title(_title(name), fontsize="medium")
        if name in LOG_PANELS:
            ax.set_yscale("log")
    last = axes[-1]
    for name in BLOG_SCHEDULERS:
        draw = "steps-post" if name in STAIRCASES else "default"
        last.plot(epochs, blog_torch_curve(name), color=color_for(name), drawstyle=draw)
    last.set_yscale("log")
    last.set_title("all five (torch)", fontsize="medium")
    for ax in axes[3:]:
        ax.set_xlabel("epoch")
    for ax in axes[::3]:
        ax.set_ylabel("learning rate")
    handles = [Line2D([], [], color=color_for(name)) for name in BLOG_SCHEDULERS]
    handles.append(Line2D([], [], color="black", linestyle="--", linewidth=1.3))
    labels = [f"{name} (torch)" for name in BLOG_SCHEDULERS] + ["the blog's sketch"]
    fig.legend(handles, labels, loc="outside lower center", ncols=3, frameon=False)
    return fig


__all__ = ["LOG_PANELS", "STAIRCASES", "blog_grid"]
