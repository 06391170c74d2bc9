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
from matplotlib.ticker import LogLocator, NullLocator

from ..curves.plateau import PlateauTrace, must_beat
from .picture import FONT_PX, ExplorerFigure, finite_ylim, nice_ceiling, step_xlim

CUT_COLOR, GAIN_COLOR, BEST_COLOR, MUTED = "tab:red", "tab:green", "tab:blue", "0.6"


class LrPanel:
    """The learning rate per step, the blog's sketch if asked, on a linear or log axis."""

    def __init__(self, figure: ExplorerFigure, ax: Axes, color: str, label: str) -> None:
        self.figure, self.ax = figure, ax
        (self.sketch,) = ax.plot([], [], "--", color="gray", label="blog's sketch")
        # steps-post: the lr of step t holds until step t + 1 (a staircase, not a ramp)
        (self.line,) = ax.plot([], [], color=color, linewidth=2, label=label, drawstyle="steps-post")
        ax.set_ylabel("learning rate", fontsize=FONT_PX)
        self.extra_handles: list[Artist] = []  # other panels' marks on this axis (plateau's cuts)
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
        handles = [self.line, *([self.sketch] if sketch is not None else []), *self.extra_handles]
        if handles != self._legend:  # rebuilt only when an entry comes or goes
            self.figure.legend(self.ax, handles, ncols=3 if len(handles) > 3 else None)
            self._legend = handles
        top = max(float(curve.max()), float(sketch[1].max()) if sketch is not None else 0.0)
        right = max(len(curve), int(sketch[0][-1]) + 1 if sketch is not None else 0)
        step_xlim(self.ax, right)
        positive = curve[curve > 0]
        log = bool(log and positive.size)
        self.figure.set_log(self.ax, log)
        if log:
            low = float(positive.min())
            if 0 < extra_low < low and extra_low > low * 1e-3:  # show the floor when it is near the curve
                low = extra_low
            low = max(low, top * 1e-12)  # whole decades: the axis stays put while the curve moves
            self.ax.set_ylim(10 ** math.floor(math.log10(low) - 0.05), 10 ** math.ceil(math.log10(top) + 0.05))
        else:
            self.ax.set_ylim(min(0.0, float(curve.min())), nice_ceiling(top * 1.04) if top > 0 else 1.0)


class MomentumPanel:
    """The momentum the scheduler sets (OneCycleLR, CyclicLR), or why there is none."""

    def __init__(self, ax: Axes) -> None:
        self.ax = ax
        (self.line,) = ax.plot([], [], color="black", linewidth=1.5)
        ax.set_ylabel("momentum", fontsize=FONT_PX)
        self.off = ax.text(
            0.5, 0.5, "cycle_momentum=False: momentum is left alone", transform=ax.transAxes,
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


class PlateauPanels:
    """ReduceLROnPlateau's rules made visible on three panels.

    On the lr panel: where it cut (red lines), where a cut was due but skipped because it was
    not larger than ``eps`` (crosses), ``min_lr``, and the lr below which no cut happens,
    ``eps / (1 - factor)``.
    On the metric panel: the metric, the best value so far, and the band it must get below to
    count as better (``threshold``, ``threshold_mode``, ``mode``), with green dots where it did.
    On the gain panel (log scale): how much better than the best each metric was, against the
    ``threshold`` line; the dots above it (green) reset the patience count.
    """

    def __init__(self, lr_panel: LrPanel, metric_ax: Axes, gain_ax: Axes, metric_label: str) -> None:
        figure, lr_ax = lr_panel.figure, lr_panel.ax
        self.lr_panel, self.metric_ax, self.gain_ax = lr_panel, metric_ax, gain_ax
        self.cuts = lr_ax.vlines([], 0, 1, transform=lr_ax.get_xaxis_transform(), colors=CUT_COLOR, linestyles=":")
        (self.skipped,) = lr_ax.plot([], [], "x", color=CUT_COLOR, markersize=8, mew=2, label="cut skipped (<= eps)")
        self.floor = lr_ax.axhline(np.nan, color="0.25", linestyle="-.", linewidth=1)
        # The floor's label goes on the left: the lr is still high there, the cuts come later.
        self.floor_text = lr_ax.text(
            0.01, np.nan, "", transform=lr_ax.get_yaxis_transform(), ha="left", va="bottom",
            fontsize=FONT_PX, color="0.25", clip_on=True,
        )  # fmt: skip
        self.min_lr = lr_ax.axhline(np.nan, color=CUT_COLOR, linestyle="--", linewidth=1, alpha=0.6, label="min_lr")
        cut_key = Line2D([], [], color=CUT_COLOR, linestyle=":", label="cut")
        lr_panel.extra_handles = [cut_key, self.skipped, self.min_lr]
        (self.metric,) = metric_ax.plot([], [], color="black", linewidth=1.5, label=metric_label)
        (self.best,) = metric_ax.plot([], [], color=BEST_COLOR, drawstyle="steps-post", label="best so far")
        (self.better,) = metric_ax.plot([], [], "o", color=GAIN_COLOR, markersize=4, label="better")
        self.band = None
        metric_ax.set_ylabel(metric_label, fontsize=FONT_PX)
        band_key = Patch(color=BEST_COLOR, alpha=0.25, label="must beat")
        figure.legend(metric_ax, [self.metric, self.best, band_key, self.better])
        (self.gain_yes,) = gain_ax.plot([], [], "o", color=GAIN_COLOR, markersize=4, label="better: resets patience")
        (self.gain_no,) = gain_ax.plot([], [], "o", color=MUTED, markersize=4, label="not better")
        self.threshold = gain_ax.axhline(np.nan, color=CUT_COLOR, linestyle="--", linewidth=1.5, label="threshold")
        figure.set_log(gain_ax, True)
        gain_ax.yaxis.set_minor_locator(NullLocator())  # six decades in 100 px: minor ticks would be clutter
        gain_ax.yaxis.set_major_locator(LogLocator(numticks=4))
        figure.legend(gain_ax, [self.threshold, self.gain_yes, self.gain_no])

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
        self.floor_text.set_text(f"no cut below eps/(1-factor) = {floor:.2g}")
        self.floor_text.set_visible(log or floor > 0.05 * base_lr)  # on a linear axis it would sit on the x axis

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

        self._draw_gain(x, metric, trace, params)
        return floor

    def _draw_gain(self, x: np.ndarray, metric: np.ndarray, trace: PlateauTrace, params: dict) -> None:
        """Gain over the best before each metric (relative or absolute, by threshold_mode) on a log axis."""
        previous = np.concatenate([[np.nan], trace.best[:-1]])  # the best before metrics[i]; none before the first
        gain = previous - metric if params["mode"] == "min" else metric - previous
        if params["threshold_mode"] == "rel":
            with np.errstate(divide="ignore", invalid="ignore"):
                gain = gain / np.abs(previous)
        threshold = params["threshold"]
        low = min(1e-6, threshold / 10) if threshold > 0 else 1e-6
        positive = gain[np.isfinite(gain) & (gain > 0)]
        high = max(1.0, 2 * float(positive.max()) if positive.size else 1.0, 2 * threshold)
        shown = np.minimum(np.where(gain > 0, gain, low * 1.2), high)  # no gain at all: on the bottom edge
        shown[np.isnan(previous)] = np.nan  # the first metric has nothing to beat
        yes = trace.improved & np.isfinite(shown)
        self.gain_yes.set_data(x[yes], shown[yes])
        self.gain_no.set_data(x[~trace.improved], shown[~trace.improved])
        self.threshold.set_ydata([max(threshold, low * 1.2)] * 2)
        self.gain_ax.set_ylim(low, high)
        self.gain_ax.set_ylabel(f"gain ({params['threshold_mode']})", fontsize=FONT_PX)
