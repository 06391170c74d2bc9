"""Multi-seed results: :class:`Comparison`, schedules trained on the same seeds.

A comparison answers "does this schedule help?" with the evidence: per schedule the mean final
validation loss and accuracy over the seeds with 95 % intervals, and the paired result against the
baseline (wins out of N seeds and the mean difference with its interval). :meth:`Comparison.verdict`
turns that into one honest sentence; :meth:`Comparison.plot` draws medians with bands, never a
tangle of one line per seed. Failed runs (loss NaN, infinite or diverging) are counted and left
out of the statistics, and said so; a schedule whose every run failed is shown as failed, never as
an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from matplotlib.figure import Figure

from ..figures.results import plot_comparison
from ..text.i18n import template, tr
from ..text.suggest import did_you_mean
from ..text.tables import Table
from .history import History
from .metrics import check_digits, check_metrics, describe, metric_value
from .stats import Interval, Paired, mean_interval, paired

if TYPE_CHECKING:
    from .tuning import Tuning


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


def seed_text(seeds: Sequence[int]) -> str:
    """``0-9`` for a run of consecutive seeds, else the list.

    >>> seed_text([0, 1, 2]), seed_text([5, 9])
    ('0-2', '5, 9')
    """
    if len(seeds) > 2 and list(seeds) == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"{seeds[0]}-{seeds[-1]}"
    return ", ".join(str(s) for s in seeds)


def seeds_caption(seeds: Sequence[int], epochs: int) -> str:
    """What a table was measured on: ``10 seeds (0-9), 30 epochs`` (``1 seed (0), 1 epoch``).

    >>> seeds_caption([0], 1)
    '1 seed (0), 1 epoch'
    """
    if len(seeds) == 1:
        seeds_part = tr("1 seed ({seeds})", seeds=seed_text(seeds))
    else:
        seeds_part = tr("{n} seeds ({seeds})", n=len(seeds), seeds=seed_text(seeds))
    epochs_part = tr("1 epoch") if epochs == 1 else tr("{n} epochs", n=epochs)
    return f"{seeds_part}, {epochs_part}"


def fmt_interval(iv: Interval, digits: int, signed: bool = False) -> str:
    """``mean [low, high]`` at ``digits`` decimals (the mean alone for one value).

    >>> fmt_interval(mean_interval([1.0, 2.0]), 2)
    '1.50 [-4.85, 7.85]'
    """
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

    def label(self, label: Any, what: str = "label") -> str:
        """``label`` if this comparison has it, else an error listing the labels (and a near miss)."""
        if not isinstance(label, str) or label not in self.runs:
            hint = did_you_mean(label, self.runs) if isinstance(label, str) else ""
            raise ValueError(
                tr(
                    "{what} must be one of the labels {labels}, got {value}{hint}",
                    what=what,
                    labels=", ".join(self.runs),
                    value=repr(label),
                    hint=hint,
                )
            )
        return label

    def __getitem__(self, label: str) -> list[History]:
        return self.runs[self.label(label)]

    def with_baseline(self, label: str) -> Comparison:
        """The same runs paired with another baseline (nothing is retrained).

        >>> from lrutils import compare
        >>> compare([None, "StepLR"], epochs=2, seeds=2, progress=False).with_baseline("StepLR").baseline
        'StepLR'
        """
        return Comparison(self.runs, self.setups, baseline=self.label(label, "baseline"), tuning=self.tuning)

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

    @property
    def epochs(self) -> int:
        """How many epochs every run lasted."""
        return next(iter(self.runs.values()))[0].epochs

    def failures(self, label: str) -> list[History]:
        """The runs of ``label`` whose loss became NaN, infinite or diverged."""
        return [h for h in self.runs[self.label(label)] if h.failed]

    def all_failed(self, label: str) -> bool:
        """True if every run of ``label`` failed."""
        return len(self.failures(label)) == len(self.runs[label])

    def _failed_text(self, label: str) -> str:
        return tr("every run of {label} failed: {why}", label=label, why=self.runs[label][0].failure.message)  # type: ignore[union-attr]

    def summary(self, label: str, what: str = "val_loss") -> Interval:
        """Mean and 95 % interval over the seeds of a metric (see :data:`~lrutils.training.metrics.METRICS`;
        default the final validation loss), failed runs left out."""
        label = self.label(label)
        values = [metric_value(h, what) for h in self.runs[label] if not h.failed]
        if not values:
            raise ValueError(self._failed_text(label))
        return mean_interval(values)

    def metric_table(self, metrics: Sequence[str] | str, digits: int = 3) -> Table:
        """One row per schedule, one column per metric: mean [95% CI] over the seeds.

        >>> from lrutils import compare
        >>> c = compare([None], epochs=3, seeds=2, progress=False)
        >>> c.metric_table(["val_loss@1", "jitter"]).header
        ['schedule', 'val_loss@1 [95% CI]', 'jitter [95% CI]']
        """
        metrics, digits = check_metrics(metrics), check_digits(digits)
        rows = []
        for label in self.labels:
            if self.all_failed(label):
                rows.append([label, *([tr("all runs failed")] + [""] * (len(metrics) - 1))])
                continue
            cells = [label]
            for metric in metrics:
                cells.append(fmt_interval(self.summary(label, metric), digits, signed=metric.startswith("gap")))
            rows.append(cells)
        header = [tr("schedule"), *(tr("{metric} [95% CI]", metric=m) for m in metrics)]
        return Table(header, rows, caption=seeds_caption(self.seeds, self.epochs), notes=[describe(m) for m in metrics])

    def paired(self, label: str, what: str = "val_loss") -> Paired:
        """``label`` against the baseline on a metric, seed by seed, on the seeds where neither run failed.

        Lower is better for every metric but accuracy; for accuracy the difference is flipped
        (baseline - schedule), so that a negative difference and a "win" always favour ``label``.
        """
        label = self.label(label)
        ours, base = [], []
        sign = -1.0 if str(what).partition("@")[0] == "val_acc" else 1.0
        for h, b in zip(self.runs[label], self.runs[self.baseline], strict=True):
            if not (h.failed or b.failed):
                ours.append(sign * metric_value(h, what))
                base.append(sign * metric_value(b, what))
        if not ours:
            raise ValueError(
                tr(
                    "no seed where both {label} and {baseline} trained without failing",
                    label=repr(label),
                    baseline=repr(self.baseline),
                )
            )
        return paired(ours, base)

    def verdict(self, label: str) -> str:
        """One sentence on ``label`` vs the baseline's final validation loss, as the intervals allow.

        "lower"/"higher" only when the 95 % interval of the paired difference excludes 0 (which needs
        at least 2 seeds); otherwise "no clear difference".
        """
        label = self.label(label)
        if label == self.baseline:
            return tr("{label} is the baseline", label=label)
        for who in (label, self.baseline):
            if self.all_failed(who):
                return tr("{label}: no verdict, {why}", label=label, why=self._failed_text(who))
        failed = len(self.failures(label))
        tail = tr("; {failed} of {n} runs failed", failed=failed, n=len(self.runs[label])) if failed else ""
        try:
            p = self.paired(label)
        except ValueError as err:  # no seed where both trained
            return tr("{label}: no verdict, {why}", label=label, why=str(err))
        diff = p.difference
        if p.n < 2:
            return tr(
                "{label}: no verdict from {n} seed (difference {diff:+.4f}): an interval needs at least 2 seeds{tail}",
                label=label,
                n=p.n,
                diff=diff.mean,
                tail=tail,
            )
        if not p.clear:
            sentence = template(
                "{label}: no clear difference from {baseline} (mean difference {mean:+.4f}, "
                "95% CI [{low:+.4f}, {high:+.4f}]; lower on {wins} of {n} seeds{tail})"
            )
        elif diff.mean < 0:
            sentence = template(
                "{label}: lower final val loss than {baseline} (mean difference {mean:+.4f}, "
                "95% CI [{low:+.4f}, {high:+.4f}]; lower on {wins} of {n} seeds{tail})"
            )
        else:
            sentence = template(
                "{label}: higher final val loss than {baseline} (mean difference {mean:+.4f}, "
                "95% CI [{low:+.4f}, {high:+.4f}]; lower on {wins} of {n} seeds{tail})"
            )
        return tr(
            sentence,
            label=label,
            baseline=self.baseline,
            mean=diff.mean,
            low=diff.low,
            high=diff.high,
            wins=p.wins,
            n=p.n,
            tail=tail,
        )

    def _row(self, label: str) -> list[str]:
        n = len(self.runs[label])
        failed = len(self.failures(label))
        lr = self.lrs.get(label)
        lr_text = "-" if lr is None else f"{lr:g}"
        if failed == n:
            return [label, lr_text, tr("all runs failed"), "", "", ""]
        loss, acc = self.summary(label, "val_loss"), self.summary(label, "val_acc")
        if label == self.baseline:
            diff, wins = tr("(baseline)"), ""
        elif self.all_failed(self.baseline):
            diff, wins = tr("baseline failed"), ""
        else:
            p = self.paired(label)
            diff, wins = fmt_interval(p.difference, 4, signed=True), f"{p.wins}/{p.n}"
        name = label + (tr(" ({failed} failed)", failed=failed) if failed else "")
        return [name, lr_text, fmt_interval(loss, 4), fmt_interval(acc, 3), diff, wins]

    def table(self) -> Table:
        """One row per schedule: lr, final val loss and accuracy (mean [95% CI]), and the paired
        result against the baseline (mean loss difference [95% CI], seeds where it is lower)."""
        header = [
            tr("schedule"),
            "lr",
            tr("final val loss [95% CI]"),
            tr("val acc [95% CI]"),
            tr("loss - {baseline}", baseline=self.baseline),
            tr("wins"),
        ]
        rows = [self._row(label) for label in self.labels]
        return Table(header, rows, caption=seeds_caption(self.seeds, self.epochs))

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
        return plot_comparison(self, labels=labels, band=band)


def check_baseline(baseline: Any, labels: Sequence[str]) -> str:
    """``baseline`` if it is one of ``labels``, else a clear error.

    >>> check_baseline("a", ["a", "b"])
    'a'
    """
    if not isinstance(baseline, str) or baseline not in labels:
        raise ValueError(
            tr(
                "baseline must be one of the labels {labels}, got {value}",
                labels=", ".join(labels),
                value=repr(baseline),
            )
        )
    return baseline


__all__ = ["Comparison", "Setup", "check_baseline", "fmt_interval", "seed_text", "seeds_caption"]
