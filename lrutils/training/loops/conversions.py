"""The same schedule stepped once per batch instead of once per epoch.

>>> epochs_to_batches("StepLR", {"step_size": 2}, 10)
{'step_size': 20}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...curves.spec import REQUIRED, ParamSpec
from ...curves.table import get_spec

_COUNTS_STEPS: dict[str, tuple[str, ...]] = {
    "StepLR": ("step_size",),
    "MultiStepLR": ("milestones",),
    "CosineAnnealingLR": ("T_max",),
    "LinearLR": ("total_iters",),
    "ConstantLR": ("total_iters",),
    "PolynomialLR": ("total_iters",),
    "CosineAnnealingWarmRestarts": ("T_0",),
    "warmup_cosine": ("warmup_steps", "T_max"),
    "warmup_stable_decay": ("warmup_steps", "stable_steps", "decay_steps"),
    "SequentialLR": ("milestones",),
}
"""The keywords that count steps, per scheduler: multiplied by the batches per epoch."""


def epochs_to_batches(name: str, kwargs: Mapping[str, Any], batches_per_epoch: int) -> dict[str, Any]:
    """The keywords that give the same schedule when ``scheduler.step()`` runs once per batch.

    Step counts (``step_size``, ``milestones``, ``T_max``, ``total_iters``, ``T_0``, warm-up and
    decay lengths) are multiplied by ``batches_per_epoch``; ``ExponentialLR``'s ``gamma`` becomes
    ``gamma ** (1 / batches_per_epoch)``; the stages of ``SequentialLR`` and ``ChainedScheduler``
    are converted one by one. Schedulers that already count batches (OneCycleLR, CyclicLR, the
    published recipes) and those that cannot be converted (ReduceLROnPlateau, LambdaLR) are refused.

    >>> epochs_to_batches("MultiStepLR", {"milestones": [30, 60], "gamma": 0.1}, 100)
    {'milestones': [3000, 6000], 'gamma': 0.1}
    """
    spec = get_spec(name)
    per = ParamSpec("batches_per_epoch", "int", REQUIRED, low=1).check(batches_per_epoch)
    if name == "ReduceLROnPlateau":
        raise ValueError(
            "ReduceLROnPlateau cannot be converted: it reacts to a metric measured once per epoch; "
            "keep stepping it once per epoch, after validation"
        )
    if name == "LambdaLR":
        raise ValueError(
            "LambdaLR cannot be converted automatically: write lr_lambda=lambda t: f(t / batches_per_epoch)"
        )
    if spec.unit == "batch":
        raise ValueError(f"{name} already counts optimizer steps (batches); give its lengths in batches")
    params = spec.resolve(1, dict(kwargs), with_data=False)
    out = dict(params)
    for key in _COUNTS_STEPS.get(name, ()):
        value = params[key]
        out[key] = [m * per for m in value] if isinstance(value, list) else value * per
    if name == "ExponentialLR":
        out["gamma"] = params["gamma"] ** (1.0 / per)
    if name in ("SequentialLR", "ChainedScheduler"):
        out["schedulers"] = [(stage, epochs_to_batches(stage, kw, per)) for stage, kw in params["schedulers"]]
    keep = set(kwargs) | set(_COUNTS_STEPS.get(name, ())) | {"schedulers"}  # defaulted lengths count steps too
    return {key: value for key, value in out.items() if key in keep}


__all__ = [
    "epochs_to_batches",
]
