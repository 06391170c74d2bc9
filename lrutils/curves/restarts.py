"""Cosine annealing with warm restarts (SGDR): the cosine jumps back to the initial lr every cycle.

``CosineAnnealingWarmRestarts`` is what people mean when they say cosine annealing "rises again to
escape a local optimum": cycle ``i`` lasts ``T_i = T_0 * T_mult ** i`` steps, inside a cycle the
learning rate follows half a cosine from the initial lr towards ``eta_min``, and at the end of the
cycle it jumps straight back up (a warm restart), not along a rising cosine.
"""

from __future__ import annotations

import numpy as np

from ..text.i18n import template
from .cosine import cosine_annealing_curve
from .spec import REQUIRED, ParamSpec, ScheduleSpec


def cycle_starts(n_steps: int, T_0: int, T_mult: int) -> np.ndarray:
    """First step of every cycle that begins before step ``n_steps`` (cycle ``i`` has ``T_0 * T_mult**i`` steps).

    Computed with Python integers, so it is exact for any ``T_0``/``T_mult`` (no log rounding,
    no int64 overflow). With ``T_mult >= 2`` there are at most ``log2(n_steps) + 1`` cycles.

    >>> cycle_starts(20, 2, 2).tolist()
    [0, 2, 6, 14]
    """
    if T_mult == 1:
        return np.arange(0, n_steps, T_0, dtype=np.int64)
    starts = [0]
    length = T_0
    while starts[-1] + length < n_steps:
        starts.append(starts[-1] + length)
        length *= T_mult
    return np.array(starts, dtype=np.int64)


def cycle_position(n_steps: int, T_0: int, T_mult: int) -> tuple[np.ndarray, np.ndarray]:
    """``(T_cur, T_i)`` at steps ``0..n_steps-1``, as torch's ``step()`` leaves them.

    Torch (stepped without an epoch argument) adds 1 to ``T_cur`` per step and, when it reaches
    ``T_i``, sets ``T_cur = 0`` and multiplies ``T_i`` by ``T_mult``. Both stay exact integers,
    so here they are integers too: the cycle of step ``t`` is found by a binary search over the
    cycle starts ``T_0 * (T_mult**i - 1) / (T_mult - 1)``.

    >>> t_cur, t_i = cycle_position(8, 2, 2)
    >>> t_cur.tolist(), t_i.tolist()
    ([0, 1, 0, 1, 2, 3, 0, 1], [2, 2, 4, 4, 4, 4, 8, 8])
    """
    steps = np.arange(n_steps, dtype=np.int64)
    if T_mult == 1:
        return steps % T_0, np.full(n_steps, T_0, dtype=np.int64)
    starts = cycle_starts(n_steps, T_0, T_mult)
    cycle = np.searchsorted(starts, steps, side="right") - 1
    # T_0 * T_mult**i for the few cycles that occur; Python ints, then float if they exceed int64.
    lengths = [T_0 * T_mult**i for i in range(len(starts))]
    dtype = np.int64 if lengths[-1] < 2**62 else float
    return steps - starts[cycle], np.array(lengths, dtype=dtype)[cycle]


def warm_restarts_curve(n_steps: int, base_lr: float, *, T_0: int, T_mult: int, eta_min: float) -> np.ndarray:
    """CosineAnnealingWarmRestarts: ``eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2``.

    ``T_cur`` counts the steps since the last restart and ``T_i`` is the current cycle's length,
    exactly as torch keeps them when ``scheduler.step()`` is called once per epoch.

    >>> warm_restarts_curve(6, 1.0, T_0=2, T_mult=2, eta_min=0.0).round(12).tolist()
    [1.0, 0.5, 1.0, 0.853553390593, 0.5, 0.146446609407]
    """

    # Every cycle is CosineAnnealingLR's half cosine again (T_max = T_i), so compute each cycle
    # once: one period tiled when T_mult == 1, else one slice per cycle (at most log2(n_steps) + 1).
    def cycle(length: int, count: int) -> np.ndarray:
        return cosine_annealing_curve(count, base_lr, T_max=length, eta_min=eta_min)

    if T_mult == 1:
        return np.resize(cycle(T_0, min(T_0, n_steps)), n_steps)
    starts = cycle_starts(n_steps, T_0, T_mult)
    ends = [*starts[1:].tolist(), n_steps]
    return np.concatenate(
        [cycle(T_0 * T_mult**i, end - start) for i, (start, end) in enumerate(zip(starts.tolist(), ends, strict=True))]
    )


COSINE_ANNEALING_WARM_RESTARTS = ScheduleSpec(
    name="CosineAnnealingWarmRestarts",
    params=(
        ParamSpec(
            "T_0",
            "int",
            REQUIRED,
            low=1,
            slider=(1, 100),
            example=10,
            help=template("steps in the first cycle (until the first restart)"),
        ),
        ParamSpec(
            "T_mult", "int", 1, low=1, slider=(1, 4), help=template("each cycle is T_mult times longer than the last")
        ),
        ParamSpec("eta_min", "float", 0.0, low=0.0, slider=(0.0, 0.05), help=template("the lowest learning rate")),
    ),
    curve=warm_restarts_curve,
    unit="epoch",
    summary="cosine from the initial lr to eta_min, restarting every T_0, T_0*T_mult, ... epochs (SGDR)",
)
