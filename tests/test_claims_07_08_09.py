"""Each test guards one sentence of notebooks 07-09 that no cell of theirs runs: a torch behaviour the prose asserts.

Like ``tests/test_claims.py``: real torch, concrete values, the notebook and section named in the docstring, so a
torch upgrade that changes the behaviour (or an edit back to a wrong wording) has a failing test to point at.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch.optim import lr_scheduler as sched

import lrutils
from lrutils.curves.torch_reference import torch_fractional_epoch_lrs


def _sgd(lr: float = 0.1, **kwargs: float) -> torch.optim.SGD:
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr, **kwargs)


def _lrs(optimizer: torch.optim.Optimizer, scheduler: object, n: int, key: str = "lr") -> list[float]:
    """``param_groups[0][key]`` used by optimizer steps 0..n-1, stepping in torch's order."""
    out = []
    for _ in range(n):
        out.append(optimizer.param_groups[0][key])
        optimizer.step()
        scheduler.step()
    return out


# --- 07: warm-up and composing -----------------------------------------------------------------------


def test_07_the_pieces_defaults_table() -> None:
    """07 section 1, the table: LinearLR 1/3 -> 1 over 5, ConstantLR 1/3 for 5, MultiStepLR gamma 0.1,
    PolynomialLR over 5 with power 1."""
    optimizer = _sgd(1.0)
    linear = [1 / 3 + 2 / 3 * min(t, 5) / 5 for t in range(7)]
    assert _lrs(optimizer, sched.LinearLR(optimizer), 7) == pytest.approx(linear)
    optimizer = _sgd(1.0)
    assert _lrs(optimizer, sched.ConstantLR(optimizer), 7) == pytest.approx([1 / 3] * 5 + [1.0] * 2)
    optimizer = _sgd(1.0)
    assert _lrs(optimizer, sched.MultiStepLR(optimizer, milestones=[2]), 4) == pytest.approx([1.0, 1.0, 0.1, 0.1])
    optimizer = _sgd(1.0)
    assert _lrs(optimizer, sched.PolynomialLR(optimizer), 7) == pytest.approx([1 - min(t, 5) / 5 for t in range(7)])


def test_07_chained_cosine_multiplies_only_with_eta_min_zero_up_to_t_max() -> None:
    """07 section 2 and pitfall 4: in a ChainedScheduler, CosineAnnealingLR multiplies with the other factors with
    eta_min=0 (up to T_max); with a floor it does not (the cell shows the floor, this test the product)."""
    for eta_min, multiplies in ((0.0, True), (0.1, False)):
        optimizer = _sgd(1.0)
        chain = sched.ChainedScheduler(
            [sched.ExponentialLR(optimizer, 0.9), sched.CosineAnnealingLR(optimizer, T_max=10, eta_min=eta_min)]
        )
        lrs = _lrs(optimizer, chain, 11)
        cosine = [eta_min + (1 - eta_min) * (1 + math.cos(math.pi * t / 10)) / 2 for t in range(11)]
        product = [0.9**t * c for t, c in enumerate(cosine)]
        assert (lrs == pytest.approx(product, rel=1e-9, abs=1e-15)) is multiplies, eta_min


def test_07_sequential_lr_refuses_reduce_on_plateau_when_built() -> None:
    """07 pitfall 5: torch raises a ValueError when SequentialLR is built with ReduceLROnPlateau (the ChainedScheduler
    half is in tests/test_claims.py)."""
    optimizer = _sgd()
    with pytest.raises(ValueError, match="SequentialLR does not support `ReduceLROnPlateau`"):
        sched.SequentialLR(
            optimizer,
            [sched.LinearLR(optimizer, start_factor=0.1, total_iters=5), sched.ReduceLROnPlateau(optimizer)],
            milestones=[5],
        )


def test_07_wsd_decay_to_zero_ends_one_past_the_run() -> None:
    """07 section 3 and exercise 2: a decay LinearLR(1 -> 0, total_iters=30) from milestone 70 would reach 0 at epoch
    100; the last epoch of a 100-epoch run (99) trains at 1/30 of the peak."""
    optimizer = _sgd(0.1)
    stages = [
        sched.LinearLR(optimizer, start_factor=0.01, total_iters=10),
        sched.ConstantLR(optimizer, factor=1.0, total_iters=0),
        sched.LinearLR(optimizer, start_factor=1.0, end_factor=0.0, total_iters=30),
    ]
    lrs = _lrs(optimizer, sched.SequentialLR(optimizer, stages, milestones=[10, 70]), 101)
    assert lrs[99] == pytest.approx(0.1 / 30, rel=1e-9)
    assert lrs[100] == pytest.approx(0.0, abs=1e-15)


# --- 08: warm restarts ---------------------------------------------------------------------------------


def test_08_cycle_i_starts_at_the_geometric_sum() -> None:
    """08 section 1: for T_mult > 1, cycle i starts at step T_0 (T_mult**i - 1) / (T_mult - 1), where the lr is back at
    the initial lr; and no step inside a cycle reaches eta_min (the step that would is the restart)."""
    optimizer = _sgd(0.1)
    lrs = _lrs(optimizer, sched.CosineAnnealingWarmRestarts(optimizer, T_0=5, T_mult=3, eta_min=1e-3), 200)
    starts = [5 * (3**i - 1) // 2 for i in range(4)]
    assert starts == [0, 5, 20, 65]
    rises = (np.flatnonzero(np.diff(lrs) > 0) + 1).tolist()
    assert rises == starts[1:]
    assert all(lrs[s] == pytest.approx(0.1) for s in starts)
    assert min(lrs) > 1e-3


def test_08_fractional_epochs_restart_at_the_same_batches() -> None:
    """08 section 4: with T_0=2, T_mult=2 and 30 batches per epoch, the fractional-epoch curve restarts at batches 60
    and 180 (the start of epochs 2 and 6), like stepping once per epoch."""
    lrs = torch_fractional_epoch_lrs(2, 2, 7, 30)
    assert (np.flatnonzero(np.diff(lrs) > 0) + 1).tolist() == [60, 180]


def test_08_lrutils_train_steps_warm_restarts_once_per_epoch() -> None:
    """08 section 4: "lrutils.train steps CosineAnnealingWarmRestarts once per epoch": the lr of every batch is the
    per-epoch torch curve, held for the epoch."""
    history = lrutils.train("CosineAnnealingWarmRestarts", epochs=6)
    per_epoch = lrutils.torch_lr_curve("CosineAnnealingWarmRestarts", 6, base_lr=0.1, T_0=2)
    np.testing.assert_allclose(history.lr, np.repeat(per_epoch, history.steps_per_epoch), rtol=1e-12, atol=0)


# --- 09: cyclic ----------------------------------------------------------------------------------------


def test_09_cyclic_defaults_momentum_and_step_size_down() -> None:
    """09 sections 1-2: cycle_momentum defaults to True with base_momentum 0.8 and max_momentum 0.9, and
    step_size_down=None makes the fall as long as the rise."""
    optimizer = _sgd(0.1, momentum=0.5)
    scheduler = sched.CyclicLR(optimizer, base_lr=0.01, max_lr=0.1, step_size_up=4)
    momenta = _lrs(optimizer, scheduler, 9, key="momentum")
    assert momenta == pytest.approx([0.9, 0.875, 0.85, 0.825, 0.8, 0.825, 0.85, 0.875, 0.9])
    optimizer = _sgd(0.1, momentum=0.9)
    lrs = _lrs(optimizer, sched.CyclicLR(optimizer, base_lr=0.01, max_lr=0.1, step_size_up=4), 9)
    assert int(np.argmax(lrs)) == 4 and lrs[8] == pytest.approx(0.01)


def test_09_exp_range_shrinks_every_batch() -> None:
    """09 section 1: exp_range scales the height by gamma**t, t counting batches (scheduler steps), not cycles."""
    optimizer = _sgd(0.1, momentum=0.9)
    scheduler = sched.CyclicLR(optimizer, base_lr=0.01, max_lr=0.1, step_size_up=5, mode="exp_range", gamma=0.9)
    lrs = _lrs(optimizer, scheduler, 16)
    for t in (2, 5, 15):
        position = 1 - abs(t / 5 - 2 * math.floor(1 + t / 10) + 1)
        assert lrs[t] == pytest.approx(0.01 + 0.09 * position * 0.9**t, rel=1e-12)
