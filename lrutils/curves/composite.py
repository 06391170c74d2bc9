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

from .chained import CHAINED_SCHEDULER, chained_scheduler_curve
from .lambda_lr import LAMBDA_LR, lambda_lr_curve, linear_warmup_lambda
from .recipes import WILD_RECIPES
from .sequential import (
    RECIPE_WARMUP_COSINE,
    RECIPE_WSD,
    SEQUENTIAL_LR,
    sequential_lr_curve,
    warmup_cosine,
    warmup_stable_decay,
)
from .spec import ScheduleSpec
from .stages import STAGE_SCHEDULERS

COMPOSITES: dict[str, ScheduleSpec] = {
    spec.name: spec for spec in (LAMBDA_LR, SEQUENTIAL_LR, CHAINED_SCHEDULER, RECIPE_WARMUP_COSINE, RECIPE_WSD)
}
COMPOSITES.update({spec.name: spec for spec in WILD_RECIPES})  # noam, linear_warmup_decay, ... (lrutils.curves.recipes)
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


__all__ = [
    "CHAINED_SCHEDULER",
    "COMPOSITES",
    "LAMBDA_LR",
    "RECIPES",
    "SEQUENTIAL_LR",
    "STAGE_SCHEDULERS",
    "chained_scheduler_curve",
    "composite_names",
    "lambda_lr_curve",
    "linear_warmup_lambda",
    "sequential_lr_curve",
    "warmup_cosine",
    "warmup_stable_decay",
]
