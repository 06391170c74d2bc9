"""Each test guards one sentence of the notebooks: a torch behaviour the prose asserts.

These are the claims that no notebook cell demonstrates by running it (or that a fact-check
found wrong, in their corrected form; see ``/work/reports/factcheck.md``). Each test names the
notebook and cell it guards in its docstring and asserts concrete values against real torch
(lrutils only where the sentence is about lrutils), so a torch upgrade that changes the
behaviour, or a notebook edit back to the wrong wording, has a failing test to point at.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np
import pytest
import torch
from torch.optim import lr_scheduler as sched

import lrutils
from lrutils.curves.blog import blog_sketch, plateau_demo_metric
from lrutils.curves.synthetic import synthetic_val_loss


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


def _plateau_lrs(metrics: np.ndarray, **kwargs: float) -> np.ndarray:
    """lr used in epoch i, with ``metrics[i]`` passed to ``step`` after epoch i."""
    optimizer = _sgd()
    scheduler = sched.ReduceLROnPlateau(optimizer, **kwargs)
    out = []
    for m in metrics:
        out.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step(float(m))
    out.append(optimizer.param_groups[0]["lr"])
    return np.array(out)


# --- 00 / 01: the call order ---------------------------------------------------------------


def test_step_before_optimizer_warns_and_shifts_schedule() -> None:
    """00 (the torch loop), 01 (pitfall 1): scheduler.step() first warns and moves the schedule one step earlier."""
    optimizer = _sgd()
    scheduler = sched.StepLR(optimizer, step_size=10, gamma=0.5)
    used = []
    with pytest.warns(UserWarning, match=r"before `optimizer.step\(\)`"):
        scheduler.step()  # the old order: before any optimizer.step()
    used.append(optimizer.param_groups[0]["lr"])
    optimizer.step()
    for _ in range(10):
        scheduler.step()
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
    assert used[:9] == [0.1] * 9
    assert used[9] == 0.05  # the value meant for epoch 10 arrives at epoch 9


def test_order_warning_is_checked_on_the_first_scheduler_step_only() -> None:
    """00 ("PyTorch notices, once"), 01 pitfall 1 ("warns once"): the order is checked at the first step only."""
    optimizer = _sgd()
    scheduler = sched.StepLR(optimizer, step_size=1, gamma=0.5)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(5):
            scheduler.step()  # always before optimizer.step()
            optimizer.step()
    assert len(caught) == 1
    assert "Detected call of `lr_scheduler.step()` before `optimizer.step()`" in str(caught[0].message)


def test_reduce_on_plateau_only_writes_the_lr_when_it_cuts() -> None:
    """00 cell 19 (corrected): schedulers rewrite the lr at every step(); ReduceLROnPlateau only when it cuts."""
    optimizer = _sgd()
    scheduler = sched.ReduceLROnPlateau(optimizer, patience=0, factor=0.5)
    scheduler.step(1.0)  # first value: an improvement on inf
    optimizer.param_groups[0]["lr"] = 0.07  # changed by hand
    scheduler.step(0.5)  # improvement: the scheduler leaves the lr alone
    assert optimizer.param_groups[0]["lr"] == 0.07
    scheduler.step(0.9)  # no improvement, patience 0: cut from the current lr
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.035, rel=1e-15)


# --- 01 / 02: step and exponential decay -------------------------------------------------


def test_step_lr_default_gamma_is_a_tenth() -> None:
    """01 cell 2: "Careful: torch's default is gamma=0.1 (divide by 10), not the blog's 0.5"."""
    optimizer = _sgd()
    assert _lrs(optimizer, sched.StepLR(optimizer, step_size=2), 5) == pytest.approx([0.1, 0.1, 0.01, 0.01, 0.001])


def test_exponential_lr_has_no_default_gamma() -> None:
    """02 cell 2: "gamma has no default in torch: you must choose it"."""
    with pytest.raises(TypeError, match="gamma"):
        sched.ExponentialLR(_sgd())  # type: ignore[call-arg]


def test_step_lr_with_step_size_one_is_exponential_lr() -> None:
    """01 cell 7: "step_size = 1: ... exactly ExponentialLR" (bit for bit: both multiply the current lr)."""
    a, b = _sgd(), _sgd()
    step = _lrs(a, sched.StepLR(a, step_size=1, gamma=0.9), 100)
    exponential = _lrs(b, sched.ExponentialLR(b, gamma=0.9), 100)
    assert step == exponential


def test_step_lr_multiplies_the_current_lr_at_every_step_size_th_step() -> None:
    """01 cell 6: torch "multiplies the current lr by gamma at every step_size-th step" (not base_lr * gamma**k)."""
    optimizer = _sgd()
    scheduler = sched.StepLR(optimizer, step_size=3, gamma=0.5)
    assert _lrs(optimizer, scheduler, 4) == [0.1, 0.1, 0.1, 0.05]  # the cut at step 3 ...
    optimizer.param_groups[0]["lr"] = 0.02  # changed by hand at step 4
    assert _lrs(optimizer, scheduler, 3) == [0.02, 0.02, 0.01]  # ... the next cut (step 6) halves the current lr


def test_exponential_lr_multiplies_the_current_lr() -> None:
    """02 cell 6: "torch multiplies the current lr by 0.9 at every step" (numpy raises 0.9 to the power t)."""
    optimizer = _sgd()
    scheduler = sched.ExponentialLR(optimizer, gamma=0.9)
    _lrs(optimizer, scheduler, 5)
    optimizer.param_groups[0]["lr"] = 0.02  # changed by hand at step 5
    assert _lrs(optimizer, scheduler, 3) == pytest.approx([0.02, 0.018, 0.0162], rel=1e-15)


def test_lr_curve_matches_step_lr_bit_for_bit_only_for_a_power_of_two_gamma() -> None:
    """01 cell 6 and summary: lr_curve matches torch to the bit for gamma=0.5, only to rounding for e.g. 0.1."""
    for gamma, exact in [(0.5, True), (0.1, False)]:
        optimizer = _sgd()
        torch_lrs = np.array(_lrs(optimizer, sched.StepLR(optimizer, step_size=10, gamma=gamma), 100))
        ours = lrutils.lr_curve("StepLR", 100, base_lr=0.1, step_size=10, gamma=gamma)
        assert np.array_equal(ours, torch_lrs) is exact
        np.testing.assert_allclose(ours, torch_lrs, rtol=1e-14, atol=0)


def test_blog_sketches_equal_torch_only_up_to_rounding_for_exponential_and_cosine() -> None:
    """07 (the blog's grid), 02 (the sketch): step decay is exact; exponential and cosine match torch to ~1e-17."""
    makers: dict[str, Callable[[torch.optim.Optimizer], object]] = {
        "StepLR": lambda o: sched.StepLR(o, step_size=10, gamma=0.5),
        "ExponentialLR": lambda o: sched.ExponentialLR(o, gamma=0.9),
        "CosineAnnealingLR": lambda o: sched.CosineAnnealingLR(o, T_max=100),
    }
    for name, make in makers.items():
        optimizer = _sgd()
        diff = np.abs(blog_sketch(name) - np.array(_lrs(optimizer, make(optimizer), 100))).max()
        if name == "StepLR":
            assert diff == 0.0
        else:
            assert 0.0 < diff < 1e-16


# --- 03: cosine annealing ----------------------------------------------------------------


def test_cosine_annealing_carries_a_manual_lr_change_along() -> None:
    """03 cells 19-21: the recursive form continues from the optimizer's lr instead of snapping back to the formula."""
    optimizer = _sgd()
    scheduler = sched.CosineAnnealingLR(optimizer, T_max=100)
    _lrs(optimizer, scheduler, 10)
    optimizer.param_groups[0]["lr"] = 0.05  # halve it by hand at step 10
    _lrs(optimizer, scheduler, 10)
    formula_20 = 0.1 * (1 + math.cos(math.pi * 20 / 100)) / 2
    carried = 0.05 * (1 + math.cos(math.pi * 20 / 100)) / (1 + math.cos(math.pi * 10 / 100))
    assert optimizer.param_groups[0]["lr"] == pytest.approx(carried, rel=1e-12)
    assert optimizer.param_groups[0]["lr"] < 0.6 * formula_20


# --- 04 / 06: reduce on plateau ------------------------------------------------------------


def test_plateau_demo_metric_improves_again_after_epoch_50() -> None:
    """04 cells 5-11 (corrected): the scripted loss is flat only for epochs 38-49; kept flat, torch cuts again at 61."""
    metric = plateau_demo_metric()
    assert int(np.argmin(metric[:50])) == 38
    assert metric[50] < metric[38]  # it improves again, so torch cuts once
    cuts = np.flatnonzero(np.diff(_plateau_lrs(metric, patience=10, factor=0.1))) + 1
    assert cuts.tolist() == [50]
    flat = np.concatenate([metric[:39], np.full(60, metric[38])])
    cuts_flat = np.flatnonzero(np.diff(_plateau_lrs(flat, patience=10, factor=0.1))) + 1
    assert cuts_flat.tolist() == [50, 61, 72, 83, 94]


def test_plateau_first_reduced_epoch_is_patience_plus_two_after_the_loss_flattens() -> None:
    """04 cells 12-14, 20 (corrected): the reduced lr first shows up at flat_from + patience + 2 on the lr[i] plot."""
    for flat_from in (20, 40, 60):
        lrs = _plateau_lrs(synthetic_val_loss(99, flat_from=flat_from), patience=10, factor=0.1)
        assert int(np.argmax(lrs < 0.1)) == flat_from + 12


def test_reduce_on_plateau_cuts_stop_at_eps_not_at_min_lr() -> None:
    """07 cells 8-9, 34 (corrected): on a flat loss the cuts stop at 1e-8 (a cut below eps is skipped); never 0."""
    lrs = _plateau_lrs(synthetic_val_loss(299, flat_from=20), patience=10, factor=0.1)
    cuts = np.flatnonzero(np.diff(lrs)) + 1
    assert cuts.tolist() == [32, 43, 54, 65, 76, 87, 98]  # none after epoch 98 in 300 epochs
    assert lrs[-1] == pytest.approx(1e-8, rel=1e-12)


def test_reduce_on_plateau_get_last_lr_is_a_list_per_group() -> None:
    """04 cell 22: get_last_lr() is a list (one lr per parameter group) that follows the cuts, like param_groups."""
    optimizer = torch.optim.SGD(
        [{"params": [torch.zeros(1, requires_grad=True)]}, {"params": [torch.zeros(1, requires_grad=True)], "lr": 1.0}],
        lr=0.1,
    )
    scheduler = sched.ReduceLROnPlateau(optimizer, patience=0, factor=0.5)
    assert scheduler.get_last_lr() == [0.1, 1.0]
    for metric in (1.0, 1.0):
        optimizer.step()
        scheduler.step(metric)
    assert scheduler.get_last_lr() == [0.05, 0.5] == [g["lr"] for g in optimizer.param_groups]


@pytest.mark.parametrize(
    ("mode", "threshold_mode", "not_better", "better"),
    [
        ("min", "rel", 0.9, 0.89),  # best 1.0, threshold 0.1: needs < 1.0 * (1 - 0.1)
        ("min", "abs", 0.9, 0.89),  # needs < 1.0 - 0.1
        ("max", "rel", 1.1, 1.11),  # needs > 1.0 * (1 + 0.1)
        ("max", "abs", 1.1, 1.11),  # needs > 1.0 + 0.1
    ],
)
def test_reduce_on_plateau_what_counts_as_better(mode: str, threshold_mode: str, not_better: float, better: float):
    """05 cell 2: the table of improvement rules for mode x threshold_mode (best 1.0, threshold 0.1)."""
    kwargs = dict(mode=mode, threshold_mode=threshold_mode, threshold=0.1, patience=0, factor=0.5)
    # patience=0: the first metric that is not better cuts the lr for the next epoch
    assert _plateau_lrs(np.array([1.0, not_better]), **kwargs).tolist() == [0.1, 0.1, 0.05]
    assert _plateau_lrs(np.array([1.0, better]), **kwargs).tolist() == [0.1, 0.1, 0.1]


# --- 06: one-cycle (05 before the split) --------------------------------------------------


def test_one_cycle_div_factor_one_starts_at_max_lr() -> None:
    """06 cell 15 (corrected): div_factor=1 makes the warm-up flat at max_lr; a large one starts near 0."""
    optimizer = _sgd(momentum=0.9)
    flat = _lrs(optimizer, sched.OneCycleLR(optimizer, max_lr=0.1, total_steps=100, div_factor=1.0), 30)
    assert flat == pytest.approx([0.1] * 30, rel=1e-12)
    optimizer = _sgd(momentum=0.9)
    low = _lrs(optimizer, sched.OneCycleLR(optimizer, max_lr=0.1, total_steps=100, div_factor=1e4), 30)
    assert low[0] == pytest.approx(1e-5, rel=1e-12)
    assert int(np.argmax(low)) == 29


def test_one_cycle_anneal_strategy_applies_to_every_phase() -> None:
    """06 cells 12, 15 (corrected): "linear" also makes the decay linear; the blog's sketch decays along a cosine."""
    optimizer = _sgd(momentum=0.9)
    kwargs = dict(max_lr=0.1, total_steps=101, pct_start=0.5, div_factor=1e4, final_div_factor=1.0)
    lin = _lrs(optimizer, sched.OneCycleLR(optimizer, anneal_strategy="linear", **kwargs), 101)
    # warm-up ends at step 0.5 * 101 - 1 = 49.5, the decay runs to step 100: linear means equal steps down
    assert np.diff(lin[51:]) == pytest.approx([np.diff(lin[51:])[0]] * 49, rel=1e-9)
    optimizer = _sgd(momentum=0.9)
    cos = _lrs(optimizer, sched.OneCycleLR(optimizer, anneal_strategy="cos", **kwargs), 101)
    assert abs(np.diff(cos[51:])[0]) < 0.5 * abs(np.diff(cos[51:])[24])  # the cosine starts gently


def test_one_cycle_sets_momentum_on_plain_sgd_and_sgd_uses_it() -> None:
    """06 cells 3-4: "plain SGD" gets momentum 0.95 and SGD reads it at every step (a momentum buffer appears)."""
    param = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([param], lr=0.1)  # momentum=0
    scheduler = sched.OneCycleLR(optimizer, max_lr=0.1, total_steps=10)
    assert optimizer.param_groups[0]["momentum"] == 0.95
    param.grad = torch.ones(1)
    optimizer.step()
    scheduler.step()
    assert optimizer.state[param]["momentum_buffer"] is not None


def _lrs_betas(optimizer: torch.optim.Optimizer, scheduler: object, n: int) -> list[float]:
    out = []
    for _ in range(n):
        out.append(optimizer.param_groups[0]["betas"][0])
        optimizer.step()
        scheduler.step()
    return out


def test_one_cycle_cycles_adam_beta1() -> None:
    """06 cell 4: "with Adam, OneCycleLR cycles betas[0] instead" (0.95 -> 0.85 at the peak -> 0.95)."""
    optimizer = torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=1e-3)
    scheduler = sched.OneCycleLR(optimizer, max_lr=1e-3, total_steps=10)
    beta1 = _lrs_betas(optimizer, scheduler, 10)
    assert beta1[0] == pytest.approx(0.95)
    assert min(beta1) == pytest.approx(0.85)
    assert beta1[-1] == pytest.approx(0.95)
    assert optimizer.param_groups[0]["betas"][1] == 0.999


def test_one_cycle_three_phase_returns_to_the_start_lr_at_step_598() -> None:
    """06 cells 12-14: three_phase goes back down to max_lr / div_factor over as many steps (299..598)."""
    optimizer = _sgd(momentum=0.9)
    lrs = _lrs(optimizer, sched.OneCycleLR(optimizer, max_lr=0.1, total_steps=1000, three_phase=True), 1000)
    assert int(np.argmax(lrs)) == 299
    assert lrs[598] == pytest.approx(0.004, rel=1e-12)
    assert lrs[999] == pytest.approx(4e-7, rel=1e-9)


def test_one_cycle_accepts_total_steps_calls_and_raises_on_the_next() -> None:
    """06 cells 21, 35: total_steps step() calls are fine; the next raises ("Tried to step 1001 times")."""
    optimizer = _sgd(momentum=0.9)
    scheduler = sched.OneCycleLR(optimizer, max_lr=0.1, steps_per_epoch=100, epochs=10)
    for _ in range(1000):
        optimizer.step()
        scheduler.step()
    with pytest.raises(ValueError, match="Tried to step 1001 times. The specified number of total steps is 1000"):
        scheduler.step()


# --- 08: warm-up and composing ------------------------------------------------------------------------


def test_pieces_other_than_lambda_lr_scale_the_current_lr() -> None:
    """08 section 1: torch steps LinearLR, ConstantLR, MultiStepLR and PolynomialLR recursively (current lr times
    f(t) / f(t-1)), so a hand-made change is carried along; LambdaLR computes base_lr * f(t) and snaps back."""
    pieces = {
        "LinearLR": lambda o: sched.LinearLR(o, start_factor=0.1, total_iters=10),
        "ConstantLR": lambda o: sched.ConstantLR(o, factor=0.25, total_iters=3),
        "MultiStepLR": lambda o: sched.MultiStepLR(o, milestones=[3], gamma=0.5),
        "PolynomialLR": lambda o: sched.PolynomialLR(o, total_iters=10, power=2.0),
        "LambdaLR": lambda o: sched.LambdaLR(o, lambda t: 0.9**t),
    }
    for name, make in pieces.items():
        plain, halved = _sgd(1.0), _sgd(1.0)
        a, b = make(plain), make(halved)
        for t in range(6):
            if t == 1:
                halved.param_groups[0]["lr"] /= 2
            for optimizer, scheduler in ((plain, a), (halved, b)):
                optimizer.step()
                scheduler.step()
        ratio = halved.param_groups[0]["lr"] / plain.param_groups[0]["lr"]
        assert ratio == pytest.approx(1.0 if name == "LambdaLR" else 0.5, rel=1e-12), name


def test_chained_scheduler_lambda_stage_overwrites_previous_factors() -> None:
    """08 sections 2, 6.4 (corrected): LambdaLR computes from base_lrs, so it overwrites the pieces before it."""
    optimizer = _sgd(1.0)
    chain = sched.ChainedScheduler([sched.ExponentialLR(optimizer, 0.5), sched.LambdaLR(optimizer, lambda t: 1.0)])
    assert _lrs(optimizer, chain, 5) == [1.0] * 5
    optimizer = _sgd(1.0)  # the other order: the recursive piece multiplies what LambdaLR wrote
    chain = sched.ChainedScheduler([sched.LambdaLR(optimizer, lambda t: 1.0), sched.ExponentialLR(optimizer, 0.5)])
    assert _lrs(optimizer, chain, 4) == [1.0, 0.5, 0.5, 0.5]


def test_chained_scheduler_cyclic_and_one_cycle_overwrite_previous_factors() -> None:
    """08 section 2 and summary (corrected): CyclicLR and OneCycleLR also overwrite the lr instead of multiplying."""
    optimizer = _sgd(1.0, momentum=0.9)
    chain = sched.ChainedScheduler(
        [sched.ExponentialLR(optimizer, 0.5), sched.OneCycleLR(optimizer, max_lr=1.0, total_steps=10)]
    )
    optimizer_alone = _sgd(1.0, momentum=0.9)
    alone = sched.OneCycleLR(optimizer_alone, max_lr=1.0, total_steps=10)
    assert _lrs(optimizer, chain, 5) == _lrs(optimizer_alone, alone, 5)
    optimizer = _sgd(1.0, momentum=0.9)
    chain = sched.ChainedScheduler(
        [sched.ExponentialLR(optimizer, 0.5), sched.CyclicLR(optimizer, base_lr=0.5, max_lr=1.0, step_size_up=4)]
    )
    assert _lrs(optimizer, chain, 5)[1:] == pytest.approx([0.625, 0.75, 0.875, 1.0])


def test_chained_scheduler_recursive_pieces_multiply() -> None:
    """08 section 2: for pieces that scale the current lr (LinearLR, ExponentialLR, ...) the factors do multiply."""
    optimizer = _sgd(1.0)
    chain = sched.ChainedScheduler(
        [sched.LinearLR(optimizer, start_factor=0.1, total_iters=4), sched.ExponentialLR(optimizer, 0.5)]
    )
    linear = [0.1 + 0.9 * min(t, 4) / 4 for t in range(8)]
    assert _lrs(optimizer, chain, 8) == pytest.approx([f * 0.5**t for t, f in enumerate(linear)], rel=1e-12)


def test_chained_scheduler_refuses_reduce_on_plateau() -> None:
    """08 pitfall 6.5: torch refuses ReduceLROnPlateau in ChainedScheduler too, not only in SequentialLR."""
    optimizer = _sgd()
    with pytest.raises(ValueError, match="ChainedScheduler does not support `ReduceLROnPlateau`"):
        sched.ChainedScheduler([sched.LinearLR(optimizer), sched.ReduceLROnPlateau(optimizer)])


def test_multistep_repeated_milestone_multiplies_twice() -> None:
    """08 section 1: a milestone listed twice multiplies by gamma twice."""
    optimizer = _sgd(1.0)
    assert _lrs(optimizer, sched.MultiStepLR(optimizer, [2, 4, 4], gamma=0.5), 6) == [1.0, 1.0, 0.5, 0.5, 0.125, 0.125]


def test_linear_lr_refuses_start_factor_zero() -> None:
    """08 pitfall 6.3 (corrected): LinearLR(start_factor=0) is a ValueError; its update would divide by zero."""
    with pytest.raises(ValueError, match="greater than 0"):
        sched.LinearLR(_sgd(), start_factor=0.0)
    optimizer = _sgd()
    assert _lrs(optimizer, sched.LambdaLR(optimizer, lambda t: min(1.0, t / 5)), 2) == pytest.approx([0.0, 0.02])
    optimizer = _sgd()  # forced past the check, the first step divides total_iters * 0 + 0 * (1 - 0)
    linear = sched.LinearLR(optimizer, start_factor=0.5, total_iters=5)
    linear.start_factor = 0.0
    optimizer.step()
    with pytest.raises(ZeroDivisionError):
        linear.step()


def test_chained_scheduler_warm_restarts_overwrite_previous_factors() -> None:
    """08 section 2 and summary (corrected): CosineAnnealingWarmRestarts also computes from the initial lr."""
    optimizer = _sgd(1.0)
    chain = sched.ChainedScheduler(
        [sched.ExponentialLR(optimizer, 0.5), sched.CosineAnnealingWarmRestarts(optimizer, T_0=100)]
    )
    optimizer_alone = _sgd(1.0)
    alone = sched.CosineAnnealingWarmRestarts(optimizer_alone, T_0=100)
    assert _lrs(optimizer, chain, 5) == pytest.approx(_lrs(optimizer_alone, alone, 5), rel=1e-15)


def test_polynomial_lr_reaches_exactly_zero_and_stays() -> None:
    """08 section 1: "PolynomialLR reaches exactly 0 at total_iters and stays there"."""
    optimizer = _sgd()
    lrs = _lrs(optimizer, sched.PolynomialLR(optimizer, total_iters=30, power=2.0), 35)
    assert lrs[29] > 0.0
    assert lrs[30:] == [0.0] * 5


def test_sequential_lr_duplicate_milestones_skip_the_stable_stage() -> None:
    """08 section 4: WSD with stable_steps=0 (milestones [10, 10]) is warm-up + linear decay, no error, no warning."""
    optimizer = _sgd()
    stages = [
        sched.LinearLR(optimizer, start_factor=0.01, total_iters=10),
        sched.ConstantLR(optimizer, factor=1.0, total_iters=0),
        sched.LinearLR(optimizer, start_factor=1.0, end_factor=0.0, total_iters=20),
    ]
    lrs = _lrs(optimizer, sched.SequentialLR(optimizer, stages, milestones=[10, 10]), 30)
    assert lrs[9] < lrs[10] == pytest.approx(0.1)
    assert lrs[10:] == pytest.approx([0.1 * (1 - k / 20) for k in range(20)], rel=1e-9)
    ours = lrutils.lr_curve("warmup_stable_decay", 30, 0.1, warmup_steps=10, stable_steps=0, decay_steps=20)
    np.testing.assert_allclose(ours, lrs, rtol=1e-12, atol=0)


# --- 09: warm restarts ----------------------------------------------------------------------


def test_warm_restarts_docstring_fractional_step_is_one_batch_late() -> None:
    """09 pitfall 2: torch's docstring loop, step(epoch + i / iters) after batch i, sets the lr for the batch that
    just ran: batch i then uses the cosine at epoch + (i - 1) / iters; epoch + (i + 1) / iters is on time."""

    def used(shift: int) -> list[float]:
        optimizer = _sgd(0.1)
        scheduler = sched.CosineAnnealingWarmRestarts(optimizer, T_0=2)
        lrs = []
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # and no warning for the explicit fractional epoch
            for epoch in range(4):
                for i in range(5):
                    lrs.append(optimizer.param_groups[0]["lr"])
                    optimizer.step()
                    scheduler.step(epoch + (i + shift) / 5)
        return lrs

    def cosine(x: float) -> float:
        return 0.1 * (1 + math.cos(math.pi * (x % 2) / 2)) / 2

    on_time = [cosine(k / 5) for k in range(20)]
    assert used(1) == pytest.approx(on_time, rel=1e-12)
    assert used(0) == pytest.approx([0.1, *on_time[:-1]], rel=1e-12)


# --- 10: cyclic ---------------------------------------------------------------------------


def test_cyclic_lr_default_step_size_up_is_2000() -> None:
    """10 pitfall 1: "step_size_up (default 2000) is a number of batches"."""
    optimizer = _sgd(momentum=0.9)
    lrs = _lrs(optimizer, sched.CyclicLR(optimizer, base_lr=0.01, max_lr=0.1), 30)
    assert lrs[29] == pytest.approx(0.01 + 0.09 * 29 / 2000, rel=1e-12)


def test_cyclic_lr_accepts_max_lr_below_base_lr_and_points_down() -> None:
    """10 explorer: "max_lr below base_lr: torch accepts it and the triangle points down"."""
    optimizer = _sgd(momentum=0.9)
    lrs = _lrs(optimizer, sched.CyclicLR(optimizer, base_lr=0.1, max_lr=0.01, step_size_up=5), 11)
    assert lrs[0] == pytest.approx(0.1)
    assert lrs[5] == pytest.approx(0.01)
    assert lrs[10] == pytest.approx(0.1)


def test_cyclic_lr_triangular2_overflows_in_cycle_1025() -> None:
    """10 pitfall 3: with step_size_up=10 (20-batch cycles) triangular2 raises OverflowError at batch 20,480."""
    optimizer = _sgd(momentum=0.9)
    scheduler = sched.CyclicLR(optimizer, base_lr=0.01, max_lr=0.1, step_size_up=10, mode="triangular2")
    optimizer.step()
    with pytest.raises(OverflowError):
        for _ in range(20_480):
            scheduler.step()
    assert scheduler.last_epoch == 20_480


def test_lrutils_demo_runs_cycle_momentum_for_cyclic_and_one_cycle() -> None:
    """06 and 07 (one-cycle), 10 (cyclic): the demo's SGD momentum 0.9 is overridden by CyclicLR and OneCycleLR."""
    cyclic = lrutils.train("CyclicLR", epochs=1)
    assert cyclic.momentum.min() == pytest.approx(0.8)
    assert cyclic.momentum.max() == pytest.approx(0.9)
    one_cycle = lrutils.train("OneCycleLR", epochs=1)
    assert one_cycle.momentum.min() == pytest.approx(0.85)
    assert one_cycle.momentum.max() == pytest.approx(0.95)
    assert one_cycle.lr[0] == pytest.approx(lrutils.training.demo.DEFAULT_LR / 25)  # max_lr = lr, div_factor 25


# --- 00 / 07 / glossary (rewritten for issues 10-12) -----------------------------------------


def test_the_order_rule_dates_from_pytorch_1_1() -> None:
    """00 cell 19: "The rule since PyTorch 1.1: first optimizer.step(), then scheduler.step()" (torch's own words)."""
    optimizer = _sgd()
    scheduler = sched.StepLR(optimizer, step_size=1)
    with pytest.warns(UserWarning, match=r"In PyTorch 1\.1\.0 and later, you should call them in the opposite order"):
        scheduler.step()


def test_exponential_lr_multiplies_the_current_lr_step_by_step() -> None:
    """07 cell 5: "torch updates those two step by step from the previous lr" (ExponentialLR; cosine: see 03's test)."""
    optimizer = _sgd()
    scheduler = sched.ExponentialLR(optimizer, gamma=0.9)
    _lrs(optimizer, scheduler, 3)
    optimizer.param_groups[0]["lr"] = 0.05  # changed by hand
    assert _lrs(optimizer, scheduler, 3)[1:] == pytest.approx([0.05 * 0.9, 0.05 * 0.9**2], rel=1e-15)


def test_schedulers_keep_their_start_lr_in_base_lrs_and_initial_lr() -> None:
    """glossary (base_lr / initial_lr): torch keeps the start lr in scheduler.base_lrs and group["initial_lr"]."""
    optimizer = _sgd(0.3)
    scheduler = sched.StepLR(optimizer, step_size=1, gamma=0.5)
    _lrs(optimizer, scheduler, 3)
    assert scheduler.base_lrs == [0.3]
    assert optimizer.param_groups[0]["initial_lr"] == 0.3
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.0375)


def test_reduce_on_plateau_never_goes_below_min_lr() -> None:
    """glossary (min_lr / eps): ReduceLROnPlateau stops at min_lr (the last cut is clipped to it)."""
    lrs = _plateau_lrs(np.ones(40), patience=0, factor=0.1, min_lr=0.002)
    assert lrs.min() == 0.002
    assert sorted(set(lrs.tolist()), reverse=True) == pytest.approx([0.1, 0.01, 0.002])
