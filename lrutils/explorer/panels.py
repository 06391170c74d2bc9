"""What an explorer draws in its panels: the lr curve, momentum, and ReduceLROnPlateau's bookkeeping.

Each panel class creates its artists once and moves their data on every update, so a slider move
costs one PNG render, not a new figure.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from ..curves.plateau import PlateauTrace, must_beat
from ..figures.style import BLUE, GREEN, GREY, VERMILLION
from ..text.i18n import tr
from .picture import FONT_PX, ExplorerFigure, finite_ylim, nice_ceiling, step_xlim

CUT_COLOR, GAIN_COLOR, BEST_COLOR, MUTED = VERMILLION, GREEN, BLUE, GREY
NO_GAIN_LABEL = "≤ 0"
"""The gain panel's bottom row: metrics that were not better at all (no gain, or worse)."""


class LrPanel:
    """The learning rate per step, the blog's sketch if asked, on a linear or log axis (the axis label says which).

    ``extra_handles``: other panels' marks drawn on this axis (plateau's cuts), listed in the legend;
    ``levels``: horizontal lines (artist, y) listed and shown only while y is inside the axis (min_lr).
    """

    def __init__(self, figure: ExplorerFigure, ax: Axes, color: str, label: str) -> None:
        self.figure, self.ax = figure, ax
        (self.sketch,) = ax.plot([], [], "--", color="gray", label=tr("blog's sketch"))
        # steps-post: the lr of step t holds until step t + 1 (a staircase, not a ramp)
        (self.line,) = ax.plot([], [], color=color, linewidth=2, label=label, drawstyle="steps-post")
        ax.set_ylabel(tr("learning rate"), fontsize=FONT_PX)
        self.extra_handles: list[Artist] = []  # other panels' marks on this axis, when drawn (plateau's cuts)
        self.levels: list[tuple[Artist, float]] = []  # horizontal lines shown only inside the axis (min_lr)
        self._legend: list[Artist] = []

    def moving(self) -> list[Artist]:
        """The artists an update changes (see ExplorerFigure.png)."""
        return [self.sketch, self.line]

    def update(
        self, curve: np.ndarray, log: bool, sketch: tuple[np.ndarray, np.ndarray] | None, extra_low: float = 0.0
    ) -> None:
        """Draw ``curve``; ``extra_low`` is a level a log axis should also show (plateau's eps floor)."""
        steps = np.arange(len(curve))
        self.line.set_data(steps, curve)
        self.sketch.set_data(sketch if sketch is not None else ([], []))
        top = max(float(curve.max()), float(sketch[1].max()) if sketch is not None else 0.0)
        right = max(len(curve), int(sketch[0][-1]) + 1 if sketch is not None else 0)
        step_xlim(self.ax, right)
        positive = curve[curve > 0]
        log = bool(log and positive.size)
        self.figure.set_log(self.ax, log)
        self.ax.set_ylabel(tr("learning rate (log scale)") if log else tr("learning rate"), fontsize=FONT_PX)
        if log:
            low = float(positive.min())
            for level in (extra_low, *(y for _, y in self.levels)):
                if 0 < level < low and level > low * 1e-3:  # show the floor when it is near the curve
                    low = level
            low = max(low, top * 1e-12)  # whole decades: the axis stays put while the curve moves
            self.ax.set_ylim(10 ** math.floor(math.log10(low) - 0.05), 10 ** math.ceil(math.log10(top) + 0.05))
        else:
            self.ax.set_ylim(min(0.0, float(curve.min())), nice_ceiling(top * 1.04) if top > 0 else 1.0)
        bottom, ceiling = self.ax.get_ylim()
        shown = []
        for artist, y in self.levels:  # on a linear axis a level of 0 would hide in the x axis: not shown either
            inside = y > 0 and bottom <= y <= ceiling and (log or y > 0.02 * (ceiling - bottom))
            artist.set_visible(inside)
            shown += [artist] if inside else []
        handles = [self.line, *([self.sketch] if sketch is not None else []), *self.extra_handles, *shown]
        if handles != self._legend:  # rebuilt only when an entry comes or goes
            self.figure.legend(self.ax, handles, ncols=3 if len(handles) > 3 else None)
            self._legend = handles


class MomentumPanel:
    """The momentum the scheduler sets (OneCycleLR, CyclicLR), or why there is none."""

    def __init__(self, ax: Axes) -> None:
        self.ax = ax
        (self.line,) = ax.plot([], [], color="black", linewidth=1.5)
        ax.set_ylabel(tr("momentum"), fontsize=FONT_PX)
        self.off = ax.text(
            0.5, 0.5, tr("cycle_momentum=False: momentum is left alone"), transform=ax.transAxes,
            ha="center", va="center", fontsize=FONT_PX, visible=False,
        )  # fmt: skip

    def moving(self) -> list[Artist]:
        """The artists an update changes (see ExplorerFigure.png)."""
        return [self.line, self.off]

    def update(self, momentum: np.ndarray | None, n_steps: int) -> None:
        """Draw ``momentum``, or say that the scheduler does not move it (``None``)."""
        self.off.set_visible(momentum is None)
        if momentum is None:
            self.line.set_data([], [])
            return
        self.line.set_data(np.arange(n_steps), momentum)
        finite_ylim(self.ax, momentum)


GAIN_CEILING = 1e6
"""The top of the gain axis at most (gains and thresholds beyond it are drawn at the top)."""


class PlateauPanels:
    """ReduceLROnPlateau's rules made visible on three panels.

    On the lr panel: where it cut (red lines), where a cut was due but skipped because it was
    not larger than ``eps`` (crosses), ``min_lr``, and the lr below which no cut happens,
    ``eps / (1 - factor)``; each is in the legend only while it is drawn.
    On the metric panel: the metric, the best value so far, and the band it must get below to
    count as better (``threshold``, ``threshold_mode``, ``mode``), with green dots where it did.
    On the gain panel (log scale): how much better than the best each metric was, against the
    ``threshold`` line; the filled dots above it reset the patience count, the hollow ones did
    not, and a metric that was no better at all (gain <= 0, which a log axis cannot show) sits in
    a row of its own under the axis' numbers, labelled ``≤ 0``.
    """

    def __init__(self, lr_panel: LrPanel, metric_ax: Axes, gain_ax: Axes, metric_label: str) -> None:
        figure, lr_ax = lr_panel.figure, lr_panel.ax
        self.figure = figure
        self.lr_panel, self.metric_ax, self.gain_ax = lr_panel, metric_ax, gain_ax
        self.cuts = lr_ax.vlines([], 0, 1, transform=lr_ax.get_xaxis_transform(), colors=CUT_COLOR, linestyles=":")
        (self.skipped,) = lr_ax.plot(
            [], [], "x", color=CUT_COLOR, markersize=8, mew=2, label=tr("cut skipped (<= eps)")
        )
        self.floor = lr_ax.axhline(np.nan, color="0.25", linestyle="-.", linewidth=1)
        # The floor's label goes on the left, under its line: the lr is still high there, min_lr is above it.
        self.floor_text = lr_ax.text(
            0.01, np.nan, "", transform=lr_ax.get_yaxis_transform(), ha="left", va="top",
            fontsize=FONT_PX, color="0.25", clip_on=True,
        )  # fmt: skip
        self.min_lr = lr_ax.axhline(np.nan, color=CUT_COLOR, linestyle="--", linewidth=1.2, label="min_lr")
        self.cut_key = Line2D([], [], color=CUT_COLOR, linestyle=":", label=tr("cut"))
        (self.metric,) = metric_ax.plot([], [], color="black", linewidth=1.5, label=metric_label)
        (self.best,) = metric_ax.plot([], [], color=BEST_COLOR, drawstyle="steps-post", label=tr("best so far"))
        (self.better,) = metric_ax.plot([], [], "o", color=GAIN_COLOR, markersize=4, label=tr("better"))
        self.band = None
        metric_ax.set_ylabel(metric_label, fontsize=FONT_PX)
        self.band_key = Patch(color=BEST_COLOR, alpha=0.25, label=tr("must beat"))
        (self.gain_yes,) = gain_ax.plot(
            [], [], "o", color=GAIN_COLOR, markersize=4, label=tr("better: resets patience")
        )
        (self.gain_no,) = gain_ax.plot(
            [], [], "o", color=MUTED, markerfacecolor="white", markersize=4.5, mew=1.2, label=tr("not better")
        )
        self.threshold = gain_ax.axhline(np.nan, color=CUT_COLOR, linestyle="--", linewidth=1.5, label="threshold")
        self.no_gain_line = gain_ax.axhline(np.nan, color=MUTED, linewidth=0.8)  # between the row and the numbers
        figure.set_log(gain_ax, True)
        gain_ax.yaxis.set_minor_locator(NullLocator())  # six decades in 100 px: minor ticks would be clutter
        self._row = np.nan
        gain_ax.yaxis.set_major_formatter(FuncFormatter(self._gain_label))
        self._legends: dict[Axes, list[Artist]] = {}

    def _gain_label(self, value: float, _pos: int) -> str:
        """Tick labels of the gain axis: plain numbers, and the no-gain row."""
        return NO_GAIN_LABEL if np.isclose(value, self._row, rtol=1e-6) else f"{value:g}"

    def _legend(self, ax: Axes, handles: list[Artist]) -> None:
        """A legend of what is drawn on ``ax``, rebuilt only when an entry comes or goes."""
        if self._legends.get(ax) != handles:
            self.figure.legend(ax, handles)
            self._legends[ax] = handles

    def moving(self) -> list[Artist]:
        """The artists an update changes (see ExplorerFigure.png)."""
        marks = [self.cuts, self.skipped, self.min_lr, self.floor, self.floor_text, self.band]
        return [*marks, self.metric, self.best, self.better, self.gain_yes, self.gain_no, self.threshold]

    def update(self, trace: PlateauTrace, metrics: np.ndarray, params: dict, base_lr: float, log: bool) -> float:
        """Draw the bookkeeping of ``trace``; return the eps floor (for the lr panel's log axis)."""
        n = len(trace.best)
        x = np.arange(1, n + 1)  # metrics[i] decides the lr of step i + 1
        lrs = trace.lrs
        self.cuts.set_segments([[(i, 0), (i, 1)] for i in x[trace.cut]])
        self.skipped.set_data(x[trace.skipped], lrs[1:][trace.skipped])
        floor = params["eps"] / (1.0 - params["factor"])
        self.floor.set_ydata([floor, floor])
        self.min_lr.set_ydata([params["min_lr"]] * 2)
        self.floor_text.set_y(floor)
        self.floor_text.set_text(tr("no cut below eps/(1-factor) = {floor:.2g}", floor=floor))
        labelled = log or floor > 0.05 * base_lr  # on a linear axis it would sit on the x axis
        self.floor_text.set_visible(labelled)
        self.floor.set_visible(labelled)  # a line without its label would be a line nobody can name
        drawn = [self.cut_key] if trace.cut.any() else []
        self.lr_panel.extra_handles = drawn + ([self.skipped] if trace.skipped.any() else [])
        self.lr_panel.levels = [(self.min_lr, float(params["min_lr"]))]  # shown (and listed) inside the axis only

        metric = np.asarray(metrics[:n], dtype=float)
        self.metric.set_data(x, metric)
        self.best.set_data(x, trace.best)
        self.better.set_data(x[trace.improved], metric[trace.improved])
        beat = must_beat(trace.best, params["mode"], params["threshold_mode"], params["threshold"])
        if self.band is not None:
            self.band.remove()
        self.band = self.metric_ax.fill_between(x, trace.best, beat, step="post", color=BEST_COLOR, alpha=0.25, lw=0)
        finite_ylim(self.metric_ax, metric)  # not the band: the axis stays put while threshold moves
        step_xlim(self.metric_ax, n + 1)
        self._legend(
            self.metric_ax, [self.metric, self.best, self.band_key, *([self.better] if trace.improved.any() else [])]
        )

        self._draw_gain(x, metric, trace, params)
        return floor

    def _draw_gain(self, x: np.ndarray, metric: np.ndarray, trace: PlateauTrace, params: dict) -> None:
        """Gain over the best before each metric (relative or absolute, by threshold_mode) on a log axis,
        with no gain at all in a row of its own below the numbers."""
        previous = np.concatenate([[np.nan], trace.best[:-1]])  # the best before metrics[i]; none before the first
        gain = previous - metric if params["mode"] == "min" else metric - previous
        if params["threshold_mode"] == "rel":
            with np.errstate(divide="ignore", invalid="ignore"):
                gain = gain / np.abs(previous)
        threshold = params["threshold"]
        low = min(1e-6, threshold / 10) if threshold > 0 else 1e-6
        positive = gain[np.isfinite(gain) & (gain > 0)]
        high = max(1.0, 2 * float(positive.max()) if positive.size else 1.0, 2 * threshold)
        high = min(high, GAIN_CEILING)  # a threshold of 1e308 would put the axis at infinity
        row = low / 10**0.8  # the no-gain row, under the lowest number
        shown = np.where(gain > 0, np.clip(gain, low, high), row)
        shown[np.isnan(previous)] = np.nan  # the first metric has nothing to beat
        yes = trace.improved & np.isfinite(shown)
        no = ~trace.improved & np.isfinite(shown)
        self.gain_yes.set_data(x[yes], shown[yes])
        self.gain_no.set_data(x[no], shown[no])
        self.threshold.set_ydata([min(max(threshold, low), high)] * 2)
        self.no_gain_line.set_ydata([low / 10**0.4] * 2)
        self.gain_ax.set_ylim(low / 10**1.3, high)
        self._row = row
        # numbers from the decade above the lowest: the lowest would crowd the row's label
        decades = list(range(math.ceil(math.log10(low)) + 1, math.floor(math.log10(high)) + 1))
        every = max(1, math.ceil(len(decades) / 3))  # at most three numbers in 100 px, and the row
        self.gain_ax.yaxis.set_major_locator(FixedLocator([row, *(10.0**d for d in decades[::-every][::-1])]))
        self.gain_ax.set_ylabel(tr("gain ({mode})", mode=params["threshold_mode"]), fontsize=FONT_PX)
        handles = [self.threshold, *([self.gain_yes] if yes.any() else []), *([self.gain_no] if no.any() else [])]
        self._legend(self.gain_ax, handles)
