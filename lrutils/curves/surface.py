"""A loss surface you can see: gradient descent on a 2-D bowl, with any learning-rate schedule.

The bowl is :math:`f(x, y) = \\tfrac12 (a x^2 + b y^2)`, by default ``a = 1``, ``b = 10``: a long,
narrow valley. One gradient step multiplies each coordinate by ``1 - lr * curvature``, so plain
gradient descent converges only while ``lr < 2 / max(a, b)`` (:func:`max_stable_lr`), creeps along
the flat ``x`` direction when ``lr`` is small, and zigzags across the steep ``y`` direction when it is
large. With ``noise > 0`` every gradient gets Gaussian noise (like a mini-batch gradient), so a large
constant lr keeps bouncing around the minimum while a decaying lr can settle into it.

>>> path = descend(0.1, steps=3)
>>> path.shape, bool(loss(path[-1]) < loss(path[0]))
((4, 2), True)
"""

from __future__ import annotations

import math
import numbers

import numpy as np

CURVATURE = (1.0, 10.0)
"""Default curvatures ``(a, b)`` of the bowl: flat along x, steep along y."""
START = (-4.0, 1.5)
"""Default starting point of every path."""


def _curvature(curvature: tuple[float, float]) -> np.ndarray:
    c = np.asarray(curvature, dtype=float)
    if c.shape != (2,) or not np.all(np.isfinite(c)) or not np.all(c > 0):
        raise ValueError(f"curvature must be two positive finite numbers (a, b), got {curvature!r}")
    return c


def loss(points: np.ndarray | tuple[float, float], curvature: tuple[float, float] = CURVATURE) -> np.ndarray:
    """The bowl's value at ``points`` (last axis: x, y); works on one point, a path or a grid.

    >>> float(loss((2.0, 1.0)))
    7.0
    >>> loss(np.zeros((3, 2))).tolist()
    [0.0, 0.0, 0.0]
    """
    p = np.asarray(points, dtype=float)
    if p.shape[-1:] != (2,):
        raise ValueError(f"points must have x, y on the last axis (shape (..., 2)), got shape {p.shape}")
    c = _curvature(curvature)
    return 0.5 * (c[0] * p[..., 0] ** 2 + c[1] * p[..., 1] ** 2)


def max_stable_lr(curvature: tuple[float, float] = CURVATURE) -> float:
    """The learning rate above which plain gradient descent diverges on the bowl: ``2 / max(a, b)``.

    >>> max_stable_lr()
    0.2
    """
    return float(2.0 / _curvature(curvature).max())


def descend(
    lr: float | np.ndarray,
    steps: int | None = None,
    start: tuple[float, float] = START,
    curvature: tuple[float, float] = CURVATURE,
    noise: float = 0.0,
    seed: int = 0,
) -> np.ndarray:
    """Run gradient descent on the bowl and return the path, shape ``(steps + 1, 2)``.

    ``lr`` is one number (then ``steps`` is required) or one learning rate per step (a schedule,
    e.g. from :func:`lrutils.lr_curve`). ``noise`` is the standard deviation of Gaussian noise added
    to every gradient (drawn from ``seed``, so the same arguments give the same path). A diverging
    path is returned as it is (its numbers grow; they may overflow to ``inf``).

    >>> descend(0.5, steps=2, start=(1.0, 0.0)).tolist()
    [[1.0, 0.0], [0.5, 0.0], [0.25, 0.0]]
    >>> descend(np.array([0.5, 1.0]), start=(1.0, 0.0))[-1].tolist()
    [0.0, 0.0]
    """
    if isinstance(lr, numbers.Real) and not isinstance(lr, bool):
        if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
            raise ValueError(f"a constant lr needs steps=<int >= 0>, got steps={steps!r}")
        lrs = np.full(int(steps), float(lr))
    else:
        lrs = np.asarray(lr, dtype=float)
        if lrs.ndim != 1:
            raise ValueError(f"lr must be a number or a 1-D array of per-step values, got shape {lrs.shape}")
        if steps is not None and steps != len(lrs):
            raise ValueError(f"steps={steps!r} does not match the {len(lrs)} learning rates given")
    if not np.all(np.isfinite(lrs)) or np.any(lrs < 0):
        raise ValueError("learning rates must be finite and >= 0")
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not math.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    c = _curvature(curvature)
    point = np.asarray(start, dtype=float)
    if point.shape != (2,):
        raise ValueError(f"start must be one point (x, y), got {start!r}")
    rng = np.random.default_rng(seed)
    path = np.empty((len(lrs) + 1, 2))
    path[0] = point
    with np.errstate(over="ignore", invalid="ignore"):
        for i, step_lr in enumerate(lrs):
            grad = c * point + noise * rng.standard_normal(2)
            point = point - step_lr * grad
            path[i + 1] = point
    return path


__all__ = ["CURVATURE", "START", "descend", "loss", "max_stable_lr"]
