"""SequentialLR, and lrutils' two recipes built from it: warm-up + cosine, and warm-up-stable-decay.

What torch does (``torch/optim/lr_scheduler.py``): SequentialLR resets the lr to the optimizer's
initial lr, runs the construction step of the stage active at step 0 only, and at each milestone
calls ``stage._update_lr(0)``: the new stage restarts its own count at 0 from its *closed form*
(``base_lr * factor(0)``), whatever lr the previous stage left. Between milestones only the active
stage is stepped.

>>> warmup_cosine(warmup_steps=5, T_max=95)["milestones"]
[5]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ..text.i18n import template
from .spec import REQUIRED, ParamSpec, ScheduleSpec
from .stages import Stage, resolve_stage, stage_spec, torch_stage


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
        resolve_stage("SequentialLR", j, stages[j], hi - lo)


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
        params = resolve_stage("SequentialLR", j, schedulers[j], hi - lo)
        if entered and name == "ConstantLR" and params["total_iters"] == 0:
            out[lo:hi] = base_lr  # closed form at 0: factor + (0 >= 0) * (1 - factor) = 1, never changed after
        else:
            out[lo:hi] = stage_spec(name).curve(hi - lo, base_lr, **params)
    return out


def _torch_sequential(optimizer: torch.optim.Optimizer, *, schedulers: list[Stage], milestones: list[int]) -> Any:
    built = [torch_stage(optimizer, "SequentialLR", i, s) for i, s in enumerate(schedulers)]
    return torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers=built, milestones=list(milestones))


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


_EXAMPLE_WARMUP_COSINE: list[Stage] = [
    ("LinearLR", {"start_factor": 0.01, "total_iters": 10}),
    ("CosineAnnealingLR", {"T_max": 90}),
]

SEQUENTIAL_LR = ScheduleSpec(
    name="SequentialLR",
    params=(
        ParamSpec(
            "schedulers", "stages", REQUIRED, example=_EXAMPLE_WARMUP_COSINE, help=template("(name, kwargs) pairs")
        ),
        ParamSpec(
            "milestones", "int_list", REQUIRED, low=0, example=[10], help=template("steps where the next one starts")
        ),
    ),
    curve=sequential_lr_curve,
    unit="epoch",
    summary="one scheduler after another; each restarts its own count at its milestone",
    check_together=_check_sequential,
    factory=_torch_sequential,
)

# The linear warm-up both recipes begin with.
_LINEAR_WARMUP_STEPS = ParamSpec(
    "warmup_steps", "int", REQUIRED, low=1, slider=(1, 50), example=10, help=template("steps of linear warm-up")
)
_START_FACTOR = ParamSpec(
    "start_factor", "float", 0.01, low=0.0, low_open=True, high=1.0, slider=(0.01, 1.0), help=template("lr factor at 0")
)

RECIPE_WARMUP_COSINE = ScheduleSpec(
    name="warmup_cosine",
    params=(
        _LINEAR_WARMUP_STEPS,
        ParamSpec(
            "T_max", "int", REQUIRED, low=1, slider=(1, 300), example=90, help=template("cosine steps after warm-up")
        ),
        _START_FACTOR,
        ParamSpec("eta_min", "float", 0.0, low=0.0, slider=(0.0, 0.05), help=template("lowest lr of the cosine")),
    ),
    curve=_recipe_curve(warmup_cosine),
    unit="epoch",
    summary="recipe: LinearLR warm-up, then CosineAnnealingLR (SequentialLR)",
    factory=_recipe_factory(warmup_cosine),
)

RECIPE_WSD = ScheduleSpec(
    name="warmup_stable_decay",
    params=(
        _LINEAR_WARMUP_STEPS,
        ParamSpec(
            "stable_steps", "int", REQUIRED, low=0, slider=(0, 300), example=70, help=template("steps at base_lr")
        ),
        ParamSpec(
            "decay_steps", "int", REQUIRED, low=1, slider=(1, 100), example=20, help=template("steps of linear decay")
        ),
        _START_FACTOR,
        ParamSpec(
            "final_factor", "float", 0.0, low=0.0, high=1.0, slider=(0.0, 1.0), help=template("lr factor after decay")
        ),
    ),
    curve=_recipe_curve(warmup_stable_decay),
    unit="epoch",
    summary="recipe: LinearLR warm-up, ConstantLR(factor=1) plateau, LinearLR decay (SequentialLR)",
    factory=_recipe_factory(warmup_stable_decay),
)

__all__ = [
    "RECIPE_WARMUP_COSINE",
    "RECIPE_WSD",
    "SEQUENTIAL_LR",
    "sequential_lr_curve",
    "warmup_cosine",
    "warmup_stable_decay",
]
