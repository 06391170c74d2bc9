"""The scheduler table: one :class:`ScheduleSpec` per torch scheduler that lrutils can draw.

Everything else (``lr_curve``, ``torch_lr_curve``, sliders, training, tests) reads this table, so
adding a scheduler means adding one spec here.
"""

from __future__ import annotations

from ._spec import REQUIRED, ParamSpec, ScheduleSpec, did_you_mean
from .cosine import COSINE_ANNEALING_LR
from .cyclic import CYCLIC_LR
from .decay import EXPONENTIAL_LR, STEP_LR
from .onecycle import ONE_CYCLE_LR
from .plateau import REDUCE_LR_ON_PLATEAU
from .restarts import COSINE_ANNEALING_WARM_RESTARTS
from .warmup import CONSTANT_LR, LINEAR_LR, MULTI_STEP_LR, POLYNOMIAL_LR

SCHEDULES: dict[str, ScheduleSpec] = {
    spec.name: spec
    for spec in (
        STEP_LR,
        EXPONENTIAL_LR,
        COSINE_ANNEALING_LR,
        REDUCE_LR_ON_PLATEAU,
        ONE_CYCLE_LR,
        COSINE_ANNEALING_WARM_RESTARTS,
        CYCLIC_LR,
        MULTI_STEP_LR,
        CONSTANT_LR,
        LINEAR_LR,
        POLYNOMIAL_LR,
    )
}

BLOG_SCHEDULERS: tuple[str, ...] = ("StepLR", "ExponentialLR", "CosineAnnealingLR", "ReduceLROnPlateau", "OneCycleLR")
"""The five schedulers of the blog post, in its order."""


def scheduler_names() -> list[str]:
    """Names ``lr_curve`` accepts, in teaching order.

    >>> scheduler_names()[:2]
    ['StepLR', 'ExponentialLR']
    """
    return list(SCHEDULES)


def get_spec(name: object) -> ScheduleSpec:
    """Return the spec of scheduler ``name`` or raise a ValueError listing the valid names.

    >>> get_spec("StepLR").unit
    'epoch'
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a scheduler name (str), got {type(name).__name__}")
    if name in SCHEDULES:
        return SCHEDULES[name]
    from ..composite import COMPOSITES  # composites and recipes (imported late: composite.py uses this table)

    if name in COMPOSITES:
        return COMPOSITES[name]
    known = [*SCHEDULES, *COMPOSITES]
    raise ValueError(f"unknown scheduler {name!r}{did_you_mean(name, known)} (expected one of {', '.join(known)})")


__all__ = ["BLOG_SCHEDULERS", "REQUIRED", "SCHEDULES", "ParamSpec", "ScheduleSpec", "get_spec", "scheduler_names"]
