"""What a training loop recorded, shown: a text table of learning rates and lr plots (notebooks 12-13).

>>> print(lr_table({"a": [0.1]}))
step           a
   0         0.1
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from ..curves.spec import REQUIRED, ParamSpec
from .style import MAX_WIDTH, RC_PARAMS


def lr_columns(columns: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Every column as 1-D: a 2-D ``(steps, groups)`` array with several groups becomes one per group."""
    if not isinstance(columns, Mapping):
        raise TypeError(f"columns must be a dict {{label: learning rates}}, got {type(columns).__name__}")
    if not columns:
        raise ValueError("columns must map at least one label to an array of learning rates")
    out: dict[str, np.ndarray] = {}
    for label, values in columns.items():
        array = np.asarray(values, dtype=float)
        if array.ndim == 2 and array.shape[1] == 1:
            array = array[:, 0]
        if array.ndim == 1:
            out[label] = array
        elif array.ndim == 2:
            for g in range(array.shape[1]):
                out[f"{label} [group {g}]"] = array[:, g]
        else:
            raise ValueError(f"columns[{label!r}] must be 1-D or (steps, groups), got shape {array.shape}")
    return out


def lr_table(columns: Mapping[str, Any], steps: Iterable[int] | None = None, digits: int = 4) -> str:
    """A text table: one row per step, one column per run; ``-`` where a run has no such step.

    >>> print(lr_table({"a": [0.1, 0.05], "b": [0.1]}))
    step           a           b
       0         0.1         0.1
       1        0.05           -
    """
    digits = ParamSpec("digits", "int", REQUIRED, low=1, high=17).check(digits)
    cols = lr_columns(columns)
    rows = range(max(len(v) for v in cols.values())) if steps is None else list(steps)
    widths = [max(len(label), digits + 6) for label in cols]
    lines = ["step  " + "  ".join(f"{label:>{w}}" for label, w in zip(cols, widths, strict=True))]
    for step in rows:
        cells = []
        for values, w in zip(cols.values(), widths, strict=True):
            cells.append(f"{values[step]:>{w}.{digits}g}" if 0 <= step < len(values) else f"{'-':>{w}}")
        lines.append(f"{step:4d}  " + "  ".join(cells))
    return "\n".join(lines)


def plot_lr_runs(
    runs: Mapping[str, Any],
    title: str = "",
    at: int | None = None,
    log: bool = False,
    xlabel: str = "optimizer step",
    styles: Mapping[str, str] | None = None,
) -> Figure:
    """Overlay lr sequences (1-D, or ``(steps, groups)``), with a dashed line at step ``at`` if given.

    >>> fig = plot_lr_runs({"a": [0.1, 0.05], "b": [[0.1, 1.0], [0.05, 0.5]]}, at=1)
    >>> len(fig.axes[0].lines)
    4
    """
    cols = lr_columns(runs)
    styles = dict(styles or {})
    if at is not None:
        at = ParamSpec("at", "int", REQUIRED, low=0).check(at)
    with matplotlib.rc_context(RC_PARAMS):
        fig = Figure(figsize=(MAX_WIDTH, 3.6), layout="constrained")
        ax = fig.add_subplot()
        for label, values in cols.items():
            ax.plot(np.arange(len(values)), values, styles.get(label, "-"), label=label, markersize=4)
        if at is not None:
            ax.axvline(at, color="gray", linestyle="--", linewidth=1)
            ax.annotate(
                "resumed here",
                (at, 0),  # at the bottom: curves start at the top, where the lr is largest
                xycoords=("data", "axes fraction"),
                xytext=(4, 4),
                textcoords="offset points",
                color="gray",
            )
        ax.set_xlabel(xlabel)
        ax.set_ylabel("learning rate")
        if log:
            ax.set_yscale("log")
        ax.grid(True, alpha=0.3)
        if title:
            ax.set_title(title)
        ax.legend(loc="best")
    return fig


def plot_lr_grid(
    panels: Mapping[str, Mapping[str, Any]], ncols: int = 2, xlabel: str = "optimizer step", log: bool = False
) -> Figure:
    """One panel per title, each overlaying its lr sequences (as :func:`plot_lr_runs` does).

    >>> fig = plot_lr_grid({"one": {"a": [1.0, 0.5]}, "two": {"b": [0.1, 0.2], "c": [0.2, 0.1]}, "three": {"d": [1]}})
    >>> len(fig.axes), len(fig.axes[1].lines)
    (4, 2)
    """
    if not panels:
        raise ValueError("panels must map at least one title to a mapping label -> array")
    ncols = ParamSpec("ncols", "int", REQUIRED, low=1).check(ncols)
    nrows = math.ceil(len(panels) / ncols)
    with matplotlib.rc_context(RC_PARAMS):
        fig = Figure(figsize=(MAX_WIDTH, 3.0 * nrows), layout="constrained")  # the series' width, not per column
        axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
        for ax, (title, runs) in zip(axes, panels.items(), strict=False):
            for label, values in lr_columns(runs).items():
                ax.plot(np.arange(len(values)), values, label=label)
            ax.set_title(title)
            ax.set_xlabel(xlabel)
            ax.set_ylabel("learning rate")
            ax.locator_params(axis="x", nbins=5)  # long runs: tick labels that do not collide
            if log:
                ax.set_yscale("log")
            ax.grid(True, alpha=0.3)
            if len(runs) > 1:
                ax.legend(loc="best")
        for ax in axes[len(panels) :]:
            ax.set_visible(False)
    return fig


__all__ = ["lr_columns", "lr_table", "plot_lr_grid", "plot_lr_runs"]
