"""MultiStepLR, ConstantLR, LinearLR, PolynomialLR: lr_curve (closed forms) equals stepping real torch."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import assert_clear_error, raw_torch_lrs
from conftest import check_against_torch as check
from lrutils import lr_curve

base_lrs = st.floats(1e-6, 10.0)


@given(
    n=st.integers(1, 300),
    base_lr=base_lrs,
    milestones=st.lists(st.integers(0, 320), min_size=1, max_size=8),  # unsorted, duplicates, 0, past the end
    gamma=st.floats(1e-3, 2.0),
)
def test_multistep_lr(n: int, base_lr: float, milestones: list[int], gamma: float) -> None:
    check("MultiStepLR", n, base_lr, milestones=milestones, gamma=gamma)


def test_multistep_duplicates_multiply_twice_like_torch() -> None:
    lrs = lr_curve("MultiStepLR", 6, base_lr=1.0, milestones=[3, 1, 3], gamma=0.5)
    assert lrs.tolist() == [1.0, 0.5, 0.5, 0.125, 0.125, 0.125]
    assert raw_torch_lrs("MultiStepLR", 6, 1.0, milestones=[3, 1, 3], gamma=0.5) == lrs.tolist()


@given(
    n=st.integers(1, 300),
    base_lr=base_lrs,
    factor=st.one_of(st.floats(1e-3, 1.0), st.just(1.0)),
    total_iters=st.integers(0, 320),
)
def test_constant_lr(n: int, base_lr: float, factor: float, total_iters: int) -> None:
    check("ConstantLR", n, base_lr, factor=factor, total_iters=total_iters)


def test_constant_total_iters_zero_keeps_the_factor_for_ever_like_torch() -> None:
    assert lr_curve("ConstantLR", 4, 1.0, factor=0.5, total_iters=0).tolist() == [0.5] * 4
    assert raw_torch_lrs("ConstantLR", 4, 1.0, factor=0.5, total_iters=0) == [0.5] * 4


def test_constant_factor_zero_is_refused_exactly_where_torch_divides_by_zero() -> None:
    assert lr_curve("ConstantLR", 3, 1.0, factor=0.0, total_iters=3).tolist() == [0.0] * 3  # never undone: fine
    raw_torch_lrs("ConstantLR", 3, 1.0, factor=0.0, total_iters=3)
    with pytest.raises(ValueError, match="factor=0 with total_iters=3"):
        lr_curve("ConstantLR", 4, 1.0, factor=0.0, total_iters=3)
    with pytest.raises(ZeroDivisionError):
        raw_torch_lrs("ConstantLR", 4, 1.0, factor=0.0, total_iters=3)


@given(
    n=st.integers(1, 300),
    base_lr=base_lrs,
    start_factor=st.floats(1e-4, 1.0),
    end_factor=st.one_of(st.floats(0.0, 1.0), st.just(0.0), st.just(1.0)),
    total_iters=st.integers(1, 320),
)
def test_linear_lr(n: int, base_lr: float, start_factor: float, end_factor: float, total_iters: int) -> None:
    check("LinearLR", n, base_lr, start_factor=start_factor, end_factor=end_factor, total_iters=total_iters)


@given(
    n=st.integers(1, 300),
    base_lr=base_lrs,
    total_iters=st.integers(1, 320),
    power=st.one_of(st.floats(0.0, 6.0), st.just(0.0), st.just(1.0)),
)
def test_polynomial_lr(n: int, base_lr: float, total_iters: int, power: float) -> None:
    check("PolynomialLR", n, base_lr, total_iters=total_iters, power=power)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("MultiStepLR", {"milestones": list(range(0, 10_000, 7)), "gamma": 0.999}),
        ("ConstantLR", {"factor": 0.3, "total_iters": 5_000}),
        ("LinearLR", {"start_factor": 1e-3, "end_factor": 0.5, "total_iters": 9_973}),
        ("PolynomialLR", {"total_iters": 9_999, "power": 3.0}),
    ],
)
def test_long_runs_stay_within_tolerance(name: str, kwargs: dict) -> None:
    check(name, 10_000, 0.1, **kwargs)


def test_torch_defaults() -> None:
    assert lr_curve("ConstantLR", 7, 0.3).round(12).tolist() == [0.1] * 5 + [0.3] * 2
    assert lr_curve("LinearLR", 7, 0.3).round(12).tolist() == [0.1, 0.14, 0.18, 0.22, 0.26, 0.3, 0.3]
    assert lr_curve("PolynomialLR", 7, 1.0).round(12).tolist() == [1.0, 0.8, 0.6, 0.4, 0.2, 0.0, 0.0]
    for name in ("ConstantLR", "LinearLR", "PolynomialLR"):
        check(name, 7, 0.3)


BAD = [
    ("MultiStepLR", {}, TypeError, ["MultiStepLR needs milestones", "non-empty list of ints >= 0"]),
    ("MultiStepLR", {"milestones": []}, ValueError, ["milestones", "non-empty list", "empty"]),
    ("MultiStepLR", {"milestones": 30}, TypeError, ["milestones", "non-empty list of ints", "int 30"]),
    ("MultiStepLR", {"milestones": "30,60"}, TypeError, ["milestones", "str"]),
    ("MultiStepLR", {"milestones": [30, 2.5]}, TypeError, ["milestones", "float 2.5"]),
    ("MultiStepLR", {"milestones": [30, -1]}, ValueError, ["milestones", ">= 0", "-1"]),
    ("MultiStepLR", {"milestones": [True]}, TypeError, ["milestones"]),
    ("MultiStepLR", {"milestones": [3], "gamma": 0.0}, ValueError, ["gamma", "> 0"]),
    ("ConstantLR", {"factor": 1.5}, ValueError, ["factor", "<= 1"]),
    ("ConstantLR", {"factor": -0.1}, ValueError, ["factor", ">= 0"]),
    ("ConstantLR", {"total_iters": -1}, ValueError, ["total_iters", ">= 0"]),
    ("ConstantLR", {"total_iters": 2.0}, TypeError, ["total_iters", "an int"]),
    ("ConstantLR", {"factor": 0.0, "total_iters": 2}, ValueError, ["factor=0", "divide by zero"]),
    ("LinearLR", {"start_factor": 0.0}, ValueError, ["start_factor", "> 0"]),
    ("LinearLR", {"start_factor": 1.2}, ValueError, ["start_factor", "<= 1"]),
    ("LinearLR", {"end_factor": -0.5}, ValueError, ["end_factor", ">= 0"]),
    ("LinearLR", {"total_iters": 0}, ValueError, ["total_iters", ">= 1"]),
    ("LinearLR", {"startfactor": 0.5}, TypeError, ["unexpected keyword", "startfactor", "start_factor"]),
    ("PolynomialLR", {"total_iters": 0}, ValueError, ["total_iters", ">= 1"]),
    ("PolynomialLR", {"power": -1.0}, ValueError, ["power", ">= 0"]),
    ("PolynomialLR", {"power": "2"}, TypeError, ["power", "str"]),
]


@pytest.mark.parametrize("name,kwargs,error,words", BAD)
def test_clear_errors(name: str, kwargs: dict, error: type, words: list[str]) -> None:
    assert_clear_error(name, 10, kwargs, error, words)
