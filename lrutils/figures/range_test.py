"""Figures for notebook 10 (the learning-rate range test).

>>> from lrutils.training.range_test import lr_range_test
>>> len(smoothing_start(lr_range_test(num_iter=40), n=30).axes)
1
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..text.i18n import template, tr, tr_label
from ._draw import legend_below
from .language import localized
from .style import BLACK, BLUE, GREY, MAX_WIDTH, VERMILLION, fallback_look, log_scale

if TYPE_CHECKING:  # drawn here, never trained (figures sit under training)
    from ..training.comparison import Comparison
    from ..training.range_test import RangeTestResult


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
    ax.plot(steps, raw, color=GREY, alpha=0.8, linewidth=1.2, label=tr("raw loss per batch"))
    ax.plot(
        steps, uncorrected_average(raw, result.smooth), color=VERMILLION, linestyle="--",
        label=tr("moving average a_i (pulled towards 0)"),
    )  # fmt: skip
    corrected = result.smoothed[:n]  # the average the sweep stored: bias-corrected
    ax.plot(steps, corrected, color=BLUE, linewidth=2.2, label=tr("bias-corrected a_i / (1 - beta^(i+1))"))
    ax.set(xlabel=tr("batch"), ylabel=tr("training loss"))
    ax.set_title(tr("the first {n} batches: without the correction the average starts near 0", n=len(raw)))
    legend_below(fig, *ax.get_legend_handles_labels(), most=2)
    return localized(fig)


def _final_losses(histories: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """(lr, final val loss) of the runs that did not fail."""
    kept = [h for h in histories if not h.failed]
    return np.array([h.base_lr for h in kept]), np.array([h.val_loss[-1] for h in kept])


def suggestions_trained(comparison: Comparison, rules: Sequence[str], references: Sequence[str]) -> Figure:
    """Where each rule's suggestions landed and what they trained to: one point per seed at the lr the
    rule suggested on that seed (x, log scale) and the final validation loss of that run (y), one
    marker per rule; ``references`` (runs at one lr on every seed, e.g. the tuned ones) as horizontal
    lines at their mean. Runs that failed are left out and counted in the legend.

    >>> from lrutils.training.range_compare import compare_rules
    >>> from lrutils.training.range_test import lr_range_test
    >>> c = compare_rules([lr_range_test(seed=s, num_iter=30) for s in (0, 1)], epochs=1, progress=False)
    >>> fig = suggestions_trained(c, c.labels[1:-1], [c.labels[0], c.labels[-1]])
    >>> len(fig.axes[0].lines)
    5
    """
    fig = Figure(figsize=(MAX_WIDTH, 4.3), layout="constrained")
    ax = fig.subplots()
    for i, label in enumerate(rules):
        histories = comparison.runs[label]
        lrs, losses = _final_losses(histories)
        failed = len(histories) - len(lrs)
        span = tr("lr {low:.2g} to {high:.2g}", low=lrs.min(), high=lrs.max()) if len(lrs) else tr("every run failed")
        tag = f"{label}: {span}" + (f" ({failed} failed)" if failed else "")
        look = fallback_look(i)
        ax.plot(lrs, losses, markersize=8, mec="white", alpha=0.9, label=tag, **look.points())
    for k, label in enumerate(references):
        lrs, losses = _final_losses(comparison.runs[label])
        lr_text = f"{lrs[0]:g}" if len(set(lrs.tolist())) == 1 else tr("several lrs")
        ax.axhline(
            float(np.mean(losses)), color=BLACK, linestyle=("--", ":")[k % 2], linewidth=1.6,
            label=tr("{label} ({lr}): mean {mean:.4f}", label=label, lr=lr_text, mean=np.mean(losses)),
        )  # fmt: skip
    log_scale(ax, "x")
    ax.set(xlabel=tr("suggested peak lr on that seed (log scale)"), ylabel=tr("final val loss of that seed"))
    n = len(comparison.runs[rules[0]]) if rules else 0
    ax.set_title(tr("each seed's range test, trained at its suggestion ({n} seeds)", n=n))
    legend_below(fig, *ax.get_legend_handles_labels(), most=2)
    return localized(fig)


def _is_result(value: object) -> bool:
    """A RangeTestResult, by what the figure reads (figures do not import training)."""
    return all(hasattr(value, a) for a in ("lrs", "losses", "smoothed", "steepest_lr", "min_loss_lr", "suggestion"))


def plot_range_test(
    results: RangeTestResult | Mapping[str, RangeTestResult], title: str = template("learning-rate range test")
) -> Figure:
    """Draw smoothed loss vs lr (log x), the raw loss faint, and where each rule lands.

    ``results`` is one result or a dict ``{label: result}`` to overlay several tests. On the
    smoothed curve: the steepest point a circle, fastai's valley a diamond, the minimum a cross;
    ``min_loss_lr / 10`` (the suggestion) a vertical dashed line, and where the test stopped early
    a grey dotted line.

    >>> from lrutils.training.range_test import lr_range_test
    >>> fig = plot_range_test(lr_range_test(num_iter=30))
    >>> len(fig.axes), fig.axes[0].get_legend_handles_labels()[1][2].startswith("valley")
    (1, True)
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
    title = tr(title)  # the default is a catalog template; a title of your own stays as given
    looks = [fallback_look(i) for i in range(len(items))]
    stopped = False
    for look, (label, r) in zip(looks, items.items(), strict=True):
        if single:
            tags = (
                tr("smoothed loss"),
                tr("steepest {lr:.2e}", lr=r.steepest_lr),
                tr("valley {lr:.2e} (fastai's default)", lr=r.valley_lr),
            )
            tags += (tr("min {lr:.2e}", lr=r.min_loss_lr), tr("min / 10 {lr:.2e} (suggestion)", lr=r.suggestion))
        else:  # one legend entry per test: the markers mean the same for every colour (see the title)
            tags = (
                tr(
                    "{label}: valley {valley:.2e}, min / 10 {lr:.2e}",
                    label=tr_label(label),
                    valley=r.valley_lr,
                    lr=r.suggestion,
                ),
            )
            tags += (None, None, None, None)
        ax.plot(r.lrs, r.losses, color=look.color, alpha=0.25, linewidth=0.8)
        ax.plot(r.lrs, r.smoothed, linewidth=2, label=tags[0], **look.line())
        for lr, marker, tag in ((r.steepest_lr, "o", tags[1]), (r.valley_lr, "D", tags[2])):
            k = int(np.searchsorted(r.lrs, lr))
            ax.plot([lr], [r.smoothed[k]], marker, color=look.color, markersize=8, mec="white", label=tag)
        ax.plot([r.min_loss_lr], [r.best_loss], "x", color=look.color, markersize=9, mew=2, label=tags[3])
        ax.axvline(r.suggestion, color=look.color, linestyle="--", linewidth=1.2, label=tags[4])
        if r.diverged_lr is not None:
            ax.axvline(r.diverged_lr, color=GREY, linestyle=":", linewidth=1.2)
            stopped = True
        lows.append(float(np.min(r.smoothed)))
        highs.append(float(np.max(r.smoothed[: max(1, len(r.smoothed) // 10)])))
    low, high = min(lows), max(highs)
    ax.set_ylim(low - 0.1 * (high - low), high + 0.6 * (high - low))  # raw spikes near the end do not squash the curve
    log_scale(ax, "x")
    ax.set(xlabel=tr("learning rate (log scale)"), ylabel=tr("training loss (per batch)"))
    ax.grid(alpha=0.3, which="both")
    handles, labels = ax.get_legend_handles_labels()
    if not single:  # what the marks mean, once for every test; "stopped" only if a test stopped
        marks = tr("o steepest, diamond valley, x minimum, dashed min / 10")
        title = title + f"\n({marks}" + (tr(", dotted: stopped)") if stopped else ")")
    elif stopped:
        handles.append(Line2D([], [], color=GREY, linestyle=":", linewidth=1.2))
        labels.append(tr("where the test stopped"))
    ax.set_title(title)
    # below: never on the curve; one test per line when each entry names a test (they are long)
    fig.legend(handles, labels, loc="outside lower center", ncols=2 if single else 1, frameon=False)
    return localized(fig)


__all__ = ["plot_range_test", "smoothing_start", "suggestions_trained", "uncorrected_average"]
