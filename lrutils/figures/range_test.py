"""Figures for notebook 10 (the learning-rate range test).

>>> from lrutils.training.range_test import lr_range_test
>>> len(smoothing_start(lr_range_test(num_iter=40), n=30).axes)
1
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ._draw import legend_below
from .style import BLUE, GREY, MAX_WIDTH, VERMILLION, fallback_look, log_scale, looks_for

if TYPE_CHECKING:  # drawn here, never trained (figures sit under training)
    from ..training.range_test import RangeTestResult
    from ..training.tuning import Tuning


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

    >>> from lrutils.training.range_test import lr_range_test
    >>> [line.get_label() for line in smoothing_start(lr_range_test(num_iter=20), n=10).axes[0].lines][:1]
    ['raw loss per batch']
    """
    raw = result.losses[:n]
    steps = np.arange(len(raw))
    fig = Figure(figsize=(MAX_WIDTH, 3.4), layout="constrained")
    ax = fig.subplots()
    ax.plot(steps, raw, color=GREY, alpha=0.8, linewidth=1.2, label="raw loss per batch")
    ax.plot(
        steps, uncorrected_average(raw, result.smooth), color=VERMILLION, linestyle="--",
        label="moving average a_i (pulled towards 0)",
    )  # fmt: skip
    corrected = result.smoothed[:n]  # the average the sweep stored: bias-corrected
    ax.plot(steps, corrected, color=BLUE, linewidth=2.2, label="bias-corrected a_i / (1 - beta^(i+1))")
    ax.set(xlabel="batch", ylabel="training loss")
    ax.set_title(f"the first {len(raw)} batches: without the correction the average starts near 0")
    legend_below(fig, *ax.get_legend_handles_labels(), most=2)
    return fig


def rules_vs_tuning(
    result: RangeTestResult, tuning: Tuning, marks: Mapping[str, float], xlim: tuple[float, float] = (0.01, 3.0)
) -> Figure:
    """Top: the range test's smoothed loss against the lr. Bottom: the mean final validation loss of each
    schedule of an lr sweep (``tuning``) against the same lr axis. Vertical lines at ``marks``
    (label -> lr, e.g. the suggestion and the steepest point), so one sees where each rule lands on
    the curve of real 30-epoch training.

    >>> from lrutils import tune_lr
    >>> from lrutils.training.range_test import lr_range_test
    >>> t = tune_lr(["OneCycleLR"], grid=(0.05, 0.1), seeds=[1], epochs=2, progress=False)
    >>> len(rules_vs_tuning(lr_range_test(num_iter=30), t, {"min / 10": 0.05}).axes)
    2
    """
    fig = Figure(figsize=(MAX_WIDTH, 4.9), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(1.0, 1.2))
    inside = (result.lrs >= xlim[0]) & (result.lrs <= xlim[1])
    top.plot(result.lrs[inside], result.smoothed[inside], color=BLUE)
    top.set(ylabel="smoothed loss", title=f"range test (one run of {len(result.lrs)} batches)")
    grid = np.array(tuning.grid)
    looks = looks_for(tuning.labels)
    for label in tuning.labels:
        losses = np.array([tuning.mean_loss(label, lr) for lr in tuning.grid])
        ok = np.isfinite(losses)
        bottom.plot(grid[ok], losses[ok], marker=looks[label].marker, label=f"{label} (sweep)", **looks[label].line())
    log_scale(bottom, "x")
    bottom.set(xlabel="learning rate (peak lr for OneCycleLR, log scale)", ylabel="mean final val loss")
    bottom.set_title(f"30-epoch training, mean over tuning seeds {tuning.seeds}")
    styles = ["--", ":", "-.", (0, (5, 1, 1, 1))]
    for k, (label, lr) in enumerate(marks.items()):
        for ax in (top, bottom):
            ax.axvline(lr, color="grey", linestyle=styles[k % len(styles)], linewidth=1.4)
        bottom.plot([], [], color="grey", linestyle=styles[k % len(styles)], label=f"{label}: {lr:.3g}")
    bottom.set_xlim(*xlim)
    legend_below(fig, *bottom.get_legend_handles_labels())
    return fig


def _is_result(value: object) -> bool:
    """A RangeTestResult, by what the figure reads (figures do not import training)."""
    return all(hasattr(value, a) for a in ("lrs", "losses", "smoothed", "steepest_lr", "min_loss_lr", "suggestion"))


def plot_range_test(
    results: RangeTestResult | Mapping[str, RangeTestResult], title: str = "learning-rate range test"
) -> Figure:
    """Draw smoothed loss vs lr (log x), the raw loss faint, both suggestions marked.

    ``results`` is one result or a dict ``{label: result}`` to overlay several tests. The
    steepest point is a circle, ``min_loss_lr / 10`` (the suggestion) a vertical dashed line,
    the minimum a cross, and where the test stopped early a short grey dotted line.

    >>> from lrutils.training.range_test import lr_range_test
    >>> fig = plot_range_test(lr_range_test(num_iter=30))
    >>> len(fig.axes)
    1
    """
    if _is_result(results):
        items = {"": results}
    elif isinstance(results, Mapping) and results and all(_is_result(r) for r in results.values()):
        items = {str(k): v for k, v in results.items()}
    else:
        raise TypeError("results must be a RangeTestResult or a non-empty dict {label: RangeTestResult}")
    fig = Figure(figsize=(MAX_WIDTH, 4.8), layout="constrained")
    ax = fig.subplots()
    lows, highs = [], []
    single = len(items) == 1
    looks = [fallback_look(i) for i in range(len(items))]
    stopped = False
    for look, (label, r) in zip(looks, items.items(), strict=True):
        k = int(np.searchsorted(r.lrs, r.steepest_lr))
        if single:
            tags = ("smoothed loss", f"steepest {r.steepest_lr:.2e}", f"min {r.min_loss_lr:.2e}")
            tags += (f"min / 10 {r.suggestion:.2e} (suggestion)",)
        else:  # one legend entry per test: the markers mean the same for every colour (see the title)
            tags = (f"{label}: steepest {r.steepest_lr:.2e}, min / 10 {r.suggestion:.2e}", None, None, None)
        ax.plot(r.lrs, r.losses, color=look.color, alpha=0.25, linewidth=0.8)
        ax.plot(r.lrs, r.smoothed, linewidth=2, label=tags[0], **look.line())
        ax.plot([r.steepest_lr], [r.smoothed[k]], "o", color=look.color, markersize=8, label=tags[1])
        ax.plot([r.min_loss_lr], [r.best_loss], "x", color=look.color, markersize=9, mew=2, label=tags[2])
        ax.axvline(r.suggestion, color=look.color, linestyle="--", linewidth=1.2, label=tags[3])
        if r.diverged_lr is not None:
            ax.axvline(r.diverged_lr, color=GREY, linestyle=":", linewidth=1.2)
            stopped = True
        lows.append(float(np.min(r.smoothed)))
        highs.append(float(np.max(r.smoothed[: max(1, len(r.smoothed) // 10)])))
    low, high = min(lows), max(highs)
    ax.set_ylim(low - 0.1 * (high - low), high + 0.6 * (high - low))  # raw spikes near the end do not squash the curve
    log_scale(ax, "x")
    ax.set(xlabel="learning rate (log scale)", ylabel="training loss (per batch)")
    ax.grid(alpha=0.3, which="both")
    handles, labels = ax.get_legend_handles_labels()
    if not single:  # what the marks mean, once for every test; "stopped" only if a test stopped
        title += "\n(o steepest, x minimum, dashed: min / 10" + (", dotted: stopped)" if stopped else ")")
    elif stopped:
        handles.append(Line2D([], [], color=GREY, linestyle=":", linewidth=1.2))
        labels.append("where the test stopped")
    ax.set_title(title)
    # below: never on the curve; one test per line when each entry names a test (they are long)
    fig.legend(handles, labels, loc="outside lower center", ncols=2 if single else 1, frameon=False)
    return fig


__all__ = ["plot_range_test", "rules_vs_tuning", "smoothing_start", "uncorrected_average"]
