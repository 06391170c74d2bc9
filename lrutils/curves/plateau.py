"""Reduce on plateau: cut the learning rate when a watched metric stops improving.

There is no closed form: the curve depends on the metric, so it is simulated step by step with
exactly torch's rules (threshold, threshold_mode, patience, cooldown, min_lr, eps).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..text.i18n import template
from .spec import ParamSpec, ScheduleSpec, float_sequence


def _is_better(current: float, best: float, mode: str, threshold_mode: str, threshold: float) -> bool:
    # Same arithmetic as torch's ReduceLROnPlateau._is_better, so ties round identically.
    if mode == "min" and threshold_mode == "rel":
        return current < best * (1.0 - threshold)
    if mode == "min":
        return current < best - threshold
    if threshold_mode == "rel":
        return current > best * (threshold + 1.0)
    return current > best + threshold


@dataclass(frozen=True)
class PlateauTrace:
    """What ReduceLROnPlateau saw and did at each step (``n_steps - 1`` metric steps).

    ``best[i]`` is the best metric after seeing ``metrics[i]``; ``improved[i]`` says whether
    ``metrics[i]`` counted as better (beyond ``threshold``); ``cut[i]`` / ``skipped[i]`` say whether
    the lr was cut after it, or a cut was due but skipped because it was not larger than ``eps``.
    """

    lrs: np.ndarray
    best: np.ndarray
    improved: np.ndarray
    cut: np.ndarray
    skipped: np.ndarray


def plateau_trace(
    n_steps: int,
    base_lr: float,
    *,
    metrics: Sequence[float],
    mode: str,
    factor: float,
    patience: int,
    threshold: float,
    threshold_mode: str,
    cooldown: int,
    min_lr: float,
    eps: float,
) -> PlateauTrace:
    """ReduceLROnPlateau step by step with torch's rules, keeping its bookkeeping for plots.

    >>> t = plateau_trace(5, 1.0, metrics=[3, 2, 2, 2], mode="min", factor=0.5, patience=1,
    ...                   threshold=0.0, threshold_mode="rel", cooldown=0, min_lr=0.0, eps=1e-8)
    >>> t.lrs.tolist(), t.best.tolist(), t.improved.tolist(), t.cut.tolist()
    ([1.0, 1.0, 1.0, 1.0, 0.5], [3.0, 2.0, 2.0, 2.0], [True, True, False, False], [False, False, False, True])
    """
    # Plain floats in lists: the loop runs once per step, keep it cheap.
    lrs, best_after, improved, cut, skipped = [base_lr], [], [], [], []
    lr = base_lr
    best = math.inf if mode == "min" else -math.inf
    bad_epochs = 0
    cooldown_counter = 0
    for i in range(1, n_steps):
        current = metrics[i - 1]
        better = _is_better(current, best, mode, threshold_mode, threshold)
        if better:
            best = current
            bad_epochs = 0
        else:
            bad_epochs += 1
        if cooldown_counter > 0:
            cooldown_counter -= 1
            bad_epochs = 0  # bad epochs during cooldown are ignored
        due = bad_epochs > patience
        done = False
        if due:
            new_lr = max(lr * factor, min_lr)
            done = lr - new_lr > eps
            if done:
                lr = new_lr
            cooldown_counter = cooldown
            bad_epochs = 0
        lrs.append(lr)
        best_after.append(best)
        improved.append(better)
        cut.append(done)
        skipped.append(due and not done)
    return PlateauTrace(
        np.array(lrs),
        np.array(best_after, dtype=float),
        np.array(improved, dtype=bool),
        np.array(cut, dtype=bool),
        np.array(skipped, dtype=bool),
    )


def plateau_curve(n_steps: int, base_lr: float, **params: Any) -> np.ndarray:
    """ReduceLROnPlateau: the lr at step i is decided by ``metrics[:i]``.

    ``metrics[i]`` is the value measured after step i finished (and passed to
    ``scheduler.step``), so ``n_steps`` learning rates need ``n_steps - 1`` metrics.

    >>> plateau_curve(5, 1.0, metrics=[3, 2, 2, 2], mode="min", factor=0.5, patience=1,
    ...               threshold=0.0, threshold_mode="rel", cooldown=0, min_lr=0.0, eps=1e-8).tolist()
    [1.0, 1.0, 1.0, 1.0, 0.5]
    """
    return plateau_trace(n_steps, base_lr, **params).lrs


def must_beat(best: np.ndarray, mode: str, threshold_mode: str, threshold: float) -> np.ndarray:
    """The value the next metric has to beat to count as better than ``best`` (torch's ``_is_better``).

    >>> must_beat(np.array([2.0]), "min", "rel", 0.1).tolist(), must_beat(np.array([2.0]), "max", "abs", 0.5).tolist()
    ([1.8], [2.5])
    """
    if mode == "min":
        return best * (1.0 - threshold) if threshold_mode == "rel" else best - threshold
    return best * (threshold + 1.0) if threshold_mode == "rel" else best + threshold


def _check_metrics(n_steps: int, params: dict[str, Any]) -> None:
    if "metrics" not in params:
        raise TypeError(
            "ReduceLROnPlateau needs metrics=: the value measured after each step "
            f"(at least n_steps - 1 = {n_steps - 1} numbers), since it reacts to them"
        )
    metrics = float_sequence("metrics", params["metrics"], "ReduceLROnPlateau")
    if len(metrics) < n_steps - 1:
        raise ValueError(
            f"ReduceLROnPlateau: metrics has {len(metrics)} values but n_steps={n_steps} needs at "
            f"least {n_steps - 1} (the lr at step i depends on metrics[:i])"
        )
    params["metrics"] = metrics


REDUCE_LR_ON_PLATEAU = ScheduleSpec(
    name="ReduceLROnPlateau",
    params=(
        ParamSpec(
            "mode",
            "choice",
            "min",
            choices=("min", "max"),
            help=template("min: the metric should fall (a loss); max: it should rise (an accuracy)"),
        ),
        ParamSpec(
            "factor",
            "float",
            0.1,
            low=0.0,
            high=1.0,
            low_open=True,
            high_open=True,
            slider=(0.05, 0.9),
            help=template("new lr = lr * factor"),
        ),
        ParamSpec(
            "patience",
            "int",
            10,
            low=0,
            slider=(0, 30),
            help=template("epochs without improvement tolerated before a cut"),
        ),
        ParamSpec(
            "threshold",
            "float",
            1e-4,
            low=0.0,
            slider=(1e-5, 0.1),
            log=True,
            help=template("how much better counts as an improvement"),
        ),
        ParamSpec(
            "threshold_mode",
            "choice",
            "rel",
            choices=("rel", "abs"),
            help=template("rel: relative to the best so far; abs: absolute"),
        ),
        ParamSpec("cooldown", "int", 0, low=0, slider=(0, 20), help=template("epochs to wait after a cut")),
        ParamSpec("min_lr", "float", 0.0, low=0.0, slider=(0.0, 0.01), help=template("the lr never goes below this")),
        ParamSpec(
            "eps",
            "float",
            1e-8,
            low=0.0,
            presets=(0.0, 1e-8, 1e-6, 1e-4, 1e-3, 1e-2),
            help=template(
                "a cut that would lower the lr by eps or less is skipped; it matters only once the lr is tiny"
            ),
        ),
    ),
    curve=plateau_curve,
    unit="metric",
    summary="cut the lr by factor after patience epochs without improvement",
    check_data=_check_metrics,
    extra_keywords=("metrics",),
)
