"""Drawing pieces shared by the topic figures."""

from __future__ import annotations

import numpy as np


def staircase(values: np.ndarray, per: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """x and y for ``drawstyle="steps-post"`` whose last value also lasts its full step (to x = len / per).

    >>> x, y = staircase([0.1, 0.05])
    >>> x.tolist(), y.tolist()
    ([0.0, 1.0, 2.0], [0.1, 0.05, 0.05])
    """
    values = np.asarray(values, dtype=float)
    return np.arange(len(values) + 1) / per, np.append(values, values[-1:])
