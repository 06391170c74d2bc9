"""Exercise 3 of notebook 11: a backbone and a head in two param groups, the head at 10x the lr."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ...curves.closed_form import lr_curve
from ...text.i18n import tr
from ...training.loops import CaughtWarnings, describe_error, run_steps, two_part_model
from .. import Verdict, limits
from ..answers import function, kind, shown
from ..limits import run_learner

HEAD_STEPS = 50
BACKBONE_MAX_LR = 0.01
HEAD_MAX_LR = 0.1


def _groups_of(model: torch.nn.Module, optimizer: torch.optim.Optimizer) -> tuple[set[int], set[int], list[str]]:
    """The param groups that hold the backbone's and the head's parameters, and any problems."""
    where: dict[int, list[int]] = {}
    for g, group in enumerate(optimizer.param_groups):
        for p in group["params"]:
            where.setdefault(id(p), []).append(g)
    problems = []
    found: dict[str, set[int]] = {}
    for part in ("backbone", "head"):
        params = list(getattr(model, part).parameters())
        missing = [p for p in params if id(p) not in where]
        if missing:
            problems.append(
                tr(
                    "model.{part}'s parameters are in no param group: the optimizer would never train them",
                    part=part,
                )
            )
        found[part] = {g for p in params for g in where.get(id(p), [])}
    return found["backbone"], found["head"], problems


def _out_of_time(what: str) -> Verdict:
    return Verdict(
        False,
        tr(
            "{what} was still running after {seconds:g} seconds and was stopped: does every loop in it end?",
            what=what,
            seconds=limits.TIME_LIMIT,
        ),
    )


def check_head_10x(build: Callable[[torch.nn.Module], Any] | None) -> Verdict:
    """Exercise 3: ``build(model) -> (optimizer, scheduler)`` gives the head 10x the backbone's lr.

    Under ``OneCycleLR`` with ``total_steps=50``, the backbone must peak at 0.01 and the head at
    0.1, at every step in the ratio 10. The check steps it 50 times on ``two_part_model()``.

    >>> check_head_10x(None).correct
    False
    """
    if build is None:
        return Verdict(False, tr("write a function build(model) that returns (optimizer, scheduler) and pass it in."))
    function(build, "build(model)")
    model = two_part_model()
    made = run_learner(build, model)
    if made.out_of_time:
        return _out_of_time("build(model)")
    if made.error is not None:
        return Verdict(False, tr("build(model) raised {error}", error=describe_error(made.error)))
    built = made.value
    if not (isinstance(built, (tuple, list)) and len(built) == 2 and isinstance(built[0], torch.optim.Optimizer)):
        return Verdict(
            False,
            tr(
                "build(model) must return (optimizer, scheduler), got {kind} {value}",
                kind=kind(built),
                value=shown(built),
            ),
        )
    optimizer, scheduler = built
    backbone, head, problems = _groups_of(model, optimizer)
    if problems:
        return Verdict(False, "; ".join(problems) + ".")
    if backbone & head:
        return Verdict(
            False,
            tr(
                "the backbone and the head share a param group, so they share one lr: give each its own group, "
                "{groups}.",
                groups="[{'params': model.backbone.parameters()}, {'params': model.head.parameters()}]",
            ),
        )
    if len(backbone) != 1 or len(head) != 1:
        return Verdict(False, tr("put the whole backbone in one param group and the whole head in another."))
    g_backbone, g_head = backbone.pop(), head.pop()
    if scheduler is None:
        return Verdict(
            False,
            tr(
                "build(model) returned no scheduler (None): the exercise steps OneCycleLR(optimizer, "
                "max_lr=[{backbone}, {head}], total_steps={steps}), one max_lr per param group.",
                backbone=BACKBONE_MAX_LR,
                head=HEAD_MAX_LR,
                steps=HEAD_STEPS,
            ),
        )
    with CaughtWarnings():
        ran = run_learner(run_steps, model, optimizer, scheduler, HEAD_STEPS)
    if ran.out_of_time:
        return _out_of_time(tr("your scheduler's step()"))
    if ran.error is not None:
        return Verdict(
            False,
            tr("stepping it {steps} times raised {error}", steps=HEAD_STEPS, error=describe_error(ran.error)),
        )
    lrs = ran.value
    if lrs.shape[1] != len(optimizer.param_groups) or np.isnan(lrs).any():
        return Verdict(False, tr("the optimizer's param groups changed while it was stepped; keep the two groups."))
    ours_b, ours_h = lrs[:, g_backbone], lrs[:, g_head]
    want_b = lr_curve("OneCycleLR", HEAD_STEPS, max_lr=BACKBONE_MAX_LR, total_steps=HEAD_STEPS)
    want_h = lr_curve("OneCycleLR", HEAD_STEPS, max_lr=HEAD_MAX_LR, total_steps=HEAD_STEPS)

    def agree(a: np.ndarray, b: np.ndarray) -> bool:
        return bool(np.all(np.abs(a - b) <= 1e-12 * HEAD_MAX_LR + 1e-9 * np.abs(b)))

    if agree(ours_b, want_b) and agree(ours_h, want_h):
        return Verdict(
            True,
            tr(
                "the head's lr is 10x the backbone's at all {steps} steps (peaks {head} and {backbone}): OneCycleLR "
                "took max_lr as a list, one per param group.",
                steps=HEAD_STEPS,
                head=HEAD_MAX_LR,
                backbone=BACKBONE_MAX_LR,
            ),
        )
    ratio = ours_h / ours_b
    if np.allclose(ratio, 1.0):  # only a OneCycleLR is blamed for overwriting the groups' lrs
        same = (
            tr(
                "both groups follow the same lr (peak {peak}): OneCycleLR overwrites every group's lr with "
                "max_lr / div_factor, whatever lr the group had. Pass max_lr=[{backbone}, {head}], one value per "
                "group, in the order of the groups."
            )
            if isinstance(scheduler, torch.optim.lr_scheduler.OneCycleLR)
            else tr(
                "both groups follow the same lr (peak {peak}): the head needs 10x the backbone's. Use "
                "OneCycleLR(optimizer, max_lr=[{backbone}, {head}], total_steps={steps}), one value per group."
            )
        )
        peak = f"{ours_h.max():.3g}"
        return Verdict(False, same.format(peak=peak, backbone=BACKBONE_MAX_LR, head=HEAD_MAX_LR, steps=HEAD_STEPS))
    if np.allclose(ratio, 0.1):
        return Verdict(
            False,
            tr(
                "the head gets a tenth of the backbone's lr: the list max_lr follows the order of "
                "optimizer.param_groups; swap its two values (or the groups)."
            ),
        )
    if np.allclose(ratio, 10.0):
        if np.isclose(ours_b.max(), BACKBONE_MAX_LR) and np.isclose(ours_h.max(), HEAD_MAX_LR):
            return Verdict(
                False,
                tr(
                    "the ratio and the peaks are right, but the cycle peaks at step {peak} instead of {want}: make "
                    "it total_steps={steps} long.",
                    peak=int(np.argmax(ours_h)),
                    want=int(np.argmax(want_h)),
                    steps=HEAD_STEPS,
                ),
            )
        return Verdict(
            False,
            tr(
                "the ratio is 10, but the peaks are {backbone_peak} and {head_peak}; they should be {backbone} and "
                "{head}.",
                backbone_peak=f"{ours_b.max():.3g}",
                head_peak=f"{ours_h.max():.3g}",
                backbone=BACKBONE_MAX_LR,
                head=HEAD_MAX_LR,
            ),
        )
    return Verdict(
        False,
        tr(
            "the backbone's lr peaks at {backbone_peak} and the head's at {head_peak}; use OneCycleLR(optimizer, "
            "max_lr=[{backbone}, {head}], total_steps={steps}).",
            backbone_peak=f"{ours_b.max():.3g}",
            head_peak=f"{ours_h.max():.3g}",
            backbone=BACKBONE_MAX_LR,
            head=HEAD_MAX_LR,
            steps=HEAD_STEPS,
        ),
    )


__all__ = [
    "BACKBONE_MAX_LR",
    "HEAD_MAX_LR",
    "HEAD_STEPS",
    "check_head_10x",
]
