"""What notebooks 12 and 13 and the cheat sheet say about torch 2.13, one test per statement no cell demonstrates.

Read against ``torch/optim/lr_scheduler.py`` (class ``LRScheduler``, lines 95-313, and the schedulers below it).
"""

from __future__ import annotations

import functools
import inspect
import io
import math
import warnings

import numpy as np
import pytest
import torch
from torch.optim import lr_scheduler as sched

import lrutils

GET_LR_WARNING = "To get the last learning rate computed by the scheduler, please use `get_last_lr()`."


def sgd(*lrs: float) -> torch.optim.SGD:
    groups = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs]
    return torch.optim.SGD(groups, lr=lrs[0])


def step(optimizer: torch.optim.Optimizer, scheduler: object, n: int = 1) -> None:
    for _ in range(n):
        optimizer.step()
        scheduler.step()


class Halving(sched.LRScheduler):
    """A closed form: each group's initial lr times 0.5 ** last_epoch; records what get_lr saw."""

    def __init__(self, optimizer: torch.optim.Optimizer, last_epoch: int = -1) -> None:
        self.seen: list[tuple[int, bool]] = []
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self.seen.append((self.last_epoch, self._is_initial))
        return [base_lr * 0.5**self.last_epoch for base_lr in self.base_lrs]


# --- notebook 13: the contract of LRScheduler ------------------------------------------------------


def test_the_constructor_sets_initial_lr_and_base_lrs_and_takes_the_first_step() -> None:
    optimizer = sgd(0.1, 1.0)
    scheduler = Halving(optimizer)
    assert [g["initial_lr"] for g in optimizer.param_groups] == [0.1, 1.0] == scheduler.base_lrs
    assert scheduler.last_epoch == 0 and scheduler._step_count == 1 and scheduler.seen == [(0, True)]
    assert hasattr(optimizer.step, "_wrapped_by_lr_sched")  # the call-order check


def test_the_constructor_keeps_an_initial_lr_the_group_already_has() -> None:
    optimizer = sgd(0.1)
    optimizer.param_groups[0]["initial_lr"] = 0.3
    assert Halving(optimizer).base_lrs == [0.3] and optimizer.param_groups[0]["lr"] == 0.3


def test_step_counts_the_step_before_get_lr_computes_it() -> None:
    optimizer = sgd(0.1)
    scheduler = Halving(optimizer)
    step(optimizer, scheduler, 2)
    assert scheduler.seen == [(0, True), (1, False), (2, False)]
    assert scheduler.get_last_lr() == [optimizer.param_groups[0]["lr"]] == [0.025]


def test_the_base_get_lr_raises_not_implemented() -> None:
    with pytest.raises(NotImplementedError):
        sched.LRScheduler(sgd(0.1))


def test_get_lr_must_return_one_lr_per_param_group() -> None:
    class One(Halving):
        def get_lr(self) -> list[float]:
            return [self.base_lrs[0]]

    class Number(Halving):
        def get_lr(self) -> float:  # type: ignore[override]
            return self.base_lrs[0]

    with pytest.raises(ValueError, match=r"zip\(\) argument 2 is shorter than argument 1"):
        One(sgd(0.1, 1.0))
    with pytest.raises(TypeError, match="not iterable"):
        Number(sgd(0.1))


def test_settings_assigned_after_super_init_are_missing_when_its_first_step_calls_get_lr() -> None:
    class Late(sched.LRScheduler):
        def __init__(self, optimizer: torch.optim.Optimizer) -> None:
            super().__init__(optimizer)
            self.gamma = 0.5

        def get_lr(self) -> list[float]:
            return [b * self.gamma**self.last_epoch for b in self.base_lrs]

    with pytest.raises(AttributeError, match="has no attribute 'gamma'"):
        Late(sgd(0.1))


def test_built_with_last_epoch_k_it_stands_at_k_plus_1_and_needs_initial_lr() -> None:
    optimizer = sgd(1.0)
    with pytest.raises(KeyError, match="initial_lr"):
        Halving(optimizer, last_epoch=3)
    Halving(optimizer)  # writes initial_lr
    resumed = Halving(optimizer, last_epoch=3)
    assert resumed.last_epoch == 4 and optimizer.param_groups[0]["lr"] == 0.5**4


def test_state_dict_is_every_attribute_but_the_optimizer_and_loading_it_leaves_the_optimizer_alone() -> None:
    optimizer = sgd(1.0)
    scheduler = Halving(optimizer)
    step(optimizer, scheduler, 3)
    state = scheduler.state_dict()
    assert set(state) == set(vars(scheduler)) - {"optimizer"}
    other = sgd(1.0)
    fresh = Halving(other)
    fresh.load_state_dict(state)
    assert fresh.last_epoch == 3 and fresh.get_last_lr() == [0.125] and other.param_groups[0]["lr"] == 1.0


def test_a_lambda_kept_on_self_breaks_torch_save_of_the_state_dict() -> None:
    class WithLambda(Halving):
        def __init__(self, optimizer: torch.optim.Optimizer) -> None:
            self.factor = lambda t: 0.5**t
            super().__init__(optimizer)

    with pytest.raises(AttributeError, match="Can't pickle local object"):
        torch.save(WithLambda(sgd(1.0)).state_dict(), io.BytesIO())


def test_lambdalr_saves_none_for_a_function_and_a_callable_objects_attributes() -> None:
    class Factor:
        def __init__(self) -> None:
            self.gamma = 0.5

        def __call__(self, t: int) -> float:
            return self.gamma**t

    def plain(t: int) -> float:
        return 1.0

    optimizer = sgd(1.0, 1.0, 1.0)
    lambdas = [plain, Factor(), functools.partial(pow, 0.5)]
    assert sched.LambdaLR(optimizer, lambdas).state_dict()["lr_lambdas"] == [None, {"gamma": 0.5}, {}]


def test_step_with_an_epoch_warns_and_uses_the_closed_form_where_the_class_has_one() -> None:
    with_closed_form = [
        name
        for name, cls in inspect.getmembers(sched, inspect.isclass)
        if issubclass(cls, sched.LRScheduler) and "_get_closed_form_lr" in vars(cls)
    ]
    assert sorted(with_closed_form) == sorted(
        ["StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "PolynomialLR", "CosineAnnealingLR"]
    )
    optimizer = sgd(1.0)
    scheduler = sched.LambdaLR(optimizer, lambda t: 0.5**t)  # no closed form: get_lr at last_epoch = 5
    optimizer.step()
    with pytest.warns(UserWarning, match="The epoch parameter in `scheduler.step\\(\\)` was not necessary"):
        scheduler.step(5)
    assert scheduler.last_epoch == 5 and optimizer.param_groups[0]["lr"] == 0.03125


def test_every_get_lr_torch_defines_warns_outside_step_and_a_subclass_of_your_own_does_not() -> None:
    defined = [
        cls
        for _, cls in inspect.getmembers(sched, inspect.isclass)
        if issubclass(cls, sched.LRScheduler) and cls is not sched.LRScheduler and "get_lr" in vars(cls)
    ]
    assert len(defined) == 12
    optimizer = sgd(1.0)
    scheduler = sched.LambdaLR(optimizer, lambda t: 1.0)
    with pytest.warns(UserWarning) as caught:
        scheduler.get_lr()
    assert [str(w.message) for w in caught] == [GET_LR_WARNING]
    mine = Halving(optimizer)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mine.get_lr()


def test_torch_recursive_rules_apply_the_first_factor_at_0_and_change_nothing_on_a_resuming_first_step() -> None:
    optimizer = sgd(1.0)
    sched.LinearLR(optimizer, start_factor=0.25, total_iters=4)
    assert optimizer.param_groups[0]["lr"] == 0.25  # last_epoch 0: the first factor
    optimizer.param_groups[0]["lr"] = 0.7  # as if loaded from a checkpoint
    sched.ExponentialLR(optimizer, gamma=0.5, last_epoch=3)  # _is_initial: the current lr is kept
    assert optimizer.param_groups[0]["lr"] == 0.7


def test_sequential_lr_restarts_the_next_scheduler_at_its_milestone() -> None:
    optimizer = sgd(1.0)
    first = sched.ConstantLR(optimizer, factor=0.1, total_iters=10)
    second = Halving(optimizer)
    chain = sched.SequentialLR(optimizer, [first, second], milestones=[3])
    assert second.last_epoch == -1  # its constructor's step undone
    lrs = []
    for _ in range(6):
        lrs.append(optimizer.param_groups[0]["lr"])
        step(optimizer, chain)
    assert second.seen[-4:] == [(0, False), (1, False), (2, False), (3, False)]  # _update_lr(0) at step 3
    np.testing.assert_allclose(lrs, [0.1, 0.1, 0.1, 1.0, 0.5, 0.25])


def test_a_closed_form_subclass_equals_the_lambdalr_with_its_factor_bit_for_bit() -> None:
    def factor(t: int) -> float:
        return (t + 1) / 5 if t < 5 else 0.5 * (1 + math.cos(math.pi * min(1.0, (t - 5) / 25)))

    class Mine(sched.LRScheduler):
        def get_lr(self) -> list[float]:
            return [base_lr * factor(self.last_epoch) for base_lr in self.base_lrs]

    a, b = sgd(0.01, 0.1), sgd(0.01, 0.1)
    ours, theirs = Mine(a), sched.LambdaLR(b, factor)
    for _ in range(30):
        assert [g["lr"] for g in a.param_groups] == [g["lr"] for g in b.param_groups]
        step(a, ours)
        step(b, theirs)


# --- notebook 12 and the cheat sheet ---------------------------------------------------------------


def test_a_lambdalr_factor_that_raises_at_t_0_fails_at_construction() -> None:
    """Exercise 1 of 12: with step_num = t instead of t + 1, the constructor's own step computes 0 ** -0.5."""
    with pytest.raises(ZeroDivisionError):
        sched.LambdaLR(sgd(1.0), lambda t: 512**-0.5 * min(t**-0.5, t * 4000**-1.5))


def test_adamw_defaults_are_betas_0_9_0_999_and_weight_decay_0_01() -> None:
    defaults = torch.optim.AdamW([torch.zeros(1, requires_grad=True)]).defaults
    assert defaults["betas"] == (0.9, 0.999) and defaults["weight_decay"] == 0.01


def test_the_linear_schedules_last_step_runs_at_lr_over_n_minus_w_and_0_comes_one_step_later() -> None:
    lrs = lrutils.torch_lr_curve("linear_warmup_decay", 1001, base_lr=0.1, warmup_steps=100, total_steps=1000)
    assert lrs[999] == pytest.approx(0.1 / 900) and lrs[1000] == 0.0


def test_cosine_annealing_rises_again_after_t_max_and_is_back_at_the_top_at_2_t_max() -> None:
    lrs = lrutils.torch_lr_curve("CosineAnnealingLR", 201, base_lr=0.1, T_max=100)
    assert lrs[100] == pytest.approx(0.0, abs=1e-12) and (np.diff(lrs[100:]) > 0).all()
    assert lrs[200] == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("OneCycleLR", {"max_lr": 1.0, "total_steps": 100}), ("CyclicLR", {"max_lr": 1.0, "step_size_up": 10})],
)
def test_one_cycle_and_cyclic_lr_move_the_momentum_against_the_lr(name: str, kwargs: dict) -> None:
    lr = lrutils.torch_lr_curve(name, 60, base_lr=0.2, **kwargs)
    momentum = lrutils.torch_momentum_curve(name, 60, base_lr=0.2, **kwargs)
    rising = np.diff(lr) > 1e-12
    falling = np.diff(lr) < -1e-12
    assert rising.any() and falling.any()
    assert (np.diff(momentum)[rising] < 0).all() and (np.diff(momentum)[falling] > 0).all()
