"""Stages of a composite: ``(scheduler name, kwargs)`` pairs, checked by each scheduler's own spec.

>>> resolve_stage("SequentialLR", 0, ("StepLR", {"step_size": 2}), 10)
{'step_size': 2, 'gamma': 0.1}
"""

from __future__ import annotations

from typing import Any

import torch

from ..text.suggest import did_you_mean
from .lambda_lr import LAMBDA_LR
from .schedulers import SCHEDULES
from .spec import ScheduleSpec

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


Stage = tuple[str, dict[str, Any]]


def stage_spec(name: str) -> ScheduleSpec:
    return LAMBDA_LR if name == "LambdaLR" else SCHEDULES[name]


def resolve_stage(composite: str, index: int, stage: Stage, n_local: int) -> dict[str, Any]:
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
        return stage_spec(name).resolve(max(n_local, 1), kwargs)
    except (TypeError, ValueError) as err:
        raise type(err)(f"{composite}: schedulers[{index}] ({name}): {err}") from None


def torch_stage(optimizer: torch.optim.Optimizer, composite: str, index: int, stage: Stage) -> Any:
    params = resolve_stage(composite, index, stage, 1)
    return getattr(torch.optim.lr_scheduler, stage[0])(optimizer, **params)


__all__ = ["STAGE_SCHEDULERS", "Stage", "resolve_stage", "stage_spec", "torch_stage"]
