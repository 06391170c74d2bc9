"""lr_curve (numpy, closed forms) must equal what the real torch scheduler sets, step for step."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from conftest import assert_agrees, raw_torch_lrs
from conftest import check_against_torch as check
from lrutils import lr_curve, momentum_curve, torch_momentum_curve

base_lrs = st.floats(1e-6, 10.0)
positive_floats = st.floats(1e-3, 1.5)


@given(n=st.integers(1, 300), base_lr=base_lrs, step_size=st.integers(1, 60), gamma=st.floats(1e-3, 2.0))
def test_step_lr(n: int, base_lr: float, step_size: int, gamma: float) -> None:
    check("StepLR", n, base_lr, step_size=step_size, gamma=gamma)


@given(n=st.integers(1, 300), base_lr=base_lrs, gamma=st.floats(1e-3, 1.5))
def test_exponential_lr(n: int, base_lr: float, gamma: float) -> None:
    check("ExponentialLR", n, base_lr, gamma=gamma)


@given(n=st.integers(1, 400), base_lr=base_lrs, T_max=st.integers(1, 120), eta_min=st.floats(0.0, 1.0))
def test_cosine_annealing_including_past_t_max(n: int, base_lr: float, T_max: int, eta_min: float) -> None:
    check("CosineAnnealingLR", n, base_lr, T_max=T_max, eta_min=eta_min)


def test_cosine_rises_again_past_t_max() -> None:
    lrs = lr_curve("CosineAnnealingLR", 41, base_lr=0.1, T_max=10)
    assert lrs[10] == pytest.approx(0.0, abs=1e-15) and lrs[20] == pytest.approx(0.1)
    assert lrs[15] > lrs[10]  # the rise the blog talks about: only past T_max
    check("CosineAnnealingLR", 41, 0.1, T_max=10)


@given(
    n=st.integers(1, 200),
    base_lr=base_lrs,
    values=st.lists(
        st.sampled_from([1.0, 0.9, 0.8, 0.8, 0.5, 0.5, 0.49995, 2.0, -1.0, 0.0]), min_size=200, max_size=200
    ),
    mode=st.sampled_from(["min", "max"]),
    factor=st.floats(0.01, 0.99),
    patience=st.integers(0, 6),
    threshold=st.sampled_from([0.0, 1e-4, 0.01, 0.3]),
    threshold_mode=st.sampled_from(["rel", "abs"]),
    cooldown=st.integers(0, 5),
    min_lr=st.sampled_from([0.0, 1e-4, 0.05]),
    eps=st.sampled_from([0.0, 1e-8, 1e-3]),
)
def test_reduce_on_plateau_every_option(
    n, base_lr, values, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps
) -> None:
    check(
        "ReduceLROnPlateau",
        n,
        base_lr,
        metrics=values[: n - 1],
        mode=mode,
        factor=factor,
        patience=patience,
        threshold=threshold,
        threshold_mode=threshold_mode,
        cooldown=cooldown,
        min_lr=min_lr,
        eps=eps,
    )


def test_plateau_cuts_on_patience_plus_one_and_respects_cooldown() -> None:
    flat = [1.0] + [1.0] * 30
    lrs = lr_curve("ReduceLROnPlateau", 30, base_lr=1.0, metrics=flat, patience=2, factor=0.5, cooldown=3)
    # metric 0 sets the best; metrics 1, 2, 3 are bad; the third bad one (patience + 1) cuts -> lr[4].
    assert lrs[:4].tolist() == [1.0] * 4 and lrs[4] == 0.5
    # cooldown 3 ignores bad epochs 4..6, then 3 more bad epochs (7..9) cut again at lr[10].
    assert lrs[5:10].tolist() == [0.5] * 5 and lrs[10] == 0.25
    check("ReduceLROnPlateau", 30, 1.0, metrics=flat, patience=2, factor=0.5, cooldown=3)


onecycle_kwargs = st.fixed_dictionaries(
    {
        "max_lr": st.floats(1e-4, 5.0),
        "total_steps": st.integers(2, 400),
        "pct_start": st.floats(0.01, 0.99),
        "anneal_strategy": st.sampled_from(["cos", "linear"]),
        "div_factor": st.floats(1.0, 1e3),
        "final_div_factor": st.floats(1.0, 1e5),
        "three_phase": st.booleans(),
        "base_momentum": st.floats(0.5, 0.9),
        "max_momentum": st.floats(0.9, 0.99),
    }
)


def _onecycle_refused(total: int, kwargs: dict) -> bool:
    try:
        lr_curve("OneCycleLR", total + 1, **kwargs)
    except ValueError:
        return True
    return False


@given(kwargs=onecycle_kwargs, data=st.data())
def test_onecycle_lr_and_momentum_up_to_the_last_step(kwargs: dict, data: st.DataObject) -> None:
    total = kwargs["total_steps"]
    assume(not _onecycle_refused(total, kwargs))
    # n_steps = total + 1 includes the value after the very last allowed scheduler.step().
    n = data.draw(st.sampled_from([1, total, total + 1, data.draw(st.integers(1, total + 1))]))
    check("OneCycleLR", n, 0.1, **kwargs)
    assert_agrees(momentum_curve("OneCycleLR", n, **kwargs), torch_momentum_curve("OneCycleLR", n, **kwargs), 1.0)


@given(kwargs=onecycle_kwargs)
def test_onecycle_refuses_exactly_where_torch_divides_by_zero(kwargs: dict) -> None:
    total = kwargs["total_steps"]
    if _onecycle_refused(total, kwargs):
        with pytest.raises(ZeroDivisionError):
            raw_torch_lrs("OneCycleLR", total + 1, **kwargs)


@pytest.mark.parametrize("total,pct", [(10, 0.1), (100, 0.01), (3, 2 / 3)])
def test_onecycle_zero_length_phase_is_a_clear_error(total: int, pct: float) -> None:
    three = total == 3
    with pytest.raises(ValueError, match="pct_start"):
        lr_curve("OneCycleLR", total + 1, max_lr=0.1, total_steps=total, pct_start=pct, three_phase=three)
    with pytest.raises(ZeroDivisionError):
        raw_torch_lrs("OneCycleLR", total + 1, max_lr=0.1, total_steps=total, pct_start=pct, three_phase=three)


def test_onecycle_past_total_steps_fails_like_torch() -> None:
    with pytest.raises(ValueError, match="Tried to step 101 times"):
        lr_curve("OneCycleLR", 102, max_lr=0.1, total_steps=100)
    raw_torch_lrs("OneCycleLR", 101, max_lr=0.1, total_steps=100)  # the last allowed step is fine
    with pytest.raises(ValueError, match="Tried to step 101 times"):
        raw_torch_lrs("OneCycleLR", 102, max_lr=0.1, total_steps=100)


def test_onecycle_epochs_times_steps_per_epoch_equals_total_steps() -> None:
    a = lr_curve("OneCycleLR", 1000, max_lr=0.1, epochs=10, steps_per_epoch=100)
    b = lr_curve("OneCycleLR", 1000, max_lr=0.1, total_steps=1000)
    assert np.array_equal(a, b)
    check("OneCycleLR", 1001, 0.1, max_lr=0.1, epochs=10, steps_per_epoch=100)
    # torch's defaults: start at max_lr / 25, end at max_lr / 25 / 1e4, peak at 30 %.
    assert a[0] == pytest.approx(0.1 / 25) and a[-1] == pytest.approx(0.1 / 25 / 1e4, rel=1e-2)
    assert int(np.argmax(a)) == 299


def test_onecycle_ignores_the_optimizer_lr_like_torch() -> None:
    a = lr_curve("OneCycleLR", 50, base_lr=0.5, max_lr=0.1, total_steps=50)
    b = lr_curve("OneCycleLR", 50, base_lr=0.001, max_lr=0.1, total_steps=50)
    assert np.array_equal(a, b)
    check("OneCycleLR", 50, 0.5, max_lr=0.1, total_steps=50)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("StepLR", {"step_size": 7, "gamma": 0.9}),
        ("ExponentialLR", {"gamma": 0.9999}),
        ("CosineAnnealingLR", {"T_max": 997, "eta_min": 1e-4}),
        ("OneCycleLR", {"max_lr": 0.3, "total_steps": 9_999}),
    ],
)
def test_long_runs_stay_within_tolerance(name: str, kwargs: dict) -> None:
    check(name, 10_000, 0.1, **kwargs)


def test_momentum_not_cycled_is_an_error() -> None:
    with pytest.raises(ValueError, match="cycle_momentum=False"):
        momentum_curve("OneCycleLR", 10, max_lr=0.1, total_steps=10, cycle_momentum=False)
    with pytest.raises(ValueError, match="does not change momentum"):
        momentum_curve("StepLR", 10, step_size=2)


def test_tolerance_helper_can_fail() -> None:
    with pytest.raises(AssertionError):
        assert_agrees(np.array([0.1, 0.1]), np.array([0.1, 0.1 * (1 + 1e-8)]), 0.1)
    assert math.isfinite(0.1)
