"""Schedules met in the wild, with the exact formulas of the papers and libraries that publish them.

Each recipe is a factor ``f(t)`` of the optimizer's lr, stepped once per optimizer step (``t = 0``
is the first step), so in torch it is ``LambdaLR(optimizer, lr_lambda=f)``. The factor objects
below are callable classes, so ``LambdaLR.state_dict()`` saves their settings with a checkpoint.

========================  ==============================================================================
name                      where it comes from
========================  ==============================================================================
``noam``                  Vaswani et al. 2017, *Attention Is All You Need*, section 5.3:
                          ``d_model**-0.5 * min(step_num**-0.5, step_num * warmup_steps**-1.5)`` with
                          ``step_num = t + 1`` (the first training step is step 1); set the
                          optimizer's lr to 1 to get the paper's lrate itself.
``linear_warmup_decay``   BERT as run by transformers' ``get_linear_schedule_with_warmup``: ``t / w``,
                          then a straight line from 1 at ``t = w`` to 0 at ``t = total_steps``.
``warmup_cosine_floor``   transformers' ``get_cosine_with_min_lr_schedule_with_warmup`` (half a cosine,
                          ``num_cycles=0.5``): ``t / w``, then a cosine from 1 down to ``min_lr_ratio``.
``wsd_1sqrt``             transformers' ``get_wsd_schedule(warmup_type="linear", decay_type="1-sqrt")``
                          (and timm's ``WSDLRScheduler(decay_fn="1-sqrt")``): linear warm-up, a plateau,
                          then ``1 - sqrt(progress)`` down to ``min_lr_ratio``.
========================  ==============================================================================

``lrutils.lr_curve`` and ``lrutils.torch_lr_curve`` accept these names (they are registered with
the composites). ``tests/test_recipes.py`` holds every curve to the real LambdaLR and to the
published formulas, re-typed there with the file and function they come from.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from ..text.i18n import template
from .recipe_factors import (
    COSINE_FLOOR_PARAMS,
    LINEAR_PARAMS,
    NOAM_PARAMS,
    WSD_PARAMS,
    LinearWarmupDecayFactor,
    NoamFactor,
    WarmupCosineFloorFactor,
    Wsd1SqrtFactor,
    linear_warmup_decay_factor,
    noam_factor,
    warmup_check,
    warmup_cosine_floor_factor,
    wsd_1sqrt_factor,
)
from .spec import ScheduleSpec

# --- torch-free curves (numpy, the same formulas vectorised) ---------------------------------------


def _noam_curve(n_steps: int, base_lr: float, *, d_model: int, warmup_steps: int) -> np.ndarray:
    """``base_lr * d_model**-0.5 * min(s**-0.5, s * warmup_steps**-1.5)`` at ``s = 1..n_steps``.

    >>> _noam_curve(3, 1.0, d_model=4, warmup_steps=4).tolist()
    [0.0625, 0.125, 0.1875]
    """
    s = np.arange(1, n_steps + 1, dtype=float)
    return base_lr * (d_model**-0.5 * np.minimum(s**-0.5, s * warmup_steps**-1.5))


def _warmup_from_zero(t: np.ndarray, warmup_steps: int) -> np.ndarray:
    return t / float(max(1, warmup_steps))


def _linear_warmup_decay_curve(n_steps: int, base_lr: float, *, warmup_steps: int, total_steps: int) -> np.ndarray:
    """``base_lr * t / w`` for ``t < w``, then ``base_lr * max(0, (N - t) / (N - w))``.

    >>> _linear_warmup_decay_curve(5, 1.0, warmup_steps=1, total_steps=3).tolist()
    [0.0, 1.0, 0.5, 0.0, 0.0]
    """
    t = np.arange(n_steps, dtype=float)
    decay = np.maximum(0.0, (total_steps - t) / float(max(1, total_steps - warmup_steps)))
    return base_lr * np.where(t < warmup_steps, _warmup_from_zero(t, warmup_steps), decay)


def _warmup_cosine_floor_curve(
    n_steps: int, base_lr: float, *, warmup_steps: int, total_steps: int, min_lr_ratio: float
) -> np.ndarray:
    """Warm-up ``t / w``, then ``r + (1 - r) * (1 + cos(pi * (t - w) / (N - w))) / 2``, times ``base_lr``.

    Past ``total_steps`` the cosine rises again, as transformers' formula does.

    >>> _warmup_cosine_floor_curve(4, 1.0, warmup_steps=1, total_steps=3, min_lr_ratio=0.0).round(12).tolist()
    [0.0, 1.0, 0.5, 0.0]
    """
    t = np.arange(n_steps, dtype=float)
    progress = (t - warmup_steps) / float(max(1, total_steps - warmup_steps))
    factor = 0.5 * (1.0 + np.cos(np.pi * progress))
    cosine = np.maximum(0.0, factor * (1 - min_lr_ratio) + min_lr_ratio)
    return base_lr * np.where(t < warmup_steps, _warmup_from_zero(t, warmup_steps), cosine)


def _wsd_1sqrt_curve(
    n_steps: int, base_lr: float, *, warmup_steps: int, stable_steps: int, decay_steps: int, min_lr_ratio: float
) -> np.ndarray:
    """Linear warm-up from ``min_lr_ratio``, ``base_lr`` held, then ``1 - sqrt(progress)`` to the floor.

    >>> _wsd_1sqrt_curve(6, 1.0, warmup_steps=1, stable_steps=1, decay_steps=4, min_lr_ratio=0.0).tolist()
    [0.0, 1.0, 1.0, 0.5, 0.2928932188134524, 0.1339745962155614]
    """
    w, s, d, r = warmup_steps, stable_steps, decay_steps, min_lr_ratio
    t = np.arange(n_steps, dtype=float)
    warm = np.maximum(0.0, _warmup_from_zero(t, w) * (1.0 - r) + r)
    progress = np.clip((t - w - s) / float(max(1, d)), 0.0, None)
    decay = np.maximum(0.0, (1.0 - np.sqrt(progress)) * (1.0 - r) + r)
    out = np.select([t < w, t < w + s, t < w + s + d], [warm, np.ones(n_steps), decay], default=r)
    return base_lr * out


# --- specs (registered in lrutils.curves.composite.COMPOSITES) --------------------------------------------


FACTOR_MAKERS: dict[str, Any] = {}
"""Recipe name -> the function that builds its factor (filled in below, for printed code)."""


def _factory(make: Any) -> Any:
    def factory(optimizer: torch.optim.Optimizer, **params: Any) -> torch.optim.lr_scheduler.LambdaLR:
        return torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=make(**params))

    return factory


def _total_steps(params: dict[str, Any]) -> int:
    return params["total_steps"]


def _wsd_steps(params: dict[str, Any]) -> int:
    return params["warmup_steps"] + params["stable_steps"] + params["decay_steps"]


NOAM = ScheduleSpec(
    name="noam",
    params=NOAM_PARAMS,
    curve=_noam_curve,
    unit="batch",
    summary="recipe (Transformer paper): d_model**-0.5 * min(s**-0.5, s * warmup**-1.5), s = t + 1; LambdaLR",
    factory=_factory(noam_factor),
)

LINEAR_WARMUP_DECAY = ScheduleSpec(
    name="linear_warmup_decay",
    params=LINEAR_PARAMS,
    curve=_linear_warmup_decay_curve,
    unit="batch",
    summary="recipe (BERT, transformers): linear warm-up from 0, linear decay to 0 at total_steps; LambdaLR",
    check_together=warmup_check("linear_warmup_decay"),
    factory=_factory(linear_warmup_decay_factor),
    planned_steps=_total_steps,
    length_help=template("total_steps"),
)

WARMUP_COSINE_FLOOR = ScheduleSpec(
    name="warmup_cosine_floor",
    params=COSINE_FLOOR_PARAMS,
    curve=_warmup_cosine_floor_curve,
    unit="batch",
    summary="recipe (transformers): linear warm-up from 0, cosine down to min_lr_ratio * base_lr; LambdaLR",
    check_together=warmup_check("warmup_cosine_floor"),
    factory=_factory(warmup_cosine_floor_factor),
    planned_steps=_total_steps,
    length_help=template("total_steps"),
)

WSD_1SQRT = ScheduleSpec(
    name="wsd_1sqrt",
    params=WSD_PARAMS,
    curve=_wsd_1sqrt_curve,
    unit="batch",
    summary="recipe (transformers, timm): linear warm-up, plateau, 1 - sqrt cooldown to min_lr_ratio; LambdaLR",
    factory=_factory(wsd_1sqrt_factor),
    planned_steps=_wsd_steps,
    length_help=template("warmup_steps + stable_steps + decay_steps"),
)

WILD_RECIPES: tuple[ScheduleSpec, ...] = (NOAM, LINEAR_WARMUP_DECAY, WARMUP_COSINE_FLOOR, WSD_1SQRT)
FACTOR_MAKERS.update(
    noam=noam_factor,
    linear_warmup_decay=linear_warmup_decay_factor,
    warmup_cosine_floor=warmup_cosine_floor_factor,
    wsd_1sqrt=wsd_1sqrt_factor,
)
"""The four published recipes, by name: ``noam``, ``linear_warmup_decay``, ``warmup_cosine_floor``, ``wsd_1sqrt``."""


__all__ = [
    "LINEAR_WARMUP_DECAY",
    "NOAM",
    "WARMUP_COSINE_FLOOR",
    "WILD_RECIPES",
    "WSD_1SQRT",
    "LinearWarmupDecayFactor",
    "NoamFactor",
    "WarmupCosineFloorFactor",
    "Wsd1SqrtFactor",
    "linear_warmup_decay_factor",
    "noam_factor",
    "warmup_cosine_floor_factor",
    "wsd_1sqrt_factor",
]
