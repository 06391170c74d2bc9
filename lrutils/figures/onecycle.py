"""Figures for notebook 05 (OneCycleLR): the cycle of the lr and of the momentum, the blog's sketch, the knobs,
and what its warm-up costs and its anneal buys on the demo (:func:`behind_then_ahead`).

One-cycle is stepped per batch; every x axis here counts optimizer steps unless it says epochs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..curves.blog import blog_sketch
from ..curves.closed_form import lr_curve, momentum_curve
from ..text.i18n import template, tr
from ._draw import legend_below, torch_dots
from .language import localized
from .style import GREY, MAX_WIDTH, color_for, fallback_look, log_scale, look_for

if TYPE_CHECKING:  # drawn here, never trained (figures sit under training)
    from ..training.comparison import Comparison

COLOUR = color_for("OneCycleLR")


def _legend_right(ax: Axes) -> None:
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)


def curve_and_momentum(n_steps: int, sketch: bool = False, **kwargs: Any) -> Figure:
    """lr (top) and momentum (bottom) of ``OneCycleLR(**kwargs)``: lrutils' numpy curves as lines,
    the real torch scheduler (stepped ``n_steps`` times) as dots. ``sketch=True`` adds the blog's
    100-epoch sketch, stretched over the same ``n_steps`` (grey dashes).

    >>> fig = curve_and_momentum(20, sketch=True, max_lr=0.1, total_steps=20)
    >>> [ax.get_ylabel() for ax in fig.axes], len(fig.axes[0].lines)
    (['learning rate', 'momentum'], 3)
    """
    from ..curves.torch_reference import torch_lr_curve, torch_momentum_curve  # imports torch only when asked

    momentum = momentum_curve("OneCycleLR", n_steps, **kwargs)
    moves = bool(np.ptp(momentum) > 0)
    fig = Figure(figsize=(MAX_WIDTH, 4.0), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    if sketch:
        drawn = blog_sketch("OneCycleLR")
        x = np.linspace(0, n_steps - 1, len(drawn))
        top.plot(x, drawn, "--", color="grey", linewidth=2.5, label=tr("blog's sketch\n(stretched)"))
    top.plot(lr_curve("OneCycleLR", n_steps, **kwargs), color=COLOUR, label="lrutils.lr_curve")
    torch_dots(top, torch_lr_curve("OneCycleLR", n_steps, **kwargs), template("torch (stepped)"))
    bottom.plot(momentum, color="black", label="lrutils.momentum_curve")
    torch_dots(bottom, torch_momentum_curve("OneCycleLR", n_steps, **kwargs), template("torch (stepped)"))
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    seen = tr("the momentum falls while the lr rises, and back") if moves else tr("the momentum stays put")
    top.set(ylabel=tr("learning rate"), title=f"OneCycleLR({args})\n{seen}")
    bottom.set(xlabel=tr("batch (optimizer step)"), ylabel=tr("momentum"))
    for ax in (top, bottom):
        _legend_right(ax)
    return localized(fig)


def variants(curves: Mapping[str, Sequence[float] | np.ndarray]) -> Figure:
    """Several one-cycle curves over the same steps, linear (left) and log (right); the first,
    the default, drawn wide and grey underneath.

    >>> fig = variants({"default": [0.1, 1.0, 0.1], "other": [0.2, 1.0, 0.2]})
    >>> len(fig.axes[0].lines)
    2
    """
    fig = Figure(figsize=(MAX_WIDTH, 3.4), layout="constrained")
    left, right = fig.subplots(1, 2)
    for i, (label, values) in enumerate(curves.items()):
        style: dict[str, Any] = {"color": "black", "linewidth": 5, "alpha": 0.3} if i == 0 else fallback_look(i).line()
        for ax in (left, right):
            ax.plot(np.asarray(values, dtype=float), label=label, **style)
    left.set(xlabel=tr("batch"), ylabel=tr("learning rate"), title=tr("linear scale: the shape"))
    log_scale(right)
    right.set(xlabel=tr("batch"), title=tr("log scale: the two ends"))
    legend_below(fig, *left.get_legend_handles_labels(), most=2)
    return localized(fig)


def stepping_rate(epochs: int, steps_per_epoch: int, max_lr: float) -> Figure:
    """The lr at the start of each epoch when ``OneCycleLR(max_lr, epochs, steps_per_epoch)`` is
    stepped per batch (as meant) and per epoch (a common mistake: the cycle never gets past the warm-up).

    >>> stepping_rate(30, 30, 0.2).axes[0].get_xlabel()
    'epoch'
    """
    kwargs = {"max_lr": max_lr, "epochs": epochs, "steps_per_epoch": steps_per_epoch}
    per_batch = lr_curve("OneCycleLR", epochs * steps_per_epoch, **kwargs)[::steps_per_epoch]
    per_epoch = lr_curve("OneCycleLR", epochs, **kwargs)
    fig = Figure(figsize=(MAX_WIDTH, 3.0), layout="constrained")
    ax = fig.subplots()
    total = epochs * steps_per_epoch
    ax.plot(per_batch, color=COLOUR, label=tr("stepped per batch\n(as meant)"))
    ax.plot(
        per_epoch,
        color=GREY,
        linestyle="--",
        label=tr("stepped per epoch\n({epochs} of {total} steps)", epochs=epochs, total=total),
    )
    ax.set(xlabel=tr("epoch"), ylabel=tr("lr at the start of the epoch"))
    peak = int(np.argmax(lr_curve("OneCycleLR", total, **kwargs)))
    seen = tr("per epoch, it never gets past the warm-up") if epochs - 1 < peak else tr("per epoch, it runs too slowly")
    ax.set_title(f"OneCycleLR(max_lr={max_lr}, epochs={epochs}, steps_per_epoch={steps_per_epoch})\n{seen}")
    _legend_right(ax)
    return localized(fig)


def behind_then_ahead(comparison: Comparison, label: str = "OneCycleLR") -> Figure:
    """What one-cycle's per-batch warm-up costs and what its anneal buys, epoch by epoch: the lr of
    seed 0 per batch (top; linear, to show the warm-up) for ``label`` and the baseline, and (bottom) ``label``'s paired
    difference in validation loss from the baseline after each epoch, mean with its 95 % interval
    (below 0: ``label`` is lower). A dotted line marks the epoch of ``label``'s peak lr.

    >>> from lrutils import compare
    >>> fig = behind_then_ahead(compare([None, "OneCycleLR"], epochs=2, seeds=2, progress=False))
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['learning rate', 'val loss difference']
    """
    label, baseline = comparison.label(label), comparison.baseline
    epochs = np.arange(1, comparison.epochs + 1)
    diffs = [comparison.paired(label, f"val_loss@{e}").difference for e in epochs]
    mean = np.array([d.mean for d in diffs])
    low, high = np.array([d.low for d in diffs]), np.array([d.high for d in diffs])
    fig = Figure(figsize=(MAX_WIDTH, 4.4), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(1.0, 1.3))
    ours = comparison[label][0]
    peak = float(ours.step_epochs[int(np.argmax(ours.lr))])
    for who in (baseline, label):
        run = comparison[who][0]
        top.plot(run.step_epochs, run.lr, label=who, **look_for(who).line())
    top.set(
        ylabel=tr("learning rate"), title=tr("the lr per batch (seed 0): {label} warms up, then anneals", label=label)
    )
    _legend_right(top)
    look = look_for(label)
    bottom.axhline(0.0, color="black", linewidth=1.0)
    bottom.fill_between(epochs, low, high, color=look.color, alpha=0.25, linewidth=0, label=tr("95% interval"))
    bottom.plot(epochs, mean, marker="o", markersize=4, label=tr("mean over seeds"), **look.line())
    bottom.set(xlabel=tr("epoch"), ylabel=tr("val loss difference"))
    bottom.set_title(tr("val loss, {label} minus {baseline} (paired; below 0: lower)", label=label, baseline=baseline))
    _legend_right(bottom)
    for ax in (top, bottom):
        ax.axvline(peak, color=GREY, linestyle=":", linewidth=1.5)
    top.annotate(tr("peak lr"), (peak, 0.0), xycoords=("data", "axes fraction"), xytext=(4, 4),
                 textcoords="offset points", color=GREY)  # fmt: skip
    return localized(fig)


__all__ = ["behind_then_ahead", "curve_and_momentum", "stepping_rate", "variants"]
