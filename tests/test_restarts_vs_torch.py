"""CosineAnnealingWarmRestarts and CyclicLR: numpy curves equal torch step for step; clear errors; widgets; training."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import lrutils
from conftest import assert_agrees, assert_clear_error, raw_torch_lrs
from conftest import check_against_torch as check
from lrutils import lr_curve, momentum_curve
from lrutils.curves.restarts import cycle_position, cycle_starts

base_lrs = st.floats(1e-6, 10.0)


# --- CosineAnnealingWarmRestarts -------------------------------------------------------------


@given(
    n=st.integers(1, 400),
    base_lr=base_lrs,
    T_0=st.integers(1, 60),
    T_mult=st.integers(1, 4),
    eta_min=st.floats(0.0, 1.0),
)
def test_warm_restarts(n: int, base_lr: float, T_0: int, T_mult: int, eta_min: float) -> None:
    check("CosineAnnealingWarmRestarts", n, base_lr, T_0=T_0, T_mult=T_mult, eta_min=eta_min)


def torch_t_cur_t_i(n_steps: int, T_0: int, T_mult: int) -> tuple[list[int], list[int]]:
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=T_0, T_mult=T_mult)
    t_cur, t_i = [sched.T_cur], [sched.T_i]
    for _ in range(n_steps - 1):
        opt.step()
        sched.step()
        t_cur.append(sched.T_cur)
        t_i.append(sched.T_i)
    return t_cur, t_i


@pytest.mark.parametrize("T_0,T_mult", [(1, 1), (1, 2), (1, 3), (3, 2), (5, 1), (2, 7), (7, 10)])
def test_cycle_bookkeeping_is_torchs_integers(T_0: int, T_mult: int) -> None:
    t_cur, t_i = cycle_position(3000, T_0, T_mult)
    theirs_cur, theirs_i = torch_t_cur_t_i(3000, T_0, T_mult)
    assert all(isinstance(v, int) for v in theirs_cur)  # torch keeps exact ints when stepped without epoch
    assert t_cur.tolist() == theirs_cur and t_i.tolist() == theirs_i


def test_many_growing_cycles_over_a_long_run() -> None:
    # T_0=1, T_mult=2: cycles of 1, 2, 4, ..., 8192 steps; 10k steps cross 13 restarts.
    assert cycle_starts(10_000, 1, 2).tolist() == [2**i - 1 for i in range(14)]
    check("CosineAnnealingWarmRestarts", 10_000, 0.1, T_0=1, T_mult=2, eta_min=1e-4)
    check("CosineAnnealingWarmRestarts", 10_000, 0.1, T_0=3, T_mult=3)
    check("CosineAnnealingWarmRestarts", 10_000, 0.1, T_0=7)


def test_restarts_jump_back_to_the_initial_lr() -> None:
    lrs = lr_curve("CosineAnnealingWarmRestarts", 31, base_lr=0.1, T_0=10, T_mult=2, eta_min=0.001)
    restarts = (np.flatnonzero(np.diff(lrs) > 0) + 1).tolist()
    assert restarts == [10, 30]  # cycles of 10 and 20 epochs
    assert lrs[0] == lrs[10] == lrs[30] == 0.1
    assert lrs[9] > 0.001  # never reaches eta_min: the step that would is the restart


def test_huge_cycle_lengths_do_not_overflow() -> None:
    check("CosineAnnealingWarmRestarts", 50, 0.1, T_0=10**12, T_mult=2)
    check("CosineAnnealingWarmRestarts", 50, 0.1, T_0=3, T_mult=10**7)
    t_cur, t_i = cycle_position(10, 3, 10**18)
    assert t_cur.tolist() == [0, 1, 2, 0, 1, 2, 3, 4, 5, 6] and t_i[-1] == 3 * 10**18


# --- CyclicLR ---------------------------------------------------------------------------------

cyclic_kwargs = st.fixed_dictionaries(
    {
        "max_lr": st.floats(0.0, 5.0),
        "step_size_up": st.integers(1, 60),
        "step_size_down": st.one_of(st.none(), st.integers(0, 60)),
        "mode": st.sampled_from(["triangular", "triangular2", "exp_range"]),
        "gamma": st.floats(0.9, 1.0),
        "cycle_momentum": st.booleans(),
        "base_momentum": st.floats(0.0, 0.9),
        "max_momentum": st.floats(0.85, 1.0),
    }
)


@given(n=st.integers(1, 400), base_lr=st.floats(0.0, 2.0), kwargs=cyclic_kwargs)
def test_cyclic_lr_and_momentum(n: int, base_lr: float, kwargs: dict) -> None:
    check("CyclicLR", n, base_lr, momentum=kwargs["cycle_momentum"], **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_lr": 0.5, "step_size_up": 37},
        {"max_lr": 0.5, "step_size_up": 100, "step_size_down": 400, "mode": "triangular2"},
        {"max_lr": 0.5, "step_size_up": 250, "mode": "exp_range", "gamma": 0.9995},
        {"max_lr": 0.5, "step_size_up": 13, "step_size_down": 0},
    ],
)
def test_cyclic_long_runs_stay_within_tolerance(kwargs: dict) -> None:
    check("CyclicLR", 10_000, 0.01, momentum=True, **kwargs)


def test_step_size_down_none_is_step_size_up() -> None:
    a = lr_curve("CyclicLR", 100, base_lr=0.01, max_lr=0.1, step_size_up=7)
    b = lr_curve("CyclicLR", 100, base_lr=0.01, max_lr=0.1, step_size_up=7, step_size_down=7)
    assert np.array_equal(a, b)
    assert int(np.argmax(a)) == 7 and a[14] == pytest.approx(0.01)


def test_cyclic_modes_shape() -> None:
    kw = {"max_lr": 1.0, "step_size_up": 5}
    tri2 = lr_curve("CyclicLR", 41, base_lr=0.0, mode="triangular2", **kw)
    assert tri2[[5, 15, 25, 35]].tolist() == [1.0, 0.5, 0.25, 0.125]  # height halves every cycle
    exp = lr_curve("CyclicLR", 41, base_lr=0.0, mode="exp_range", gamma=0.9, **kw)
    assert exp[5] == pytest.approx(0.9**5) and exp[15] == pytest.approx(0.9**15)  # gamma ** step


def test_triangular2_refuses_where_torch_overflows() -> None:
    kw = {"max_lr": 0.1, "step_size_up": 1, "step_size_down": 1, "mode": "triangular2"}
    lr_curve("CyclicLR", 2048, base_lr=0.01, **kw)  # last step is in cycle 1024: fine in torch too
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    raw_torch_lrs("CyclicLR", 2048, optimizer=opt, base_lr=0.01, **kw)
    with pytest.raises(ValueError, match="cycle 1025"):
        lr_curve("CyclicLR", 2049, base_lr=0.01, **kw)
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    with pytest.raises(OverflowError):
        raw_torch_lrs("CyclicLR", 2049, optimizer=opt, base_lr=0.01, **kw)


def test_base_lr_is_cyclic_lrs_own_base_lr() -> None:
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.03, momentum=0.9)
    sched = lrutils.make_torch_scheduler("CyclicLR", opt, max_lr=0.3, step_size_up=10)
    assert sched.base_lrs == [0.03] and opt.param_groups[0]["lr"] == 0.03
    assert lr_curve("CyclicLR", 1, base_lr=0.03, max_lr=0.3)[0] == 0.03
    with pytest.raises(TypeError, match="unexpected keyword"):
        lrutils.make_torch_scheduler("CyclicLR", opt, base_lr=0.01, max_lr=0.3)


def test_adam_gets_beta1_cycled_and_adagrad_is_refused_by_torch() -> None:
    kw = {"max_lr": 0.1, "step_size_up": 4}
    adam = torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=0.01)
    sched = torch.optim.lr_scheduler.CyclicLR(adam, base_lr=0.01, **kw)
    betas = [adam.param_groups[0]["betas"][0]]
    for _ in range(11):
        adam.step()
        sched.step()
        betas.append(adam.param_groups[0]["betas"][0])
    assert_agrees(np.array(betas), momentum_curve("CyclicLR", 12, base_lr=0.01, **kw), 1.0)
    adagrad = torch.optim.Adagrad([torch.zeros(1, requires_grad=True)], lr=0.01)
    with pytest.raises(ValueError, match="momentum or beta1"):
        torch.optim.lr_scheduler.CyclicLR(adagrad, base_lr=0.01, **kw)
    torch.optim.lr_scheduler.CyclicLR(adagrad, base_lr=0.01, cycle_momentum=False, **kw)


# --- errors -------------------------------------------------------------------------------------

CASES = [
    ("CosineAnnealingWarmRestarts", {}, TypeError, ["needs T_0"]),
    ("CosineAnnealingWarmRestarts", {"T_0": 0}, ValueError, ["T_0", ">= 1"]),
    ("CosineAnnealingWarmRestarts", {"T_0": 2.5}, TypeError, ["T_0", "an int"]),
    ("CosineAnnealingWarmRestarts", {"T_0": 10, "T_mult": 0}, ValueError, ["T_mult", ">= 1"]),
    ("CosineAnnealingWarmRestarts", {"T_0": 10, "T_mult": 1.5}, TypeError, ["T_mult", "an int"]),
    ("CosineAnnealingWarmRestarts", {"T_0": 10, "eta_min": -0.1}, ValueError, ["eta_min", ">= 0"]),
    ("CosineAnnealingWarmRestarts", {"T_0": 10, "eta_min": math.inf}, ValueError, ["eta_min", "finite"]),
    ("CosineAnnealingWarmRestarts", {"T_0": 10, "T_max": 5}, TypeError, ["unexpected keyword", "T_max"]),
    ("CyclicLR", {}, TypeError, ["needs max_lr"]),
    ("CyclicLR", {"max_lr": -0.1}, ValueError, ["max_lr", ">= 0"]),
    ("CyclicLR", {"max_lr": 0.1, "step_size_up": 0}, ValueError, ["step_size_up", ">= 1"]),
    ("CyclicLR", {"max_lr": 0.1, "step_size_up": 2.5}, TypeError, ["step_size_up", "an int"]),
    ("CyclicLR", {"max_lr": 0.1, "step_size_down": -1}, ValueError, ["step_size_down", ">= 0", "or None"]),
    ("CyclicLR", {"max_lr": 0.1, "mode": "triangle"}, ValueError, ["mode='triangle'", "'exp_range'"]),
    ("CyclicLR", {"max_lr": 0.1, "gamma": 0.0}, ValueError, ["gamma", "> 0", "<= 1"]),
    ("CyclicLR", {"max_lr": 0.1, "gamma": 1.5}, ValueError, ["gamma", "<= 1"]),
    ("CyclicLR", {"max_lr": 0.1, "base_momentum": 1.5}, ValueError, ["base_momentum", "<= 1"]),
    ("CyclicLR", {"max_lr": 0.1, "cycle_momentum": "yes"}, TypeError, ["cycle_momentum", "True or False"]),
    ("CyclicLR", {"max_lr": 0.1, "scale_fn": abs}, TypeError, ["unexpected keyword", "scale_fn", "mode"]),
]


@pytest.mark.parametrize("name,kwargs,error,words", CASES)
def test_clear_errors(name: str, kwargs: dict, error: type, words: list[str]) -> None:
    assert_clear_error(name, 10, kwargs, error, words)


def test_momentum_curve_needs_cycle_momentum() -> None:
    with pytest.raises(ValueError, match="cycle_momentum=False"):
        momentum_curve("CyclicLR", 10, max_lr=0.1, cycle_momentum=False)
    with pytest.raises(ValueError, match="does not change momentum"):
        momentum_curve("CosineAnnealingWarmRestarts", 10, T_0=3)


# --- explorers and training -----------------------------------------------------------------


def test_explorers_draw_lr_curve_and_momentum() -> None:
    ex = lrutils.explore("CyclicLR", base_lr=0.01, n_steps=120)
    n_steps, base_lr, kwargs = ex.curve_kwargs()
    assert base_lr == 0.01 and n_steps == 120
    assert np.array_equal(ex.curve, lr_curve("CyclicLR", 120, base_lr=0.01, **kwargs))
    assert np.array_equal(ex.momentum_panel.line.get_ydata(), momentum_curve("CyclicLR", 120, base_lr=0.01, **kwargs))
    ex.controls["mode"].value = "triangular2"
    assert ex.curve[60:].max() < ex.curve[:40].max()
    ex = lrutils.explore("CosineAnnealingWarmRestarts", T_mult=2)
    ex.controls["T_0"].value = 5
    assert np.array_equal(ex.curve, lr_curve("CosineAnnealingWarmRestarts", 100, T_0=5, T_mult=2))


def test_training_steps_cyclic_per_batch_and_restarts_per_epoch() -> None:
    h = lrutils.train("CyclicLR", epochs=2, lr=0.02, max_lr=0.2, step_size_up=10)
    n = 2 * h.steps_per_epoch
    assert_agrees(h.lr, lr_curve("CyclicLR", n, base_lr=0.02, max_lr=0.2, step_size_up=10), 0.2)
    assert_agrees(h.momentum, momentum_curve("CyclicLR", n, base_lr=0.02, max_lr=0.2, step_size_up=10), 1.0)
    h = lrutils.train("CosineAnnealingWarmRestarts", epochs=4, T_0=2)
    per_epoch = lr_curve("CosineAnnealingWarmRestarts", 4, base_lr=h.base_lr, T_0=2)
    assert_agrees(h.lr, np.repeat(per_epoch, h.steps_per_epoch), h.base_lr)
    assert np.all(h.momentum == 0.9)


def test_demo_kwargs() -> None:
    from lrutils.training.demo import demo_kwargs

    assert demo_kwargs("CosineAnnealingWarmRestarts", 30, 30, 0.2) == {"T_0": 10}
    assert demo_kwargs("CyclicLR", 30, 30, 0.2) == {"max_lr": 0.4, "step_size_up": 150}
