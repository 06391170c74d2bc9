"""The factors of the published recipes, as picklable LambdaLR ``lr_lambda`` objects.

Each factor object is a callable class (its settings in ``__dict__``), so ``LambdaLR.state_dict()``
saves them with a checkpoint, and ``source()`` writes the same operations as plain Python.
Where each formula comes from: :mod:`lrutils.curves.recipes`.

>>> linear_warmup_decay_factor(2, 6)(1)
0.5
"""

from __future__ import annotations

import math
from typing import Any

from ..text.i18n import template
from .spec import REQUIRED, ParamSpec

# --- the factors (what LambdaLR calls) -------------------------------------------------------------


class _Factor:
    """A picklable ``lr_lambda``: settings in ``__dict__`` (LambdaLR saves them), ``__call__(t)``."""

    name = ""

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{self.name}({args})"

    def __call__(self, t: int) -> float:
        raise NotImplementedError

    def source(self) -> str:
        """A ``def`` with these settings written in: the same operations as :meth:`__call__`, as
        plain Python to paste into a training script (no lrutils needed)."""
        raise NotImplementedError


class NoamFactor(_Factor):
    """``d_model**-0.5 * min(step**-0.5, step * warmup_steps**-1.5)`` with ``step = t + 1``."""

    name = "noam_factor"

    def __init__(self, d_model: int, warmup_steps: int) -> None:
        self.d_model, self.warmup_steps = d_model, warmup_steps

    def __call__(self, t: int) -> float:
        step = t + 1  # the paper's step_num: the first optimizer step (t = 0) is step 1
        return self.d_model**-0.5 * min(step**-0.5, step * self.warmup_steps**-1.5)

    def source(self) -> str:
        """The factor as a ``def``.

        >>> print(noam_factor(512, 4000).source())
        def noam(t):  # Vaswani et al. 2017: step_num = t + 1
            step = t + 1
            return 512**-0.5 * min(step**-0.5, step * 4000**-1.5)
        """
        return (
            "def noam(t):  # Vaswani et al. 2017: step_num = t + 1\n"
            "    step = t + 1\n"
            f"    return {self.d_model!r}**-0.5 * min(step**-0.5, step * {self.warmup_steps!r}**-1.5)"
        )


class LinearWarmupDecayFactor(_Factor):
    """transformers' ``_get_linear_schedule_with_warmup_lr_lambda``, operation for operation."""

    name = "linear_warmup_decay_factor"

    def __init__(self, warmup_steps: int, total_steps: int) -> None:
        self.warmup_steps, self.total_steps = warmup_steps, total_steps

    def __call__(self, t: int) -> float:
        w, n = self.warmup_steps, self.total_steps
        if t < w:
            return float(t) / float(max(1, w))
        return max(0.0, float(n - t) / float(max(1, n - w)))

    def source(self) -> str:
        """The factor as a ``def`` (transformers' linear schedule with warm-up)."""
        return (
            "def linear_warmup_decay(t):  # transformers: get_linear_schedule_with_warmup\n"
            f"    w, n = {self.warmup_steps!r}, {self.total_steps!r}\n"
            "    if t < w:\n"
            "        return float(t) / float(max(1, w))\n"
            "    return max(0.0, float(n - t) / float(max(1, n - w)))"
        )


class WarmupCosineFloorFactor(_Factor):
    """transformers' cosine-with-min-lr lambda (``num_cycles=0.5``), operation for operation."""

    name = "warmup_cosine_floor_factor"

    def __init__(self, warmup_steps: int, total_steps: int, min_lr_ratio: float) -> None:
        self.warmup_steps, self.total_steps, self.min_lr_ratio = warmup_steps, total_steps, min_lr_ratio

    def __call__(self, t: int) -> float:
        w, n, r = self.warmup_steps, self.total_steps, self.min_lr_ratio
        if t < w:
            return float(t) / float(max(1, w))
        progress = float(t - w) / float(max(1, n - w))
        factor = 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress))
        return max(0.0, factor * (1 - r) + r)

    def source(self) -> str:
        """The factor as a ``def`` (transformers' cosine with a minimum lr)."""
        return (
            "import math\n\n\n"
            "def warmup_cosine_floor(t):  # transformers: get_cosine_with_min_lr_schedule_with_warmup\n"
            f"    w, n, r = {self.warmup_steps!r}, {self.total_steps!r}, {self.min_lr_ratio!r}\n"
            "    if t < w:\n"
            "        return float(t) / float(max(1, w))\n"
            "    progress = float(t - w) / float(max(1, n - w))\n"
            "    factor = 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress))\n"
            "    return max(0.0, factor * (1 - r) + r)"
        )


class Wsd1SqrtFactor(_Factor):
    """transformers' ``_get_wsd_scheduler_lambda`` with a linear warm-up and a 1-sqrt decay."""

    name = "wsd_1sqrt_factor"

    def __init__(self, warmup_steps: int, stable_steps: int, decay_steps: int, min_lr_ratio: float) -> None:
        self.warmup_steps, self.stable_steps = warmup_steps, stable_steps
        self.decay_steps, self.min_lr_ratio = decay_steps, min_lr_ratio

    def __call__(self, t: int) -> float:
        w, s, d, r = self.warmup_steps, self.stable_steps, self.decay_steps, self.min_lr_ratio
        if t < w:
            progress = float(t) / float(max(1, w))
            return max(0.0, progress * (1.0 - r) + r)
        if t < w + s:
            return 1.0
        if t < w + s + d:
            progress = float(t - w - s) / float(max(1, d))
            return max(0.0, (1.0 - math.sqrt(progress)) * (1.0 - r) + r)
        return r

    def source(self) -> str:
        """The factor as a ``def`` (transformers' WSD schedule with a 1-sqrt decay)."""
        return (
            "import math\n\n\n"
            "def wsd_1sqrt(t):  # transformers: get_wsd_schedule, decay_type='1-sqrt'\n"
            f"    w, s, d = {self.warmup_steps!r}, {self.stable_steps!r}, {self.decay_steps!r}\n"
            f"    r = {self.min_lr_ratio!r}\n"
            "    if t < w:\n"
            "        progress = float(t) / float(max(1, w))\n"
            "        return max(0.0, progress * (1.0 - r) + r)\n"
            "    if t < w + s:\n"
            "        return 1.0\n"
            "    if t < w + s + d:\n"
            "        progress = float(t - w - s) / float(max(1, d))\n"
            "        return max(0.0, (1.0 - math.sqrt(progress)) * (1.0 - r) + r)\n"
            "    return r"
        )


# --- parameters ------------------------------------------------------------------------------------

_WARMUP0 = ParamSpec(
    "warmup_steps",
    "int",
    REQUIRED,
    low=0,
    slider=(0, 50),
    example=10,
    help=template("optimizer steps of linear warm-up from 0"),
)
_TOTAL = ParamSpec(
    "total_steps",
    "int",
    REQUIRED,
    low=1,
    slider=(1, 300),
    example=100,
    help=template("optimizer steps of the whole run"),
)
_MIN_RATIO = ParamSpec(
    "min_lr_ratio",
    "float",
    REQUIRED,
    low=0.0,
    high=1.0,
    slider=(0.0, 1.0),
    example=0.1,
    help=template("floor / base_lr"),
)
NOAM_PARAMS = (
    ParamSpec("d_model", "int", REQUIRED, low=1, slider=(16, 1024), example=512, help=template("the model width")),
    ParamSpec(
        "warmup_steps",
        "int",
        REQUIRED,
        low=1,
        slider=(1, 200),
        example=40,
        help=template("steps until the peak (paper: 4000)"),
    ),
)
LINEAR_PARAMS = (_WARMUP0, _TOTAL)
COSINE_FLOOR_PARAMS = (_WARMUP0, _TOTAL, _MIN_RATIO)
WSD_PARAMS = (
    _WARMUP0,
    ParamSpec(
        "stable_steps", "int", REQUIRED, low=0, slider=(0, 300), example=70, help=template("optimizer steps at base_lr")
    ),
    ParamSpec(
        "decay_steps", "int", REQUIRED, low=1, slider=(1, 100), example=20, help=template("optimizer steps of cooldown")
    ),
    ParamSpec("min_lr_ratio", "float", 0.0, low=0.0, high=1.0, slider=(0.0, 1.0), help=template("floor / base_lr")),
)


def _checked(name: str, params: tuple[ParamSpec, ...], values: dict[str, Any]) -> dict[str, Any]:
    out = {p.name: p.check(values[p.name], name) for p in params}
    _warmup_within_run(name, out)
    return out


def _warmup_within_run(name: str, params: dict[str, Any]) -> None:
    if "total_steps" in params and params["warmup_steps"] > params["total_steps"]:
        raise ValueError(
            f"{name}: warmup_steps ({params['warmup_steps']}) must not exceed total_steps "
            f"({params['total_steps']}); the warm-up is part of the run"
        )


def warmup_check(name: str) -> Any:
    """A ``check_together`` for a recipe spec: its warm-up must fit in the run."""

    def check(n_steps: int, params: dict[str, Any]) -> None:
        _warmup_within_run(name, params)

    return check


def noam_factor(d_model: int, warmup_steps: int) -> NoamFactor:
    """The original Transformer's lr (Noam) as a LambdaLR factor; optimizer lr 1 gives the paper's values.

    >>> f = noam_factor(512, 4000)
    >>> round(f(3999) * 1e4, 4)  # the peak, at step_num = 4000
    6.9877
    """
    return NoamFactor(**_checked("noam", NOAM_PARAMS, {"d_model": d_model, "warmup_steps": warmup_steps}))


def linear_warmup_decay_factor(warmup_steps: int, total_steps: int) -> LinearWarmupDecayFactor:
    """BERT's linear warm-up and linear decay, as transformers' ``get_linear_schedule_with_warmup``.

    >>> f = linear_warmup_decay_factor(2, 6)
    >>> [f(t) for t in range(7)]
    [0.0, 0.5, 1.0, 0.75, 0.5, 0.25, 0.0]
    """
    values = {"warmup_steps": warmup_steps, "total_steps": total_steps}
    return LinearWarmupDecayFactor(**_checked("linear_warmup_decay", LINEAR_PARAMS, values))


def warmup_cosine_floor_factor(warmup_steps: int, total_steps: int, min_lr_ratio: float) -> WarmupCosineFloorFactor:
    """Linear warm-up, then half a cosine from 1 to ``min_lr_ratio`` at ``total_steps`` (transformers).

    >>> f = warmup_cosine_floor_factor(2, 6, 0.1)
    >>> [round(f(t), 4) for t in (0, 1, 2, 4, 6)]
    [0.0, 0.5, 1.0, 0.55, 0.1]
    """
    values = {"warmup_steps": warmup_steps, "total_steps": total_steps, "min_lr_ratio": min_lr_ratio}
    return WarmupCosineFloorFactor(**_checked("warmup_cosine_floor", COSINE_FLOOR_PARAMS, values))


def wsd_1sqrt_factor(
    warmup_steps: int, stable_steps: int, decay_steps: int, min_lr_ratio: float = 0.0
) -> Wsd1SqrtFactor:
    """Warm-up, stable, then a 1-sqrt cooldown (transformers' ``get_wsd_schedule``, timm's ``WSDLRScheduler``).

    >>> f = wsd_1sqrt_factor(2, 2, 4)
    >>> [f(t) for t in range(9)]
    [0.0, 0.5, 1.0, 1.0, 1.0, 0.5, 0.2928932188134524, 0.1339745962155614, 0.0]
    """
    values = {
        "warmup_steps": warmup_steps,
        "stable_steps": stable_steps,
        "decay_steps": decay_steps,
        "min_lr_ratio": min_lr_ratio,
    }
    return Wsd1SqrtFactor(**_checked("wsd_1sqrt", WSD_PARAMS, values))


__all__ = [
    "COSINE_FLOOR_PARAMS",
    "LINEAR_PARAMS",
    "NOAM_PARAMS",
    "WSD_PARAMS",
    "LinearWarmupDecayFactor",
    "NoamFactor",
    "WarmupCosineFloorFactor",
    "Wsd1SqrtFactor",
    "linear_warmup_decay_factor",
    "noam_factor",
    "warmup_cosine_floor_factor",
    "wsd_1sqrt_factor",
]
