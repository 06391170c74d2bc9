"""Scripted metric series for ReduceLROnPlateau, which reacts to a metric rather than to time."""

from __future__ import annotations

import numpy as np


def synthetic_val_loss(
    n: int, flat_from: int = 40, noise: float = 0.0, drift: float = 0.0, seed: int = 0
) -> np.ndarray:
    """A validation loss that falls, then stays flat after ``flat_from`` (plus optional noise).

    ``drift`` > 0 makes it creep up after ``flat_from`` (overfitting); ``noise`` is the relative
    size of seeded Gaussian wiggles, which can fool a small ``threshold`` into seeing progress.

    >>> loss = synthetic_val_loss(60, flat_from=30)
    >>> bool(loss[29] > loss[31]), bool(loss[31] == loss[50])
    (True, True)
    """
    if not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be an int >= 0, got {n!r}")
    if not 0 <= noise <= 1:
        raise ValueError(f"noise must be between 0 and 1 (relative size), got {noise!r}")
    t = np.arange(n, dtype=float)
    edge = max(int(flat_from), 0)
    falling = 0.3 + 0.7 * np.exp(-np.minimum(t, edge) / 12.0)
    loss = falling + drift * np.maximum(t - edge, 0.0)
    if noise > 0:
        loss = loss * (1 + noise * np.random.default_rng(seed).standard_normal(n))
    return loss
