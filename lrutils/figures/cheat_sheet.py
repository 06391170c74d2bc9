"""The cheat sheet's pictures in small: every scheduler of the series as one tiny panel (cheat_sheet.ipynb).

Each panel is what the real torch scheduler sets (:func:`lrutils.torch_lr_curve`) over
:data:`STEPS` steps from lr 1, on a linear axis from 0, drawn as a staircase (the lr holds for a
step). Tick labels are left out on purpose: the panels show shapes, the cheat sheet's table gives
the numbers. Two parts, so that each is whole on a projector: ``"decays"`` (torch's schedulers
that decay or cycle by themselves) and ``"composing"`` (the pieces that build warm-ups and the
published recipes).

>>> [ax.get_title() for ax in in_small("decays").axes][:3]
['StepLR', 'MultiStepLR', 'ExponentialLR']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..curves.synthetic import synthetic_val_loss
from ..curves.torch_reference import torch_lr_curve
from ..text.i18n import template, tr
from ._draw import staircase
from .language import localized
from .style import BASE_FONT, BLUE, MAX_HEIGHT, MAX_WIDTH, SMALL_FONT

STEPS = 100
"""Scheduler steps drawn in every panel (epochs, batches or metric readings: the panel says which)."""


@dataclass(frozen=True)
class Panel:
    """One scheduler in small: its title, the lrutils name and keywords it is drawn with, and when it is stepped.

    >>> Panel("StepLR", "StepLR", {"step_size": 30}, "epoch").note
    'step_size=30'
    """

    title: str
    name: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    unit: str = "epoch"
    """"epoch", "batch" or "metric": when the series steps it (the cheat sheet's table says more)."""
    shown: str = ""
    """The settings written under the title; by default the keywords as ``k=v``."""

    @property
    def note(self) -> str:
        """The line under the title: :attr:`shown`, or the keywords as ``k=v``."""
        if self.shown:
            return self.shown
        return ", ".join(f"{k}={v}" for k, v in self.kwargs.items())


def _plateau_metric() -> np.ndarray:
    """A validation loss that stops improving after step 30, as the plateau panel is fed."""
    return synthetic_val_loss(STEPS, flat_from=30)


PARTS: dict[str, tuple[Panel, ...]] = {
    "decays": (
        Panel("StepLR", "StepLR", {"step_size": 30, "gamma": 0.1}),
        Panel("MultiStepLR", "MultiStepLR", {"milestones": [50, 80], "gamma": 0.1}, shown="milestones=[50, 80]"),
        Panel("ExponentialLR", "ExponentialLR", {"gamma": 0.96}),
        Panel("CosineAnnealingLR", "CosineAnnealingLR", {"T_max": 100}),
        Panel(
            "ReduceLROnPlateau",
            "ReduceLROnPlateau",
            {"patience": 10},
            "metric",
            template("patience=10, loss flat from 30"),
        ),
        Panel("OneCycleLR", "OneCycleLR", {"max_lr": 1.0, "total_steps": 100}, "batch", "max_lr=1, total_steps=100"),
        Panel("CosineAnnealingWarmRestarts", "CosineAnnealingWarmRestarts", {"T_0": 10, "T_mult": 2}),
        Panel(
            "CyclicLR", "CyclicLR", {"max_lr": 1.0, "step_size_up": 10}, "batch", template("0.2 to 1, step_size_up=10")
        ),
        Panel("PolynomialLR", "PolynomialLR", {"total_iters": 80, "power": 2}),
    ),
    "composing": (
        Panel("LinearLR", "LinearLR", {"start_factor": 0.1, "total_iters": 20}),
        Panel("ConstantLR", "ConstantLR", {"factor": 0.5, "total_iters": 20}),
        Panel("LambdaLR", "LambdaLR", {"lr_lambda": lambda t: 1 / (1 + t / 10)}, shown="f(t) = 1 / (1 + t/10)"),
        Panel(
            "SequentialLR",
            "SequentialLR",
            {
                "schedulers": [
                    ("LinearLR", {"start_factor": 0.1, "total_iters": 10}),
                    ("StepLR", {"step_size": 30, "gamma": 0.5}),
                ],
                "milestones": [10],
            },
            shown=template("LinearLR, then StepLR at 10"),
        ),
        Panel(
            "ChainedScheduler",
            "ChainedScheduler",
            {
                "schedulers": [
                    ("LinearLR", {"start_factor": 0.1, "total_iters": 10}),
                    ("ExponentialLR", {"gamma": 0.97}),
                ]
            },
            shown="LinearLR × ExponentialLR",
        ),
        Panel(
            template("warm-up + cosine"),
            "warmup_cosine",
            {"warmup_steps": 10, "T_max": 90},
            shown="warmup_steps=10, T_max=90",
        ),
        Panel(
            "WSD",
            "warmup_stable_decay",
            {"warmup_steps": 10, "stable_steps": 70, "decay_steps": 20},
            shown=template("warm-up 10, stable 70, decay 20"),
        ),
        Panel(
            "Noam", "noam", {"d_model": 512, "warmup_steps": 10}, "batch", template("warm-up 10, then 1/sqrt(t + 1)")
        ),
        Panel(
            template("BERT linear"),
            "linear_warmup_decay",
            {"warmup_steps": 10, "total_steps": 100},
            "batch",
            template("warm-up 10, 0 at N=100"),
        ),
    ),
}
"""The panels of each part, in the cheat sheet's order (a 3 x 3 grid each)."""


def panel_curve(panel: Panel, n_steps: int = STEPS) -> np.ndarray:
    """The lrs the real torch scheduler of ``panel`` sets at steps ``0 .. n_steps - 1``, from lr 1.

    >>> panel_curve(PARTS["decays"][0], 4).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    kwargs = dict(panel.kwargs)
    if panel.name == "ReduceLROnPlateau":
        kwargs["metrics"] = _plateau_metric()[:n_steps]
    if panel.name == "CyclicLR":
        return torch_lr_curve(panel.name, n_steps, base_lr=0.2, **kwargs)
    return torch_lr_curve(panel.name, n_steps, base_lr=1.0, **kwargs)


def in_small(part: str = "decays") -> Figure:
    """One part of the cheat sheet's pictures: a 3 x 3 grid of tiny lr curves, one per scheduler.

    ``part`` is ``"decays"`` or ``"composing"`` (:data:`PARTS`). Each panel is titled with the
    scheduler and, under it, the settings it is drawn with; its curve is a staircase of what torch
    set at each of :data:`STEPS` steps, on a linear axis from 0 to the largest lr of the panel.

    >>> fig = in_small("composing")
    >>> len(fig.axes), fig.axes[-1].get_title()
    (9, 'BERT linear')
    """
    if part not in PARTS:
        raise ValueError(f"part must be one of {sorted(PARTS)}, got {part!r}")
    panels = PARTS[part]
    fig = Figure(figsize=(MAX_WIDTH, MAX_HEIGHT - 0.2), layout="constrained")
    axes = fig.subplots(3, 3).ravel()
    for ax, panel in zip(axes, panels, strict=True):
        values = panel_curve(panel)
        ax.plot(*staircase(values), drawstyle="steps-post", color=BLUE, linewidth=1.8)
        ax.set_ylim(0, 1.12 * float(values.max()))
        ax.set_xlim(0, STEPS)
        ax.set_xticks([0, STEPS // 2, STEPS])
        ax.set_yticks([0, float(values.max())])
        ax.tick_params(labelbottom=False, labelleft=False, length=2)
        ax.set_title(tr(panel.title), fontsize=BASE_FONT, pad=3)
        ax.set_xlabel(tr(panel.note), fontsize=SMALL_FONT, labelpad=2)
    heading = tr("Decay and cycle") if part == "decays" else tr("Pieces and recipes")
    fig.suptitle(
        tr("{heading}: 100 steps (x), the lr from 0 to its peak (y, linear)", heading=heading), fontsize=BASE_FONT
    )
    return localized(fig)


__all__ = ["PARTS", "STEPS", "Panel", "in_small", "panel_curve"]
