"""Figures for notebook 03 (cosine annealing, ``CosineAnnealingLR``).

Every function returns a :class:`~matplotlib.figure.Figure` (never ``plt.show()``), at most
:data:`lrutils.figures.style.MAX_WIDTH` wide, with the legend under the panel so it never covers a curve.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..curves.blog import blog_sketch
from ..curves.torch_reference import torch_lr_curve
from ._draw import legend_below
from .decay import stepped_per_batch as _stepped_per_batch
from .style import MAX_WIDTH, color_for, look_for


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
        label="blog's sketch (reconstructed)",
    )
    ax.plot(
        steps,
        restarts,
        label=f"CosineAnnealingWarmRestarts(T_0={t_max})",
        **look_for("CosineAnnealingWarmRestarts").line(),
    )
    ax.set(xlabel="scheduler step (epoch)", ylabel="learning rate")
    ax.set_title(f"past T_max = {t_max} the cosine climbs back smoothly; a restart jumps")
    legend_below(fig, *ax.get_legend_handles_labels(), most=2)
    return fig


def stepped_per_batch(epochs: int, batches_per_epoch: int, base_lr: float = 0.1, **kwargs: Any) -> Figure:
    """``CosineAnnealingLR(**kwargs)`` stepped once per epoch (as meant) and once per batch (the
    bug: ``T_max`` then counts batches), on a linear axis (the lr reaches 0).

    >>> stepped_per_batch(3, 4, T_max=3).axes[0].get_yscale()
    'linear'
    """
    return _stepped_per_batch("CosineAnnealingLR", epochs, batches_per_epoch, base_lr=base_lr, log=False, **kwargs)


__all__ = ["past_t_max", "stepped_per_batch"]
