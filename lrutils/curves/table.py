"""Every schedule lrutils draws, by name: torch's single schedulers and the composites.

>>> get_spec("StepLR").unit, get_spec("SequentialLR").name
('epoch', 'SequentialLR')
"""

from __future__ import annotations

from ..text.suggest import did_you_mean
from .composite import COMPOSITES, composite_names
from .schedulers import BLOG_SCHEDULERS, SCHEDULES
from .spec import REQUIRED, ParamSpec, ScheduleSpec


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
    if name in COMPOSITES:
        return COMPOSITES[name]
    known = [*SCHEDULES, *COMPOSITES]
    raise ValueError(f"unknown scheduler {name!r}{did_you_mean(name, known)} (expected one of {', '.join(known)})")


__all__ = [
    "BLOG_SCHEDULERS",
    "COMPOSITES",
    "REQUIRED",
    "SCHEDULES",
    "ParamSpec",
    "ScheduleSpec",
    "composite_names",
    "get_spec",
    "scheduler_names",
]
