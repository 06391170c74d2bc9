"""Figures for notebook 09 (cyclical learning rates, ``CyclicLR``).

>>> fig = modes(60)
>>> len(fig.axes)
3
"""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..curves.closed_form import lr_curve, momentum_curve
from ..curves.torch_reference import torch_lr_curve, torch_momentum_curve
from ..text.i18n import template, tr
from ._draw import legend_below, torch_dots
from .language import localized
from .style import GREY, MAX_WIDTH, color_for

MODES: dict[str, dict[str, Any]] = {
    "triangular": {},
    "triangular2": {"mode": "triangular2"},
    "exp_range, gamma=0.99": {"mode": "exp_range", "gamma": 0.99},
}
"""The three built-in modes of ``CyclicLR`` as notebook 09 draws them: label -> extra keywords."""
WHAT_TO_SEE = {
    "triangular": template("the same triangle every cycle"),
    "triangular2": template("the height halves every cycle"),
    "exp_range, gamma=0.99": template("the height shrinks x0.99 every batch"),
}
"""What each mode's panel shows, after its label in the panel's title."""

COMMON: dict[str, Any] = {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 25}
"""The triangle of the notebook's figures: 0.01 up to 0.1 in 25 batches and back."""


def modes(n_steps: int = 300, **common: Any) -> Figure:
    """One panel per ``CyclicLR`` mode: lrutils' numpy curve as a line, the real torch scheduler as dots.

    >>> [ax.get_title(loc="left") for ax in modes(60).axes][1]
    'triangular2: the height halves every cycle'
    """
    kwargs = {**COMMON, **common}
    fig = Figure(figsize=(MAX_WIDTH, 4.6), layout="constrained")
    axes = fig.subplots(len(MODES), 1, sharex=True, sharey=True)
    for ax, (label, extra) in zip(axes, MODES.items(), strict=True):
        ax.plot(lr_curve("CyclicLR", n_steps, **kwargs, **extra), color=color_for("CyclicLR"))
        torch_dots(ax, torch_lr_curve("CyclicLR", n_steps, **kwargs, **extra), label=None)
        note = WHAT_TO_SEE.get(label)
        ax.set_title(f"{label}: {tr(note)}" if note else label, loc="left", fontsize="medium")
        ax.set_ylabel(tr("lr"))
        ax.locator_params(axis="y", nbins=3)
    axes[-1].set_xlabel(tr("batch (optimizer step)"))
    handles = [Line2D([], [], color=color_for("CyclicLR")), Line2D([], [], color="k", marker=".", linestyle="")]
    legend_below(fig, handles, ["lrutils.lr_curve (numpy)", tr("torch CyclicLR, stepped")])
    return localized(fig)


def lr_and_momentum(n_steps: int = 150, **common: Any) -> Figure:
    """The lr (top) and the momentum ``CyclicLR`` sets (bottom, ``cycle_momentum=True``): peaks of one are
    troughs of the other. Lines are lrutils' curves, dots the real torch scheduler's momentum.

    >>> [ax.get_ylabel() for ax in lr_and_momentum(50).axes]
    ['learning rate', 'momentum']
    """
    kwargs = {**COMMON, **common}
    fig = Figure(figsize=(MAX_WIDTH, 4.4), layout="constrained")
    ax_lr, ax_m = fig.subplots(2, 1, sharex=True)
    ax_lr.plot(lr_curve("CyclicLR", n_steps, **kwargs), color=color_for("CyclicLR"))
    ax_lr.set(ylabel=tr("learning rate"))
    ax_lr.set_title(
        f"CyclicLR(base_lr={kwargs['base_lr']}, max_lr={kwargs['max_lr']}, step_size_up={kwargs['step_size_up']})"
        + "\n"
        + tr("the momentum is lowest where the lr peaks")
    )
    ax_m.plot(momentum_curve("CyclicLR", n_steps, **kwargs), color=GREY)
    torch_dots(ax_m, torch_momentum_curve("CyclicLR", n_steps, **kwargs), label=None)
    ax_m.set(xlabel=tr("batch (optimizer step)"), ylabel=tr("momentum"))
    handles = [Line2D([], [], color=GREY), Line2D([], [], color="k", marker=".", linestyle="")]
    legend_below(fig, handles, ["lrutils.momentum_curve", tr("torch (SGD momentum)")])
    return localized(fig)


__all__ = ["COMMON", "MODES", "WHAT_TO_SEE", "lr_and_momentum", "modes"]
