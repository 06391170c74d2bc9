"""Figures for notebook 11 (the learning-rate range test).

>>> from lrutils.range_test import lr_range_test
>>> len(smoothing_start(lr_range_test(num_iter=40), n=30).axes)
1
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from ..comparison import Tuning
from ..range_test import RangeTestResult, smooth_losses
from ..style import MAX_WIDTH, color_for


def uncorrected_average(losses: np.ndarray, beta: float) -> np.ndarray:
    """The exponential moving average without bias correction: ``a_i = beta a_{i-1} + (1 - beta) l_i``, ``a_{-1} = 0``.

    >>> uncorrected_average(np.array([1.0, 1.0]), 0.5).tolist()
    [0.5, 0.75]
    """
    out, avg = np.empty(len(losses)), 0.0
    for i, loss in enumerate(np.asarray(losses, dtype=float)):
        avg = beta * avg + (1.0 - beta) * loss
        out[i] = avg
    return out


def smoothing_start(result: RangeTestResult, n: int = 100) -> Figure:
    """The first ``n`` batches of a sweep: raw loss, the moving average (pulled towards 0 at the start)
    and the bias-corrected average the range test stores.

    >>> from lrutils.range_test import lr_range_test
    >>> [line.get_label() for line in smoothing_start(lr_range_test(num_iter=20), n=10).axes[0].lines][:1]
    ['raw loss per batch']
    """
    raw = result.losses[:n]
    steps = np.arange(len(raw))
    fig = Figure(figsize=(MAX_WIDTH, 3.4), layout="constrained")
    ax = fig.subplots()
    ax.plot(steps, raw, color="C0", alpha=0.35, linewidth=1.2, label="raw loss per batch")
    ax.plot(steps, uncorrected_average(raw, result.smooth), color="C1", linestyle="--", label="moving average $a_i$")
    corrected = smooth_losses(raw, result.smooth)
    ax.plot(steps, corrected, color="C0", linewidth=2.2, label=r"bias-corrected $a_i / (1-\beta^{i+1})$")
    ax.set(xlabel="batch", ylabel="training loss", title=f"the first {len(raw)} batches of the sweep")
    fig.legend(loc="outside lower center", ncols=3, frameon=False)
    return fig


def rules_vs_tuning(
    result: RangeTestResult, tuning: Tuning, marks: Mapping[str, float], xlim: tuple[float, float] = (0.01, 3.0)
) -> Figure:
    """Top: the range test's smoothed loss against the lr. Bottom: the mean final validation loss of each
    schedule of an lr sweep (``tuning``) against the same lr axis. Vertical lines at ``marks``
    (label -> lr, e.g. the suggestion and the steepest point), so one sees where each rule lands on
    the curve of real 30-epoch training.

    >>> from lrutils import tune_lr
    >>> from lrutils.range_test import lr_range_test
    >>> t = tune_lr(["OneCycleLR"], grid=(0.05, 0.1), seeds=[1], epochs=2, progress=False)
    >>> len(rules_vs_tuning(lr_range_test(num_iter=30), t, {"min / 10": 0.05}).axes)
    2
    """
    fig = Figure(figsize=(MAX_WIDTH, 5.6), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(1.0, 1.2))
    inside = (result.lrs >= xlim[0]) & (result.lrs <= xlim[1])
    top.plot(result.lrs[inside], result.smoothed[inside], color="C0")
    top.set(ylabel="smoothed loss", title="range test (one run of 300 batches)")
    grid = np.array(tuning.grid)
    for i, label in enumerate(tuning.labels):
        losses = np.array([tuning.mean_loss(label, lr) for lr in tuning.grid])
        ok = np.isfinite(losses)
        bottom.plot(grid[ok], losses[ok], "-o", color=color_for(label, i), label=f"{label} (sweep)")
    bottom.set(xscale="log", xlabel="learning rate (peak lr for OneCycleLR, log scale)", ylabel="mean final val loss")
    bottom.set_title(f"30-epoch training, mean over tuning seeds {tuning.seeds}")
    styles = ["--", ":", "-.", (0, (5, 1, 1, 1))]
    for k, (label, lr) in enumerate(marks.items()):
        for ax in (top, bottom):
            ax.axvline(lr, color="grey", linestyle=styles[k % len(styles)], linewidth=1.4)
        bottom.plot([], [], color="grey", linestyle=styles[k % len(styles)], label=f"{label}: {lr:.3g}")
    bottom.set_xlim(*xlim)
    fig.legend(*bottom.get_legend_handles_labels(), loc="outside lower center", ncols=3, frameon=False)
    return fig


__all__ = ["rules_vs_tuning", "smoothing_start", "uncorrected_average"]
