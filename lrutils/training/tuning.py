"""An lr sweep: :class:`Tuning`, every schedule trained at every lr of a grid on the tuning seeds.

``best[label]`` is the grid lr with the lowest mean final validation loss (a sweep point where any
run failed is never chosen). A schedule whose every lr failed is shown as failed in the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from ..figures.results import plot_tuning
from ..text.i18n import tr
from ..text.tables import Table
from .comparison import Comparison, Setup, check_baseline, seed_text
from .history import History
from .stats import mean_interval


@dataclass
class Tuning:
    """An lr sweep: ``runs[(label, lr)]`` holds one History per tuning seed.

    >>> from lrutils import tune_lr
    >>> t = tune_lr([None], grid=(0.05, 0.1), seeds=[1], epochs=2, progress=False)
    >>> sorted(t.best)
    ['constant']
    """

    labels: list[str]
    grid: list[float]
    seeds: list[int]
    runs: dict[tuple[str, float], list[History]]
    setups: dict[str, Setup]

    def mean_loss(self, label: str, lr: float) -> float:
        """Mean final validation loss of ``label`` at ``lr`` over the tuning seeds (NaN if a run failed)."""
        if (label, lr) not in self.runs:
            raise ValueError(
                tr(
                    "({label}, {lr}) is not a point of this sweep: labels {labels}, grid {grid}",
                    label=repr(label),
                    lr=repr(lr),
                    labels=", ".join(self.labels),
                    grid=self.grid,
                )
            )
        histories = self.runs[(label, lr)]
        if any(h.failed for h in histories):
            return float("nan")
        return mean_interval([float(h.val_loss[-1]) for h in histories]).mean

    def _best_or_none(self, label: str) -> float | None:
        finite = [(loss, lr) for lr in self.grid if np.isfinite(loss := self.mean_loss(label, lr))]
        return min(finite)[1] if finite else None

    @property
    def best(self) -> dict[str, float]:
        """The chosen lr per schedule (an error if every lr of a schedule failed)."""
        out = {}
        for label in self.labels:
            lr = self._best_or_none(label)
            if lr is None:
                raise ValueError(
                    tr("every lr of the sweep failed for {label}; try smaller learning rates", label=repr(label))
                )
            out[label] = lr
        return out

    def table(self) -> Table:
        """Mean final validation loss for every schedule and lr of the sweep; the chosen one starred."""
        rows = []
        for label in self.labels:
            best = self._best_or_none(label)
            cells = [label]
            for lr in self.grid:
                loss = self.mean_loss(label, lr)
                text = tr("failed") if not np.isfinite(loss) else f"{loss:.4f}"
                cells.append(text + ("*" if lr == best else " "))
            rows.append(cells)
        header = [tr("schedule"), *(f"lr {lr:g}" for lr in self.grid)]
        caption = tr("mean final val loss over seeds {seeds} (* = lowest: the lr chosen)", seeds=seed_text(self.seeds))
        return Table(header, rows, caption=caption)

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()

    def __repr__(self) -> str:
        return self.table().text()

    def comparison(self, picks: Mapping[str, tuple[str, float]], baseline: str | None = None) -> Comparison:
        """Points of the sweep as a :class:`Comparison` (nothing is retrained): ``{label: (schedule, lr)}``.

        >>> from lrutils import tune_lr
        >>> t = tune_lr([None], grid=(0.05, 0.1), seeds=[1, 2], epochs=2, progress=False)
        >>> t.comparison({"small": ("constant", 0.05), "large": ("constant", 0.1)}).baseline
        'small'
        """
        if not isinstance(picks, Mapping) or not picks:
            raise TypeError(
                tr(
                    "picks must be a non-empty dict {{label: (schedule, lr)}}, such as {example}, got {value}",
                    example="{'small': ('constant', 0.05)}",
                    value=repr(picks),
                )
            )
        runs, setups = {}, {}
        for label, point in picks.items():
            if not isinstance(label, str):
                raise TypeError(tr("picks: every label must be a string, got {value}", value=repr(label)))
            if not (isinstance(point, tuple) and len(point) == 2):
                raise TypeError(
                    tr(
                        "picks[{label}] must be a (schedule, lr) pair of this sweep, got {value}",
                        label=repr(label),
                        value=repr(point),
                    )
                )
            schedule, lr = point
            if (schedule, lr) not in self.runs:
                raise ValueError(
                    tr(
                        "picks[{label}]: ({schedule}, {lr}) is not a point of this sweep; labels {labels}, grid {grid}",
                        label=repr(label),
                        schedule=repr(schedule),
                        lr=repr(lr),
                        labels=", ".join(self.labels),
                        grid=self.grid,
                    )
                )
            runs[label] = self.runs[(schedule, lr)]
            setup = self.setups[schedule]
            setups[label] = Setup(setup.name, lr, setup.kwargs)
        chosen = next(iter(picks)) if baseline is None else check_baseline(baseline, list(picks))
        return Comparison(runs, setups, baseline=chosen)

    def plot(self) -> Figure:
        """Final validation loss against the lr, one line per schedule: how forgiving each one is."""
        return plot_tuning(self)


__all__ = ["Tuning"]
