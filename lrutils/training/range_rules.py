"""The range test's arithmetic on a recorded sweep: the smoothed loss and the suggestion rules.

>>> smooth_losses(np.array([1.0, 3.0]), 0.5).tolist()
[1.0, 2.3333333333333335]
"""

from __future__ import annotations

import numpy as np

SKIP_START = 0.1
"""Fraction of the sweep left out of the steepest-slope search (the moving average is warming up)."""


class BiasCorrectedAverage:
    """The running smoothed loss of the range test, one loss at a time.

    ``avg_i = beta * avg_{i-1} + (1 - beta) * loss_i`` starts at ``avg_{-1} = 0``; dividing by
    ``1 - beta**(i+1)`` (the total weight given so far) undoes the pull towards 0 at the start.

    >>> average = BiasCorrectedAverage(0.5)
    >>> average.add(1.0), average.add(3.0)  # (0.5*0.5 + 0.5*3) / 0.75
    (1.0, 2.3333333333333335)
    """

    def __init__(self, beta: float) -> None:
        self.beta = beta
        self.avg = 0.0
        self.count = 0

    def add(self, loss: float) -> float:
        """Take the next loss; return the bias-corrected average so far."""
        self.count += 1
        self.avg = self.beta * self.avg + (1.0 - self.beta) * loss
        return self.avg / (1.0 - self.beta**self.count)


def smooth_losses(losses: np.ndarray, beta: float) -> np.ndarray:
    """Every value of :class:`BiasCorrectedAverage` over ``losses`` (what the sweep records).

    >>> smooth_losses(np.array([2.0, 2.0, 2.0]), 0.9).tolist()
    [2.0, 2.0, 2.0]
    >>> smooth_losses(np.array([1.0, 3.0]), 0.5).tolist()
    [1.0, 2.3333333333333335]
    """
    average = BiasCorrectedAverage(beta)
    return np.array([average.add(float(loss)) for loss in np.asarray(losses, dtype=np.float64)])


def steepest_index(lrs: np.ndarray, smoothed: np.ndarray) -> int:
    """Index of the most negative slope of ``smoothed`` vs ``log10(lrs)`` before the minimum.

    The first ``SKIP_START`` of the points is skipped (bias-corrected averages of few losses are
    noisy), and the search stops at the smoothed minimum (past it the loss is diverging).

    >>> steepest_index(np.logspace(-3, 0, 6), np.array([1.0, 0.98, 0.9, 0.5, 0.45, 2.0]))
    2
    """
    stop = int(np.argmin(smoothed))
    start = min(int(len(smoothed) * SKIP_START), max(stop - 1, 0))
    if stop - start < 2:
        return stop
    x = np.log10(lrs[start : stop + 1])
    slope = np.gradient(smoothed[start : stop + 1], x)
    return start + int(np.argmin(slope))


def longest_descent_lengths(losses: np.ndarray) -> np.ndarray:
    """``out[i]``: the length of the longest strictly decreasing subsequence of ``losses`` that ends at
    ``i`` (the points may skip others in between).

    >>> longest_descent_lengths(np.array([3.0, 1.0, 2.0, 0.5])).tolist()
    [1, 2, 2, 3]
    """
    losses = np.asarray(losses, dtype=float)
    out = np.ones(len(losses), dtype=np.int64)
    for i in range(1, len(losses)):
        before = out[:i][losses[:i] > losses[i]]
        if before.size:
            out[i] = before.max() + 1
    return out


def valley_index(smoothed: np.ndarray, num_iter: int) -> int:
    """fastai's ``valley`` suggestion (its ``lr_find`` default since fastai 2.4, 2021), as an index.

    As fastai does: leave out the first ``num_iter // 10`` points and the last 5, find the longest
    descending stretch of the smoothed loss (:func:`longest_descent_lengths`: it ends at the first
    point with the longest descent, and starts that many points earlier), and suggest the point a third
    plus a sixth of the way along it, about halfway. Re-stated from fastai's algorithm
    (``fastai/callback/schedule.py``, Apache-2.0), not copied. One deliberate difference: when the
    longest descent is only the first two points of a curve that never falls again, fastai's index
    is -1, which Python reads as the *last* lr of the sweep; here it is the first point.

    >>> curve = np.concatenate([np.full(10, 2.0), np.linspace(2.0, 0.5, 60), np.linspace(0.5, 3.0, 30)])
    >>> valley_index(curve, 100)
    39
    """
    smoothed = np.asarray(smoothed, dtype=float)
    start = num_iter // 10
    if len(smoothed) - 5 - start < 2:  # a sweep that stopped early: too short to trim, use it all
        start = 0
    trimmed = smoothed[start : max(start + 1, len(smoothed) - 5)]
    runs = longest_descent_lengths(trimmed)
    end = int(np.argmax(runs))  # the first point with the longest descent
    first = end - int(runs[end])
    length = end - first
    return start + max(0, first + int(length / 3) + int(length / 3 / 2))


__all__ = [
    "SKIP_START",
    "BiasCorrectedAverage",
    "longest_descent_lengths",
    "smooth_losses",
    "steepest_index",
    "valley_index",
]
