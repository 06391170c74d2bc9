"""Exercise 3 of notebook 12: a backbone and a head in two param groups, the head at 10x the lr."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ...curves.closed_form import lr_curve
from ...training.loops import CaughtWarnings, run_steps, two_part_model
from .. import Verdict

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
            problems.append(f"model.{part}'s parameters are in no param group: the optimizer would never train them")
        found[part] = {g for p in params for g in where.get(id(p), [])}
    return found["backbone"], found["head"], problems


def check_head_10x(build: Callable[[torch.nn.Module], Any] | None) -> Verdict:
    """Exercise 3: ``build(model) -> (optimizer, scheduler)`` gives the head 10x the backbone's lr.

    Under ``OneCycleLR`` with ``total_steps=50``, the backbone must peak at 0.01 and the head at
    0.1, at every step in the ratio 10. The check steps it 50 times on ``two_part_model()``.

    >>> check_head_10x(None).correct
    False
    """
    if build is None:
        return Verdict(False, "write a function build(model) that returns (optimizer, scheduler) and pass it in.")
    if not callable(build):
        raise TypeError(f"build must be a function build(model), got {type(build).__name__}")
    model = two_part_model()
    try:
        built = build(model)
    except Exception as err:  # the learner's code: report it, do not crash the notebook
        return Verdict(False, f"build(model) raised {type(err).__name__}: {err}")
    if not (isinstance(built, (tuple, list)) and len(built) == 2 and isinstance(built[0], torch.optim.Optimizer)):
        return Verdict(False, f"build(model) must return (optimizer, scheduler), got {type(built).__name__}")
    optimizer, scheduler = built
    backbone, head, problems = _groups_of(model, optimizer)
    if problems:
        return Verdict(False, "; ".join(problems) + ".")
    if backbone & head:
        return Verdict(
            False,
            "the backbone and the head share a param group, so they share one lr: give each its own group, "
            "[{'params': model.backbone.parameters()}, {'params': model.head.parameters()}].",
        )
    if len(backbone) != 1 or len(head) != 1:
        return Verdict(False, "put the whole backbone in one param group and the whole head in another.")
    g_backbone, g_head = backbone.pop(), head.pop()
    try:
        with CaughtWarnings():
            lrs = run_steps(model, optimizer, scheduler, HEAD_STEPS)
    except Exception as err:
        return Verdict(False, f"stepping it {HEAD_STEPS} times raised {type(err).__name__}: {err}")
    ours_b, ours_h = lrs[:, g_backbone], lrs[:, g_head]
    want_b = lr_curve("OneCycleLR", HEAD_STEPS, max_lr=BACKBONE_MAX_LR, total_steps=HEAD_STEPS)
    want_h = lr_curve("OneCycleLR", HEAD_STEPS, max_lr=HEAD_MAX_LR, total_steps=HEAD_STEPS)

    def agree(a: np.ndarray, b: np.ndarray) -> bool:
        return bool(np.all(np.abs(a - b) <= 1e-12 * HEAD_MAX_LR + 1e-9 * np.abs(b)))

    if agree(ours_b, want_b) and agree(ours_h, want_h):
        return Verdict(
            True,
            f"the head's lr is 10x the backbone's at all {HEAD_STEPS} steps (peaks {HEAD_MAX_LR} and "
            f"{BACKBONE_MAX_LR}): OneCycleLR took max_lr as a list, one per param group.",
        )
    ratio = ours_h / ours_b
    if np.allclose(ratio, 1.0):
        return Verdict(
            False,
            f"both groups follow the same lr (peak {ours_h.max():.3g}): OneCycleLR overwrites every group's lr "
            f"with max_lr / div_factor, whatever lr the group had. Pass max_lr=[{BACKBONE_MAX_LR}, {HEAD_MAX_LR}], "
            "one value per group, in the order of the groups.",
        )
    if np.allclose(ratio, 0.1):
        return Verdict(
            False,
            "the head gets a tenth of the backbone's lr: the list max_lr follows the order of "
            "optimizer.param_groups; swap its two values (or the groups).",
        )
    if np.allclose(ratio, 10.0):
        if np.isclose(ours_b.max(), BACKBONE_MAX_LR) and np.isclose(ours_h.max(), HEAD_MAX_LR):
            peak = int(np.argmax(ours_h))
            return Verdict(
                False,
                f"the ratio and the peaks are right, but the cycle peaks at step {peak} instead of "
                f"{int(np.argmax(want_h))}: make it total_steps={HEAD_STEPS} long.",
            )
        return Verdict(
            False,
            f"the ratio is 10, but the peaks are {ours_b.max():.3g} and {ours_h.max():.3g}; they should be "
            f"{BACKBONE_MAX_LR} and {HEAD_MAX_LR}.",
        )
    return Verdict(
        False,
        f"the backbone's lr peaks at {ours_b.max():.3g} and the head's at {ours_h.max():.3g}; use "
        f"OneCycleLR(optimizer, max_lr=[{BACKBONE_MAX_LR}, {HEAD_MAX_LR}], total_steps={HEAD_STEPS}).",
    )


__all__ = [
    "BACKBONE_MAX_LR",
    "HEAD_MAX_LR",
    "HEAD_STEPS",
    "check_head_10x",
]
