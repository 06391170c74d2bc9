"""The published recipes (lrutils.curves.recipes): numpy curves equal torch's LambdaLR, and both equal the publications.

The reference formulas below are re-typed from their sources, operation for operation:

* Vaswani et al. 2017, "Attention Is All You Need", section 5.3:
  ``lrate = d_model**-0.5 * min(step_num**-0.5, step_num * warmup_steps**-1.5)``, warmup_steps = 4000.
* huggingface/transformers, ``src/transformers/optimization.py`` (commit 005edacb6b5d):
  ``_get_linear_schedule_with_warmup_lr_lambda``, ``_get_cosine_schedule_with_warmup_lr_lambda``
  (the version with ``min_lr_rate``, used by ``get_cosine_with_min_lr_schedule_with_warmup``) and
  ``_get_wsd_scheduler_lambda``. Each is wrapped in ``LambdaLR``, so ``current_step`` is LambdaLR's
  ``last_epoch``: 0 at the first optimizer step.
* huggingface/pytorch-image-models, ``timm/scheduler/wsd_lr.py`` (commit 803b7c2ac5eb):
  ``WSDLRScheduler._get_lr`` with ``stable_fn='constant'`` and ``decay_fn='1-sqrt'``, where ``t``
  counts the updates already made (``step_update(num_updates)``), the same count as LambdaLR's.
"""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import lrutils
from conftest import assert_agrees, assert_clear_error
from conftest import check_against_torch as check
from lrutils.curves.recipes import (
    linear_warmup_decay_factor,
    noam_factor,
    warmup_cosine_floor_factor,
    wsd_1sqrt_factor,
)

base_lrs = st.floats(1e-6, 10.0)

# --- the publications, re-typed ------------------------------------------------------------------


def paper_lrate(step_num: int, d_model: int, warmup_steps: int) -> float:
    return d_model**-0.5 * min(step_num**-0.5, step_num * warmup_steps**-1.5)


def hf_linear(current_step: int, *, num_warmup_steps: int, num_training_steps: int) -> float:
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    return max(0.0, float(num_training_steps - current_step) / float(max(1, num_training_steps - num_warmup_steps)))


def hf_cosine(
    current_step: int, *, num_warmup_steps: int, num_training_steps: int, num_cycles: float, min_lr_rate: float = 0.0
) -> float:
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    progress = float(current_step - num_warmup_steps) / float(max(1, num_training_steps - num_warmup_steps))
    factor = 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress))
    factor = factor * (1 - min_lr_rate) + min_lr_rate
    return max(0, factor)


def hf_wsd(
    current_step: int,
    *,
    num_warmup_steps: int,
    num_stable_steps: int,
    num_decay_steps: int,
    warmup_type: str,
    decay_type: str,
    min_lr_ratio: float,
    num_cycles: float,
) -> float:
    if current_step < num_warmup_steps:
        progress = float(current_step) / float(max(1, num_warmup_steps))
        if warmup_type == "linear":
            factor = progress
        elif warmup_type == "cosine":
            factor = 0.5 * (1.0 - math.cos(math.pi * progress))
        elif warmup_type == "1-sqrt":
            factor = 1.0 - math.sqrt(1.0 - progress)
        factor = factor * (1.0 - min_lr_ratio) + min_lr_ratio
        return max(0.0, factor)
    if current_step < num_warmup_steps + num_stable_steps:
        return 1.0
    if current_step < num_warmup_steps + num_stable_steps + num_decay_steps:
        progress = float(current_step - num_warmup_steps - num_stable_steps) / float(max(1, num_decay_steps))
        if decay_type == "linear":
            factor = 1.0 - progress
        elif decay_type == "cosine":
            factor = 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress))
        elif decay_type == "1-sqrt":
            factor = 1.0 - math.sqrt(progress)
        factor = factor * (1.0 - min_lr_ratio) + min_lr_ratio
        return max(0.0, factor)
    return min_lr_ratio


def timm_wsd_lr(
    t: int, base_value: float, *, t_initial: int, decay_t: int, lr_min: float, warmup_t: int, warmup_lr_init: float
) -> float:
    """WSDLRScheduler._get_lr for one param group, stable_fn='constant', decay_fn='1-sqrt'."""
    warmup_step = (base_value - warmup_lr_init) / warmup_t if warmup_t else 1
    if t < warmup_t:
        return warmup_lr_init + t * warmup_step
    t_s = t - warmup_t
    stable_lr = max(base_value * 1.0, lr_min)
    t_decay = t_s - (t_initial - decay_t)
    if t_decay <= 0:
        return stable_lr
    decay = 1.0 - math.sqrt(min(t_decay / decay_t, 1.0))
    return lr_min + (stable_lr - lr_min) * decay


def published(fn, n: int, base_lr: float = 1.0, **kwargs) -> np.ndarray:
    return np.array([base_lr * fn(t, **kwargs) for t in range(n)])


# --- numpy equals torch (the project's bar), over random parameters ---------------------------


@given(n=st.integers(1, 400), base_lr=base_lrs, d_model=st.integers(1, 4096), warmup=st.integers(1, 500))
def test_noam_lr_curve_equals_torch(n: int, base_lr: float, d_model: int, warmup: int) -> None:
    check("noam", n, base_lr, d_model=d_model, warmup_steps=warmup)


@given(n=st.integers(1, 400), base_lr=base_lrs, total=st.integers(1, 400), data=st.data())
def test_linear_warmup_decay_lr_curve_equals_torch(n: int, base_lr: float, total: int, data) -> None:
    warmup = data.draw(st.integers(0, total))
    check("linear_warmup_decay", n, base_lr, warmup_steps=warmup, total_steps=total)


@given(
    n=st.integers(1, 400),
    base_lr=base_lrs,
    total=st.integers(1, 400),
    ratio=st.one_of(st.floats(0.0, 1.0), st.just(0.0), st.just(1.0)),
    data=st.data(),
)
def test_warmup_cosine_floor_lr_curve_equals_torch(n: int, base_lr: float, total: int, ratio: float, data) -> None:
    warmup = data.draw(st.integers(0, total))
    check("warmup_cosine_floor", n, base_lr, warmup_steps=warmup, total_steps=total, min_lr_ratio=ratio)


@given(
    n=st.integers(1, 400),
    base_lr=base_lrs,
    warmup=st.integers(0, 100),
    stable=st.integers(0, 200),
    decay=st.integers(1, 150),
    ratio=st.one_of(st.floats(0.0, 1.0), st.just(0.0), st.just(1.0)),
)
def test_wsd_1sqrt_lr_curve_equals_torch(
    n: int, base_lr: float, warmup: int, stable: int, decay: int, ratio: float
) -> None:
    check("wsd_1sqrt", n, base_lr, warmup_steps=warmup, stable_steps=stable, decay_steps=decay, min_lr_ratio=ratio)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("noam", {"d_model": 1, "warmup_steps": 1}),
        ("linear_warmup_decay", {"warmup_steps": 0, "total_steps": 1}),
        ("linear_warmup_decay", {"warmup_steps": 7, "total_steps": 7}),
        ("warmup_cosine_floor", {"warmup_steps": 0, "total_steps": 1, "min_lr_ratio": 0.0}),
        ("warmup_cosine_floor", {"warmup_steps": 5, "total_steps": 5, "min_lr_ratio": 1.0}),
        ("wsd_1sqrt", {"warmup_steps": 0, "stable_steps": 0, "decay_steps": 1}),
        ("wsd_1sqrt", {"warmup_steps": 3, "stable_steps": 0, "decay_steps": 1, "min_lr_ratio": 1.0}),
    ],
)
@pytest.mark.parametrize("n", [1, 2, 20])
def test_recipe_edges_equal_torch(name: str, kwargs: dict, n: int) -> None:
    check(name, n, 0.5, **kwargs)


# --- both equal the publications -----------------------------------------------------------------


@given(d_model=st.integers(1, 4096), warmup=st.integers(1, 500), n=st.integers(1, 600))
def test_noam_equals_the_transformer_papers_formula_with_step_num_from_1(d_model: int, warmup: int, n: int) -> None:
    paper = np.array([paper_lrate(t + 1, d_model, warmup) for t in range(n)])
    theirs = lrutils.torch_lr_curve("noam", n, base_lr=1.0, d_model=d_model, warmup_steps=warmup)
    assert np.array_equal(theirs, paper)  # LambdaLR calls the same arithmetic: bit for bit
    assert_agrees(lrutils.lr_curve("noam", n, base_lr=1.0, d_model=d_model, warmup_steps=warmup), paper, 1.0)


def test_noam_paper_numbers_peak_at_step_4000_with_0_000699() -> None:
    lrs = lrutils.lr_curve("noam", 12_000, base_lr=1.0, d_model=512, warmup_steps=4000)
    assert int(np.argmax(lrs)) == 3999  # t = 3999 is step_num 4000
    assert lrs.max() == pytest.approx((512 * 4000) ** -0.5, rel=1e-12)
    assert round(lrs.max(), 7) == 0.0006988


def test_annotated_transformer_convention_repeats_step_num_1() -> None:
    """``if step == 0: step = 1`` with LambdaLR(lambda t: rate(t)): t = 0 and t = 1 give the same lr."""

    def rate(step: int) -> float:
        if step == 0:
            step = 1
        return paper_lrate(step, 512, 4000)

    annotated = lrutils.torch_lr_curve("LambdaLR", 5, base_lr=1.0, lr_lambda=rate)
    paper = lrutils.lr_curve("noam", 5, base_lr=1.0, d_model=512, warmup_steps=4000)
    assert annotated[0] == annotated[1] == paper[0]
    assert np.array_equal(annotated[2:], paper[1:4])  # one step behind from then on


@given(total=st.integers(1, 500), n=st.integers(1, 600), base_lr=base_lrs, data=st.data())
def test_linear_warmup_decay_equals_transformers_get_linear_schedule_with_warmup(total, n, base_lr, data) -> None:
    warmup = data.draw(st.integers(0, total))
    hf = published(hf_linear, n, base_lr, num_warmup_steps=warmup, num_training_steps=total)
    kwargs = {"warmup_steps": warmup, "total_steps": total}
    assert np.array_equal(lrutils.torch_lr_curve("linear_warmup_decay", n, base_lr, **kwargs), hf)
    assert np.array_equal(lrutils.lr_curve("linear_warmup_decay", n, base_lr, **kwargs), hf)


def google_bert_lr(global_step: int, *, init_lr: float, num_train_steps: int, num_warmup_steps: int) -> float:
    """google-research/bert ``optimization.py`` (commit ea96c0dda296), ``create_optimizer``, in float64:
    ``tf.train.polynomial_decay`` (power 1, to 0 at num_train_steps), replaced by the warm-up while in it."""
    decayed = init_lr * (1 - min(global_step, num_train_steps) / num_train_steps)
    is_warmup = 1.0 if global_step < num_warmup_steps else 0.0
    warmup = init_lr * (global_step / num_warmup_steps)
    return (1.0 - is_warmup) * decayed + is_warmup * warmup


def test_googles_original_bert_decays_from_step_0_so_it_never_reaches_the_peak() -> None:
    """The recipe follows transformers; Google's TF code differs after the warm-up (and agrees during it)."""
    n, w, lr = 1000, 100, 0.1
    google = np.array([google_bert_lr(t, init_lr=lr, num_train_steps=n, num_warmup_steps=w) for t in range(n + 1)])
    ours = lrutils.lr_curve("linear_warmup_decay", n + 1, lr, warmup_steps=w, total_steps=n)
    assert np.allclose(ours[:w], google[:w], rtol=1e-12, atol=0)
    assert ours[w] == lr and google[w] == pytest.approx(lr * (1 - w / n)) and google.max() < lr
    assert ours[n] == google[n] == 0.0


def test_transformers_linear_schedule_uses_lr_0_at_the_first_step() -> None:
    lrs = lrutils.torch_lr_curve("linear_warmup_decay", 3, 0.1, warmup_steps=10, total_steps=100)
    assert lrs[0] == 0.0 and lrs[1] == pytest.approx(0.01)


@given(
    total=st.integers(1, 500),
    n=st.integers(1, 700),
    base_lr=base_lrs,
    ratio=st.one_of(st.floats(0.0, 1.0), st.just(0.0)),
    data=st.data(),
)
def test_warmup_cosine_floor_equals_transformers_cosine_with_min_lr(total, n, base_lr, ratio, data) -> None:
    warmup = data.draw(st.integers(0, total))
    hf = published(
        hf_cosine, n, base_lr, num_warmup_steps=warmup, num_training_steps=total, num_cycles=0.5, min_lr_rate=ratio
    )
    kwargs = {"warmup_steps": warmup, "total_steps": total, "min_lr_ratio": ratio}
    assert np.array_equal(lrutils.torch_lr_curve("warmup_cosine_floor", n, base_lr, **kwargs), hf)
    assert_agrees(lrutils.lr_curve("warmup_cosine_floor", n, base_lr, **kwargs), hf, base_lr)


def test_warmup_cosine_floor_with_min_lr_ratio_0_is_transformers_get_cosine_schedule_with_warmup() -> None:
    ours = lrutils.torch_lr_curve("warmup_cosine_floor", 120, 0.3, warmup_steps=10, total_steps=100, min_lr_ratio=0.0)
    hf = published(hf_cosine, 120, 0.3, num_warmup_steps=10, num_training_steps=100, num_cycles=0.5)
    assert np.array_equal(ours, hf)
    assert ours[100] == 0.0 and ours[110] > 0.0  # the cosine rises again past total_steps, as transformers' does


def test_warmup_cosine_floor_is_a_lambdalr_warmup_then_cosine_annealing_with_eta_min() -> None:
    """The SequentialLR form: warm-up t / w, then CosineAnnealingLR(T_max=N - w, eta_min=ratio * base_lr)."""
    base_lr, w, total, ratio = 0.1, 10, 100, 0.1
    stages = [
        ("LambdaLR", {"lr_lambda": lambda t: t / w}),
        ("CosineAnnealingLR", {"T_max": total - w, "eta_min": ratio * base_lr}),
    ]
    seq = lrutils.torch_lr_curve("SequentialLR", total + 1, base_lr, schedulers=stages, milestones=[w])
    recipe = lrutils.torch_lr_curve(
        "warmup_cosine_floor", total + 1, base_lr, warmup_steps=w, total_steps=total, min_lr_ratio=ratio
    )
    assert_agrees(seq, recipe, base_lr)


@given(
    warmup=st.integers(0, 100),
    stable=st.integers(0, 200),
    decay=st.integers(1, 150),
    ratio=st.one_of(st.floats(0.0, 1.0), st.just(0.0)),
    n=st.integers(1, 500),
    base_lr=base_lrs,
)
def test_wsd_1sqrt_equals_transformers_get_wsd_schedule(warmup, stable, decay, ratio, n, base_lr) -> None:
    hf = published(
        hf_wsd,
        n,
        base_lr,
        num_warmup_steps=warmup,
        num_stable_steps=stable,
        num_decay_steps=decay,
        warmup_type="linear",
        decay_type="1-sqrt",
        min_lr_ratio=ratio,
        num_cycles=0.5,
    )
    kwargs = {"warmup_steps": warmup, "stable_steps": stable, "decay_steps": decay, "min_lr_ratio": ratio}
    assert np.array_equal(lrutils.torch_lr_curve("wsd_1sqrt", n, base_lr, **kwargs), hf)
    assert_agrees(lrutils.lr_curve("wsd_1sqrt", n, base_lr, **kwargs), hf, base_lr)


@given(
    warmup=st.integers(0, 100),
    stable=st.integers(0, 200),
    decay=st.integers(1, 150),
    ratio=st.floats(0.0, 1.0),
    n=st.integers(1, 500),
    base_lr=base_lrs,
)
def test_wsd_1sqrt_equals_timm_wsdlrscheduler_with_1_sqrt_decay(warmup, stable, decay, ratio, n, base_lr) -> None:
    floor = ratio * base_lr
    timm = np.array(
        [
            timm_wsd_lr(
                t,
                base_lr,
                t_initial=stable + decay,
                decay_t=decay,
                lr_min=floor,
                warmup_t=warmup,
                warmup_lr_init=floor,
            )
            for t in range(n)
        ]
    )
    kwargs = {"warmup_steps": warmup, "stable_steps": stable, "decay_steps": decay, "min_lr_ratio": ratio}
    assert_agrees(lrutils.lr_curve("wsd_1sqrt", n, base_lr, **kwargs), timm, base_lr)


# --- the factor objects ---------------------------------------------------------------------------


def test_factors_survive_a_lambdalr_state_dict_round_trip() -> None:
    """LambdaLR saves a callable object's __dict__ (not a plain function's): the recipe's settings travel."""
    factors = [
        noam_factor(512, 4000),
        linear_warmup_decay_factor(10, 100),
        warmup_cosine_floor_factor(10, 100, 0.1),
        wsd_1sqrt_factor(10, 70, 20, 0.1),
    ]
    for factor in factors:
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        saved = torch.optim.lr_scheduler.LambdaLR(opt, factor).state_dict()
        assert saved["lr_lambdas"][0] == factor.__dict__
        clone = pickle.loads(pickle.dumps(factor))
        assert [clone(t) for t in range(150)] == [factor(t) for t in range(150)]
        assert repr(factor).startswith(type(factor).name + "(")


@pytest.mark.parametrize(
    "name,kwargs,error,words",
    [
        ("noam", {"d_model": 512, "warmup_steps": 0}, ValueError, ["warmup_steps", ">= 1", "0"]),
        ("noam", {"d_model": 0, "warmup_steps": 4000}, ValueError, ["d_model", ">= 1"]),
        ("noam", {"warmup_steps": 4000}, TypeError, ["needs d_model"]),
        ("linear_warmup_decay", {"warmup_steps": 20, "total_steps": 10}, ValueError, ["must not exceed total_steps"]),
        ("linear_warmup_decay", {"warmup_steps": 2.5, "total_steps": 10}, TypeError, ["warmup_steps", "an int"]),
        (
            "warmup_cosine_floor",
            {"warmup_steps": 1, "total_steps": 10, "min_lr_ratio": 1.5},
            ValueError,
            ["min_lr_ratio", "<= 1"],
        ),
        ("wsd_1sqrt", {"warmup_steps": 1, "stable_steps": 5, "decay_steps": 0}, ValueError, ["decay_steps", ">= 1"]),
    ],
)
def test_bad_recipe_parameters_are_clear(name: str, kwargs: dict, error: type, words: list[str]) -> None:
    assert_clear_error(name, 10, kwargs, error, words)


def test_factor_functions_validate_with_the_same_words() -> None:
    with pytest.raises(ValueError, match="noam: warmup_steps must be an int >= 1"):
        noam_factor(512, 0)
    with pytest.raises(ValueError, match="must not exceed total_steps"):
        warmup_cosine_floor_factor(20, 10, 0.0)
    with pytest.raises(TypeError, match="min_lr_ratio must be a finite number"):
        wsd_1sqrt_factor(1, 1, 1, "0.1")


def test_recipes_are_found_by_name() -> None:
    for name in ("noam", "linear_warmup_decay", "warmup_cosine_floor", "wsd_1sqrt"):
        assert lrutils.get_spec(name).name == name
        assert name in lrutils.composite_names()
