"""Figures for notebook 08 (warm restarts, ``CosineAnnealingWarmRestarts``).

>>> fig = rises_again(60)
>>> len(fig.axes)
3
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..curves.closed_form import lr_curve
from ..curves.torch_reference import torch_fractional_epoch_lrs
from ..text.i18n import template, tr
from ._draw import legend_below
from .language import localized
from .style import GREY, MAX_WIDTH, color_for

RISES: dict[str, tuple[str, dict[str, int]]] = {
    template("CosineAnnealingLR(T_max=50), stepped past T_max: rises smoothly"): ("CosineAnnealingLR", {"T_max": 50}),
    template("CosineAnnealingWarmRestarts(T_0=50): jumps back every 50 epochs"): (
        "CosineAnnealingWarmRestarts",
        {"T_0": 50},
    ),
    template("CosineAnnealingWarmRestarts(T_0=10, T_mult=2): cycles of 10, 20, 40, 80"): (
        "CosineAnnealingWarmRestarts",
        {"T_0": 10, "T_mult": 2},
    ),
}
"""Three ways a cosine learning rate can rise again: label -> (scheduler, keywords)."""


def rises_again(n_steps: int = 150, base_lr: float = 0.1) -> Figure:
    """The three curves of :data:`RISES`, one panel each (shared epoch axis), over ``n_steps`` epochs.

    >>> [line.get_drawstyle() for line in rises_again(30).axes[0].lines]
    ['steps-post']
    """
    fig = Figure(figsize=(MAX_WIDTH, 4.6), layout="constrained")
    axes = fig.subplots(len(RISES), 1, sharex=True, sharey=True)
    steps = np.arange(n_steps)
    for ax, (label, (name, kwargs)) in zip(axes, RISES.items(), strict=True):
        values = lr_curve(name, n_steps, base_lr, **kwargs)
        ax.plot(steps, values, drawstyle="steps-post", color=color_for(name))
        ax.set_title(tr(label), loc="left", fontsize="medium")
        ax.set_ylabel(tr("lr"))
        ax.locator_params(axis="y", nbins=3)
    axes[-1].set_xlabel(tr("epoch"))
    return localized(fig)


def fractional_epochs(T_0: int = 2, T_mult: int = 2, epochs: int = 7, iters: int = 30) -> Figure:
    """The lr each batch used: ``step()`` once per epoch (a staircase) versus ``step(epoch + (i + 1) / iters)``
    after every batch (smooth), both from the real torch scheduler, with the restarts marked.

    >>> len(fractional_epochs(epochs=2, iters=4).axes[0].lines)
    2
    """
    per_epoch = np.repeat(lr_curve("CosineAnnealingWarmRestarts", epochs, 0.1, T_0=T_0, T_mult=T_mult), iters)
    smooth = torch_fractional_epoch_lrs(T_0, T_mult, epochs, iters)
    fig = Figure(figsize=(MAX_WIDTH, 3.4), layout="constrained")
    ax = fig.subplots()
    colour = color_for("CosineAnnealingWarmRestarts")
    ax.plot(per_epoch, drawstyle="steps-post", color=GREY, linewidth=3, label=tr("step() once per epoch"))
    ax.plot(smooth, color=colour, label=tr("step(epoch + (i + 1) / iters) after every batch"))
    ax.set(xlabel=tr("batch ({iters} per epoch)", iters=iters), ylabel=tr("learning rate"))
    ax.set_title(
        f"CosineAnnealingWarmRestarts(T_0={T_0}, T_mult={T_mult})\n"
        + tr("stepped with fractional epochs, each cycle is a smooth cosine")
    )
    legend_below(fig, *ax.get_legend_handles_labels(), most=2)
    return localized(fig)


__all__ = ["RISES", "fractional_epochs", "rises_again"]
