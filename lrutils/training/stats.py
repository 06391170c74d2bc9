"""Small statistics for multi-seed comparisons: a mean with its 95 % interval, and paired differences.

Each schedule is trained with the same seeds (same initial weights, same batches), so two schedules
are compared seed by seed: the paired difference removes the seed-to-seed spread that both share.
Intervals are Student-t intervals, ``mean ± t(0.975, n-1) · sd / sqrt(n)``.

Sums use :func:`math.fsum` (exactly rounded), so a printed interval is the same on every CPU.

>>> round(t_quantile(0.975, 9), 4)
2.2622
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..text.i18n import tr

LEVEL = 0.95


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the regularized incomplete beta (Lentz's method)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom.

    >>> t_cdf(0.0, 5)
    0.5
    """
    t2 = t * t
    if t2 < df:  # near 0: use P(|T| < |t|) = I(t2 / (df + t2); 1/2, df/2), no cancellation in 1 - x
        tail = 0.5 * (1.0 - _incomplete_beta(0.5, df / 2.0, t2 / (df + t2)))
    else:
        tail = 0.5 * _incomplete_beta(df / 2.0, 0.5, df / (df + t2))
    return 1.0 - tail if t > 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t (bisection on :func:`t_cdf`, to 1e-12).

    >>> round(t_quantile(0.975, 1), 3), round(t_quantile(0.975, 29), 4)
    (12.706, 2.0452)
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be between 0 and 1 (exclusive), got {p!r}")
    if not df > 0:
        raise ValueError(f"df must be > 0, got {df!r}")
    low, high = -1e3, 1e3
    while high - low > 1e-12 * max(1.0, abs(high)):
        mid = 0.5 * (low + high)
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)


@dataclass(frozen=True)
class Interval:
    """A mean with its ``LEVEL`` confidence interval, from ``n`` values.

    >>> iv = mean_interval([1.0, 2.0, 3.0])
    >>> iv.mean, round(iv.low, 3), round(iv.high, 3)
    (2.0, -0.484, 4.484)
    """

    mean: float
    low: float
    high: float
    n: int

    @property
    def half_width(self) -> float:
        """Half the interval's width: the ``±`` of ``mean ± half_width``."""
        return 0.5 * (self.high - self.low)

    @property
    def known(self) -> bool:
        """True if the interval exists: at least 2 values and finite ends (one value has no spread).

        >>> mean_interval([1.0]).known, mean_interval([1.0, 2.0]).known
        (False, True)
        """
        return self.n >= 2 and math.isfinite(self.low) and math.isfinite(self.high)

    def contains(self, value: float) -> bool:
        """True if ``value`` lies inside the interval (ends included); an unknown interval contains
        everything (it rules nothing out)."""
        return not self.known or self.low <= value <= self.high


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    n = len(values)
    mean = math.fsum(values) / n
    if n < 2:
        return mean, math.nan
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))


def mean_interval(values: Sequence[float], level: float = LEVEL) -> Interval:
    """Mean of ``values`` and its Student-t interval (``nan`` ends for fewer than 2 values).

    >>> mean_interval([0.5, 0.5]).half_width
    0.0
    """
    values = [float(v) for v in values]
    if not values:
        raise ValueError("values must contain at least one number")
    if not all(math.isfinite(v) for v in values):
        raise ValueError("values must be finite numbers (leave failed runs out and report them separately)")
    mean, sd = _mean_sd(values)
    n = len(values)
    if n < 2:
        return Interval(mean, math.nan, math.nan, n)
    half = t_quantile(0.5 + level / 2.0, n - 1) * sd / math.sqrt(n)
    return Interval(mean, mean - half, mean + half, n)


@dataclass(frozen=True)
class Paired:
    """A schedule against a baseline on the same seeds: ``wins`` (lower value) of ``n``, and the
    mean difference ``value - baseline`` with its interval (negative: the schedule is lower).

    >>> p = paired([1.0, 2.0, 3.0], [1.5, 2.5, 3.0])
    >>> p.wins, p.ties, p.n, p.difference.mean
    (2, 1, 3, -0.3333333333333333)
    """

    wins: int
    ties: int
    n: int
    difference: Interval

    @property
    def clear(self) -> bool:
        """True if the interval of the difference excludes 0: the data show a difference (never from
        fewer than 2 seeds, which give no interval).

        >>> paired([1.0], [2.0]).clear, paired([1.0, 1.1], [2.0, 2.0]).clear
        (False, True)
        """
        return not self.difference.contains(0.0)

    def __str__(self) -> str:
        """The difference, its interval, the wins and whether the difference is clear, in one line.

        >>> print(paired([0.4, 0.5, 0.45], [0.5, 0.6, 0.5]))
        -0.0833 [-0.1550, -0.0116], lower on 3 of 3 seeds (clear)
        """
        d = self.difference
        return tr(
            "{mean:+.4f} [{low:+.4f}, {high:+.4f}], lower on {wins} of {n} seeds ({clear})",
            mean=d.mean,
            low=d.low,
            high=d.high,
            wins=self.wins,
            n=self.n,
            clear=tr("clear") if self.clear else tr("not clear"),
        )


def paired(values: Sequence[float], baseline: Sequence[float], level: float = LEVEL) -> Paired:
    """Compare ``values`` with ``baseline`` seed by seed (same order), lower being better.

    >>> paired([0.4, 0.5], [0.5, 0.6]).wins
    2
    """
    if len(values) != len(baseline):
        raise ValueError(f"values and baseline must pair up, got {len(values)} and {len(baseline)} values")
    diffs = [float(v) - float(b) for v, b in zip(values, baseline, strict=True)]
    wins = sum(d < 0 for d in diffs)
    ties = sum(d == 0 for d in diffs)
    return Paired(wins, ties, len(diffs), mean_interval(diffs, level))


__all__ = ["LEVEL", "Interval", "Paired", "mean_interval", "paired", "t_cdf", "t_quantile"]
