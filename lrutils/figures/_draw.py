"""Drawing pieces shared by the topic figures."""

from __future__ import annotations

from typing import Any

import numpy as np


def staircase(values: np.ndarray, per: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """x and y for ``drawstyle="steps-post"`` whose last value also lasts its full step (to x = len / per).

    >>> x, y = staircase([0.1, 0.05])
    >>> x.tolist(), y.tolist()
    ([0.0, 1.0, 2.0], [0.1, 0.05, 0.05])
    """
    values = np.asarray(values, dtype=float)
    return np.arange(len(values) + 1) / per, np.append(values, values[-1:])


TORCH_DOTS = 50
"""At most this many dots of a torch trace: sparse enough to see the line under them."""


def torch_dots(
    ax: Any, values: np.ndarray, label: str | None = "torch (stepped)", x: np.ndarray | None = None, size: float = 4
) -> None:
    """Every few steps of what the real torch scheduler set, as black dots over the drawn curve.

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots(); torch_dots(ax, np.linspace(1, 0, 200))
    >>> len(ax.lines[0].get_xdata())
    50
    """
    values = np.asarray(values, dtype=float)
    every = max(1, len(values) // TORCH_DOTS)
    x = np.arange(len(values)) if x is None else np.asarray(x)
    ax.plot(x[::every], values[::every], "k.", markersize=size, label=label, zorder=4)
