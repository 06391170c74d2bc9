"""Bad input gets a ValueError or TypeError that names the parameter and what it accepts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from conftest import assert_clear_error
from lrutils import get_spec, lr_curve, momentum_curve, scheduler_names, torch_lr_curve
from lrutils.curves.spec import MAX_STEPS

CASES = [
    # (name, n_steps, kwargs, error type, words the message must contain)
    ("Steplr", 10, {}, ValueError, ["unknown scheduler 'Steplr'; did you mean 'StepLR'?"]),
    (3, 10, {}, TypeError, ["name must be a scheduler name"]),
    ("StepLR", 10, {"step_size": 0}, ValueError, ["step_size", ">= 1"]),
    ("StepLR", 10, {"step_size": -3}, ValueError, ["step_size", ">= 1"]),
    ("StepLR", 10, {"step_size": 2.5}, TypeError, ["step_size", "an int"]),
    ("StepLR", 10, {"step_size": "10"}, TypeError, ["step_size", "str"]),
    ("StepLR", 10, {"step_size": True}, TypeError, ["step_size"]),
    ("StepLR", 10, {}, TypeError, ["StepLR needs step_size"]),
    ("StepLR", 10, {"step_size": 2, "gamma": 0.0}, ValueError, ["gamma", "> 0"]),
    ("StepLR", 10, {"step_size": 2, "gamma": -0.5}, ValueError, ["gamma", "> 0"]),
    ("StepLR", 10, {"step_size": 2, "gamma": math.nan}, ValueError, ["gamma", "finite"]),
    ("StepLR", 10, {"step_size": 2, "stepsize": 3}, TypeError, ["unexpected keyword", "stepsize", "step_size"]),
    ("ExponentialLR", 10, {"gamma": 0}, ValueError, ["gamma", "> 0"]),
    ("ExponentialLR", 10, {}, TypeError, ["needs gamma"]),
    ("CosineAnnealingLR", 10, {"T_max": 0}, ValueError, ["T_max", ">= 1"]),
    ("CosineAnnealingLR", 10, {"T_max": 10, "eta_min": -1.0}, ValueError, ["eta_min", ">= 0"]),
    ("ReduceLROnPlateau", 10, {}, TypeError, ["needs metrics"]),
    ("ReduceLROnPlateau", 10, {"metrics": [1.0] * 5}, ValueError, ["metrics has 5 values", "at least 9"]),
    ("ReduceLROnPlateau", 10, {"metrics": "abc"}, TypeError, ["metrics", "sequence of numbers"]),
    ("ReduceLROnPlateau", 3, {"metrics": [1.0, "x"]}, TypeError, ["metrics", "only numbers"]),
    ("ReduceLROnPlateau", 3, {"metrics": [1, 1], "factor": 1.0}, ValueError, ["factor", "< 1"]),
    ("ReduceLROnPlateau", 3, {"metrics": [1, 1], "factor": 1.5}, ValueError, ["factor", "< 1"]),
    ("ReduceLROnPlateau", 3, {"metrics": [1, 1], "mode": "maximum"}, ValueError, ["mode='maximum'", "'min', 'max'"]),
    ("ReduceLROnPlateau", 3, {"metrics": [1, 1], "threshold_mode": "x"}, ValueError, ["threshold_mode", "'rel'"]),
    ("ReduceLROnPlateau", 3, {"metrics": [1, 1], "patience": -1}, ValueError, ["patience", ">= 0"]),
    ("ReduceLROnPlateau", 3, {"metrics": [1, 1], "cooldown": -2}, ValueError, ["cooldown", ">= 0"]),
    ("ReduceLROnPlateau", 3, {"metrics": [1, 1], "min_lr": -1e-3}, ValueError, ["min_lr", ">= 0"]),
    ("OneCycleLR", 10, {"total_steps": 10}, TypeError, ["needs max_lr"]),
    ("OneCycleLR", 10, {"max_lr": 0.1}, TypeError, ["total_steps, or both epochs and steps_per_epoch"]),
    ("OneCycleLR", 10, {"max_lr": 0.1, "epochs": 3}, TypeError, ["total_steps, or both epochs and steps_per_epoch"]),
    ("OneCycleLR", 10, {"max_lr": 0.1, "total_steps": 0}, ValueError, ["total_steps", ">= 1"]),
    ("OneCycleLR", 10, {"max_lr": 0.1, "total_steps": 5}, ValueError, ["n_steps=10", "total_steps + 1 = 6"]),
    ("OneCycleLR", 10, {"max_lr": 0.1, "total_steps": 10, "pct_start": 0.0}, ValueError, ["pct_start", "> 0"]),
    ("OneCycleLR", 10, {"max_lr": 0.1, "total_steps": 10, "pct_start": 1.0}, ValueError, ["pct_start", "< 1"]),
    ("OneCycleLR", 10, {"max_lr": 0.1, "total_steps": 10, "pct_start": 1.2}, ValueError, ["pct_start", "< 1"]),
    (
        "OneCycleLR",
        10,
        {"max_lr": 0.1, "total_steps": 10, "anneal_strategy": "cosine"},
        ValueError,
        ["anneal_strategy='cosine'", "'cos', 'linear'"],
    ),
    ("OneCycleLR", 10, {"max_lr": -0.1, "total_steps": 10}, ValueError, ["max_lr", "> 0"]),
    ("OneCycleLR", 10, {"max_lr": 0.1, "total_steps": 10, "three_phase": "yes"}, TypeError, ["three_phase"]),
    ("OneCycleLR", 10, {"max_lr": 0.1, "total_steps": 10, "div_factor": 0}, ValueError, ["div_factor", "> 0"]),
    ("StepLR", 0, {"step_size": 1}, ValueError, ["n_steps", ">= 1"]),
    ("StepLR", -5, {"step_size": 1}, ValueError, ["n_steps", ">= 1"]),
    ("StepLR", 3.0, {"step_size": 1}, TypeError, ["n_steps", "an int"]),
]


@pytest.mark.parametrize("name,n_steps,kwargs,error,words", CASES)
def test_clear_errors(name, n_steps, kwargs, error, words) -> None:
    assert_clear_error(name, n_steps, kwargs, error, words)


@pytest.mark.parametrize("base_lr", [-0.1, math.inf, math.nan, "0.1", None])
def test_base_lr_must_be_finite_and_non_negative(base_lr) -> None:
    with pytest.raises((ValueError, TypeError), match="base_lr"):
        lr_curve("StepLR", 5, base_lr=base_lr, step_size=2)


def test_numpy_scalars_are_accepted() -> None:
    a = lr_curve("StepLR", np.int64(5), base_lr=np.float32(0.5), step_size=np.int32(2), gamma=np.float64(0.5))
    assert a.tolist() == [0.5, 0.5, 0.25, 0.25, 0.125]


def test_momentum_curve_validates_too() -> None:
    with pytest.raises(ValueError, match="pct_start"):
        momentum_curve("OneCycleLR", 10, max_lr=0.1, total_steps=10, pct_start=2.0)


def test_memory_follows_n_steps_not_step_size() -> None:
    # StepLR once built step_size copies of every plateau: 74 GB for step_size=10**10
    assert lr_curve("StepLR", 100, step_size=10**10).tolist() == [0.1] * 100
    assert lr_curve("StepLR", 3, step_size=10**30, gamma=0.5).tolist() == [0.1] * 3


@pytest.mark.parametrize("fn", [lr_curve, torch_lr_curve])
def test_huge_n_steps_fail_fast_with_the_cap_in_the_message(fn) -> None:
    with pytest.raises(ValueError) as info:
        fn("StepLR", 10**12, step_size=10)
    assert "n_steps" in str(info.value) and "10,000,000" in str(info.value) and "1,000,000,000,000" in str(info.value)
    assert len(lr_curve("StepLR", MAX_STEPS, step_size=10**6)) == MAX_STEPS  # the cap itself is allowed


@pytest.mark.parametrize(
    "name,kwargs,error,words",
    [
        ("steplr", {}, ValueError, ["did you mean 'StepLR'"]),
        ("OneCycle", {}, ValueError, ["did you mean 'OneCycleLR'"]),
        ("warmup_cosin", {}, ValueError, ["did you mean 'warmup_cosine'"]),
        ("StepLR", {"stepsize": 3}, TypeError, ["stepsize", "did you mean 'step_size'", "accepts gamma, step_size"]),
        ("CosineAnnealingLR", {"t_max": 3}, TypeError, ["did you mean 'T_max'"]),
        ("ReduceLROnPlateau", {"metrics": [1, 1], "mode": "mim"}, ValueError, ["mode='mim'", "did you mean 'min'"]),
        (
            "SequentialLR",
            {"schedulers": [("LinearLr", {}), ("StepLR", {"step_size": 2})], "milestones": [3]},
            ValueError,
            ["schedulers[0] is 'LinearLr'", "did you mean 'LinearLR'"],
        ),
    ],
)
def test_misspellings_get_a_suggestion(name, kwargs, error, words) -> None:
    assert_clear_error(name, 10, {"step_size": 2, **kwargs} if name == "StepLR" else kwargs, error, words)


@pytest.mark.parametrize(
    "name,kwargs,words",
    [
        ("ExponentialLR", {"gamma": 1e300}, ["learning rate becomes inf at step 2", "gamma=1e+300"]),
        ("StepLR", {"step_size": 1, "gamma": 1e200}, ["inf", "gamma=1e+200", "finite"]),
        ("CosineAnnealingLR", {"T_max": 10, "eta_min": 1e308}, ["becomes -inf", "eta_min=1e+308"]),
        ("OneCycleLR", {"max_lr": 0.1, "total_steps": 10, "div_factor": 5e-324}, ["inf", "div_factor=5e-324"]),
    ],
)
def test_overflow_is_a_clear_error_not_inf_or_a_numpy_warning(name, kwargs, words) -> None:
    with pytest.raises(ValueError) as info:  # filterwarnings=error: a numpy RuntimeWarning would fail here too
        lr_curve(name, 10, **kwargs)
    for word in words:
        assert word in str(info.value), f"{word!r} missing from {info.value}"


def _extreme_cases() -> list[tuple[str, str, object]]:
    cases = []
    for name in [*scheduler_names(), "warmup_cosine", "warmup_stable_decay"]:
        for p in get_spec(name).params:
            values = {"int": [10**30, 2**63, 2**63 - 1, 10**10, -(10**30)], "float": [1e308, -1e308, 5e-324, 1e-300]}
            cases += [(name, p.name, v) for v in values.get(p.kind, [])]
    return cases


@pytest.mark.parametrize("name,param,value", _extreme_cases())
def test_extreme_values_give_a_curve_or_an_error_naming_the_parameter(name, param, value) -> None:
    spec = get_spec(name)
    kwargs = {
        p.name: p.start for p in spec.params if p.start is not None and p.name not in ("epochs", "steps_per_epoch")
    }
    if name == "ReduceLROnPlateau":
        kwargs["metrics"] = [1.0] * 99
    kwargs[param] = value
    try:
        curve = lr_curve(name, 100, **kwargs)
    except (ValueError, TypeError) as err:  # anything else (OverflowError, MemoryError, ...) fails the test
        assert param in str(err), f"the error does not name {param}: {err}"
    else:
        assert curve.shape == (100,) and np.isfinite(curve).all()
