"""Torch's single schedulers: one :class:`ScheduleSpec` each, by name, in teaching order.

Everything else (``lr_curve``, ``torch_lr_curve``, sliders, training, tests) reads these specs
through :func:`lrutils.curves.table.get_spec`, so adding a scheduler means adding one spec here.

>>> list(SCHEDULES)[:2]
['StepLR', 'ExponentialLR']
"""

from __future__ import annotations

from .cosine import COSINE_ANNEALING_LR
from .cyclic import CYCLIC_LR
from .decay import EXPONENTIAL_LR, STEP_LR
from .onecycle import ONE_CYCLE_LR
from .plateau import REDUCE_LR_ON_PLATEAU
from .restarts import COSINE_ANNEALING_WARM_RESTARTS
from .spec import ScheduleSpec
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

__all__ = ["BLOG_SCHEDULERS", "SCHEDULES"]
