"""Figures for notebook 03 (cosine annealing, ``CosineAnnealingLR``).

Every function returns a :class:`~matplotlib.figure.Figure` (never ``plt.show()``), at most
:data:`lrutils.figures.style.MAX_WIDTH` wide, with the legend under the panel so it never covers a curve.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..curves.blog import blog_sketch
from ..curves.torch_reference import torch_lr_curve
from ..text.i18n import tr
from ._draw import legend_below
from .decay import stepped_per_batch as _stepped_per_batch
from .language import localized
from .style import MAX_WIDTH, color_for, look_for, looks_for

if TYPE_CHECKING:  # drawn here, never trained (figures sit under training)
    from ..training.comparison import Comparison


def past_t_max(t_max: int = 100, n_steps: int = 300, base_lr: float = 0.1) -> Figure:
    """``CosineAnnealingLR(T_max=t_max)`` stepped ``n_steps`` times (torch), lrutils' reconstruction
    of the blog's sketch over its ``t_max`` epochs, and a real restart,
    ``CosineAnnealingWarmRestarts(T_0=t_max)``, with grey lines at every multiple of ``t_max``.

    >>> fig = past_t_max(t_max=10, n_steps=30)
    >>> len(fig.axes[0].get_legend_handles_labels()[1])
    3
    """
    if n_steps <= t_max:
        raise ValueError(f"n_steps must be larger than t_max to show what comes after it, got {n_steps} <= {t_max}")
    steps = np.arange(n_steps)
    annealing = torch_lr_curve("CosineAnnealingLR", n_steps, base_lr=base_lr, T_max=t_max)
    restarts = torch_lr_curve("CosineAnnealingWarmRestarts", n_steps, base_lr=base_lr, T_0=t_max)
    fig = Figure(figsize=(MAX_WIDTH, 3.6), layout="constrained")
    ax = fig.subplots()
    for x in range(t_max, n_steps, t_max):
        ax.axvline(x, color="0.6", linewidth=0.8)
    # told apart by width and dashes where they coincide: the cosine wide and solid under the others
    ax.plot(
        steps, annealing, color=color_for("CosineAnnealingLR"), linewidth=4.5, label=f"CosineAnnealingLR(T_max={t_max})"
    )
    ax.plot(
        steps[:t_max],
        blog_sketch("CosineAnnealingLR", epochs=t_max, base_lr=base_lr),
        ":",
        color="black",
        linewidth=2,
        zorder=3,
        label=tr("blog's sketch (reconstructed)"),
    )
    ax.plot(
        steps,
        restarts,
        label=f"CosineAnnealingWarmRestarts(T_0={t_max})",
        **look_for("CosineAnnealingWarmRestarts").line(),
    )
    ax.set(xlabel=tr("scheduler step (epoch)"), ylabel=tr("learning rate"))
    ax.set_title(tr("past T_max = {t_max} the cosine climbs back smoothly; a restart jumps", t_max=t_max))
    legend_below(fig, *ax.get_legend_handles_labels(), most=2)
    return localized(fig)


def stepped_per_batch(epochs: int, batches_per_epoch: int, base_lr: float = 0.1, **kwargs: Any) -> Figure:
    """``CosineAnnealingLR(**kwargs)`` stepped once per epoch (as meant) and once per batch (the
    bug: ``T_max`` then counts batches), on a linear axis (the lr reaches 0).

    >>> stepped_per_batch(3, 4, T_max=3).axes[0].get_yscale()
    'linear'
    """
    return _stepped_per_batch("CosineAnnealingLR", epochs, batches_per_epoch, base_lr=base_lr, log=False, **kwargs)


def best_and_final(comparison: Comparison, labels: Sequence[str] | None = None) -> Figure:
    """Each seed's best validation loss along the way (open marker) and its final one (filled), joined
    by a line, for every schedule of ``comparison`` (or ``labels``): how far each run ends above its best.

    >>> from lrutils import compare
    >>> fig = best_and_final(compare([None, "CosineAnnealingLR"], epochs=2, seeds=2, progress=False))
    >>> fig.axes[0].get_xlabel()
    'seed'
    """
    labels = list(comparison.labels if labels is None else labels)
    if not labels:
        raise ValueError("labels must name at least one schedule of the comparison")
    looks = looks_for(labels)
    fig = Figure(figsize=(MAX_WIDTH, 3.6), layout="constrained")
    ax = fig.subplots()
    width = 0.6 / len(labels)
    handles, names = [], []
    for i, label in enumerate(labels):
        look = looks[label]
        runs = [h for h in comparison[label] if not h.failed]
        x = np.array([h.seed for h in runs], dtype=float) + (i - (len(labels) - 1) / 2) * width
        best = np.array([np.min(h.val_loss) for h in runs])
        final = np.array([h.val_loss[-1] for h in runs])
        ax.vlines(x, best, final, color=look.color, linewidth=1.5)
        ax.plot(x, best, linestyle="none", marker=look.marker, markersize=7, color=look.color, mfc="white")
        ax.plot(x, final, linestyle="none", marker=look.marker, markersize=7, color=look.color)
        handles.append(Line2D([], [], color=look.color, marker=look.marker, markersize=7, linewidth=1.5))
        names.append(label)
    handles += [
        Line2D([], [], color="grey", marker="o", mfc="white", linestyle="none"),
        Line2D([], [], color="grey", marker="o", linestyle="none"),
    ]
    names += [tr("best along the way (open)"), tr("final (filled)")]
    seeds = sorted({h.seed for label in labels for h in comparison[label]})
    ax.set_xticks(seeds)
    ax.set(xlabel=tr("seed"), ylabel=tr("validation loss"), title=tr("how far each run ends above its best"))
    legend_below(fig, handles, names, most=2)
    return localized(fig)


__all__ = ["best_and_final", "past_t_max", "stepped_per_batch"]
