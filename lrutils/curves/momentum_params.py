"""The three momentum knobs that CyclicLR and OneCycleLR share: cycle_momentum, base_momentum, max_momentum."""

from __future__ import annotations

from ..text.i18n import template
from .spec import ParamSpec


def momentum_params(base: float, top: float, at_base: str, at_top: str) -> tuple[ParamSpec, ...]:
    """``cycle_momentum`` and the two momenta it moves between, with torch's defaults ``base`` and ``top``.

    ``at_base``/``at_top`` say where in the cycle each momentum is reached (shown as the slider's help).

    >>> [p.name for p in momentum_params(0.8, 0.9, "at max_lr", "at base_lr")]
    ['cycle_momentum', 'base_momentum', 'max_momentum']
    """
    knob = {"low": 0.0, "high": 1.0, "slider": (0.5, 1.0), "only_if": ("cycle_momentum", True)}
    return (
        ParamSpec("cycle_momentum", "bool", True, help=template("also move momentum, opposite to the lr")),
        ParamSpec("base_momentum", "float", base, help=at_base, **knob),
        ParamSpec("max_momentum", "float", top, help=at_top, **knob),
    )
