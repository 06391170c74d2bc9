"""Figures of training runs: one run per schedule (:func:`plot_history`), many seeds
(:func:`plot_comparison`, medians with bands) and lr sweeps (:func:`plot_tuning`).

Sizes and fonts follow :mod:`lrutils.figures.style` (readable on a projector); legends sit outside the
data; learning rates are drawn as steps on a log axis, where equal factors are equal steps and a
decay to 1e-4 stays visible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..text.tables import WORD_START
from .style import BASE_FONT, MAX_WIDTH, colors_for

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


def _lr_axis(ax: Axes, xlabel: str = "epoch") -> None:
    ax.set_yscale("log")
    ax.set(title="learning rate", xlabel=xlabel, ylabel="lr (log scale)")


def _legend_below(fig: Figure, handles: list[Any], labels: list[str]) -> None:
    """One legend for the whole figure, under the panels: it never covers a curve."""
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 3), frameon=False)


def _mark_failure(ax: Axes, h: History, colour: str) -> None:
    """An x where a run failed, at the top of the panel, instead of a line that runs off to NaN."""
    if h.failure is not None:
        ax.plot([h.failure.epoch], [1.0], "x", color=colour, markersize=10, mew=2, transform=ax.get_xaxis_transform())


def plot_history(histories: History | Sequence[History] | Mapping[Any, History]) -> Figure:
    """Learning rate, loss and validation accuracy of single runs, side by side.

    The lr is drawn per optimizer step (as steps, log scale); validation loss (solid) and
    training loss (dashed) and accuracy at the end of each epoch. A run that failed ends with an
    ``x``. A dict's string keys label the runs (``{"constant 0.4": ..., "constant 0.05": ...}``).

    >>> from lrutils import train
    >>> len(plot_history(train(None, epochs=2)).axes)
    3
    """
    items = _labelled(histories, "histories")
    fig = Figure(figsize=(MAX_WIDTH, 3.6), layout="constrained")
    ax_lr, ax_loss, ax_acc = fig.subplots(1, 3)
    handles, names = [], []
    colours = colors_for([label for label, _ in items])
    for label, h in items:
        colour = colours[label]
        epochs = np.arange(1, h.epochs + 1)
        (line,) = ax_lr.plot(h.step_epochs, h.lr, color=colour, drawstyle="steps-post")
        ax_loss.plot(epochs, h.train_loss, color=colour, linestyle="--", alpha=0.6, linewidth=1.5)
        ax_loss.plot(epochs, h.val_loss, color=colour)
        ax_acc.plot(epochs, h.val_acc, color=colour)
        for ax in (ax_loss, ax_acc):
            _mark_failure(ax, h, colour)
        handles.append(line)
        names.append(label + (" (failed)" if h.failed else ""))
    _lr_axis(ax_lr)
    ax_loss.set(title="loss", xlabel="epoch", ylabel="cross-entropy")
    ax_acc.set(title="val accuracy", xlabel="epoch")
    handles += [Line2D([], [], color="grey", linestyle="--"), Line2D([], [], color="grey")]
    names += ["train loss", "val loss"]
    _legend_below(fig, handles, names)
    return fig


def _wrap(label: str, width: int = 14) -> str:
    r"""Break a label longer than ``width`` so tick labels do not collide: at its first space, or
    at the inner capital that starts a word and halves it best (``ReduceLR\nOnPlateau``).

    >>> _wrap("CosineAnnealingLR"), _wrap("StepLR"), _wrap("ReduceLROnPlateau")
    ('Cosine\nAnnealingLR', 'StepLR', 'ReduceLR\nOnPlateau')
    >>> _wrap("CosineAnnealingWarmRestarts"), _wrap("CosineAnnealingLR", width=20)
    ('CosineAnnealing\nWarmRestarts', 'CosineAnnealingLR')
    """
    if len(label) <= width or " " in label:
        return label.replace(" ", "\n", 1) if len(label) > width else label
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
    """What :meth:`Comparison.plot` draws: lr and val loss (median over seeds with a band) per
    schedule, and below every seed's final val loss with the mean and its 95 % interval.

    >>> from lrutils import compare
    >>> fig = plot_comparison(compare([None, "StepLR"], epochs=2, seeds=2, progress=False))
    >>> [ax.get_title() for ax in fig.axes]
    ['learning rate', 'validation loss (median, 25-75% band)', 'final validation loss per seed']
    """
    if band not in ("iqr", "range"):
        raise ValueError(f"band must be 'iqr' or 'range', got {band!r}")
    labels = list(comparison.labels if labels is None else labels)
    unknown = [label for label in labels if label not in comparison.runs]
    if unknown:
        raise ValueError(f"labels must be among {comparison.labels}, got {unknown}")
    fig = Figure(figsize=(MAX_WIDTH, 6.6), layout="constrained")
    # the loss panel a little wider: its title is the longer one, and must not stick out of the figure
    grid = fig.add_gridspec(2, 2, height_ratios=(1.0, 0.9), width_ratios=(1.0, 1.2))
    ax_lr, ax_loss = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
    ax_final = fig.add_subplot(grid[1, :])
    handles = []
    colours = colors_for(labels)
    for i, label in enumerate(labels):
        runs = comparison.runs[label]
        colour = colours[label]
        lrs = np.stack([h.lr for h in runs])
        lr_median, _, _ = _band(lrs, "iqr")
        (line,) = ax_lr.plot(runs[0].step_epochs, lr_median, color=colour, drawstyle="steps-post")
        if runs[0].name == "ReduceLROnPlateau":  # each seed cuts at its own epochs: show the spread
            _, low, high = _band(lrs, "range")
            ax_lr.fill_between(runs[0].step_epochs, low, high, color=colour, alpha=0.15, step="post")
        losses = np.stack([h.val_loss for h in runs])
        median, low, high = _band(losses, band)
        epochs = np.arange(1, losses.shape[1] + 1)
        ax_loss.plot(epochs, median, color=colour)
        ax_loss.fill_between(epochs, low, high, color=colour, alpha=0.18, linewidth=0)
        handles.append(line)
        finals = np.array([h.val_loss[-1] for h in runs if not h.failed])
        offsets = np.linspace(-0.18, 0.18, len(runs))[: len(finals)]
        ax_final.plot(i + offsets, finals, "o", color=colour, alpha=0.55, markersize=5)
        if finals.size:
            iv = comparison.summary(label)
            if iv.n >= 2:
                ax_final.errorbar(
                    [i + 0.3],
                    [iv.mean],
                    yerr=[[iv.mean - iv.low], [iv.high - iv.mean]],
                    fmt="D",
                    color=colour,
                    capsize=5,
                    markersize=7,
                )
        failed = len(comparison.failures(label))
        if failed:
            ax_final.annotate(
                f"{failed} failed", (i, 1.0), xycoords=("data", "axes fraction"), ha="center", va="top", color=colour
            )
    _lr_axis(ax_lr)
    title = "25-75%" if band == "iqr" else "min-max"
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy")
    ax_loss.set_title(f"validation loss (median, {title} band)", fontsize=BASE_FONT)
    # about 70 characters of tick labels fit under the panel: wrap only what would collide
    ax_final.set_xticks(range(len(labels)), [_wrap(label, max(14, 70 // len(labels))) for label in labels])
    ax_final.set(title="final validation loss per seed", ylabel="val loss")
    ax_final.set_xlim(-0.6, len(labels) - 0.4)
    handles.append(Line2D([], [], color="grey", marker="D", linestyle=""))
    _legend_below(fig, handles, [*labels, "mean and 95% interval"])
    return fig


def plot_tuning(tuning: Tuning) -> Figure:
    """Mean final validation loss against the lr of the sweep (log x), one line per schedule, the
    chosen lr circled and a failed sweep point marked ``x``: a flat line is a forgiving schedule.

    >>> from lrutils import tune_lr
    >>> plot_tuning(tune_lr([None], grid=(0.05, 0.1), seeds=[1], epochs=2, progress=False)).axes[0].get_xscale()
    'log'
    """
    fig = Figure(figsize=(MAX_WIDTH * 0.9, 4.4), layout="constrained")
    ax = fig.subplots()
    best = tuning.best
    grid = np.array(tuning.grid)
    colours = colors_for(tuning.labels)
    for label in tuning.labels:
        colour = colours[label]
        losses = np.array([tuning.mean_loss(label, lr) for lr in tuning.grid])
        ok = np.isfinite(losses)
        ax.plot(grid[ok], losses[ok], "-o", color=colour, label=label)
        ax.plot(
            grid[~ok], np.ones((~ok).sum()), "x", color=colour, markersize=10, mew=2, transform=ax.get_xaxis_transform()
        )
        chosen = tuning.grid.index(best[label])
        ax.plot([grid[chosen]], [losses[chosen]], "o", markersize=14, markerfacecolor="none", color=colour)
    ax.set_xscale("log")
    ax.set_xticks(grid, [f"{v:g}" for v in grid])
    ax.minorticks_off()
    ax.set(xlabel="lr (peak)", ylabel="mean final val loss", title="the same lr sweep for every schedule")
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
    return fig


__all__ = ["plot_comparison", "plot_history", "plot_tuning"]
