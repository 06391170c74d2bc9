"""Multi-seed results: :class:`Comparison` (schedules on the same seeds) and :class:`Tuning` (an lr sweep).

A comparison answers "does this schedule help?" with the evidence: per schedule the mean final
validation loss and accuracy over the seeds with 95 % intervals, and the paired result against the
baseline (wins out of N seeds and the mean difference with its interval). :meth:`Comparison.verdict`
turns that into one honest sentence; :meth:`Comparison.plot` draws medians with bands, never a
tangle of one line per seed. Failed runs (loss NaN, infinite or diverging) are counted and left
out of the statistics, and said so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..text.tables import Table
from .history import History
from .stats import Interval, Paired, mean_interval, paired


@dataclass(frozen=True)
class Setup:
    """One schedule to train: scheduler ``name`` (``None``: constant), its ``lr`` (``None``: the
    caller's) and keywords.

    >>> Setup("StepLR", 0.1, {"gamma": 0.5})
    Setup(name='StepLR', lr=0.1, kwargs={'gamma': 0.5})
    """

    name: str | None
    lr: float | None = None
    kwargs: Mapping[str, Any] = field(default_factory=dict)


def _finals(histories: Sequence[History], what: str) -> list[float]:
    """Final values of the runs that did not fail."""
    return [float(getattr(h, what)[-1]) for h in histories if not h.failed]


JITTER_EPOCHS = 10

METRICS: dict[str, str] = {
    "val_loss": "validation loss",
    "val_acc": "validation accuracy",
    "train_loss": "training loss (mean over the epoch's batches)",
    "best_val_loss": "lowest validation loss so far (you cannot stop there without knowing it)",
    "gap": "validation loss minus training loss (how much it overfits)",
    "jitter": f"mean |change| of the validation loss from epoch to epoch over {JITTER_EPOCHS} epochs",
}
"""What :meth:`Comparison.interval` can measure; ``"val_loss@5"`` (or any metric ``@`` an epoch,
counted from 1) takes the value after that epoch."""


def metric_value(h: History, metric: str) -> float:
    """One run's value of a metric named in :data:`METRICS` (optionally ``@epoch``).

    >>> from lrutils import train
    >>> h = train(None, epochs=3)
    >>> bool(metric_value(h, "val_loss") == h.val_loss[-1]), bool(metric_value(h, "val_loss@1") == h.val_loss[0])
    (True, True)
    """
    name, _, at = metric.partition("@")
    if name not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)} (optionally @epoch), got {metric!r}")
    if at:
        epoch = int(at) if at.isdigit() else 0
        if not 1 <= epoch <= h.epochs:
            raise ValueError(f"metric {metric!r}: the epoch after @ must be 1..{h.epochs}")
        index = epoch - 1
    else:
        index = -1
    if name == "best_val_loss":
        return float(np.min(h.val_loss[: index + 1 or None]))
    if name == "gap":
        return float(h.val_loss[index] - h.train_loss[index])
    if name == "jitter":
        end = index + 1 or None
        tail = h.val_loss[:end][-JITTER_EPOCHS:]
        return float(np.mean(np.abs(np.diff(tail))))
    return float(getattr(h, name)[index])


def _seed_text(seeds: Sequence[int]) -> str:
    """``0-9`` for a run of consecutive seeds, else the list.

    >>> _seed_text([0, 1, 2]), _seed_text([5, 9])
    ('0-2', '5, 9')
    """
    if len(seeds) > 2 and list(seeds) == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"{seeds[0]}-{seeds[-1]}"
    return ", ".join(str(s) for s in seeds)


def _fmt_interval(iv: Interval, digits: int, signed: bool = False) -> str:
    sign = "+" if signed else ""
    if iv.n < 2:
        return f"{iv.mean:{sign}.{digits}f}"
    return f"{iv.mean:{sign}.{digits}f} [{iv.low:{sign}.{digits}f}, {iv.high:{sign}.{digits}f}]"


@dataclass
class Comparison:
    """Schedules trained on the same seeds. ``runs[label]`` holds one History per seed, in seed order.

    >>> from lrutils import compare
    >>> c = compare([None, "CosineAnnealingLR"], epochs=2, seeds=3, progress=False)
    >>> c.summary("CosineAnnealingLR").n, c.paired("CosineAnnealingLR").n
    (3, 3)
    """

    runs: dict[str, list[History]]
    setups: dict[str, Setup]
    baseline: str
    tuning: Tuning | None = None

    def __getitem__(self, label: str) -> list[History]:
        return self.runs[label]

    def with_baseline(self, label: str) -> Comparison:
        """The same runs paired with another baseline (nothing is retrained).

        >>> from lrutils import compare
        >>> compare([None, "StepLR"], epochs=2, seeds=2, progress=False).with_baseline("StepLR").baseline
        'StepLR'
        """
        if label not in self.runs:
            raise ValueError(f"baseline must be one of the labels {self.labels}, got {label!r}")
        return Comparison(self.runs, self.setups, baseline=label, tuning=self.tuning)

    @property
    def labels(self) -> list[str]:
        """The schedules' labels, in the order they were given."""
        return list(self.runs)

    @property
    def lrs(self) -> dict[str, float]:
        """The (peak) lr each schedule was trained with."""
        return {label: float(setup.lr) for label, setup in self.setups.items() if setup.lr is not None}

    @property
    def seeds(self) -> list[int]:
        """The seeds every schedule was trained on."""
        return [h.seed for h in next(iter(self.runs.values()))]

    def failures(self, label: str) -> list[History]:
        """The runs of ``label`` whose loss became NaN, infinite or diverged."""
        return [h for h in self.runs[label] if h.failed]

    def summary(self, label: str, what: str = "val_loss") -> Interval:
        """Mean and 95 % interval over the seeds of a metric (see :data:`METRICS`; default the final
        validation loss), failed runs left out."""
        values = [metric_value(h, what) for h in self.runs[label] if not h.failed]
        if not values:
            raise ValueError(f"every run of {label!r} failed: {self.runs[label][0].failure.message}")  # type: ignore[union-attr]
        return mean_interval(values)

    def metric_table(self, metrics: Sequence[str], digits: int = 3) -> Table:
        """One row per schedule, one column per metric: mean [95% CI] over the seeds.

        >>> from lrutils import compare
        >>> c = compare([None], epochs=3, seeds=2, progress=False)
        >>> c.metric_table(["val_loss@1", "jitter"]).header
        ['schedule', 'val_loss@1 [95% CI]', 'jitter [95% CI]']
        """
        rows = []
        for label in self.labels:
            cells = [label]
            for metric in metrics:
                cells.append(_fmt_interval(self.summary(label, metric), digits, signed=metric.startswith("gap")))
            rows.append(cells)
        notes = [
            f"{m}: {METRICS[m.partition('@')[0]]}" + (f", after epoch {m.partition('@')[2]}" if "@" in m else "")
            for m in metrics
        ]
        return Table(["schedule", *(f"{m} [95% CI]" for m in metrics)], rows, caption=self.table().caption, notes=notes)

    def paired(self, label: str, what: str = "val_loss") -> Paired:
        """``label`` against the baseline on a metric (see :data:`METRICS`), seed by seed, on the
        seeds where neither run failed.

        Lower is better for every metric but accuracy; for accuracy the difference is flipped
        (baseline - schedule), so that a negative difference and a "win" always favour ``label``.
        """
        ours, base = [], []
        sign = -1.0 if what.partition("@")[0] == "val_acc" else 1.0
        for h, b in zip(self.runs[label], self.runs[self.baseline], strict=True):
            if not (h.failed or b.failed):
                ours.append(sign * metric_value(h, what))
                base.append(sign * metric_value(b, what))
        if not ours:
            raise ValueError(f"no seed where both {label!r} and {self.baseline!r} trained without failing")
        return paired(ours, base)

    def verdict(self, label: str) -> str:
        """One sentence on ``label`` vs the baseline's final validation loss, as the intervals allow.

        "lower"/"higher" only when the 95 % interval of the paired difference excludes 0;
        otherwise "no clear difference".
        """
        if label == self.baseline:
            return f"{label} is the baseline"
        p = self.paired(label)
        diff = p.difference
        span = f"mean difference {diff.mean:+.4f}, 95% CI [{diff.low:+.4f}, {diff.high:+.4f}]"
        if not p.clear:
            outcome = "no clear difference from"
        else:
            outcome = "lower final val loss than" if diff.mean < 0 else "higher final val loss than"
        failed = len(self.failures(label))
        tail = f"; {failed} of {len(self.runs[label])} runs failed" if failed else ""
        return f"{label}: {outcome} {self.baseline} ({span}; lower on {p.wins} of {p.n} seeds{tail})"

    def table(self) -> Table:
        """One row per schedule: lr, final val loss and accuracy (mean [95% CI]), and the paired
        result against the baseline (mean loss difference [95% CI], seeds where it is lower)."""
        n = len(self.seeds)
        rows = []
        for label in self.labels:
            failed = len(self.failures(label))
            lr = self.lrs.get(label)
            lr_text = "-" if lr is None else f"{lr:g}"
            if failed == n:
                rows.append([label, lr_text, "all runs failed", "", "", ""])
                continue
            loss, acc = self.summary(label, "val_loss"), self.summary(label, "val_acc")
            if label == self.baseline:
                diff, wins = "(baseline)", ""
            else:
                p = self.paired(label)
                diff, wins = _fmt_interval(p.difference, 4, signed=True), f"{p.wins}/{p.n}"
            name = label + (f" ({failed} failed)" if failed else "")
            rows.append([name, lr_text, _fmt_interval(loss, 4), _fmt_interval(acc, 3), diff, wins])
        header = ["schedule", "lr", "final val loss [95% CI]", "val acc [95% CI]", f"loss - {self.baseline}", "wins"]
        caption = f"{n} seeds ({_seed_text(self.seeds)}), {self.runs[self.baseline][0].epochs} epochs"
        return Table(header, rows, caption=caption)

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()

    def __repr__(self) -> str:
        return self.table().text()

    def plot(self, labels: Sequence[str] | None = None, band: str = "iqr") -> Figure:
        """Learning rate and validation loss per epoch: each schedule's median over the seeds with
        a band (``"iqr"``: 25th-75th percentile; ``"range"``: min-max), then each seed's final loss.

        >>> from lrutils import compare
        >>> len(compare([None], epochs=2, seeds=2, progress=False).plot().axes)
        3
        """
        from ..figures.results import plot_comparison

        return plot_comparison(self, labels=labels, band=band)


@dataclass
class Tuning:
    """An lr sweep: ``runs[(label, lr)]`` holds one History per tuning seed.

    ``best[label]`` is the grid lr with the lowest mean final validation loss (a sweep point where
    any run failed is never chosen).
    """

    labels: list[str]
    grid: list[float]
    seeds: list[int]
    runs: dict[tuple[str, float], list[History]]
    setups: dict[str, Setup]

    def mean_loss(self, label: str, lr: float) -> float:
        """Mean final validation loss of ``label`` at ``lr`` over the tuning seeds (NaN if a run failed)."""
        histories = self.runs[(label, lr)]
        if any(h.failed for h in histories):
            return float("nan")
        return mean_interval(_finals(histories, "val_loss")).mean

    @property
    def best(self) -> dict[str, float]:
        """The chosen lr per schedule."""
        out = {}
        for label in self.labels:
            scored = [(self.mean_loss(label, lr), lr) for lr in self.grid]
            finite = [(loss, lr) for loss, lr in scored if np.isfinite(loss)]
            if not finite:
                raise ValueError(f"every lr of the sweep failed for {label!r}; try smaller learning rates")
            out[label] = min(finite)[1]
        return out

    def table(self) -> Table:
        """Mean final validation loss for every schedule and lr of the sweep; the chosen one starred."""
        best = self.best
        rows = []
        for label in self.labels:
            cells = [label]
            for lr in self.grid:
                loss = self.mean_loss(label, lr)
                text = "failed" if not np.isfinite(loss) else f"{loss:.4f}"
                cells.append(text + ("*" if lr == best[label] else " "))
            rows.append(cells)
        header = ["schedule", *(f"lr {lr:g}" for lr in self.grid)]
        caption = f"mean final val loss over seeds {_seed_text(self.seeds)} (* = lowest: the lr chosen)"
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
        runs, setups = {}, {}
        for label, (schedule, lr) in picks.items():
            if (schedule, lr) not in self.runs:
                raise ValueError(f"{label!r}: ({schedule!r}, {lr!r}) is not a point of this sweep; grid {self.grid}")
            runs[label] = self.runs[(schedule, lr)]
            setup = self.setups[schedule]
            setups[label] = Setup(setup.name, lr, setup.kwargs)
        return Comparison(runs, setups, baseline=baseline or next(iter(picks)))

    def plot(self) -> Figure:
        """Final validation loss against the lr, one line per schedule: how forgiving each one is."""
        from ..figures.results import plot_tuning

        return plot_tuning(self)


__all__ = ["METRICS", "Comparison", "Setup", "Tuning", "metric_value"]
