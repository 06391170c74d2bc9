"""SequentialLR, ChainedScheduler, LambdaLR and the recipes: numpy equals stepping real torch."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import lrutils
from conftest import assert_agrees, assert_clear_error
from lrutils.curves.composite import composite_names, linear_warmup_lambda, warmup_cosine, warmup_stable_decay
from lrutils.curves.shorthand import (
    chained_curve,
    lambda_curve,
    sequential_curve,
    torch_chained_curve,
    torch_lambda_curve,
    torch_sequential_curve,
)

LAMBDAS = [linear_warmup_lambda(5), lambda t: 0.95**t, lambda t: 1.0 / (t + 1), lambda t: t // 7]

stage_strategies = {
    "StepLR": st.fixed_dictionaries({"step_size": st.integers(1, 30), "gamma": st.floats(0.05, 1.5)}),
    "MultiStepLR": st.fixed_dictionaries(
        {"milestones": st.lists(st.integers(0, 80), min_size=1, max_size=5), "gamma": st.floats(0.05, 1.5)}
    ),
    "ConstantLR": st.fixed_dictionaries({"factor": st.floats(0.01, 1.0), "total_iters": st.integers(0, 60)}),
    "LinearLR": st.fixed_dictionaries(
        {"start_factor": st.floats(1e-3, 1.0), "end_factor": st.floats(0.0, 1.0), "total_iters": st.integers(1, 60)}
    ),
    "ExponentialLR": st.fixed_dictionaries({"gamma": st.floats(0.8, 1.1)}),
    "PolynomialLR": st.fixed_dictionaries({"total_iters": st.integers(1, 60), "power": st.floats(0.0, 4.0)}),
    "CosineAnnealingLR": st.fixed_dictionaries({"T_max": st.integers(1, 60), "eta_min": st.floats(0.0, 0.05)}),
    "LambdaLR": st.fixed_dictionaries({"lr_lambda": st.sampled_from(LAMBDAS)}),
}
stages = st.sampled_from(sorted(stage_strategies)).flatmap(
    lambda name: stage_strategies[name].map(lambda kwargs: (name, kwargs))
)


def scale_of(base_lr: float, schedulers: list) -> float:
    return max([base_lr] + [kw.get("eta_min", 0.0) for _, kw in schedulers])


@given(
    n=st.integers(1, 150),
    base_lr=st.floats(1e-4, 10.0),
    schedulers=st.lists(stages, min_size=2, max_size=4),
    data=st.data(),
)
def test_sequential_matches_torch(n: int, base_lr: float, schedulers: list, data: st.DataObject) -> None:
    # milestones at 0, repeated, and past the end of the run included
    milestones = sorted(
        data.draw(st.lists(st.integers(0, n + 20), min_size=len(schedulers) - 1, max_size=len(schedulers) - 1))
    )
    ours = sequential_curve(schedulers, milestones, n, base_lr)
    theirs = torch_sequential_curve(schedulers, milestones, n, base_lr)
    assert_agrees(ours, theirs, scale_of(base_lr, schedulers))


@given(n=st.integers(1, 150), base_lr=st.floats(1e-4, 10.0), schedulers=st.lists(stages, min_size=1, max_size=3))
def test_chained_matches_torch(n: int, base_lr: float, schedulers: list) -> None:
    ours = chained_curve(schedulers, n, base_lr)
    theirs = torch_chained_curve(schedulers, n, base_lr)
    assert_agrees(ours, theirs, scale_of(base_lr, schedulers))


no_lambda_stages = st.sampled_from(sorted(set(stage_strategies) - {"LambdaLR"})).flatmap(
    lambda name: stage_strategies[name].map(
        lambda kwargs: (name, {**kwargs, "eta_min": 0.0} if name == "CosineAnnealingLR" else kwargs)
    )
)
cosine_stage = st.integers(1, 40).map(lambda t_max: ("CosineAnnealingLR", {"T_max": t_max}))


@given(
    n=st.integers(1, 300),
    base_lr=st.floats(1e-4, 10.0),
    before=st.lists(no_lambda_stages, max_size=2),
    after=st.lists(no_lambda_stages, max_size=2),
    cosine=cosine_stage,
)
def test_chained_cosine_running_products_match_torch(n, base_lr, before, after, cosine) -> None:
    # eta_min = 0: the vectorised path (products between the additive steps after each minimum)
    schedulers = [*before, cosine, *after]
    assert_agrees(chained_curve(schedulers, n, base_lr), torch_chained_curve(schedulers, n, base_lr), base_lr)


def test_chained_cosine_long_run_matches_torch() -> None:
    schedulers = [("LinearLR", {"start_factor": 0.1, "total_iters": 100}), ("CosineAnnealingLR", {"T_max": 97})]
    assert_agrees(chained_curve(schedulers, 10_000, 0.1), torch_chained_curve(schedulers, 10_000, 0.1), 0.1)


@given(n=st.integers(1, 200), base_lr=st.floats(1e-4, 10.0), fn=st.sampled_from(LAMBDAS))
def test_lambda_matches_torch(n: int, base_lr: float, fn) -> None:
    assert_agrees(lambda_curve(fn, n, base_lr), torch_lambda_curve(fn, n, base_lr), base_lr)


@given(
    n=st.integers(1, 250),
    warmup=st.integers(1, 40),
    t_max=st.integers(1, 200),
    start=st.floats(1e-3, 1.0),
    eta_min=st.floats(0.0, 0.01),
)
def test_warmup_cosine_recipe(n: int, warmup: int, t_max: int, start: float, eta_min: float) -> None:
    kw = {"warmup_steps": warmup, "T_max": t_max, "start_factor": start, "eta_min": eta_min}
    ours = lrutils.lr_curve("warmup_cosine", n, 0.1, **kw)
    assert_agrees(ours, lrutils.torch_lr_curve("warmup_cosine", n, 0.1, **kw), 0.1)
    assert np.array_equal(ours, lrutils.lr_curve("SequentialLR", n, 0.1, **warmup_cosine(**kw)))


@given(
    n=st.integers(1, 250),
    warmup=st.integers(1, 40),
    stable=st.integers(0, 100),
    decay=st.integers(1, 60),
    final=st.floats(0.0, 1.0),
)
def test_wsd_recipe(n: int, warmup: int, stable: int, decay: int, final: float) -> None:
    kw = {"warmup_steps": warmup, "stable_steps": stable, "decay_steps": decay, "final_factor": final}
    ours = lrutils.lr_curve("warmup_stable_decay", n, 0.1, **kw)
    assert_agrees(ours, lrutils.torch_lr_curve("warmup_stable_decay", n, 0.1, **kw), 0.1)


def test_wsd_shape() -> None:
    lrs = lrutils.lr_curve("warmup_stable_decay", 30, 1.0, warmup_steps=5, stable_steps=15, decay_steps=10)
    assert lrs[0] == pytest.approx(0.01) and np.all(np.diff(lrs[:6]) > 0)
    assert np.all(lrs[5:20] == 1.0)  # the stable phase: exactly base_lr
    assert lrs[20] == 1.0 and lrs[29] == pytest.approx(0.1) and np.all(np.diff(lrs[20:]) < 0)


def test_sequential_second_stage_restarts_its_count_at_the_milestone() -> None:
    stages = [("ConstantLR", {"factor": 0.5, "total_iters": 100}), ("StepLR", {"step_size": 3, "gamma": 0.5})]
    lrs = sequential_curve(stages, [4], 12, 1.0)
    # StepLR counts 0, 1, 2, 3... from step 4: its first cut is at step 4 + 3 = 7, not at step 6
    assert lrs.tolist() == [0.5] * 4 + [1.0] * 3 + [0.5] * 3 + [0.25] * 2
    assert lrs.tolist() == torch_sequential_curve(stages, [4], 12, 1.0).tolist()


def test_sequential_stage_entered_at_a_milestone_uses_torch_closed_form() -> None:
    # ConstantLR(total_iters=0): stepped alone it keeps factor; entered at a milestone torch uses
    # its closed form at 0, which is base_lr.
    stages = [("ExponentialLR", {"gamma": 0.5}), ("ConstantLR", {"factor": 0.5, "total_iters": 0})]
    assert sequential_curve(stages, [3], 6, 1.0).tolist() == [1.0, 0.5, 0.25, 1.0, 1.0, 1.0]
    assert torch_sequential_curve(stages, [3], 6, 1.0).tolist() == [1.0, 0.5, 0.25, 1.0, 1.0, 1.0]
    assert sequential_curve(stages[::-1], [3], 6, 1.0).tolist() == [0.5, 0.5, 0.5, 1.0, 0.5, 0.25]


@pytest.mark.parametrize("milestones", [[0], [0, 0], [5, 5], [50, 60], [3, 200]])
def test_sequential_milestone_edges(milestones: list[int]) -> None:
    pool = [
        ("LinearLR", {"start_factor": 0.1, "total_iters": 4}),
        ("ExponentialLR", {"gamma": 0.8}),
        ("CosineAnnealingLR", {"T_max": 6}),
    ]
    stages = pool[: len(milestones) + 1]
    assert_agrees(
        sequential_curve(stages, milestones, 20, 0.1), torch_sequential_curve(stages, milestones, 20, 0.1), 0.1
    )


def test_chained_factors_multiply_but_cosine_resets_after_its_minimum() -> None:
    stages = [("LinearLR", {"start_factor": 0.1, "total_iters": 5}), ("CosineAnnealingLR", {"T_max": 10})]
    lrs = chained_curve(stages, 25, 0.1)
    cosine = lrutils.lr_curve("CosineAnnealingLR", 25, 0.1, T_max=10)
    warm = lrutils.lr_curve("LinearLR", 25, 1.0, start_factor=0.1, total_iters=5)
    assert np.allclose(lrs[:11], (warm * cosine)[:11], rtol=1e-12, atol=1e-15)
    assert_agrees(lrs, torch_chained_curve(stages, 25, 0.1), 0.1)


def test_long_runs_stay_within_tolerance() -> None:
    n = 20_000
    assert_agrees(
        lrutils.lr_curve("warmup_cosine", n, 0.1, warmup_steps=1_000, T_max=19_000, eta_min=1e-4),
        lrutils.torch_lr_curve("warmup_cosine", n, 0.1, warmup_steps=1_000, T_max=19_000, eta_min=1e-4),
        0.1,
    )
    stages = [
        ("LinearLR", {"start_factor": 0.01, "total_iters": 500}),
        ("CosineAnnealingLR", {"T_max": 997, "eta_min": 1e-3}),
    ]
    assert_agrees(chained_curve(stages, n, 0.1), torch_chained_curve(stages, n, 0.1), 0.1)
    stages = [("LinearLR", {"start_factor": 0.01, "total_iters": 500}), ("ExponentialLR", {"gamma": 0.9999})]
    assert_agrees(chained_curve(stages, n, 0.1), torch_chained_curve(stages, n, 0.1), 0.1)


WARM = ("LinearLR", {"start_factor": 0.1, "total_iters": 5})
BAD = [
    ("SequentialLR", {"milestones": [5]}, TypeError, ["SequentialLR needs schedulers"]),
    ("SequentialLR", {"schedulers": [WARM, WARM]}, TypeError, ["SequentialLR needs milestones"]),
    (
        "SequentialLR",
        {"schedulers": [WARM, WARM], "milestones": [5, 6]},
        ValueError,
        ["one milestone fewer", "2 schedulers and 2"],
    ),
    (
        "SequentialLR",
        {"schedulers": [WARM, WARM, WARM], "milestones": [6, 5]},
        ValueError,
        ["must not decrease", "[6, 5]"],
    ),
    ("SequentialLR", {"schedulers": [WARM, WARM], "milestones": [-1]}, ValueError, ["milestones", ">= 0"]),
    ("SequentialLR", {"schedulers": [], "milestones": [1]}, ValueError, ["schedulers", "at least one"]),
    (
        "SequentialLR",
        {"schedulers": "LinearLR", "milestones": [1]},
        TypeError,
        ["schedulers", "(scheduler name, kwargs dict) pairs"],
    ),
    (
        "SequentialLR",
        {"schedulers": ["LinearLR", WARM], "milestones": [1]},
        TypeError,
        ["schedulers[0]", "pair such as"],
    ),
    (
        "SequentialLR",
        {"schedulers": [WARM, ("ReduceLROnPlateau", {})], "milestones": [5]},
        ValueError,
        ["does not support `ReduceLROnPlateau`", "index 1"],
    ),
    (
        "SequentialLR",
        {"schedulers": [WARM, ("OneCycleLR", {"max_lr": 0.1, "total_steps": 9})], "milestones": [5]},
        ValueError,
        ["schedulers[1] is 'OneCycleLR'", "LinearLR"],
    ),
    (
        "SequentialLR",
        {"schedulers": [WARM, ("LinearLR", {"start_factor": 0.0})], "milestones": [5]},
        ValueError,
        ["schedulers[1] (LinearLR)", "start_factor", "> 0"],
    ),
    ("SequentialLR", {"schedulers": [WARM, ("Linear", {})], "milestones": [5]}, ValueError, ["'Linear'"]),
    (
        "ChainedScheduler",
        {"schedulers": [WARM, ("ReduceLROnPlateau", {})]},
        ValueError,
        ["ChainedScheduler does not support `ReduceLROnPlateau`", "index 1"],
    ),
    ("ChainedScheduler", {"schedulers": [("StepLR", {})]}, TypeError, ["schedulers[0] (StepLR)", "needs step_size"]),
    ("ChainedScheduler", {"schedulers": [WARM], "milestones": [3]}, TypeError, ["unexpected keyword", "milestones"]),
    ("LambdaLR", {}, TypeError, ["LambdaLR needs lr_lambda"]),
    ("LambdaLR", {"lr_lambda": 0.5}, TypeError, ["lr_lambda", "a function"]),
    ("LambdaLR", {"lr_lambda": lambda t: "x"}, TypeError, ["lr_lambda(0) must return a number", "str"]),
    (
        "LambdaLR",
        {"lr_lambda": lambda t: 1 / (t - 3) if t != 3 else float("inf")},
        ValueError,
        ["lr_lambda(3)", "finite"],
    ),
    ("LambdaLR", {"lr_lambda": lambda t: 1 / (t - 2)}, ValueError, ["lr_lambda(2) raised ZeroDivisionError"]),
    ("warmup_cosine", {"T_max": 10}, TypeError, ["warmup_cosine needs warmup_steps"]),
    ("warmup_cosine", {"warmup_steps": 0, "T_max": 10}, ValueError, ["warmup_steps", ">= 1"]),
    (
        "warmup_stable_decay",
        {"warmup_steps": 2, "stable_steps": -1, "decay_steps": 3},
        ValueError,
        ["stable_steps", ">= 0"],
    ),
    (
        "warmup_stable_decay",
        {"warmup_steps": 2, "stable_steps": 1, "decay_steps": 3, "final_factor": 2.0},
        ValueError,
        ["final_factor", "<= 1"],
    ),
]


@pytest.mark.parametrize("name,kwargs,error,words", BAD)
def test_clear_errors(name: str, kwargs: dict, error: type, words: list[str]) -> None:
    assert_clear_error(name, 10, kwargs, error, words)


def test_recipe_functions_validate_too() -> None:
    with pytest.raises(ValueError, match="decay_steps"):
        warmup_stable_decay(5, 10, 0)
    with pytest.raises(TypeError, match="T_max"):
        warmup_cosine(5, 10.5)


def test_reduce_on_plateau_really_is_refused_by_torch() -> None:
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    warm = torch.optim.lr_scheduler.LinearLR(opt)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt)
    with pytest.raises(ValueError) as theirs:
        torch.optim.lr_scheduler.SequentialLR(opt, [warm, plateau], milestones=[5])
    with pytest.raises(ValueError) as ours:
        sequential_curve([WARM, ("ReduceLROnPlateau", {})], [5], 10)
    assert str(ours.value) == str(theirs.value)


def test_names_are_found_but_not_in_scheduler_names() -> None:
    assert set(composite_names()).isdisjoint(lrutils.scheduler_names())
    for name in composite_names():
        assert lrutils.get_spec(name).name == name
    with pytest.raises(ValueError, match="warmup_cosine"):
        lrutils.get_spec("warmup")


@pytest.mark.parametrize("name", composite_names())
def test_explore_composites(name: str) -> None:
    ex = lrutils.explore(name)
    assert bytes(ex.image.value).startswith(b"\x89PNG")
    n_steps, base_lr, kwargs = ex.curve_kwargs()
    assert np.array_equal(ex.curve, lrutils.lr_curve(name, n_steps, base_lr=base_lr, **kwargs))
    before = ex.image.value
    ex.controls["n_steps"].value = 150
    assert ex.image.value != before and len(ex.curve) == 150


def test_explore_sequential_milestones_text_box() -> None:
    ex = lrutils.explore("SequentialLR", n_steps=40)
    box = ex.controls["milestones"]
    assert isinstance(box, widgets.Text) and box.value == "10"
    box.value = "20"
    expected = lrutils.lr_curve("SequentialLR", 40, schedulers=ex.fixed["schedulers"], milestones=[20])
    assert np.array_equal(ex.curve, expected) and ex.curve[21] < ex.curve[20]
    box.value = "20, oops"
    assert "could not read" in ex.message.value and np.array_equal(ex.curve, expected)  # the picture is kept
    box.value = "5, 6"
    assert "one milestone fewer" in ex.message.value


def test_explore_multistep_milestones_text_box() -> None:
    ex = lrutils.explore("MultiStepLR")
    ex.controls["milestones"].value = "10, 10, 50"
    assert np.array_equal(ex.curve, lrutils.lr_curve("MultiStepLR", 100, milestones=[10, 10, 50]))
    ex.controls["milestones"].value = ""
    assert "non-empty" in ex.message.value


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("warmup_cosine", {}),
        ("warmup_stable_decay", {}),
        ("SequentialLR", {}),
        ("ChainedScheduler", {}),
        ("LambdaLR", {}),
        ("LinearLR", {}),
        ("MultiStepLR", {}),
        ("ConstantLR", {}),
        ("PolynomialLR", {}),
        ("SequentialLR", warmup_cosine(warmup_steps=2, T_max=4)),
    ],
)
def test_train_accepts_every_new_name(name: str, kwargs: dict) -> None:
    h = lrutils.train(name, epochs=6, **kwargs)
    spe = h.steps_per_epoch
    epoch_lrs = h.lr[::spe]
    expected = lrutils.lr_curve(name, 6, base_lr=h.base_lr, **h.kwargs)
    assert_agrees(epoch_lrs, expected, h.base_lr)
    assert np.all(np.isfinite(h.val_loss))


def test_lambda_is_called_once_per_step() -> None:
    calls: list[int] = []

    def factor(t: int) -> float:
        calls.append(t)
        return 0.9**t

    curve = lrutils.lr_curve("LambdaLR", 50, base_lr=0.1, lr_lambda=factor)
    assert calls == list(range(50))
    assert np.allclose(curve, 0.1 * 0.9 ** np.arange(50))
    calls.clear()
    assert np.array_equal(lrutils.torch_lr_curve("LambdaLR", 50, base_lr=0.1, lr_lambda=factor), curve)
    assert calls == list(range(50)), "torch reads the checked values, not the function again"
