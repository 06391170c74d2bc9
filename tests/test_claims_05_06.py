"""Each test guards one sentence of notebooks 05 (one-cycle) and 06 (all five side by side): a torch
behaviour the prose asserts, checked against real torch (lrutils only where the sentence is about it).
"""

from __future__ import annotations

import inspect

import pytest
import torch
from torch.optim import lr_scheduler as sched

import lrutils
from lrutils.curves.blog import blog_sketch
from lrutils.training.demo import LR_GRID


def _sgd(lr: float = 0.1, **kwargs: float) -> torch.optim.SGD:
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr, **kwargs)


def _lrs(optimizer: torch.optim.Optimizer, scheduler: object, n: int) -> list[float]:
    """The lr each of ``n`` optimizer steps used, stepping in torch's order (optimizer, then scheduler)."""
    out = []
    for _ in range(n):
        out.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()  # type: ignore[attr-defined]
    return out


# --- 05 · One-cycle -----------------------------------------------------------------------------


def test_one_cycle_ignores_the_optimizers_lr_and_starts_at_max_lr_over_div_factor() -> None:
    """05 "The idea": built on SGD(lr=0.5), the lr is 0.004 = max_lr / div_factor right after construction."""
    optimizer = _sgd(lr=0.5)
    sched.OneCycleLR(optimizer, max_lr=0.1, steps_per_epoch=100, epochs=10)
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.1 / 25, rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "total", "peak"),
    [
        ({"max_lr": 0.1, "steps_per_epoch": 100, "epochs": 10}, 1000, 299),  # the blog's call
        ({"max_lr": 0.1, "epochs": 30, "steps_per_epoch": 30}, 900, 269),  # the demo's cycle
        ({"max_lr": 0.1, "epochs": 5, "steps_per_epoch": 40, "pct_start": 0.25}, 200, 49),  # exercise 2
    ],
)
def test_one_cycle_peaks_at_max_lr_on_step_pct_start_times_total_steps_minus_one(kwargs, total, peak) -> None:
    """05: "The peak is at step 299 (0.3 * 1000 - 1)"; the demo's at batch 269; exercise 2's at step 49."""
    lrs = _lrs(optimizer := _sgd(), sched.OneCycleLR(optimizer, **kwargs), total)
    assert lrs.index(max(lrs)) == peak
    assert lrs[peak] == kwargs["max_lr"]


@pytest.mark.parametrize(
    ("kwargs", "last"),
    [
        ({"max_lr": 0.1, "total_steps": 1000}, 0.1 / 25 / 1e4),
        ({"max_lr": 0.3, "total_steps": 500, "div_factor": 10.0}, 3e-6),
    ],
)
def test_one_cycle_ends_at_max_lr_over_div_factor_over_final_div_factor(kwargs, last) -> None:
    """05: the last lr is 4e-07 = 0.1 / 25 / 1e4 (exercise 1: 0.3 / 10 / 1e4 = 3e-06), not 0."""
    lrs = _lrs(optimizer := _sgd(), sched.OneCycleLR(optimizer, **kwargs), kwargs["total_steps"])
    assert lrs[-1] == pytest.approx(last, rel=1e-9)
    assert min(lrs) > 0


def test_one_cycle_stepped_once_per_epoch_never_leaves_the_warm_up() -> None:
    """05 pitfall: epochs=30, steps_per_epoch=30 stepped once per epoch ends after 30 of 900 steps, still rising."""
    lrs = _lrs(optimizer := _sgd(), sched.OneCycleLR(optimizer, max_lr=0.1, epochs=30, steps_per_epoch=30), 30)
    assert all(b > a for a, b in zip(lrs, lrs[1:], strict=False))
    assert lrs[-1] < 0.02


def test_one_cycle_zero_length_warm_up_raises_zero_division_at_construction() -> None:
    """05 pitfall: pct_start=0.1, total_steps=10 puts the warm-up's end at step 0; torch divides by zero."""
    with pytest.raises(ZeroDivisionError):
        sched.OneCycleLR(_sgd(), max_lr=0.1, total_steps=10, pct_start=0.1)


def test_blog_one_cycle_sketch_falls_towards_0_and_ends_at_9_9e_5() -> None:
    """05 and 06: the blog's sketch starts at exactly 0, peaks at epoch 50 and is at 9.9e-05 at epoch 99 (not 0)."""
    sketch = blog_sketch("OneCycleLR")
    assert sketch[0] == 0.0 and int(sketch.argmax()) == 50
    assert sketch[-1] == pytest.approx(9.866e-5, rel=1e-3)


# --- 06 · All five side by side -----------------------------------------------------------------


def test_cosine_annealing_stepped_past_t_max_rises_back_to_the_top_at_two_t_max() -> None:
    """06 difference 3 and the table: CosineAnnealingLR(T_max=100) is near 0 at epoch 99, halfway at 150, back at
    0.1 at 199-200 (period 2 T_max)."""
    lrs = _lrs(optimizer := _sgd(), sched.CosineAnnealingLR(optimizer, T_max=100), 201)
    assert lrs[99] == pytest.approx(2.467e-5, rel=1e-3)
    assert lrs[100] == pytest.approx(0.0, abs=1e-15)
    assert lrs[150] == pytest.approx(0.05, rel=1e-9)
    assert lrs[200] == pytest.approx(0.1, rel=1e-9)
    assert all(b > a for a, b in zip(lrs[100:200], lrs[101:201], strict=True))


def test_warm_restarts_jump_back_to_the_initial_lr_at_t_0() -> None:
    """06 difference 3: CosineAnnealingWarmRestarts(T_0=50) is at 9.9e-05 at epoch 49 and at 0.1 at epoch 50."""
    lrs = _lrs(optimizer := _sgd(), sched.CosineAnnealingWarmRestarts(optimizer, T_0=50), 51)
    assert lrs[49] == pytest.approx(9.866e-5, rel=1e-3)
    assert lrs[50] == 0.1


def test_exponential_lr_gamma_0_9_leaves_half_a_percent_after_50_epochs() -> None:
    """06 table: gamma compounds, 0.9 per epoch leaves 0.9**50 (about 0.005) of the lr after 50 epochs."""
    lrs = _lrs(optimizer := _sgd(lr=1.0), sched.ExponentialLR(optimizer, gamma=0.9), 51)
    assert lrs[50] == pytest.approx(0.9**50, rel=1e-9)
    assert round(lrs[50], 3) == 0.005


def test_reduce_on_plateau_docstring_says_models_benefit_from_a_factor_of_2_to_10() -> None:
    """06 table: the ReduceLROnPlateau row quotes torch's docstring."""
    doc = " ".join(inspect.getdoc(sched.ReduceLROnPlateau).split())
    assert "Models often benefit from reducing the learning rate by a factor of 2-10 once learning stagnates." in doc


def _first_cut(metrics: list[float], patience: int = 2, threshold: float = 1e-4) -> int | None:
    """The epoch after whose ``step(metric)`` ReduceLROnPlateau first lowers the lr (None: never)."""
    optimizer = _sgd()
    scheduler = sched.ReduceLROnPlateau(optimizer, patience=patience, factor=0.5, threshold=threshold)
    for epoch, metric in enumerate(metrics):
        optimizer.step()
        scheduler.step(metric)
        if optimizer.param_groups[0]["lr"] < 0.1:
            return epoch
    return None


def test_reduce_on_plateau_noise_on_a_plateau_delays_the_cut_unless_threshold_ignores_it() -> None:
    """06 table: noise moves the cuts, late on a plateau: each chance dip below the best restarts the count;
    a larger ``threshold`` ignores the small dips."""
    flat = [2.0 - 0.2 * e for e in range(6)] + [1.0] * 20  # falls until epoch 5, then flat
    noisy = list(flat)
    for epoch in (7, 9, 11):
        noisy[epoch] = 1.0 - 0.01 * (epoch - 5)  # chance readings just below the best so far
    assert _first_cut(flat) == 8
    assert _first_cut(noisy) == 14
    assert _first_cut(noisy, threshold=0.1) == 8  # dips of up to 6 % are not an improvement of more than 10 %


def test_reduce_on_plateau_a_lucky_dip_triggers_an_early_cut() -> None:
    """06 table: noise moves the cuts, early after a lucky dip: a best the next epochs cannot beat."""
    trend = [1.0 - 0.01 * e for e in range(20)]  # improving every epoch by more than the threshold
    lucky = list(trend)
    lucky[3] = 0.5  # one lucky reading
    assert _first_cut(trend) is None
    assert _first_cut(lucky) == 6


def test_tuned_lrs_are_the_lrs_compare_uses_with_lr_tuned() -> None:
    """06: the scheduler notebooks' compare(..., lr="tuned") trains each schedule at lrutils.TUNED_LR."""
    c = lrutils.compare([None, *lrutils.BLOG_SCHEDULERS], lr="tuned", epochs=1, seeds=2, progress=False)
    assert c.lrs == lrutils.TUNED_LR


def test_the_constants_best_lr_on_the_evaluation_seeds_is_0_05() -> None:
    """06 "Against the constant's best lr in hindsight": of the sweep's five lrs, 0.05 gives the constant the lowest
    mean final validation loss on seeds 0-9 (the sweep on seeds 100-102 chose 0.1)."""
    c = lrutils.compare({f"constant {lr}": lrutils.Setup(None, lr) for lr in LR_GRID}, progress=False)
    means = {lr: c.summary(f"constant {lr}").mean for lr in LR_GRID}
    assert min(means, key=means.get) == 0.05
    assert means[0.05] < means[0.1]  # the lr the sweep chose is not the best on these seeds
