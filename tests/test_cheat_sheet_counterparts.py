"""The cheat sheet's counterparts in other libraries: where each equals a torch scheduler or an lrutils
recipe, and where (start value, step count, one step earlier or later) it differs, as the cheat sheet says.

The libraries' formulas are re-typed below, operation for operation, from the files and lines listed
(none of the libraries is a dependency of this project; the re-typed functions were checked once, in a
separate environment, against the real transformers 5.25.0, timm 1.0.31 and fastai 2.8.12: equal to
1.1e-16 on the settings tested here). Each counts ``t`` as the number of scheduler steps already taken
(0 at the first optimizer step), as LambdaLR does.

* transformers 5.25.0, ``src/transformers/optimization.py``: the ``lr_lambda`` of ``get_scheduler``'s
  names ``cosine`` (lines 326-334, ``min_lr_rate=0``), ``cosine_with_restarts`` (177-185),
  ``polynomial`` (221-239), ``inverse_sqrt`` (288-293, ``timescale`` default ``num_warmup_steps``,
  line 320), ``cosine_warmup_with_min_lr`` (389-411) and ``warmup_stable_decay`` (470-505).
* timm 1.0.31, ``timm/scheduler/``: ``CosineLRScheduler._get_lr`` (cosine_lr.py 81-110),
  ``MultiStepLRScheduler`` (multistep_lr.py 58-65: ``bisect_right(decay_t, t + 1)``),
  ``StepLRScheduler._get_lr`` (step_lr.py), ``PolyLRScheduler._get_lr`` (poly_lr.py 77-105) and
  ``WSDLRScheduler._get_lr`` (wsd_lr.py 177-188), one param group, ``t`` as ``step_update`` gets it.
* fastai 2.8.12, ``fastai/callback/schedule.py``: ``sched_cos`` (line 49), ``combine_scheds`` (its
  cumulative percentages in a float32 tensor), ``combined_cos``, ``fit_one_cycle`` (113-122),
  ``fit_flat_cos`` (137-145) and ``fit_sgdr`` (148-159); batch ``i`` of ``n`` runs at position ``i / n``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import lrutils

# --- transformers ------------------------------------------------------------------------------------


def hf_warmup(t: int, w: int) -> float:
    return float(t) / float(max(1, w))


def hf_cosine(t: int, w: int, n: int, min_lr_rate: float = 0.0, num_cycles: float = 0.5) -> float:
    if t < w:
        return hf_warmup(t, w)
    progress = float(t - w) / float(max(1, n - w))
    factor = 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress))
    return max(0, factor * (1 - min_lr_rate) + min_lr_rate)


def hf_cosine_with_restarts(t: int, w: int, n: int, num_cycles: int = 1) -> float:
    if t < w:
        return hf_warmup(t, w)
    progress = float(t - w) / float(max(1, n - w))
    if progress >= 1.0:
        return 0.0
    return max(0.0, 0.5 * (1.0 + math.cos(math.pi * ((float(num_cycles) * progress) % 1.0))))


def hf_polynomial(t: int, w: int, n: int, lr_end: float, power: float, lr_init: float) -> float:
    if t < w:
        return hf_warmup(t, w)
    if t > n:
        return lr_end / lr_init
    pct_remaining = 1 - (t - w) / (n - w)
    return ((lr_init - lr_end) * pct_remaining**power + lr_end) / lr_init


def hf_inverse_sqrt(t: int, w: int, timescale: int | None = None) -> float:
    timescale = timescale if timescale is not None else (w or 10_000)
    if t < w:
        return hf_warmup(t, w)
    return 1.0 / math.sqrt((t + timescale - w) / timescale)


def hf_cosine_warmup_with_min_lr(t: int, w: int, n: int, min_lr_rate: float, num_cycles: float = 0.5) -> float:
    if t < w:
        return (t + 1.0) / max(1.0, w)
    progress = (t - w + 1.0) / max(1.0, n - w)
    factor = 0.5 * (1.0 + math.cos(math.pi * num_cycles * 2.0 * progress))
    return max(0, factor * (1 - min_lr_rate) + min_lr_rate)


def hf_wsd(t: int, w: int, s: int, d: int, decay_type: str = "cosine", min_lr_ratio: float = 0.0) -> float:
    """``warmup_type="linear"``, ``num_cycles=0.5`` (the defaults)."""
    if t < w:
        return max(0.0, hf_warmup(t, w) * (1.0 - min_lr_ratio) + min_lr_ratio)
    if t < w + s:
        return 1.0
    if t < w + s + d:
        progress = float(t - w - s) / float(max(1, d))
        factor = {
            "linear": 1.0 - progress,
            "cosine": 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress)),
            "1-sqrt": 1.0 - math.sqrt(progress),
        }[decay_type]
        return max(0.0, factor * (1.0 - min_lr_ratio) + min_lr_ratio)
    return min_lr_ratio


# --- timm ----------------------------------------------------------------------------------------------


def timm_warmup(t: int, base: float, warmup_t: int, warmup_lr_init: float) -> float:
    return warmup_lr_init + t * (base - warmup_lr_init) / warmup_t


def timm_cosine(
    t: int,
    base: float,
    t_initial: int,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
) -> float:
    if t < warmup_t:
        return timm_warmup(t, base, warmup_t, warmup_lr_init)
    if warmup_prefix:
        t = t - warmup_t
    if cycle_mul != 1:
        i = math.floor(math.log(1 - t / t_initial * (1 - cycle_mul), cycle_mul))
        t_i = cycle_mul**i * t_initial
        t_curr = t - (1 - cycle_mul**i) / (1 - cycle_mul) * t_initial
    else:
        i = t // t_initial
        t_i = t_initial
        t_curr = t - t_initial * i
    if i >= cycle_limit:
        return lr_min
    lr_max = base * cycle_decay**i
    return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * t_curr / t_i))


def timm_multistep(t: int, base: float, decay_t: list[int], decay_rate: float) -> float:
    import bisect

    return base * decay_rate ** bisect.bisect_right(decay_t, t + 1)


def timm_step(t: int, base: float, decay_t: int, decay_rate: float) -> float:
    return base * decay_rate ** (t // decay_t)


def timm_poly(t: int, base: float, t_initial: int, power: float, lr_min: float = 0.0) -> float:
    i = t // t_initial  # cycle_mul 1
    if i >= 1:  # cycle_limit 1
        return lr_min
    return lr_min + (base - lr_min) * (1 - (t - t_initial * i) / t_initial) ** power


def timm_wsd(
    t: int,
    base: float,
    t_initial: int,
    decay_t: int,
    lr_min: float = 0.0,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    stable_fn: str = "constant",
    decay_fn: str = "1-sqrt",
    stable_timescale: float | None = None,
) -> float:
    if t < warmup_t:
        return timm_warmup(t, base, warmup_t, warmup_lr_init)
    t_s = t - warmup_t
    timescale = stable_timescale if stable_timescale is not None else warmup_t
    stable = 1.0 if stable_fn == "constant" else (1.0 + t_s / timescale) ** -0.5  # "rsqrt"
    stable_lr = max(base * stable, lr_min)
    t_decay = t_s - (t_initial - decay_t)
    if t_decay <= 0:
        return stable_lr
    frac = min(t_decay / decay_t, 1.0)
    decay = 1.0 - math.sqrt(frac) if decay_fn == "1-sqrt" else 1.0 - frac  # "linear"
    return lr_min + (stable_lr - lr_min) * decay


# --- fastai --------------------------------------------------------------------------------------------


def fastai_sched_cos(start: float, end: float, pos: float) -> float:
    return start + (1 + math.cos(math.pi * (1 - pos))) * (end - start) / 2


def fastai_combined(pcts: list[float], phases: list[tuple[float, float]], pos: float) -> float:
    """``combine_scheds(pcts, [SchedCos(start, end), ...])(pos)``, its boundaries in float32 as fastai keeps them."""
    bounds = torch.cumsum(torch.tensor([0.0, *pcts]), 0)  # float32, as fastai's tensor([0] + pcts)
    idx = min(int((pos >= bounds).nonzero().max()), len(bounds) - 2)
    actual = (pos - bounds[idx]) / (bounds[idx + 1] - bounds[idx])
    return fastai_sched_cos(*phases[idx], actual.item())


def fastai_one_cycle(n: int, lr_max: float, div: float = 25.0, div_final: float = 1e5, pct: float = 0.25) -> np.ndarray:
    phases = [(lr_max / div, lr_max), (lr_max, lr_max / div_final)]
    return np.array([fastai_combined([pct, 1 - pct], phases, i / n) for i in range(n)])


def fastai_flat_cos(n: int, lr: float, div_final: float = 1e5, pct: float = 0.75) -> np.ndarray:
    return np.array([fastai_combined([pct, 1 - pct], [(lr, lr), (lr, lr / div_final)], i / n) for i in range(n)])


def fastai_sgdr(n_cycles: int, cycle_len: int, batches: int, lr_max: float, cycle_mult: int = 2) -> np.ndarray:
    n_epoch = cycle_len * (cycle_mult**n_cycles - 1) // (cycle_mult - 1)
    pcts = [cycle_len * cycle_mult**i / n_epoch for i in range(n_cycles)]
    n = n_epoch * batches
    return np.array([fastai_combined(pcts, [(lr_max, 0.0)] * n_cycles, i / n) for i in range(n)])


def curve(fn, steps: int, **kwargs) -> np.ndarray:
    """``fn(t, **kwargs)`` at ``t = 0 .. steps - 1``."""
    return np.array([fn(t, **kwargs) for t in range(steps)])


# --- transformers' get_scheduler names --------------------------------------------------------------


def test_hf_inverse_sqrt_is_noam_one_step_later() -> None:
    """``inverse_sqrt`` (timescale = w) at t + 1 is lrutils' ``noam`` at t, divided by its peak."""
    w, n = 10, 200
    noam = lrutils.torch_lr_curve("noam", n, base_lr=1.0, d_model=512, warmup_steps=w)
    hf = curve(hf_inverse_sqrt, n + 1, w=w)
    np.testing.assert_allclose(hf[1:], noam / noam.max(), rtol=1e-12, atol=0)
    assert hf[0] == 0.0 and int(np.argmax(hf)) == w and int(np.argmax(noam)) == w - 1


def test_hf_cosine_warmup_with_min_lr_runs_one_step_ahead_of_cosine_with_min_lr() -> None:
    """Its factor at t is ``cosine_with_min_lr``'s (lrutils ``warmup_cosine_floor``) at t + 1: no step at lr 0,
    the peak at t = w - 1, the floor reached at the run's last step t = N - 1."""
    w, n, r = 10, 100, 0.1
    floor = lrutils.torch_lr_curve(
        "warmup_cosine_floor", n + 1, base_lr=1.0, warmup_steps=w, total_steps=n, min_lr_ratio=r
    )
    hf = curve(hf_cosine_warmup_with_min_lr, n, w=w, n=n, min_lr_rate=r)
    np.testing.assert_allclose(hf, floor[1:], rtol=1e-12, atol=1e-15)
    assert hf[0] == pytest.approx(1 / w) and hf[w - 1] == 1.0 and hf[n - 1] == pytest.approx(r, abs=1e-15)


def test_hf_cosine_warms_up_from_0_and_equals_lrutils_warmup_cosine_from_the_peak_on() -> None:
    """lrutils' ``warmup_cosine`` warms up with ``LinearLR(start_factor=0.01)``, which cannot start at 0."""
    w, n = 10, 100
    ours = lrutils.torch_lr_curve("warmup_cosine", n + 20, base_lr=1.0, warmup_steps=w, T_max=n - w)
    hf = curve(hf_cosine, n + 20, w=w, n=n)
    np.testing.assert_allclose(ours[w:], hf[w:], rtol=1e-9, atol=1e-15)
    assert hf[0] == 0.0 and ours[0] == pytest.approx(0.01) and not np.allclose(ours[:w], hf[:w])
    with pytest.raises(ValueError, match="Starting multiplicative factor"):
        torch.optim.lr_scheduler.LinearLR(torch.optim.SGD([torch.zeros(1, requires_grad=True)]), start_factor=0.0)


def test_hf_cosine_without_warmup_is_cosine_annealing_lr_and_rises_after_n_too() -> None:
    n = 50
    torch_cosine = lrutils.torch_lr_curve("CosineAnnealingLR", 3 * n, base_lr=1.0, T_max=n)
    np.testing.assert_allclose(curve(hf_cosine, 3 * n, w=0, n=n), torch_cosine, rtol=1e-9, atol=1e-15)
    assert torch_cosine[2 * n] == pytest.approx(1.0)


def test_hf_cosine_with_restarts_is_warm_restarts_after_the_warmup_then_0_from_n() -> None:
    w, n, cycles = 10, 100, 3
    restarts = lrutils.torch_lr_curve("CosineAnnealingWarmRestarts", n - w, base_lr=1.0, T_0=(n - w) // cycles)
    hf = curve(hf_cosine_with_restarts, n + 10, w=w, n=n, num_cycles=cycles)
    np.testing.assert_allclose(hf[w:n], restarts, rtol=1e-9, atol=1e-15)
    assert hf[:w].tolist() == [t / w for t in range(w)] and not hf[n:].any()


def test_hf_polynomial_without_warmup_and_with_lr_end_0_is_polynomial_lr() -> None:
    n, power, lr = 40, 2.0, 0.1
    torch_poly = lrutils.torch_lr_curve("PolynomialLR", 60, base_lr=lr, total_iters=n, power=power)
    hf = lr * curve(hf_polynomial, 60, w=0, n=n, lr_end=0.0, power=power, lr_init=lr)
    np.testing.assert_allclose(hf, torch_poly, rtol=1e-9, atol=1e-15)
    default_end = lr * hf_polynomial(n + 5, w=0, n=n, lr_end=1e-7, power=1.0, lr_init=lr)
    assert default_end == pytest.approx(1e-7)  # transformers' default lr_end: an absolute lr


def test_hf_wsd_linear_decay_equals_lrutils_warmup_stable_decay_after_the_warmup() -> None:
    w, s, d = 10, 70, 20
    ours = lrutils.torch_lr_curve(
        "warmup_stable_decay", 110, base_lr=1.0, warmup_steps=w, stable_steps=s, decay_steps=d
    )
    hf = curve(hf_wsd, 110, w=w, s=s, d=d, decay_type="linear")
    np.testing.assert_allclose(ours[w:], hf[w:], rtol=1e-9, atol=1e-12)
    assert hf[0] == 0.0 and ours[0] == pytest.approx(0.01)


def test_hf_wsd_default_cosine_decay_is_not_1_sqrt_which_lrutils_wsd_1sqrt_is() -> None:
    w, s, d, r = 10, 70, 20, 0.1
    ours = lrutils.torch_lr_curve(
        "wsd_1sqrt", 110, base_lr=1.0, warmup_steps=w, stable_steps=s, decay_steps=d, min_lr_ratio=r
    )
    np.testing.assert_allclose(curve(hf_wsd, 110, w=w, s=s, d=d, decay_type="1-sqrt", min_lr_ratio=r), ours, rtol=1e-12)
    default = curve(hf_wsd, 110, w=w, s=s, d=d, min_lr_ratio=r)
    assert default[w + s + d // 4] > ours[w + s + d // 4] + 0.2  # cosine: slower at first
    assert ours[0] == default[0] == pytest.approx(r)  # both warm up from min_lr_ratio, not from 0


# --- timm ------------------------------------------------------------------------------------------------


def test_timm_wsd_warms_up_from_warmup_lr_init_not_from_the_floor() -> None:
    w, s, d, r = 10, 70, 20, 0.1
    ours = lrutils.torch_lr_curve(
        "wsd_1sqrt", 110, base_lr=1.0, warmup_steps=w, stable_steps=s, decay_steps=d, min_lr_ratio=r
    )
    timm = curve(timm_wsd, 110, base=1.0, t_initial=s + d, decay_t=d, lr_min=r, warmup_t=w)
    np.testing.assert_allclose(timm[w:], ours[w:], rtol=1e-12)
    assert timm[0] == 0.0 and ours[0] == pytest.approx(r)
    no_floor = lrutils.torch_lr_curve("wsd_1sqrt", 110, base_lr=1.0, warmup_steps=w, stable_steps=s, decay_steps=d)
    np.testing.assert_allclose(
        curve(timm_wsd, 110, base=1.0, t_initial=s + d, decay_t=d, warmup_t=w), no_floor, atol=1e-15
    )


def test_timm_rsqrt_holds_hf_inverse_sqrt_until_its_linear_cooldown() -> None:
    """``create_scheduler_v2('rsqrt')``: WSDLRScheduler(stable_fn='rsqrt', decay_fn='linear'), timescale = warm-up."""
    w, stable, decay = 10, 70, 20
    timm = curve(
        timm_wsd,
        110,
        base=1.0,
        t_initial=stable + decay,
        decay_t=decay,
        warmup_t=w,
        stable_fn="rsqrt",
        decay_fn="linear",
    )
    hf = curve(hf_inverse_sqrt, 110, w=w)
    np.testing.assert_allclose(timm[: w + stable + 1], hf[: w + stable + 1], rtol=1e-12)
    assert timm[w + stable + decay] == 0.0 and hf[w + stable + decay] > 0.3


def test_timm_cosine_equals_cosine_annealing_lr_then_holds_lr_min_where_torch_rises() -> None:
    t_initial, lr_min = 10, 0.01
    torch_cosine = lrutils.torch_lr_curve("CosineAnnealingLR", 15, base_lr=1.0, T_max=t_initial, eta_min=lr_min)
    timm = curve(timm_cosine, 15, base=1.0, t_initial=t_initial, lr_min=lr_min)
    np.testing.assert_allclose(timm[:t_initial], torch_cosine[:t_initial], rtol=1e-12)
    assert (timm[t_initial:] == lr_min).all() and (np.diff(torch_cosine[t_initial:]) > 0).all()


@pytest.mark.parametrize("cycle_mul", [1, 2])
def test_timm_cosine_cycles_are_warm_restarts_until_cycle_limit(cycle_mul: int) -> None:
    n = 30 if cycle_mul == 1 else 70  # three cycles
    torch_sgdr = lrutils.torch_lr_curve("CosineAnnealingWarmRestarts", n + 1, base_lr=1.0, T_0=10, T_mult=cycle_mul)
    timm = curve(timm_cosine, n + 1, base=1.0, t_initial=10, cycle_mul=cycle_mul, cycle_limit=3)
    np.testing.assert_allclose(timm[:n], torch_sgdr[:n], rtol=1e-9, atol=1e-15)
    assert timm[n] == 0.0 and torch_sgdr[n] == 1.0  # timm stops at lr_min, torch restarts forever
    decayed = curve(timm_cosine, 30, base=1.0, t_initial=10, cycle_limit=3, cycle_decay=0.1)  # the factory's default
    assert decayed[[0, 10, 20]] == pytest.approx([1.0, 0.1, 0.01])


def test_timm_cosine_warmup_without_prefix_eats_the_start_of_the_cosine() -> None:
    kwargs = {"base": 1.0, "t_initial": 10, "warmup_t": 3, "warmup_lr_init": 0.1}
    plain = curve(timm_cosine, 14, **kwargs)
    prefixed = curve(timm_cosine, 14, warmup_prefix=True, **kwargs)
    assert plain[:4] == pytest.approx([0.1, 0.4, 0.7, 0.793893], abs=1e-6) and plain.max() < 1.0
    assert prefixed[3] == 1.0 and prefixed[13] == pytest.approx(0.0, abs=1e-15)


def test_timm_multistep_cuts_one_step_before_torch_multistep_lr() -> None:
    torch_multi = lrutils.torch_lr_curve("MultiStepLR", 9, base_lr=1.0, milestones=[3, 6], gamma=0.1)
    timm = curve(timm_multistep, 8, base=1.0, decay_t=[3, 6], decay_rate=0.1)
    np.testing.assert_allclose(timm, torch_multi[1:], rtol=1e-12)
    assert timm[2] == pytest.approx(0.1) and torch_multi[2] == 1.0


def test_timm_step_is_step_lr_and_with_decay_t_1_exponential_lr() -> None:
    step = lrutils.torch_lr_curve("StepLR", 40, base_lr=0.1, step_size=7, gamma=0.5)
    np.testing.assert_allclose(curve(timm_step, 40, base=0.1, decay_t=7, decay_rate=0.5), step, rtol=1e-12)
    exponential = lrutils.torch_lr_curve("ExponentialLR", 40, base_lr=0.1, gamma=0.9)
    np.testing.assert_allclose(curve(timm_step, 40, base=0.1, decay_t=1, decay_rate=0.9), exponential, rtol=1e-9)


def test_timm_poly_is_polynomial_lr_with_lr_min_0() -> None:
    torch_poly = lrutils.torch_lr_curve("PolynomialLR", 60, base_lr=0.1, total_iters=40, power=2.0)
    np.testing.assert_allclose(
        curve(timm_poly, 60, base=0.1, t_initial=40, power=2.0), torch_poly, rtol=1e-9, atol=1e-15
    )


# --- fastai --------------------------------------------------------------------------------------------


def test_fastai_fit_one_cycle_peaks_one_step_later_than_torch_and_misses_its_end() -> None:
    """Matched settings (``pct_start=0.25``, ``final_div_factor = div_final / div = 4000``) over 100 batches."""
    fastai = fastai_one_cycle(100, lr_max=1.0)
    matched = lrutils.torch_lr_curve(
        "OneCycleLR", 100, max_lr=1.0, total_steps=100, pct_start=0.25, final_div_factor=4000.0
    )
    assert int(np.argmax(fastai)) == 25 and int(np.argmax(matched)) == 24
    assert fastai[0] == pytest.approx(0.04) and matched[0] == pytest.approx(0.04)
    assert fastai[-1] == pytest.approx(4.4858e-4, rel=1e-4) and matched[-1] == pytest.approx(1e-5)
    defaults = lrutils.torch_lr_curve("OneCycleLR", 100, max_lr=1.0, total_steps=100)
    assert int(np.argmax(defaults)) == 29 and defaults[-1] == pytest.approx(4e-6)


def test_fastai_fit_flat_cos_is_hf_wsd_without_warmup_and_with_a_cosine_decay() -> None:
    fastai = fastai_flat_cos(100, lr=1.0)
    hf = curve(hf_wsd, 100, w=0, s=75, d=25, decay_type="cosine", min_lr_ratio=1e-5)
    np.testing.assert_allclose(fastai, hf, rtol=1e-6, atol=1e-7)  # fastai's positions are float32
    assert fastai[:76].tolist() == [1.0] * 76


def test_fastai_fit_sgdr_is_warm_restarts_per_batch_but_restarts_a_batch_late_at_a_float32_boundary() -> None:
    fastai = fastai_sgdr(n_cycles=3, cycle_len=1, batches=10, lr_max=1.0)  # 7 epochs of 10 batches
    torch_sgdr = lrutils.torch_lr_curve("CosineAnnealingWarmRestarts", 70, base_lr=1.0, T_0=10, T_mult=2)
    differs = np.flatnonzero(~np.isclose(fastai, torch_sgdr, rtol=1e-6, atol=1e-6))
    assert differs.tolist() == [30]
    assert fastai[30] < 1e-12 and torch_sgdr[30] == 1.0  # fastai still ends the second cycle at batch 30
