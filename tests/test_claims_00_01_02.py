"""Each test guards one sentence of notebooks 00-02 that no cell of theirs demonstrates by running it.

The older claims of these notebooks (the call order, StepLR's default gamma, ExponentialLR's missing
default, StepLR(step_size=1) == ExponentialLR, the blog's sketches vs torch) stay in ``test_claims.py``.
Each docstring names the notebook and section it guards; torch claims are checked against real torch,
lrutils claims against lrutils, arithmetic by computing it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch.optim import lr_scheduler as sched

import lrutils
from lrutils.training.stats import mean_interval


def _sgd(lr: float = 0.1) -> torch.optim.SGD:
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)


def _lrs(optimizer: torch.optim.Optimizer, scheduler: sched.LRScheduler, n: int) -> list[float]:
    """The lr used by optimizer steps 0..n-1, stepping the scheduler after each (torch's order)."""
    out = []
    for _ in range(n):
        out.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return out


# --- 00 · What is a scheduler ----------------------------------------------------------------------


def test_warm_ups_start_below_the_optimizers_lr() -> None:
    """00, "The learning rate is a step size": the factor s(t) starts at 1 "(warm-ups start below 1)"."""
    optimizer = _sgd(0.1)
    sched.LinearLR(optimizer)  # default start_factor 1/3
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.1 / 3)
    optimizer = _sgd(0.1)
    sched.OneCycleLR(optimizer, max_lr=0.1, total_steps=100)  # default div_factor 25
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.1 / 25)


def test_a_fair_coin_gives_6_or_more_of_10_in_38_percent_of_tries() -> None:
    """00, "Reading a comparison": "wins alone decide nothing: a fair coin gives 6 or more of 10 in 38 % of tries"."""
    p = sum(math.comb(10, k) for k in range(6, 11)) / 2**10
    assert round(100 * p) == 38


def test_a_95_percent_interval_covers_the_true_mean_95_percent_of_the_time() -> None:
    """00, "Reading a comparison": "intervals built this way contain the mean over all possible seeds 95 % of the
    time" (lrutils' Student-t interval from 10 values, here of normal draws with a known mean)."""
    rng = np.random.default_rng(0)
    draws = rng.normal(loc=0.48, scale=0.04, size=(4000, 10))
    covered = np.mean([mean_interval(row).contains(0.48) for row in draws])
    assert 0.94 <= covered <= 0.96


# --- 01 · Step decay --------------------------------------------------------------------------------


@pytest.mark.parametrize("batches", [4, 5, 30])
@pytest.mark.parametrize("epochs", [2, 3, 10, 30, 100])
def test_one_cycle_sized_in_batches_but_stepped_per_epoch_never_leaves_its_warm_up(epochs: int, batches: int) -> None:
    """01, the per-batch pitfall: "OneCycleLR, sized in batches but stepped per epoch, never leaves its warm-up
    when an epoch has more than 3 batches" (default pct_start 0.3)."""
    optimizer = _sgd()
    scheduler = sched.OneCycleLR(optimizer, max_lr=0.1, epochs=epochs, steps_per_epoch=batches)
    used = _lrs(optimizer, scheduler, epochs)  # one step per epoch: the mistake
    assert all(b > a for a, b in zip(used, used[1:], strict=False)) and used[-1] < 0.1


def test_one_cycle_stepped_per_epoch_with_3_batches_per_epoch_does_leave_its_warm_up() -> None:
    """01, the per-batch pitfall: the condition "more than 3 batches" matters (30 epochs of 3 batches peak at
    step 26, inside the 30 epoch steps)."""
    optimizer = _sgd()
    scheduler = sched.OneCycleLR(optimizer, max_lr=0.1, epochs=30, steps_per_epoch=3)
    used = _lrs(optimizer, scheduler, 30)
    assert int(np.argmax(used)) == 26 and used[-1] < used[26]


# --- 02 · Exponential decay -------------------------------------------------------------------------


def test_gamma_to_the_30th_per_epoch_is_gamma_per_batch_at_every_epoch_boundary() -> None:
    """02, "How far down gamma takes the lr": 0.9**30 per epoch "is what gamma=0.9 stepped after each of the demo's
    30 batches does to the lr at every epoch boundary"."""
    batches = lrutils.training.steps_per_epoch()
    assert batches == 30
    per_batch = lrutils.torch_lr_curve("ExponentialLR", 10 * batches, base_lr=0.4, gamma=0.9)
    stand_in = lrutils.torch_lr_curve("ExponentialLR", 10, base_lr=0.4, gamma=0.9**30)
    np.testing.assert_allclose(per_batch[::batches], stand_in, rtol=1e-12, atol=0)


def test_the_demo_engine_steps_exponential_lr_once_per_epoch() -> None:
    """02, "How far down gamma takes the lr": "the engine steps ExponentialLR per epoch, so this stand-in keeps the
    lr flat within each epoch"."""
    history = lrutils.train("ExponentialLR", epochs=3, lr=0.4, gamma=0.9**30)
    per_epoch = np.asarray(history.lr).reshape(3, -1)
    assert np.all(per_epoch == per_epoch[:, :1])
    np.testing.assert_allclose(per_epoch[:, 0], [0.4, 0.4 * 0.9**30, 0.4 * 0.9**60], rtol=1e-12)


def test_the_demo_gamma_brings_the_tuned_start_to_a_tenth_around_epoch_15() -> None:
    """02, "Does exponential decay beat a constant lr?": with gamma = 0.01 ** (1 / 30) from 0.4 "the decay reaches a
    tenth of the start, 0.04, only around epoch 15", and the lr is "still near 0.3" in epoch 3."""
    lrs = lrutils.torch_lr_curve("ExponentialLR", 30, base_lr=0.4, gamma=0.01 ** (1 / 30))
    assert lrs[15] == pytest.approx(0.04, rel=1e-12) and lrs[14] > 0.04 * 1.1
    assert lrs[2] == pytest.approx(0.3, abs=0.01)
    assert lrutils.TUNED_LR["ExponentialLR"] == 0.4


def test_the_blogs_gamma_after_100_steps_and_at_epoch_99() -> None:
    """02, "Half-life": "after them [100 steps] the lr is 2.7e-5 of its initial value (epoch 99, the last of the
    blog's curve, is at 3.0e-5)"."""
    lrs = lrutils.torch_lr_curve("ExponentialLR", 101, base_lr=1.0, gamma=0.9)
    assert f"{lrs[100]:.1e}" == "2.7e-05" and f"{lrs[99]:.1e}" == "3.0e-05"
    assert round(math.log(0.5) / math.log(0.9), 2) == 6.58
