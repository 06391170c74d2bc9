"""Composite schedules: LambdaLR, SequentialLR, ChainedScheduler, and the recipes built from them.

Torch composes schedulers out of scheduler *objects* that already hold an optimizer. Here a stage
is written as a ``(name, kwargs)`` pair, the same keywords torch takes::

    stages = [("LinearLR", {"start_factor": 0.01, "total_iters": 10}), ("CosineAnnealingLR", {"T_max": 90})]
    lrutils.lr_curve("SequentialLR", 100, schedulers=stages, milestones=[10])        # numpy, no torch
    lrutils.torch_lr_curve("SequentialLR", 100, schedulers=stages, milestones=[10])  # the real thing
    lrutils.train("SequentialLR", schedulers=stages, milestones=[10])

``SequentialLR``, ``ChainedScheduler``, ``LambdaLR`` and the two recipes ``warmup_cosine`` and
``warmup_stable_decay`` live in :data:`COMPOSITES`; ``lrutils.get_spec`` finds them there, so
``lr_curve``, ``torch_lr_curve``, ``explore`` and ``train`` accept their names. They are not in
``scheduler_names()`` (that lists torch's single schedulers).

What torch really does, replicated here (read from ``torch/optim/lr_scheduler.py``):

- **SequentialLR** resets the lr to the optimizer's initial lr, runs the construction step of the
  stage active at step 0 only, and at each milestone calls ``stage._update_lr(0)``: the new stage
  restarts its own count at 0 from its *closed form* (``base_lr * factor(0)``), whatever lr the
  previous stage left. Between milestones only the active stage is stepped.
- **ChainedScheduler** steps every stage at every step, in order, each acting on the lr the one
  before it left: torch's schedulers are recursive (``lr <- lr * ratio``), so multiplicative stages
  multiply. ``CosineAnnealingLR`` is affine (``lr <- eta_min + ratio * (lr - eta_min)``, plus an
  additive step just after each minimum) and ``LambdaLR`` overwrites the lr (``base_lr * f(t)``).
- **LambdaLR** sets ``base_lr * lr_lambda(t)``.

Stages may be StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR,
CosineAnnealingLR and LambdaLR. ReduceLROnPlateau is refused with torch's own message; OneCycleLR,
CyclicLR and CosineAnnealingWarmRestarts (which keep their own lr bookkeeping) are refused too.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from .curves import DEFAULT_BASE_LR
from .recipes import WILD_RECIPES
from .schedules import SCHEDULES
from .schedules._spec import REQUIRED, ParamSpec, ScheduleSpec, did_you_mean

STAGE_SCHEDULERS: tuple[str, ...] = (
    "StepLR",
    "MultiStepLR",
    "ConstantLR",
    "LinearLR",
    "ExponentialLR",
    "PolynomialLR",
    "CosineAnnealingLR",
    "LambdaLR",
)
"""Schedulers lrutils can put inside SequentialLR and ChainedScheduler."""

Stage = tuple[str, dict[str, Any]]


# --- LambdaLR ------------------------------------------------------------------------------------


def _lambda_values(fn: Callable[[int], Any], n_steps: int) -> np.ndarray:
    """``[fn(0), ..., fn(n_steps - 1)]`` checked to be finite numbers."""
    out = np.empty(n_steps)
    for t in range(n_steps):
        try:
            value = fn(t)
        except Exception as err:  # the learner's own function: say which step, keep its message
            raise ValueError(f"LambdaLR: lr_lambda({t}) raised {type(err).__name__}: {err}") from err
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(f"LambdaLR: lr_lambda({t}) must return a number, got {type(value).__name__} {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"LambdaLR: lr_lambda({t}) must return a finite number, got {value!r}")
        out[t] = value
    return out


class _CheckedLambda:
    """``lr_lambda`` whose values for steps ``0..n-1`` were computed and checked once, by the spec.

    The curve and a real torch LambdaLR then read those values instead of calling the learner's
    function a second time for every step (beyond them it falls back to the function).
    """

    def __init__(self, fn: Callable[[int], Any], values: np.ndarray) -> None:
        self.fn, self.values = fn, values
        self.__qualname__ = getattr(fn, "__qualname__", repr(fn))  # the explorer's torch line names it

    def __call__(self, t: int) -> Any:
        return float(self.values[t]) if 0 <= t < len(self.values) else self.fn(t)


def _check_lambda(n_steps: int, params: dict[str, Any]) -> None:
    fn = params["lr_lambda"]
    if not (isinstance(fn, _CheckedLambda) and len(fn.values) >= n_steps):
        params["lr_lambda"] = _CheckedLambda(fn, _lambda_values(fn, n_steps))  # clear errors before torch sees it


def lambda_lr_curve(n_steps: int, base_lr: float, *, lr_lambda: Callable[[int], Any]) -> np.ndarray:
    """LambdaLR: ``base_lr * lr_lambda(t)``.

    >>> lambda_lr_curve(3, 0.5, lr_lambda=lambda t: t + 1).tolist()
    [0.5, 1.0, 1.5]
    """
    if isinstance(lr_lambda, _CheckedLambda) and len(lr_lambda.values) >= n_steps:
        return base_lr * lr_lambda.values[:n_steps]
    return base_lr * _lambda_values(lr_lambda, n_steps)


def linear_warmup_lambda(warmup_steps: int) -> Callable[[int], float]:
    """``t -> min(1, (t + 1) / warmup_steps)``: a LambdaLR warm-up that reaches 1 at step ``warmup_steps - 1``.

    >>> [linear_warmup_lambda(4)(t) for t in range(5)]
    [0.25, 0.5, 0.75, 1.0, 1.0]
    """
    warmup_steps = ParamSpec("warmup_steps", "int", REQUIRED, low=1).check(warmup_steps)

    def warmup(t: int) -> float:
        return min(1.0, (t + 1) / warmup_steps)

    warmup.__qualname__ = f"linear_warmup_lambda({warmup_steps})"
    warmup.__lrutils_code__ = f"lambda t: min(1.0, (t + 1) / {warmup_steps})"  # type: ignore[attr-defined]
    return warmup


# --- stages --------------------------------------------------------------------------------------


def _stage_spec(name: str) -> ScheduleSpec:
    return LAMBDA_LR if name == "LambdaLR" else SCHEDULES[name]


def _resolve_stage(composite: str, index: int, stage: Stage, n_local: int) -> dict[str, Any]:
    """Check one stage's keywords with its scheduler's spec; errors say which stage it was."""
    name, kwargs = stage
    if name == "ReduceLROnPlateau":  # torch's own words
        raise ValueError(
            f"{composite} does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs "
            f"to be specified when calling `step`, but got one at index {index} in the given schedulers sequence."
        )
    if name not in STAGE_SCHEDULERS:
        raise ValueError(
            f"{composite}: schedulers[{index}] is {name!r}{did_you_mean(name, STAGE_SCHEDULERS)} "
            f"(lrutils composes {', '.join(STAGE_SCHEDULERS)})"
        )
    try:
        return _stage_spec(name).resolve(max(n_local, 1), kwargs)
    except (TypeError, ValueError) as err:
        raise type(err)(f"{composite}: schedulers[{index}] ({name}): {err}") from None


def _sequential_spans(milestones: list[int], n_stages: int, n_steps: int) -> list[tuple[int, int, bool]]:
    """(first step, end step, entered at a milestone) of every stage, clipped to the run."""
    spans = []
    for j in range(n_stages):
        lo = milestones[j - 1] if j > 0 else 0
        hi = milestones[j] if j < len(milestones) else n_steps
        lo, hi = min(lo, n_steps), min(hi, n_steps)
        spans.append((lo, max(lo, hi), lo > 0))
    return spans


def _check_sequential(n_steps: int, params: dict[str, Any]) -> None:
    stages, milestones = params["schedulers"], params["milestones"]
    if len(milestones) != len(stages) - 1:  # torch's condition, said plainly
        raise ValueError(
            f"SequentialLR needs one milestone fewer than schedulers (each milestone starts the next one), "
            f"got {len(stages)} schedulers and {len(milestones)} milestones"
        )
    if any(b < a for a, b in zip(milestones, milestones[1:], strict=False)):
        raise ValueError(
            f"SequentialLR: milestones must not decrease (torch finds the active scheduler by bisection), "
            f"got {milestones}"
        )
    for j, (lo, hi, _) in enumerate(_sequential_spans(milestones, len(stages), n_steps)):
        _resolve_stage("SequentialLR", j, stages[j], hi - lo)


def _check_chained(n_steps: int, params: dict[str, Any]) -> None:
    for i, stage in enumerate(params["schedulers"]):
        _resolve_stage("ChainedScheduler", i, stage, n_steps)


# --- torch-free curves ---------------------------------------------------------------------------


def sequential_lr_curve(n_steps: int, base_lr: float, *, schedulers: list[Stage], milestones: list[int]) -> np.ndarray:
    """SequentialLR: each stage runs from its milestone, restarting its own count at 0.

    The stage active at step 0 starts as if alone; a stage that starts at a milestone starts from
    its closed form at step 0 (torch's ``_update_lr(0)``), which differs only for
    ``ConstantLR(total_iters=0)`` (``base_lr``, not ``base_lr * factor``).

    >>> stages = [("LinearLR", {"start_factor": 0.5, "total_iters": 2}), ("ExponentialLR", {"gamma": 0.5})]
    >>> sequential_lr_curve(5, 1.0, schedulers=stages, milestones=[2]).tolist()
    [0.5, 0.75, 1.0, 0.5, 0.25]
    """
    out = np.empty(n_steps)
    for j, (lo, hi, entered) in enumerate(_sequential_spans(milestones, len(schedulers), n_steps)):
        if hi <= lo:
            continue
        name = schedulers[j][0]
        params = _resolve_stage("SequentialLR", j, schedulers[j], hi - lo)
        if entered and name == "ConstantLR" and params["total_iters"] == 0:
            out[lo:hi] = base_lr  # closed form at 0: factor + (0 >= 0) * (1 - factor) = 1, never changed after
        else:
            out[lo:hi] = _stage_spec(name).curve(hi - lo, base_lr, **params)
    return out


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
        _chain_ops(stage[0], _resolve_stage("ChainedScheduler", i, stage, n_steps), n_steps, base_lr)
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


# --- torch builders ------------------------------------------------------------------------------


def _torch_stage(optimizer: torch.optim.Optimizer, composite: str, index: int, stage: Stage) -> Any:
    params = _resolve_stage(composite, index, stage, 1)
    return getattr(torch.optim.lr_scheduler, stage[0])(optimizer, **params)


def _torch_sequential(optimizer: torch.optim.Optimizer, *, schedulers: list[Stage], milestones: list[int]) -> Any:
    built = [_torch_stage(optimizer, "SequentialLR", i, s) for i, s in enumerate(schedulers)]
    return torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers=built, milestones=list(milestones))


def _torch_chained(optimizer: torch.optim.Optimizer, *, schedulers: list[Stage]) -> Any:
    built = [_torch_stage(optimizer, "ChainedScheduler", i, s) for i, s in enumerate(schedulers)]
    return torch.optim.lr_scheduler.ChainedScheduler(built, optimizer=optimizer)


# --- recipes -------------------------------------------------------------------------------------


def warmup_cosine(warmup_steps: int, T_max: int, start_factor: float = 0.01, eta_min: float = 0.0) -> dict[str, Any]:
    """Linear warm-up then cosine annealing: ``SequentialLR`` keywords (``schedulers``, ``milestones``).

    LinearLR climbs from ``start_factor * base_lr`` to ``base_lr`` over ``warmup_steps`` steps,
    then CosineAnnealingLR anneals from ``base_lr`` to ``eta_min`` over ``T_max`` steps.

    >>> kw = warmup_cosine(warmup_steps=5, T_max=95)
    >>> kw["milestones"], kw["schedulers"][1]
    ([5], ('CosineAnnealingLR', {'T_max': 95, 'eta_min': 0.0}))
    """
    p = RECIPE_WARMUP_COSINE.resolve(
        1, {"warmup_steps": warmup_steps, "T_max": T_max, "start_factor": start_factor, "eta_min": eta_min}
    )
    return {
        "schedulers": [
            ("LinearLR", {"start_factor": p["start_factor"], "end_factor": 1.0, "total_iters": p["warmup_steps"]}),
            ("CosineAnnealingLR", {"T_max": p["T_max"], "eta_min": p["eta_min"]}),
        ],
        "milestones": [p["warmup_steps"]],
    }


def warmup_stable_decay(
    warmup_steps: int, stable_steps: int, decay_steps: int, start_factor: float = 0.01, final_factor: float = 0.0
) -> dict[str, Any]:
    """Warm-up, stable, decay (WSD): ``SequentialLR`` keywords (``schedulers``, ``milestones``).

    LinearLR warm-up over ``warmup_steps``, ``base_lr`` held for ``stable_steps`` (ConstantLR with
    factor 1), then a linear decay to ``final_factor * base_lr`` over ``decay_steps``.

    >>> warmup_stable_decay(2, 5, 3)["milestones"]
    [2, 7]
    """
    p = RECIPE_WSD.resolve(
        1,
        {
            "warmup_steps": warmup_steps,
            "stable_steps": stable_steps,
            "decay_steps": decay_steps,
            "start_factor": start_factor,
            "final_factor": final_factor,
        },
    )
    w, s = p["warmup_steps"], p["stable_steps"]
    return {
        "schedulers": [
            ("LinearLR", {"start_factor": p["start_factor"], "end_factor": 1.0, "total_iters": w}),
            ("ConstantLR", {"factor": 1.0, "total_iters": s}),
            ("LinearLR", {"start_factor": 1.0, "end_factor": p["final_factor"], "total_iters": p["decay_steps"]}),
        ],
        "milestones": [w, w + s],
    }


def _recipe_curve(recipe: Callable[..., dict[str, Any]]) -> Callable[..., np.ndarray]:
    def curve(n_steps: int, base_lr: float, **params: Any) -> np.ndarray:
        return sequential_lr_curve(n_steps, base_lr, **recipe(**params))

    return curve


def _recipe_factory(recipe: Callable[..., dict[str, Any]]) -> Callable[..., Any]:
    def factory(optimizer: torch.optim.Optimizer, **params: Any) -> Any:
        return _torch_sequential(optimizer, **recipe(**params))

    return factory


# --- the table -----------------------------------------------------------------------------------

_EXAMPLE_WARMUP_COSINE: list[Stage] = [
    ("LinearLR", {"start_factor": 0.01, "total_iters": 10}),
    ("CosineAnnealingLR", {"T_max": 90}),
]

LAMBDA_LR = ScheduleSpec(
    name="LambdaLR",
    params=(
        ParamSpec(
            "lr_lambda",
            "callable",
            REQUIRED,
            example=linear_warmup_lambda(10),
            help="factor of base_lr at step t",
        ),
    ),
    curve=lambda_lr_curve,
    unit="epoch",
    summary="base_lr * lr_lambda(t)",
    check_data=_check_lambda,
)

SEQUENTIAL_LR = ScheduleSpec(
    name="SequentialLR",
    params=(
        ParamSpec("schedulers", "stages", REQUIRED, example=_EXAMPLE_WARMUP_COSINE, help="(name, kwargs) pairs"),
        ParamSpec("milestones", "int_list", REQUIRED, low=0, example=[10], help="steps where the next one starts"),
    ),
    curve=sequential_lr_curve,
    unit="epoch",
    summary="one scheduler after another; each restarts its own count at its milestone",
    check_together=_check_sequential,
    factory=_torch_sequential,
)

CHAINED_SCHEDULER = ScheduleSpec(
    name="ChainedScheduler",
    params=(
        ParamSpec(
            "schedulers",
            "stages",
            REQUIRED,
            example=[("LinearLR", {"start_factor": 0.1, "total_iters": 10}), ("ExponentialLR", {"gamma": 0.97})],
            help="(name, kwargs) pairs, all stepped at every step",
        ),
    ),
    curve=chained_scheduler_curve,
    unit="epoch",
    summary="every scheduler steps at every step; their factors multiply",
    check_together=_check_chained,
    factory=_torch_chained,
)

RECIPE_WARMUP_COSINE = ScheduleSpec(
    name="warmup_cosine",
    params=(
        ParamSpec("warmup_steps", "int", REQUIRED, low=1, slider=(1, 50), example=10, help="steps of linear warm-up"),
        ParamSpec("T_max", "int", REQUIRED, low=1, slider=(1, 300), example=90, help="cosine steps after warm-up"),
        ParamSpec(
            "start_factor", "float", 0.01, low=0.0, low_open=True, high=1.0, slider=(0.01, 1.0), help="lr factor at 0"
        ),
        ParamSpec("eta_min", "float", 0.0, low=0.0, slider=(0.0, 0.05), help="lowest lr of the cosine"),
    ),
    curve=_recipe_curve(warmup_cosine),
    unit="epoch",
    summary="recipe: LinearLR warm-up, then CosineAnnealingLR (SequentialLR)",
    factory=_recipe_factory(warmup_cosine),
)

RECIPE_WSD = ScheduleSpec(
    name="warmup_stable_decay",
    params=(
        ParamSpec("warmup_steps", "int", REQUIRED, low=1, slider=(1, 50), example=10, help="steps of linear warm-up"),
        ParamSpec("stable_steps", "int", REQUIRED, low=0, slider=(0, 300), example=70, help="steps at base_lr"),
        ParamSpec("decay_steps", "int", REQUIRED, low=1, slider=(1, 100), example=20, help="steps of linear decay"),
        ParamSpec(
            "start_factor", "float", 0.01, low=0.0, low_open=True, high=1.0, slider=(0.01, 1.0), help="lr factor at 0"
        ),
        ParamSpec("final_factor", "float", 0.0, low=0.0, high=1.0, slider=(0.0, 1.0), help="lr factor after decay"),
    ),
    curve=_recipe_curve(warmup_stable_decay),
    unit="epoch",
    summary="recipe: LinearLR warm-up, ConstantLR(factor=1) plateau, LinearLR decay (SequentialLR)",
    factory=_recipe_factory(warmup_stable_decay),
)

COMPOSITES: dict[str, ScheduleSpec] = {
    spec.name: spec for spec in (LAMBDA_LR, SEQUENTIAL_LR, CHAINED_SCHEDULER, RECIPE_WARMUP_COSINE, RECIPE_WSD)
}
COMPOSITES.update({spec.name: spec for spec in WILD_RECIPES})  # noam, linear_warmup_decay, ... (lrutils.recipes)
"""Schedules built from other schedulers or functions; ``lrutils.get_spec`` looks here too."""

RECIPES: tuple[str, ...] = ("warmup_cosine", "warmup_stable_decay")
"""lrutils' ready-made SequentialLR recipes (not torch classes), with numbers that fit on sliders."""


def composite_names() -> list[str]:
    """Names of the composites and recipes ``lr_curve`` accepts besides ``scheduler_names()``.

    >>> composite_names()[:5]
    ['LambdaLR', 'SequentialLR', 'ChainedScheduler', 'warmup_cosine', 'warmup_stable_decay']
    >>> composite_names()[5:]
    ['noam', 'linear_warmup_decay', 'warmup_cosine_floor', 'wsd_1sqrt']
    """
    return list(COMPOSITES)


# --- short names ---------------------------------------------------------------------------------


def sequential_curve(
    schedulers: list[Stage], milestones: list[int], n_steps: int, base_lr: float = DEFAULT_BASE_LR
) -> np.ndarray:
    """``lr_curve("SequentialLR", n_steps, base_lr, schedulers=..., milestones=...)``.

    >>> stages = [("ConstantLR", {"factor": 0.5}), ("StepLR", {"step_size": 1, "gamma": 0.5})]
    >>> sequential_curve(stages, [2], 4, 1.0).tolist()
    [0.5, 0.5, 1.0, 0.5]
    """
    from .curves import lr_curve

    return lr_curve("SequentialLR", n_steps, base_lr, schedulers=schedulers, milestones=milestones)


def torch_sequential_curve(
    schedulers: list[Stage], milestones: list[int], n_steps: int, base_lr: float = DEFAULT_BASE_LR
) -> np.ndarray:
    """The same as :func:`sequential_curve`, recorded by stepping torch's real SequentialLR.

    >>> stages = [("ConstantLR", {"factor": 0.5}), ("StepLR", {"step_size": 1, "gamma": 0.5})]
    >>> torch_sequential_curve(stages, [2], 4, 1.0).tolist()
    [0.5, 0.5, 1.0, 0.5]
    """
    from .torch_reference import torch_lr_curve

    return torch_lr_curve("SequentialLR", n_steps, base_lr, schedulers=schedulers, milestones=milestones)


def chained_curve(schedulers: list[Stage], n_steps: int, base_lr: float = DEFAULT_BASE_LR) -> np.ndarray:
    """``lr_curve("ChainedScheduler", n_steps, base_lr, schedulers=...)``.

    >>> chained_curve([("ExponentialLR", {"gamma": 0.5}), ("ExponentialLR", {"gamma": 0.5})], 3, 1.0).tolist()
    [1.0, 0.25, 0.0625]
    """
    from .curves import lr_curve

    return lr_curve("ChainedScheduler", n_steps, base_lr, schedulers=schedulers)


def torch_chained_curve(schedulers: list[Stage], n_steps: int, base_lr: float = DEFAULT_BASE_LR) -> np.ndarray:
    """The same as :func:`chained_curve`, recorded by stepping torch's real ChainedScheduler.

    >>> torch_chained_curve([("ExponentialLR", {"gamma": 0.5}), ("ExponentialLR", {"gamma": 0.5})], 3, 1.0).tolist()
    [1.0, 0.25, 0.0625]
    """
    from .torch_reference import torch_lr_curve

    return torch_lr_curve("ChainedScheduler", n_steps, base_lr, schedulers=schedulers)


def lambda_curve(fn: Callable[[int], float], n_steps: int, base_lr: float = DEFAULT_BASE_LR) -> np.ndarray:
    """``lr_curve("LambdaLR", n_steps, base_lr, lr_lambda=fn)``.

    >>> lambda_curve(lambda t: 0.5**t, 3, 1.0).tolist()
    [1.0, 0.5, 0.25]
    """
    from .curves import lr_curve

    return lr_curve("LambdaLR", n_steps, base_lr, lr_lambda=fn)


def torch_lambda_curve(fn: Callable[[int], float], n_steps: int, base_lr: float = DEFAULT_BASE_LR) -> np.ndarray:
    """The same as :func:`lambda_curve`, recorded by stepping torch's real LambdaLR.

    >>> torch_lambda_curve(lambda t: 0.5**t, 3, 1.0).tolist()
    [1.0, 0.5, 0.25]
    """
    from .torch_reference import torch_lr_curve

    return torch_lr_curve("LambdaLR", n_steps, base_lr, lr_lambda=fn)


__all__ = [
    "CHAINED_SCHEDULER",
    "COMPOSITES",
    "LAMBDA_LR",
    "RECIPES",
    "SEQUENTIAL_LR",
    "STAGE_SCHEDULERS",
    "chained_curve",
    "chained_scheduler_curve",
    "composite_names",
    "lambda_curve",
    "lambda_lr_curve",
    "linear_warmup_lambda",
    "sequential_curve",
    "sequential_lr_curve",
    "torch_chained_curve",
    "torch_lambda_curve",
    "torch_sequential_curve",
    "warmup_cosine",
    "warmup_stable_decay",
]
