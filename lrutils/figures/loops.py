"""What a training loop recorded, shown: a text table of learning rates and lr plots (notebooks 11-12).

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
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..curves.spec import REQUIRED, ParamSpec
from ..text.i18n import template, tr, tr_label
from ..text.tables import display_width, pad
from ._draw import layered_width, legend_below
from .language import localized
from .style import BASE_FONT, MAX_HEIGHT, MAX_WIDTH, PALETTE, RC_PARAMS, Look, log_scale, looks_for


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
                out[tr("{label} [group {g}]", label=label, g=g)] = array[:, g]
        else:
            raise ValueError(f"columns[{label!r}] must be 1-D or (steps, groups), got shape {array.shape}")
    return out


def lr_table(columns: Mapping[str, Any], steps: Iterable[int] | None = None, digits: int = 4) -> str:
    """A text table: one row per step, one column per run; ``-`` where a run has no such step.

    A label with Hangul (the Korean edition) is not written over its column but numbered and named above
    the table: browsers draw Hangul narrower than two monospace columns, so it would not line up.

    >>> print(lr_table({"a": [0.1, 0.05], "b": [0.1]}))
    step           a           b
       0         0.1         0.1
       1        0.05           -
    """
    digits = ParamSpec("digits", "int", REQUIRED, low=1, high=17).check(digits)
    cols = lr_columns(columns)
    rows = range(max(len(v) for v in cols.values())) if steps is None else list(steps)
    headers = [tr_label(label) for label in cols]  # a label written in a notebook, in the learner's language
    legend = []
    if any(display_width(h) != len(h) for h in headers):
        # A browser draws Hangul narrower than two monospace columns, so a Korean header cannot line up with
        # the numbers under it: number the columns and name them above the table instead.
        legend = [f"({i}) {h}" for i, h in enumerate(headers, start=1)]
        headers = [f"({i})" for i in range(1, len(headers) + 1)]
    widths = [max(len(header), digits + 6) for header in headers]
    lines = [
        *legend,
        pad(tr("step"), 4, left=True) + "  " + "  ".join(f"{h:>{w}}" for h, w in zip(headers, widths, strict=True)),
    ]
    for step in rows:
        cells = []
        for values, w in zip(cols.values(), widths, strict=True):
            cells.append(f"{values[step]:>{w}.{digits}g}" if 0 <= step < len(values) else f"{'-':>{w}}")
        lines.append(f"{step:4d}  " + "  ".join(cells))
    return "\n".join(lines)


def _draw_runs(ax: Axes, cols: Mapping[str, np.ndarray], looks: Mapping[str, Look], styles: Mapping[str, str]) -> None:
    """Each run in its look; with several, earlier ones wider, so a run under an equal one shows at its edges."""
    for i, (label, values) in enumerate(cols.items()):
        width = layered_width(i, len(cols))
        if label in styles:  # the caller's format (e.g. "o": markers only), in the run's colour
            ax.plot(np.arange(len(values)), values, styles[label], color=looks[label].color, label=label, markersize=5)
        else:
            ax.plot(np.arange(len(values)), values, label=label, linewidth=width, **looks[label].line())


def plot_lr_runs(
    runs: Mapping[str, Any],
    title: str = "",
    at: int | None = None,
    log: bool = False,
    xlabel: str = template("optimizer step"),
    styles: Mapping[str, str] | None = None,
) -> Figure:
    """Overlay lr sequences (1-D, or ``(steps, groups)``), with a dashed line at step ``at`` if given.

    Each run has its own colour and line style (``styles`` gives a run a matplotlib format
    instead, e.g. ``"o"`` for markers only); earlier runs are drawn wider, so that a run hidden
    under a later, equal one still shows at its edges. The legend is under the panel.

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
        _draw_runs(ax, cols, looks_for(list(cols)), styles)
        if at is not None:
            ax.axvline(at, color="gray", linestyle="--", linewidth=1)
            ax.annotate(
                tr("resumed here"),
                (at, 0),  # at the bottom: curves start at the top, where the lr is largest
                xycoords=("data", "axes fraction"),
                xytext=(4, 4),
                textcoords="offset points",
                color="0.35",
            )
        ax.set_xlabel(tr(xlabel))  # the default "optimizer step" is a catalog template
        ax.set_ylabel(tr("learning rate (log scale)") if log else tr("learning rate"))
        if log:
            log_scale(ax)
        ax.grid(True, alpha=0.3)
        if title:
            ax.set_title(title)
        legend_below(fig, *ax.get_legend_handles_labels(), most=2)  # never on a curve
    return localized(fig)


def plot_lr_grid(
    panels: Mapping[str, Mapping[str, Any]], ncols: int = 2, xlabel: str = template("optimizer step"), log: bool = False
) -> Figure:
    """One panel per title, each overlaying its lr sequences (as :func:`plot_lr_runs` does).

    A label keeps its colour and line style in every panel; the labels of panels with more than
    one run are explained once, in a legend under the panels (a lone run is named by its title).
    At most :data:`~lrutils.figures.style.MAX_HEIGHT` tall, however many rows.

    >>> fig = plot_lr_grid({"one": {"a": [1.0, 0.5]}, "two": {"b": [0.1, 0.2], "c": [0.2, 0.1]}, "three": {"d": [1]}})
    >>> len(fig.axes), len(fig.axes[1].lines), [t.get_text() for t in fig.legends[0].get_texts()]
    (4, 2, ['b', 'c'])
    """
    if not panels:
        raise ValueError("panels must map at least one title to a mapping label -> array")
    ncols = ParamSpec("ncols", "int", REQUIRED, low=1).check(ncols)
    nrows = math.ceil(len(panels) / ncols)
    columns = {title: lr_columns(runs) for title, runs in panels.items()}
    explained = list(dict.fromkeys(label for cols in columns.values() if len(cols) > 1 for label in cols))
    looks = looks_for(explained)
    alone = Look(PALETTE[0], "-", "o")  # a panel's only run: its title names it
    with matplotlib.rc_context(RC_PARAMS):
        height = 3.2 if nrows == 1 else min(2.2 * nrows + (0.4 if explained else 0.0), MAX_HEIGHT)
        fig = Figure(figsize=(MAX_WIDTH, height), layout="constrained")  # the series' width, not per column
        axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
        for i, (ax, (title, cols)) in enumerate(zip(axes, columns.items(), strict=False)):
            _draw_runs(ax, cols, looks if len(cols) > 1 else {label: alone for label in cols}, {})
            ax.set_title(title, fontsize=BASE_FONT)
            if i >= len(panels) - ncols:  # the bottom panel of each column
                ax.set_xlabel(tr(xlabel))  # the default "optimizer step" is a catalog template
            if i % ncols == 0:
                ax.set_ylabel(tr("learning rate (log scale)") if log else tr("learning rate"))
            ax.locator_params(axis="x", nbins=5)  # long runs: tick labels that do not collide
            if log:
                log_scale(ax)
            ax.grid(True, alpha=0.3)
        for ax in axes[len(panels) :]:
            ax.set_visible(False)
        if explained:
            handles = [Line2D([], [], **looks[label].line()) for label in explained]
            legend_below(fig, handles, explained, most=4)
    return localized(fig)


__all__ = ["lr_columns", "lr_table", "plot_lr_grid", "plot_lr_runs"]
