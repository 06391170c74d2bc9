"""Figures for the notebooks. Every helper returns a matplotlib Figure and never calls ``show()``.

Figures are built with ``matplotlib.figure.Figure`` (not pyplot), so nothing leaks into pyplot's
global state and widgets can re-render them. Sizes and fonts follow :mod:`lrutils.style`: at most
:data:`~lrutils.style.MAX_WIDTH` wide, no text below :data:`~lrutils.style.SMALL_FONT`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .blog import BLOG_BASE_LR, BLOG_EPOCHS, BLOG_TORCH_KWARGS, blog_sketch, blog_torch_curve
from .curves import DEFAULT_BASE_LR, lr_curve
from .schedules import BLOG_SCHEDULERS, get_spec
from .style import MAX_WIDTH, color_for


def _style(ax: Axes, xlabel: str, log: bool) -> None:
    ax.set_xlabel(xlabel)
    ax.set_ylabel("learning rate")
    if log:
        ax.set_yscale("log")
    ax.grid(True, alpha=0.3)


def plot_curves(
    curves: Mapping[str, np.ndarray],
    title: str = "",
    xlabel: str = "epoch",
    log: bool = False,
    figsize: tuple[float, float] = (7.0, 3.5),
) -> Figure:
    """Overlay several learning-rate curves, one labelled line each.

    >>> fig = plot_curves({"a": np.ones(3), "b": np.zeros(3)})
    >>> len(fig.axes[0].lines)
    2
    """
    if not curves:
        raise ValueError("curves must contain at least one curve (a mapping label -> array)")
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    for i, (label, values) in enumerate(curves.items()):
        ax.plot(np.arange(len(values)), values, label=label, color=color_for(label, i))
    _style(ax, xlabel, log)
    if title:
        ax.set_title(title)
    if len(curves) > 1:
        ax.legend()
    return fig


def plot_curve(values: np.ndarray, title: str = "", xlabel: str = "epoch", log: bool = False) -> Figure:
    """Draw one learning-rate curve.

    >>> plot_curve(np.linspace(1, 0, 5)).axes[0].get_xlabel()
    'epoch'
    """
    return plot_curves({title or "lr": np.asarray(values)}, title=title, xlabel=xlabel, log=log)


def plot_vs_torch(name: str, n_steps: int, base_lr: float = DEFAULT_BASE_LR, **kwargs: Any) -> Figure:
    """``lr_curve`` as a line with the real torch trace as dots on top, and their difference below.

    >>> fig = plot_vs_torch("StepLR", 30, step_size=10)
    >>> len(fig.axes)
    2
    """
    from .torch_reference import torch_lr_curve  # imports torch only when asked

    ours = lr_curve(name, n_steps, base_lr=base_lr, **kwargs)
    theirs = torch_lr_curve(name, n_steps, base_lr=base_lr, **kwargs)
    fig = Figure(figsize=(7.0, 4.2), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    steps = np.arange(n_steps)
    top.plot(steps, ours, color=color_for(name), label="lrutils.lr_curve (numpy)")
    every = max(1, n_steps // 60)
    top.plot(steps[::every], theirs[::every], "k.", markersize=4, label=f"torch {name} (stepped)")
    _style(top, "", False)
    top.set_title(f"{name}: closed form vs the real scheduler")
    top.legend()
    bottom.plot(steps, ours - theirs, color="gray")
    bottom.set_ylabel("difference")
    bottom.set_xlabel(get_spec(name).unit if get_spec(name).unit != "metric" else "epoch")
    bottom.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
    bottom.grid(True, alpha=0.3)
    return fig


def plot_blog_grid(with_torch: bool = True, epochs: int = BLOG_EPOCHS, base_lr: float = BLOG_BASE_LR) -> Figure:
    """The blog's 3x2 grid: its five sketches (dashed) and, if asked, the real torch curves (solid).

    The sixth panel overlays the five torch curves on a log scale.

    >>> len(plot_blog_grid().axes)
    6
    """
    fig = Figure(figsize=(MAX_WIDTH, 8.4), layout="constrained")
    axes = fig.subplots(3, 2).ravel()
    for ax, name in zip(axes, BLOG_SCHEDULERS, strict=False):
        ax.plot(blog_sketch(name, epochs, base_lr), "--", color="gray", label="blog's sketch")
        if with_torch:
            ax.plot(blog_torch_curve(name, epochs, base_lr), color=color_for(name), label="torch")
        args = ", ".join(f"{k}={v}" for k, v in BLOG_TORCH_KWARGS[name].items())
        ax.set_title(f"{name}\n({args})")
        _style(ax, "epoch", False)
        ax.legend()
    last = axes[-1]
    for name in BLOG_SCHEDULERS:
        last.plot(
            blog_torch_curve(name, epochs, base_lr) if with_torch else blog_sketch(name, epochs, base_lr),
            color=color_for(name),
            label=name,
        )
    last.set_title("all five " + ("(torch)" if with_torch else "(sketches)"))
    _style(last, "epoch", True)
    # five curves fill the panel: their legend goes under the grid, where it covers none
    fig.legend(*last.get_legend_handles_labels(), loc="outside lower center", ncols=3, frameon=False)
    return fig
