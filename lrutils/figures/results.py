"""Figures of training runs: one run per schedule (:func:`plot_history`), many seeds
(:func:`plot_comparison`, medians with bands) and lr sweeps (:func:`plot_tuning`).

Sizes and fonts follow :mod:`lrutils.figures.style` (readable on a projector); legends sit outside the
data; learning rates are drawn as steps on a log axis, where equal factors are equal steps and a
decay to 1e-4 stays visible.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..text.i18n import template, tr
from ..text.tables import WORD_START
from ._draw import legend_columns
from .language import localized
from .style import BASE_FONT, MAX_WIDTH, log_scale, looks_for

if TYPE_CHECKING:  # drawn here, never trained (figures sit under training)
    from ..training.comparison import Comparison
    from ..training.history import History
    from ..training.tuning import Tuning

_HISTORY_FIELDS = ("label", "lr", "val_loss", "train_loss", "steps_per_epoch", "failure")


def _is_history(value: object) -> bool:
    """A :class:`~lrutils.training.history.History`, by the fields drawn (figures do not import training)."""
    return all(hasattr(value, field) for field in _HISTORY_FIELDS) and not isinstance(value, type)


def _labelled(histories: History | Sequence[History] | Mapping[Any, History], what: str) -> list[tuple[str, History]]:
    """(label, history) pairs: a dict's string keys label the runs, otherwise each run's own label."""
    if _is_history(histories):
        items = [(histories.label, histories)]
    elif isinstance(histories, Mapping):
        items = [(key if isinstance(key, str) else h.label, h) for key, h in histories.items()]
    elif isinstance(histories, Sequence) and not isinstance(histories, (str, bytes)):
        items = [(getattr(h, "label", ""), h) for h in histories]
    else:
        raise TypeError(
            f"{what} must be a History, a sequence of them or a dict of them, got {type(histories).__name__}"
        )
    if not items or not all(_is_history(h) for _, h in items):
        raise TypeError(f"{what} must contain at least one History and nothing else")
    return items


def _lr_axis(ax: Axes, xlabel: str = template("epoch"), title: str = template("learning rate")) -> None:
    xlabel, title = tr(xlabel), tr(title)  # the defaults are catalog templates
    log_scale(ax)
    ax.set(title=title, xlabel=xlabel, ylabel=tr("lr (log scale)"))


def _legend_below(fig: Figure, handles: list[Any], labels: list[str], ncols: int = 3) -> None:
    """One legend for the whole figure, under the panels: it never covers a curve."""
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), ncols), frameon=False)


def _mark_failure(ax: Axes, h: History, colour: str) -> None:
    """An x where a run failed, at the top of the panel, instead of a line that runs off to NaN."""
    if h.failure is not None:
        ax.plot([h.failure.epoch], [1.0], "x", color=colour, markersize=10, mew=2, transform=ax.get_xaxis_transform())


def plot_history(histories: History | Sequence[History] | Mapping[Any, History]) -> Figure:
    """Learning rate, loss and validation accuracy of single runs, side by side.

    The lr is drawn per optimizer step (as steps, log scale); validation loss (thick) and
    training loss (thin, faint) and accuracy at the end of each epoch, each run in its own colour
    and line style. A run that failed ends with an ``x``. A dict's string keys label the runs
    (``{"constant 0.4": ..., "constant 0.05": ...}``).

    >>> from lrutils import train
    >>> len(plot_history(train(None, epochs=2)).axes)
    3
    """
    items = _labelled(histories, "histories")
    fig = Figure(figsize=(MAX_WIDTH, 3.6), layout="constrained")
    ax_lr, ax_loss, ax_acc = fig.subplots(1, 3)
    handles, names = [], []
    looks = looks_for([label for label, _ in items])
    for label, h in items:
        look = looks[label]
        epochs = np.arange(1, h.epochs + 1)
        (line,) = ax_lr.plot(h.step_epochs, h.lr, drawstyle="steps-post", **look.line())
        ax_loss.plot(epochs, h.train_loss, alpha=0.5, linewidth=1.2, **look.line())
        ax_loss.plot(epochs, h.val_loss, **look.line())
        ax_acc.plot(epochs, h.val_acc, **look.line())
        for ax in (ax_loss, ax_acc):
            _mark_failure(ax, h, look.color)
        handles.append(line)
        names.append(label + (" (failed)" if h.failed else ""))
    _lr_axis(ax_lr)
    ax_loss.set(title=tr("loss"), xlabel=tr("epoch"), ylabel=tr("cross-entropy"))
    ax_acc.set(title=tr("val accuracy"), xlabel=tr("epoch"))
    handles += [Line2D([], [], color="grey", linewidth=1.2, alpha=0.5), Line2D([], [], color="grey")]
    names += [tr("train loss (thin)"), tr("val loss (thick)")]
    _legend_below(fig, handles, names, ncols=legend_columns(names, MAX_WIDTH, 3))
    return localized(fig)


def _wrap(label: str, width: int = 14) -> str:
    r"""Break a label longer than ``width`` so it fits beside a panel: between words, and a long
    word at the inner capital that starts a word and halves it best (``ReduceLR\nOnPlateau``).

    >>> _wrap("CosineAnnealingLR"), _wrap("StepLR"), _wrap("ReduceLROnPlateau")
    ('Cosine\nAnnealingLR', 'StepLR', 'ReduceLR\nOnPlateau')
    >>> _wrap("CosineAnnealingWarmRestarts"), _wrap("CosineAnnealingLR", width=20)
    ('CosineAnnealing\nWarmRestarts', 'CosineAnnealingLR')
    >>> print(_wrap("OneCycleLR at the steepest point", 16))
    OneCycleLR at
    the steepest
    point
    """
    if len(label) <= width:
        return label
    if " " in label:
        return "\n".join(_wrap(line, width) for line in textwrap.wrap(label, width))
    # a capital that starts a word: not inside an acronym such as the "R" of "LROn"
    starts = [m.start() for m in WORD_START.finditer(label) if 0 < m.start() < len(label) - 1]
    if not starts:
        return label
    cut = min(starts, key=lambda i: (max(i, len(label) - i), -i))
    return label[:cut] + "\n" + label[cut:]


def _band(values: np.ndarray, band: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median and band edges over the seeds (axis 0), ignoring NaN (failed runs)."""
    with np.errstate(all="ignore"):
        finite = np.isfinite(values).any(axis=0)
        safe = np.where(np.isfinite(values), values, np.nan)
        median = np.full(values.shape[1], np.nan)
        low, high = median.copy(), median.copy()
        if finite.any():
            cols = safe[:, finite]
            median[finite] = np.nanmedian(cols, axis=0)
            if band == "range":
                low[finite], high[finite] = np.nanmin(cols, axis=0), np.nanmax(cols, axis=0)
            else:
                low[finite], high[finite] = np.nanpercentile(cols, [25, 75], axis=0)
    return median, low, high


def plot_comparison(comparison: Comparison, labels: Sequence[str] | None = None, band: str = "iqr") -> Figure:
    """What :meth:`Comparison.plot` draws: on the left the lr and the val loss per epoch (median over
    seeds, with a band) per schedule; on the right every seed's final val loss, one row per
    schedule, with the mean and its 95 % interval under the seeds.

    Each schedule has its colour, line style and marker (:func:`~lrutils.figures.style.looks_for`).

    >>> from lrutils import compare
    >>> fig = plot_comparison(compare([None, "StepLR"], epochs=2, seeds=2, progress=False))
    >>> [ax.get_title() for ax in fig.axes]
    ['learning rate', 'val loss (median, 25-75% band)', 'final val loss per seed']
    """
    if band not in ("iqr", "range"):
        raise ValueError(f"band must be 'iqr' or 'range', got {band!r}")
    labels = list(comparison.labels if labels is None else labels)
    unknown = [label for label in labels if label not in comparison.runs]
    if unknown:
        raise ValueError(f"labels must be among {comparison.labels}, got {unknown}")
    fig = Figure(figsize=(MAX_WIDTH, 4.9), layout="constrained")
    grid = fig.add_gridspec(2, 2, height_ratios=(1.0, 1.15), width_ratios=(1.1, 1.0))
    ax_lr = fig.add_subplot(grid[0, 0])
    ax_loss = fig.add_subplot(grid[1, 0], sharex=ax_lr)
    ax_final = fig.add_subplot(grid[:, 1])
    handles = []
    looks = looks_for(labels)
    rows = np.arange(len(labels))[::-1]  # the first schedule on top, as in the legend and the tables
    for label, row in zip(labels, rows, strict=True):
        runs = comparison.runs[label]
        look = looks[label]
        lrs = np.stack([h.lr for h in runs])
        lr_median, _, _ = _band(lrs, "iqr")
        (line,) = ax_lr.plot(runs[0].step_epochs, lr_median, drawstyle="steps-post", **look.line())
        if runs[0].name == "ReduceLROnPlateau":  # each seed cuts at its own epochs: show the spread
            _, low, high = _band(lrs, "range")
            ax_lr.fill_between(runs[0].step_epochs, low, high, color=look.color, alpha=0.15, step="post", lw=0)
        losses = np.stack([h.val_loss for h in runs])
        median, low, high = _band(losses, band)
        epochs = np.arange(1, losses.shape[1] + 1)
        ax_loss.plot(epochs, median, **look.line())
        ax_loss.fill_between(epochs, low, high, color=look.color, alpha=0.18, linewidth=0)
        handles.append(line)
        finals = np.array([h.val_loss[-1] for h in runs if not h.failed])
        offsets = np.linspace(0.05, 0.32, len(runs))[: len(finals)]  # seeds above the row, the interval on it
        ax_final.plot(finals, row + offsets, alpha=0.6, markersize=5, **look.points())
        if finals.size:
            iv = comparison.summary(label)
            if iv.n >= 2:
                ax_final.errorbar(
                    [iv.mean], [row - 0.12], xerr=[[iv.mean - iv.low], [iv.high - iv.mean]], fmt="|",
                    color=look.color, capsize=4, markersize=12, mew=2.5, elinewidth=2.5,
                )  # fmt: skip
        failed = len(comparison.failures(label))
        if failed:
            ax_final.annotate(
                f"{failed} failed", (1.0, row), xycoords=("axes fraction", "data"), ha="right", va="center",
                color=look.color, xytext=(-4, 0), textcoords="offset points",
            )  # fmt: skip
    _lr_axis(ax_lr, xlabel="")
    ax_lr.tick_params(labelbottom=False)
    spread = "25-75%" if band == "iqr" else "min-max"
    ax_loss.set(xlabel=tr("epoch"), ylabel=tr("val loss"))
    ax_loss.set_title(tr("val loss (median, {spread} band)", spread=spread), fontsize=BASE_FONT)
    ax_final.set_yticks(rows, [_wrap(label, 18) for label in labels])
    ax_final.set_ylim(-0.6, len(labels) - 0.4)
    ax_final.grid(False, axis="y")
    ax_final.set(title=tr("final val loss per seed"), xlabel=tr("val loss after the last epoch\n(lower is better)"))
    handles.append(Line2D([], [], color="grey", marker="|", markersize=12, mew=2.5, linewidth=2.5))
    names = [*labels, tr("mean, 95% interval")]
    _legend_below(fig, handles, names, ncols=legend_columns(names, MAX_WIDTH, 4))
    return localized(fig)


def plot_tuning(tuning: Tuning) -> Figure:
    """Mean final validation loss against the lr of the sweep (log x), one line per schedule (its
    colour, line style and marker), the chosen lr circled and a failed sweep point marked ``x``:
    a flat line is a forgiving schedule.

    >>> from lrutils import tune_lr
    >>> plot_tuning(tune_lr([None], grid=(0.05, 0.1), seeds=[1], epochs=2, progress=False)).axes[0].get_xscale()
    'log'
    """
    fig = Figure(figsize=(MAX_WIDTH * 0.9, 4.4), layout="constrained")
    ax = fig.subplots()
    best = tuning.best
    grid = np.array(tuning.grid)
    looks = looks_for(tuning.labels)
    for label in tuning.labels:
        look = looks[label]
        losses = np.array([tuning.mean_loss(label, lr) for lr in tuning.grid])
        ok = np.isfinite(losses)
        ax.plot(grid[ok], losses[ok], marker=look.marker, markersize=7, label=label, **look.line())
        ax.plot(
            grid[~ok], np.ones((~ok).sum()), "x", color=look.color, markersize=10, mew=2,
            transform=ax.get_xaxis_transform(),
        )  # fmt: skip
        chosen = tuning.grid.index(best[label])
        ax.plot([grid[chosen]], [losses[chosen]], "o", markersize=15, markerfacecolor="none", color=look.color)
    ax.set_xscale("log")
    ax.set_xticks(grid, [f"{v:g}" for v in grid])
    ax.minorticks_off()
    ax.set(xlabel=tr("lr (peak; log scale)"), ylabel=tr("mean final val loss"))
    ax.set_title(tr("the same lr sweep for every schedule; circled: the lr chosen"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    return localized(fig)


__all__ = ["plot_comparison", "plot_history", "plot_tuning"]
