"""Figures for notebook 07 (warm-up and composing schedulers).

>>> fig = warmup_shapes()
>>> [ax.get_title() for ax in fig.axes]
['LinearLR: one class, two shapes', 'WSD: a long stable phase, or none']
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from ..curves.closed_form import lr_curve
from ..text.i18n import template, tr
from ._draw import layered_width, legend_below, staircase
from .style import BLUE, MAX_WIDTH, color_for, looks_for


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
    return fig


def warmup_shapes(base_lr: float = 0.1, n_steps: int = 100) -> Figure:
    """Left: ``LinearLR`` as a warm-up (``start_factor < end_factor``) and as a decay (the other way
    round). Right: warm-up-stable-decay with a long stable phase and with none (``stable_steps=0``:
    warm-up + linear decay). What the two explorers below it change, drawn once.

    >>> len(warmup_shapes(n_steps=40).axes[1].lines)
    2
    """
    fig = Figure(figsize=(MAX_WIDTH, 3.4), layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True)
    steps = np.arange(n_steps)
    linear = {
        "warm-up: start_factor=0.1, end_factor=1": {"start_factor": 0.1, "end_factor": 1.0, "total_iters": 20},
        "decay: start_factor=1, end_factor=0.1": {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 20},
    }
    for (label, kwargs), style in zip(linear.items(), ("-", "--"), strict=True):
        curve = lr_curve("LinearLR", n_steps, base_lr, **kwargs)
        left.plot(steps, curve, style, drawstyle="steps-post", label=label, color=BLUE)
    left.set(title=tr("LinearLR: one class, two shapes"), xlabel=tr("epoch"), ylabel=tr("learning rate"))
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), frameon=False)
    warm, decay = max(1, n_steps // 10), max(1, n_steps // 5)
    colour = color_for("warmup_stable_decay")
    for stable, style in ((n_steps - warm - decay, "-"), (0, "--")):
        kwargs = {"warmup_steps": warm, "stable_steps": stable, "decay_steps": decay}
        label = f"warmup_stable_decay({warm}, {stable}, {decay})"
        curve = lr_curve("warmup_stable_decay", n_steps, base_lr, **kwargs)
        right.plot(steps, curve, style, drawstyle="steps-post", label=label, color=colour)
    right.set(title=tr("WSD: a long stable phase, or none"), xlabel=tr("epoch"))
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), frameon=False)
    return fig


__all__ = ["lr_curves", "warmup_shapes"]
