"""ChainedScheduler: every stage steps at every step, each acting on the lr the one before it left.

Torch's schedulers are recursive (``lr <- lr * ratio``), so multiplicative stages multiply.
``CosineAnnealingLR`` is affine (``lr <- eta_min + ratio * (lr - eta_min)``, plus an additive step
just after each minimum) and ``LambdaLR`` overwrites the lr (``base_lr * f(t)``).

>>> chained_scheduler_curve(3, 1.0, schedulers=[("ExponentialLR", {"gamma": 0.5})]).tolist()
[1.0, 0.5, 0.25]
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np
import torch

from ..text.i18n import template
from .lambda_lr import lambda_lr_curve
from .spec import REQUIRED, ParamSpec, ScheduleSpec
from .stages import Stage, resolve_stage, torch_stage


def _check_chained(n_steps: int, params: dict[str, Any]) -> None:
    for i, stage in enumerate(params["schedulers"]):
        resolve_stage("ChainedScheduler", i, stage, n_steps)


def _chain_ops(name: str, params: dict[str, Any], n_steps: int, base_lr: float) -> tuple[str, Any]:
    """What one stage does to the lr at steps 0..n_steps-1 (index 0: its construction step).

    ``("mul", a)``: lr <- lr * a[t]; ``("set", v)``: lr <- v[t];
    ``("cos", (ratio, bump, eta_min, add))``: lr <- eta_min + ratio[t] * (lr - eta_min), or
    lr <- lr + add where ``bump[t]`` (the step after each minimum).
    """
    t = np.arange(n_steps)
    a = np.ones(n_steps)
    if name == "LambdaLR":
        return "set", lambda_lr_curve(n_steps, base_lr, **params)
    if name == "StepLR":
        a[(t % params["step_size"] == 0) & (t > 0)] = params["gamma"]
    elif name == "ExponentialLR":
        a[1:] = params["gamma"]
    elif name == "MultiStepLR":
        for m, count in Counter(params["milestones"]).items():
            if m < n_steps:
                a[m] = params["gamma"] ** count
    elif name == "ConstantLR":
        factor, total = params["factor"], params["total_iters"]
        a[0] = factor
        if 1 <= total < n_steps:
            a[total] = 1.0 / factor
    elif name == "LinearLR":
        start, end, total = params["start_factor"], params["end_factor"], params["total_iters"]
        a[0] = start
        k = t[1 : min(total, n_steps - 1) + 1].astype(float)
        a[1 : len(k) + 1] = 1.0 + (end - start) / (total * start + (k - 1) * (end - start))
    elif name == "PolynomialLR":
        total, power = params["total_iters"], params["power"]
        k = t[1 : min(total, n_steps - 1) + 1].astype(float)
        a[1 : len(k) + 1] = ((1.0 - k / total) / (1.0 - (k - 1) / total)) ** power
    elif name == "CosineAnnealingLR":
        t_max, eta_min = params["T_max"], params["eta_min"]
        tf = t.astype(float)
        bump = (t > 0) & ((t - 1 - t_max) % (2 * t_max) == 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = (1 + np.cos(np.pi * tf / t_max)) / (1 + np.cos(np.pi * (tf - 1) / t_max))
        ratio[0] = 1.0
        add = (base_lr - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
        return "cos", (ratio, bump, eta_min, add)
    return "mul", a


def chained_scheduler_curve(n_steps: int, base_lr: float, *, schedulers: list[Stage]) -> np.ndarray:
    """ChainedScheduler: every stage steps at every step, each acting on the lr the previous one set.

    Multiplicative stages multiply (one vectorised product); cosines with ``eta_min=0`` multiply
    too except just after each minimum (a running product between those steps); with a nonzero
    ``eta_min`` or LambdaLR in the chain the recursion is replayed step by step, in torch's order.

    >>> stages = [("ConstantLR", {"factor": 0.5, "total_iters": 2}), ("ExponentialLR", {"gamma": 0.5})]
    >>> chained_scheduler_curve(4, 1.0, schedulers=stages).tolist()
    [0.5, 0.25, 0.25, 0.125]
    """
    ops = [
        _chain_ops(stage[0], resolve_stage("ChainedScheduler", i, stage, n_steps), n_steps, base_lr)
        for i, stage in enumerate(schedulers)
    ]
    lr = base_lr
    for kind, data in ops:  # construction: each scheduler's initial step, in the order they were built
        if kind == "mul":
            lr *= data[0]
        elif kind == "set":
            lr = data[0]
    out = np.empty(n_steps)
    out[0] = lr
    if all(kind == "mul" for kind, _ in ops):
        product = np.prod([data for _, data in ops], axis=0)
        out[1:] = lr * np.cumprod(product[1:])
        return out
    if all(kind == "mul" or (kind == "cos" and data[2] == 0.0) for kind, data in ops):
        return _chained_products_between_bumps(out, ops)
    steps: list[tuple[str, Any]] = []
    for kind, data in ops:  # plain Python floats: a loop over lists is several times faster than over arrays
        if kind == "cos":
            ratio, bump, eta_min, add = data
            steps.append((kind, (ratio.tolist(), bump.tolist(), eta_min, add)))
        else:
            steps.append((kind, data.tolist()))
    for t in range(1, n_steps):
        for kind, data in steps:
            if kind == "mul":
                lr = lr * data[t]
            elif kind == "set":
                lr = data[t]
            else:
                ratio, bump, eta_min, add = data
                lr = lr + add if bump[t] else ratio[t] * (lr - eta_min) + eta_min
        out[t] = lr
    return out


def _chained_products_between_bumps(out: np.ndarray, ops: list[tuple[str, Any]]) -> np.ndarray:
    """A chain of multiplicative stages and cosines with ``eta_min = 0``, vectorised.

    Every step multiplies the lr, except the step just after each cosine minimum, where torch adds
    a constant instead. So the curve is a running product between those steps, and only the steps
    themselves are replayed one stage at a time, in torch's order. ``out[0]`` holds the start.
    """
    n_steps = len(out)
    factors = np.ones(n_steps)
    bump = np.zeros(n_steps, dtype=bool)
    for kind, data in ops:
        factors *= data if kind == "mul" else data[0]
        if kind == "cos":
            bump |= data[1]
    lr = float(out[0])
    start = 1
    for t in [*np.flatnonzero(bump[1:]) + 1, n_steps]:
        if t > start:  # steps start..t-1 only multiply
            out[start:t] = lr * np.cumprod(factors[start:t])
            lr = float(out[t - 1])
        if t == n_steps:
            break
        for kind, data in ops:  # the additive step: each stage in turn, as torch steps them
            if kind == "mul":
                lr = lr * data[t]
            else:
                ratio, cos_bump, _, add = data
                lr = lr + add if cos_bump[t] else ratio[t] * lr
        out[t] = lr
        start = t + 1
    return out


def _torch_chained(optimizer: torch.optim.Optimizer, *, schedulers: list[Stage]) -> Any:
    built = [torch_stage(optimizer, "ChainedScheduler", i, s) for i, s in enumerate(schedulers)]
    return torch.optim.lr_scheduler.ChainedScheduler(built, optimizer=optimizer)


CHAINED_SCHEDULER = ScheduleSpec(
    name="ChainedScheduler",
    params=(
        ParamSpec(
            "schedulers",
            "stages",
            REQUIRED,
            example=[("LinearLR", {"start_factor": 0.1, "total_iters": 10}), ("ExponentialLR", {"gamma": 0.97})],
            help=template("(name, kwargs) pairs, all stepped at every step"),
        ),
    ),
    curve=chained_scheduler_curve,
    unit="epoch",
    summary="every scheduler steps at every step; their factors multiply",
    check_together=_check_chained,
    factory=_torch_chained,
)


__all__ = ["CHAINED_SCHEDULER", "chained_scheduler_curve"]
