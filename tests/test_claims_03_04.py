"""Claims of notebooks 03 (cosine annealing) and 04 (reduce on plateau) that no cell demonstrates by running it.

Each test names the sentence it guards and asserts concrete values against real torch, so that a torch
upgrade that changes the behaviour, or an edit back to a wrong wording, has a failing test to point at.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch
from torch.optim import lr_scheduler as sched


def _sgd(lr: float = 0.1) -> torch.optim.SGD:
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)


def _plateau_lrs(metrics: np.ndarray, **kwargs: float) -> np.ndarray:
    """The lr used in epochs 0..len(metrics): real torch, stepped with ``metrics[epoch]`` after each epoch."""
    optimizer = _sgd()
    scheduler = sched.ReduceLROnPlateau(optimizer, **kwargs)
    lrs = [optimizer.param_groups[0]["lr"]]
    for m in metrics:
        optimizer.step()
        scheduler.step(float(m))
        lrs.append(optimizer.param_groups[0]["lr"])
    return np.array(lrs)


def _cuts(lrs: np.ndarray) -> list[int]:
    return [int(e) for e in np.flatnonzero(np.diff(lrs)) + 1]


# --- 03 -----------------------------------------------------------------------------------------


def _cosine_halved_at_10(eta_min: float) -> tuple[float, float]:
    """(torch's lr at step 20, the formula's) for CosineAnnealingLR(T_max=100) with the lr halved by hand at step 10."""
    optimizer = _sgd()
    scheduler = sched.CosineAnnealingLR(optimizer, T_max=100, eta_min=eta_min)
    for step in range(20):
        if step == 10:
            optimizer.param_groups[0]["lr"] /= 2
        optimizer.step()
        scheduler.step()
    formula = eta_min + (0.1 - eta_min) * (1 + math.cos(math.pi * 20 / 100)) / 2
    return optimizer.param_groups[0]["lr"], formula


def test_cosine_carries_a_halving_as_exactly_half_only_with_eta_min_0() -> None:
    """03 pitfall 3: "exactly half. That holds with eta_min = 0; with a floor, torch scales the distance to
    eta_min instead, so the ratio is no longer exactly one half"."""
    torch_lr, formula = _cosine_halved_at_10(0.0)
    assert torch_lr == pytest.approx(formula / 2, rel=1e-12)
    eta_min = 0.01
    torch_lr, formula = _cosine_halved_at_10(eta_min)
    at_10 = eta_min + (0.1 - eta_min) * (1 + math.cos(math.pi * 10 / 100)) / 2  # the lr before the halving
    ratio = (1 + math.cos(math.pi * 20 / 100)) / (1 + math.cos(math.pi * 10 / 100))
    assert torch_lr - eta_min == pytest.approx((at_10 / 2 - eta_min) * ratio, rel=1e-12)  # the distance, scaled
    assert abs(torch_lr / formula - 0.5) > 1e-3  # 0.504 here: near, but not exactly, one half


# --- 04 -----------------------------------------------------------------------------------------


def test_plateau_single_drop_needs_no_11_bad_epochs_after_the_cut_not_an_improvement_at_50() -> None:
    """04 "Where the blog's sketch differs": torch makes the blog's single drop at epoch 50 only if the last
    improvement before it is after epoch 38 and the loss never again goes 11 epochs without improving (it need
    not improve at epoch 50 itself)."""
    loss = list(np.linspace(1.0, 0.5, 39))  # improves up to and including epoch 38
    loss += [0.5] * 16  # epochs 39-54: no improvement at epoch 50
    best = 0.5
    for epoch in range(55, 99):  # then an improvement every 11th epoch: 10 bad ones in between
        if (epoch - 55) % 11 == 0:
            best *= 0.9
        loss.append(best)
    assert _cuts(_plateau_lrs(np.array(loss), patience=10, factor=0.1)) == [50]
    loss[66] = loss[65]  # the improvement due at epoch 66 comes one epoch late: 11 bad epochs in a row
    loss[67:77] = [loss[67]] * 10
    assert _cuts(_plateau_lrs(np.array(loss), patience=10, factor=0.1))[:2] == [50, 67]


@pytest.mark.parametrize("factor", [0.1, 0.3, 0.5, 0.9])
def test_plateau_eps_stops_the_cuts_once_lr_is_at_most_eps_over_one_minus_factor(factor: float) -> None:
    """04 `eps`: "torch stops cutting once lr <= eps / (1 - factor)" (with min_lr = 0): the cut before the last
    lr was applied, the next one is not."""
    lrs = _plateau_lrs(np.ones(600), patience=0, factor=factor)
    last = lrs[-1]
    bound = 1e-8 / (1 - factor)
    assert last <= bound < last / factor
    assert lrs[-2] == last and len(set(lrs[-10:].tolist())) == 1


def test_only_warm_restarts_take_an_epoch_in_step_without_a_deprecation_warning() -> None:
    """04 "Stepping it in a training loop": the other schedulers are stepped without an argument;
    CosineAnnealingWarmRestarts may also take a fractional epoch (an epoch passed to another scheduler warns)."""
    optimizer = _sgd()
    restarts = sched.CosineAnnealingWarmRestarts(optimizer, T_0=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optimizer.step()
        restarts.step(2.5)
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.05 * (1 + math.cos(math.pi * 2.5 / 10)), rel=1e-12)
    step_lr = sched.StepLR(_sgd(), step_size=1)
    with pytest.warns(UserWarning, match="epoch parameter"):
        step_lr.optimizer.step()
        step_lr.step(3)
