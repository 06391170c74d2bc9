"""lrutils.training.loops, and every claim notebooks 11 and 12 make about torch's training loop, run for real.

Test names state the claim. Only learning rates, step counts and booleans are compared: they are
exact and the same on every CPU.
"""

from __future__ import annotations

import copy
import math
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.optim import lr_scheduler as L

import lrutils
from conftest import assert_agrees
from lrutils.training.loops import (
    CaughtWarnings,
    LrRecorder,
    amp_run,
    batch,
    batches_per_rank,
    checkpoint,
    describe_error,
    epochs_to_batches,
    loss_of,
    lr_table,
    plot_lr_grid,
    plot_lr_runs,
    rank_loaders,
    resume_roundtrip,
    resume_with_last_epoch,
    run_steps,
    samples_per_rank,
    scaler_roundtrip,
    step_like_accelerate,
    two_part_model,
)

STEP_ORDER_WARNING = "Detected call of `lr_scheduler.step()` before `optimizer.step()`"


def sgd(lr: float = 0.1, momentum: float = 0.9) -> tuple[torch.nn.Module, torch.optim.Optimizer]:
    model = two_part_model()
    return model, torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)


def warmup_cosine(optimizer: torch.optim.Optimizer) -> L.SequentialLR:
    warm = L.LinearLR(optimizer, start_factor=0.01, total_iters=5)
    return L.SequentialLR(optimizer, [warm, L.CosineAnnealingLR(optimizer, T_max=15)], milestones=[5])


def start():
    model, optimizer = sgd()
    return model, optimizer, warmup_cosine(optimizer)


def resume_right(ck):
    model, optimizer, scheduler = start()
    model.load_state_dict(ck["model"])
    optimizer.load_state_dict(ck["optimizer"])
    scheduler.load_state_dict(ck["scheduler"])
    return model, optimizer, scheduler


def resume_without_scheduler_state(ck):
    model, optimizer, scheduler = start()
    model.load_state_dict(ck["model"])
    optimizer.load_state_dict(ck["optimizer"])
    return model, optimizer, scheduler


def resume_scheduler_built_last(ck):
    model, optimizer = sgd()
    model.load_state_dict(ck["model"])
    optimizer.load_state_dict(ck["optimizer"])
    scheduler = warmup_cosine(optimizer)
    scheduler.load_state_dict(ck["scheduler"])
    return model, optimizer, scheduler


# --- the recorder and helpers ----------------------------------------------------------------------


def test_lr_recorder_records_every_group_at_every_real_step_and_unhooks() -> None:
    model = two_part_model()
    groups = [{"params": model.backbone.parameters(), "lr": 0.01}, {"params": model.head.parameters(), "lr": 0.1}]
    optimizer = torch.optim.SGD(groups)
    with LrRecorder(optimizer) as used:
        optimizer.step()
        optimizer.param_groups[1]["lr"] = 0.2
        optimizer.step()
    optimizer.step()  # after the block: not recorded
    assert used.lrs.tolist() == [[0.01, 0.1], [0.01, 0.2]]
    with LrRecorder(optimizer) as empty:
        pass
    assert empty.lrs.shape == (0, 2)
    with pytest.raises(TypeError, match="optimizer must be a torch.optim.Optimizer"):
        LrRecorder("sgd")


def test_lr_recorder_pads_the_steps_before_an_added_group_and_counts_steps_without_groups() -> None:
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    with LrRecorder(optimizer) as used:
        optimizer.step()
        optimizer.add_param_group({"params": [torch.zeros(1, requires_grad=True)], "lr": 0.01})
        optimizer.step()
        optimizer.param_groups.clear()
        optimizer.step()
    assert np.array_equal(used.lrs, [[0.1, np.nan], [0.1, 0.01], [np.nan, np.nan]], equal_nan=True)
    assert used.group_counts.tolist() == [1, 2, 0] and used.steps == 3


def test_lr_recorder_names_tensor_lrs() -> None:
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    with LrRecorder(optimizer) as used:
        optimizer.step()
        optimizer.param_groups[0]["lr"] = torch.tensor(0.05, dtype=torch.float64)
        optimizer.step()
    assert used.tensor_lrs == {(1, 0): "float64"} and used.lrs[:, 0].tolist() == [0.1, 0.05]


def test_caught_warnings_knows_torchs_warnings_from_the_callers_whatever_the_stacklevel() -> None:
    model, optimizer = sgd()
    with CaughtWarnings() as caught:
        scheduler = L.StepLR(optimizer, step_size=1)
        scheduler.step()  # torch warns with stacklevel=2: the warning points at this line
        warnings.warn("mine", UserWarning, stacklevel=1)
    assert caught.texts[0].startswith("UserWarning: Detected call of `lr_scheduler.step()`")
    assert caught.texts[1] == "UserWarning: mine"
    assert caught.from_torch == [True, False]


def test_lr_recorder_leaves_no_row_for_a_step_gradscaler_skips() -> None:
    model, optimizer = sgd()
    scaler = torch.amp.GradScaler("cpu")
    with LrRecorder(optimizer) as used:
        for i in range(3):
            optimizer.zero_grad()
            scaler.scale(loss_of(model, batch(i))).backward()
            if i == 1:
                model.head.weight.grad[0, 0] = float("inf")
            scaler.step(optimizer)
            scaler.update()
    assert len(used.lrs) == 2


def test_run_steps_uses_the_same_batches_from_start_and_returns_the_lrs_used() -> None:
    model, optimizer = sgd(lr=1.0)
    lrs = run_steps(model, optimizer, L.StepLR(optimizer, step_size=2, gamma=0.5), 5)
    assert lrs[:, 0].tolist() == [1.0, 1.0, 0.5, 0.5, 0.25]
    assert torch.equal(batch(3)[0], batch(3)[0]) and not torch.equal(batch(3)[0], batch(4)[0])
    model, optimizer = sgd()
    assert run_steps(model, optimizer, None, 3)[:, 0].tolist() == [0.1] * 3
    with pytest.raises(ValueError, match="n_steps must be an int >= 0"):
        run_steps(model, optimizer, None, -1)


def test_two_part_model_is_the_same_every_time_and_seeds_differ() -> None:
    a, b, c = two_part_model(), two_part_model(), two_part_model(seed=1)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    assert not torch.equal(a.head.weight, c.head.weight)
    with pytest.raises(ValueError, match="seed must be an int >= 0"):
        two_part_model(-1)


def test_checkpoint_goes_through_torch_save_and_load() -> None:
    model, optimizer, scheduler = start()
    run_steps(model, optimizer, scheduler, 3)
    saved = checkpoint(model, optimizer, scheduler, step=3)
    assert saved["step"] == 3 and saved["scheduler"]["last_epoch"] == 3
    assert saved["model"]["head.weight"] is not model.head.weight  # a copy, as a file would give
    assert torch.equal(saved["model"]["head.weight"], model.head.weight.detach())


def test_caught_warnings_text_has_no_file_or_line() -> None:
    with CaughtWarnings() as caught:
        warnings.warn("one", UserWarning, stacklevel=1)
        warnings.warn("two", DeprecationWarning, stacklevel=1)
    assert caught.texts == ["UserWarning: one", "DeprecationWarning: two"]
    assert str(caught) == "UserWarning: one\nDeprecationWarning: two"
    with CaughtWarnings() as none:
        pass
    assert str(none) == "no warnings"


def test_describe_error_shows_a_keyerror_message_without_repr_quotes() -> None:
    assert describe_error(KeyError("a\nb")) == "KeyError: a\nb"
    assert describe_error(ValueError("x")) == "ValueError: x"


def test_lr_table_and_plots() -> None:
    text = lr_table({"one": np.array([0.1, 0.05]), "two": np.array([[0.1, 1.0]])}, steps=[0, 1])
    lines = text.splitlines()
    assert lines[0].split() == ["step", "one", "two", "[group", "0]", "two", "[group", "1]"]
    assert lines[2].split() == ["1", "0.05", "-", "-"]
    with pytest.raises(ValueError, match="at least one label"):
        lr_table({})
    with pytest.raises(ValueError, match="must be 1-D or"):
        lr_table({"x": np.zeros((2, 2, 2))})
    fig = plot_lr_runs({"a": [0.1, 0.2]}, at=1, log=True, title="t")
    assert fig.axes[0].get_yscale() == "log" and fig.axes[0].get_title() == "t"
    assert len(plot_lr_grid({"p": {"a": [1.0]}}, ncols=1).axes) == 1
    with pytest.raises(ValueError, match="panels must map"):
        plot_lr_grid({})


def test_figures_use_fonts_of_at_least_10_pixels() -> None:
    lrutils.setup()  # 72 dpi: one point is one pixel
    fig = plot_lr_runs({"a": [0.1, 0.2], "b": [0.2, 0.1]}, title="t")
    ax = fig.axes[0]
    texts = [ax.title, ax.xaxis.label, ax.yaxis.label, *fig.legends[0].get_texts(), *ax.get_xticklabels()]
    assert min(t.get_fontsize() for t in texts) >= 10


# --- 1. resuming ---------------------------------------------------------------------------------


def test_resuming_with_all_three_state_dicts_matches_every_lr_and_weight() -> None:
    r = resume_roundtrip(start, resume_right, n_steps=20, stop_at=10)
    assert r.matches and r.weights_match and r.first_difference is None and r.error is None


def test_constructing_a_scheduler_writes_initial_lr_and_lr_into_the_optimizer() -> None:
    _, optimizer = sgd()
    assert "initial_lr" not in optimizer.param_groups[0]
    L.LinearLR(optimizer, start_factor=0.01, total_iters=5)
    assert optimizer.param_groups[0]["initial_lr"] == 0.1
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.001)
    optimizer.param_groups[0]["lr"] = 0.05  # a second scheduler keeps initial_lr (setdefault) but writes lr
    L.LinearLR(optimizer, start_factor=0.5, total_iters=5)
    assert optimizer.param_groups[0]["initial_lr"] == 0.1 and optimizer.param_groups[0]["lr"] == 0.025


def test_scheduler_load_state_dict_does_not_touch_the_optimizers_lr() -> None:
    model, optimizer, scheduler = start()
    run_steps(model, optimizer, scheduler, 10)
    state = scheduler.state_dict()
    _, other = sgd(lr=0.123)
    fresh = warmup_cosine(other)
    lr_before = other.param_groups[0]["lr"]
    fresh.load_state_dict(state)
    assert other.param_groups[0]["lr"] == lr_before and fresh.last_epoch == 10


def test_without_scheduler_state_the_recursive_warmup_multiplies_the_resumed_lr_sixty_fold() -> None:
    r = resume_roundtrip(start, resume_without_scheduler_state, 20, 10)
    lrs = r.resumed[:, 0]
    assert lrs[10] == r.uninterrupted[10, 0] == pytest.approx(0.075)
    assert lrs[11] == pytest.approx(1.56) and lrs[14] == pytest.approx(6.015)
    assert lrs.max() >= 60 * 0.1 and not r.weights_match
    assert lrs[15] == pytest.approx(0.1)  # SequentialLR's own milestone: a fresh cosine from the initial lr


def test_scheduler_built_after_optimizer_load_trains_75_times_too_slowly() -> None:
    r = resume_roundtrip(start, resume_scheduler_built_last, 20, 10)
    assert r.resumed[10, 0] == pytest.approx(0.001)  # initial_lr * start_factor
    ratio = r.uninterrupted[10:, 0] / r.resumed[10:, 0]
    assert np.allclose(ratio, 75.0, rtol=1e-9) and r.warnings == [] and r.error is None


def test_last_epoch_by_hand_has_no_value_that_is_right_for_every_scheduler() -> None:
    cases = {
        "StepLR": ({"step_size": 5, "gamma": 0.5}, (False, False)),
        "ExponentialLR": ({"gamma": 0.9}, (True, True)),
        "LinearLR": ({"start_factor": 0.1, "total_iters": 15}, (True, False)),
        "CosineAnnealingLR": ({"T_max": 20}, (True, False)),
    }
    for name, (kwargs, expected) in cases.items():
        got = tuple(resume_with_last_epoch(name, kwargs, 20, 10, last_epoch=e).matches for e in (9, 10))
        assert got == expected, name


def test_resume_with_last_epoch_takes_only_torch_scheduler_classes() -> None:
    for name in ("warmup_cosine", "SequentialLR", "noam", "ReduceLROnPlateau"):
        with pytest.raises(ValueError, match="needs one torch scheduler class"):
            resume_with_last_epoch(name, {}, 20, 10, last_epoch=9)
    with pytest.raises(ValueError, match="unknown scheduler"):
        resume_with_last_epoch("Nope", {}, 20, 10, last_epoch=9)


def test_steplr_constructor_step_cuts_again_at_a_multiple_of_step_size() -> None:
    r = resume_with_last_epoch("StepLR", {"step_size": 5, "gamma": 0.5}, 20, 10, last_epoch=9)
    assert r.uninterrupted[10, 0] == 0.025 and r.resumed[10, 0] == 0.0125


def test_last_epoch_without_the_optimizers_state_raises_a_keyerror_naming_initial_lr() -> None:
    _, optimizer = sgd()
    with pytest.raises(KeyError, match="param 'initial_lr' is not specified in param_groups\\[0\\]"):
        L.CosineAnnealingLR(optimizer, T_max=20, last_epoch=10)


def one_cycle(total_steps: int):
    model, optimizer = sgd()
    return model, optimizer, L.OneCycleLR(optimizer, max_lr=0.1, total_steps=total_steps)


def test_onecycle_load_state_dict_brings_back_the_saved_total_steps_and_step_101_raises() -> None:
    model, optimizer, scheduler = one_cycle(100)
    run_steps(model, optimizer, scheduler, 60)
    saved = checkpoint(model, optimizer, scheduler, step=60)
    model, optimizer, scheduler = one_cycle(200)
    optimizer.load_state_dict(saved["optimizer"])
    scheduler.load_state_dict(saved["scheduler"])
    assert scheduler.total_steps == 100
    run_steps(model, optimizer, scheduler, 40, start=60)  # scheduler.step() calls 61..100 are allowed
    with pytest.raises(ValueError, match="Tried to step 101 times. The specified number of total steps is 100"):
        run_steps(model, optimizer, scheduler, 1, start=100)


def test_onecycle_resumed_with_last_epoch_and_a_new_total_jumps_back_near_the_peak() -> None:
    model, optimizer, scheduler = one_cycle(100)
    run_steps(model, optimizer, scheduler, 60)
    saved = checkpoint(model, optimizer, scheduler, step=60)
    _, optimizer, _ = one_cycle(200)
    optimizer.load_state_dict(saved["optimizer"])
    assert round(optimizer.param_groups[0]["lr"], 5) == 0.05893
    L.OneCycleLR(optimizer, max_lr=0.1, total_steps=200, last_epoch=59)
    assert round(optimizer.param_groups[0]["lr"], 5) == 0.09999


def test_roundtrip_reports_errors_of_resume_and_wrong_return_values() -> None:
    def broken(ck):
        raise RuntimeError("nope")

    r = resume_roundtrip(start, broken, 6, 3)
    assert not r.matches and r.error == "resume(checkpoint) raised RuntimeError: nope" and r.first_difference == 3
    r = resume_roundtrip(start, lambda ck: (1, 2), 6, 3)
    assert "must return (model, optimizer, scheduler)" in r.error and "raised" not in r.error
    r = resume_roundtrip(start, lambda ck: None, 6, 3)
    assert r.error == "resume(checkpoint) returned None; it must return (model, optimizer, scheduler)"
    with pytest.raises(ValueError, match="stop_at must be an int >= 0 and <= 6"):
        resume_roundtrip(start, resume_right, 6, 7)


# --- 2. gradient accumulation --------------------------------------------------------------------


def accumulate(t_max: int, per_micro_batch: bool, scheduler_cls=L.CosineAnnealingLR, **kwargs):
    model, optimizer = sgd()
    scheduler = scheduler_cls(optimizer, **({"T_max": t_max} if scheduler_cls is L.CosineAnnealingLR else kwargs))
    with LrRecorder(optimizer) as used, CaughtWarnings() as caught:
        for i in range(96):
            (loss_of(model, batch(i)) / 4).backward()
            if per_micro_batch:
                scheduler.step()
            if (i + 1) % 4 == 0:
                optimizer.step()
                optimizer.zero_grad()
                if not per_micro_batch:
                    scheduler.step()
    return used.lrs[:, 0], caught.texts


def test_scheduler_stepped_per_micro_batch_runs_k_times_too_fast_and_warns() -> None:
    right, right_warnings = accumulate(24, False)
    fast, fast_warnings = accumulate(24, True)
    assert len(right) == len(fast) == 24 and right_warnings == []
    curve = lrutils.torch_lr_curve("CosineAnnealingLR", 97, T_max=24)
    assert np.array_equal(right, lrutils.torch_lr_curve("CosineAnnealingLR", 24, T_max=24))
    assert_agrees(fast, curve[4 * np.arange(24) + 4], 0.1)  # optimizer step j uses the lr of scheduler step 4j + 4
    assert fast[5] < 1e-15 and fast[23] == pytest.approx(0.1)  # 0 at the sixth step, back at 0.1 at the end
    assert len(fast_warnings) == 1 and STEP_ORDER_WARNING in fast_warnings[0]


def test_t_max_counted_in_micro_batches_runs_k_times_too_slowly() -> None:
    slow, _ = accumulate(96, False)
    assert round(float(slow[-1]), 3) == 0.086 and slow[-1] == pytest.approx(0.05 * (1 + np.cos(np.pi * 23 / 96)))


def test_onecycle_stepped_per_micro_batch_raises_tried_to_step() -> None:
    with pytest.raises(ValueError, match="Tried to step 25 times. The specified number of total steps is 24"):
        accumulate(0, True, L.OneCycleLR, max_lr=0.1, total_steps=24)


# --- 3. mixed precision ----------------------------------------------------------------------------


def warmup10(optimizer):
    return L.LinearLR(optimizer, start_factor=0.1, total_iters=10)


def test_gradscaler_and_autocast_on_cpu_in_torch_2_13() -> None:
    scaler = torch.amp.GradScaler("cpu")
    assert scaler.is_enabled() and scaler.get_scale() == 65536.0
    layer = torch.nn.Linear(4, 3)
    with torch.autocast("cpu"):
        assert layer(torch.ones(1, 4)).dtype == torch.bfloat16
    with torch.autocast("cpu", dtype=None):
        assert layer(torch.ones(1, 4)).dtype == torch.bfloat16
    with torch.autocast("cpu", dtype=torch.float16):
        assert layer(torch.ones(1, 4)).dtype == torch.float16
    assert torch.finfo(torch.bfloat16).max == pytest.approx(torch.finfo(torch.float32).max, rel=1e-2)
    assert torch.finfo(torch.float16).max == 65504.0


def test_gradscaler_defaults_halve_after_an_overflow_and_double_every_2000_clean_steps() -> None:
    scaler = torch.amp.GradScaler("cpu")
    assert scaler.get_backoff_factor() == 0.5 and scaler.get_growth_factor() == 2.0
    assert scaler.get_growth_interval() == 2000


def test_gradscaler_skips_the_step_and_halves_the_scale_after_an_overflow() -> None:
    model, optimizer = sgd()
    scaler = torch.amp.GradScaler("cpu", init_scale=256.0)
    before = [p.detach().clone() for p in model.parameters()]
    optimizer.zero_grad()
    scaler.scale(loss_of(model, batch(0))).backward()
    model.head.weight.grad[0, 0] = float("inf")
    scaler.step(optimizer)
    scaler.update()
    assert scaler.get_scale() == 128.0
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


def test_a_skipped_first_step_triggers_the_step_order_warning_and_shifts_the_schedule() -> None:
    naive = amp_run(warmup10, 12, overflow_at=[0, 6])
    planned = lrutils.torch_lr_curve("LinearLR", 12, start_factor=0.1, total_iters=10)
    assert len(naive.caught.texts) == 1 and STEP_ORDER_WARNING in naive.caught.texts[0]
    assert np.array_equal(naive.lrs[:, 0], planned[[1, 2, 3, 4, 5, 7, 8, 9, 10, 11]])
    assert naive.skipped == [0, 6] and naive.step_calls == 10


def test_no_warning_when_no_step_is_skipped() -> None:
    run = amp_run(warmup10, 12)
    assert run.caught.texts == [] and len(run.lrs) == 12 and run.skipped == [] and run.step_calls == 12


def test_skip_aware_loop_uses_every_planned_lr_in_order_and_ends_two_steps_short() -> None:
    aware = amp_run(warmup10, 12, overflow_at=[0, 6], skip_aware=True)
    planned = lrutils.torch_lr_curve("LinearLR", 12, start_factor=0.1, total_iters=10)
    assert aware.caught.texts == [] and np.array_equal(aware.lrs[:, 0], planned[:10])
    assert round(float(aware.lrs[-1, 0]), 3) == 0.091


def test_a_mid_run_skip_without_the_first_does_not_warn_but_still_shifts() -> None:
    naive = amp_run(warmup10, 12, overflow_at=[6])
    planned = lrutils.torch_lr_curve("LinearLR", 12, start_factor=0.1, total_iters=10)
    assert naive.caught.texts == [] and np.array_equal(naive.lrs[:, 0], planned[[0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11]])


def test_fused_optimizers_are_stepped_on_skipped_steps_and_the_order_warning_stays_silent() -> None:
    naive = amp_run(warmup10, 12, overflow_at=[0, 6], make_optimizer=lambda p: torch.optim.AdamW(p, lr=0.1, fused=True))
    planned = lrutils.torch_lr_curve("LinearLR", 12, start_factor=0.1, total_iters=10)
    assert naive.step_calls == 12 and naive.skipped == [0, 6] and len(naive.lrs) == 10
    assert naive.caught.texts == []  # the same shift as the plain loop, but nothing warns
    assert np.array_equal(naive.lrs[:, 0], planned[[1, 2, 3, 4, 5, 7, 8, 9, 10, 11]])


def test_the_skip_aware_loop_still_works_with_a_fused_optimizer() -> None:
    aware = amp_run(
        warmup10,
        12,
        overflow_at=[0, 6],
        skip_aware=True,
        make_optimizer=lambda p: torch.optim.AdamW(p, lr=0.1, fused=True),
    )
    planned = lrutils.torch_lr_curve("LinearLR", 12, start_factor=0.1, total_iters=10)
    assert aware.step_calls == 12 and np.array_equal(aware.lrs[:, 0], planned[:10]) and aware.caught.texts == []


def test_a_plain_adamw_skips_like_sgd() -> None:
    run = amp_run(warmup10, 12, overflow_at=[0], make_optimizer=lambda p: torch.optim.AdamW(p, lr=0.1))
    assert run.step_calls == 11 and run.skipped == [0] and len(run.caught.texts) == 1


def test_amp_run_refuses_a_bad_optimizer_factory() -> None:
    with pytest.raises(TypeError, match="make_optimizer"):
        amp_run(warmup10, 2, make_optimizer="adamw")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="make_optimizer must return"):
        amp_run(warmup10, 2, make_optimizer=lambda p: None)  # type: ignore[arg-type,return-value]


def test_without_the_scalers_state_early_steps_are_skipped_again_after_resuming() -> None:
    fresh = scaler_roundtrip(load_scaler_state=False)
    loaded = scaler_roundtrip(load_scaler_state=True)
    assert fresh.skipped_before == loaded.skipped_before == list(range(9))
    assert fresh.saved_scale == loaded.saved_scale == 128.0
    assert fresh.skipped_after == list(range(40, 47)) and fresh.final_scale == 512.0
    assert loaded.skipped_after == [] and loaded.final_scale == 128.0
    with pytest.raises(TypeError, match="load_scaler_state"):
        scaler_roundtrip(load_scaler_state="yes")  # type: ignore[arg-type]


def _largest_gradient(model: torch.nn.Module, index: int) -> float:
    """The largest |value| of any gradient the float16 backward of :func:`overflow_loss` computes
    (output, hidden activations, weights), in float64 and unscaled."""
    from lrutils.training.loops.amp import overflow_batch

    double = copy.deepcopy(model).double()
    hidden = double[0](overflow_batch(index).double())
    active = torch.relu(hidden)
    out = double[2](active)
    grads = torch.autograd.grad(out.pow(2).mean(), [out, active, hidden, *double.parameters()])
    return max(float(g.abs().max()) for g in grads)


def test_the_float16_overflows_are_far_from_the_threshold_so_every_cpu_skips_the_same_steps() -> None:
    """Whether a step overflows is decided by the largest scaled gradient against float16's 65504: the
    float64 estimate must say the same as the run, with at least 10 % to spare (rounding differences
    between CPUs' float16 kernels are about 0.1 %)."""
    from lrutils.training.loops.amp import overflow_loss, overflow_model

    for load in (False, True):
        model = overflow_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-5)
        scaler = torch.amp.GradScaler("cpu")
        for i in range(60):
            if i == 40:  # resume as scaler_roundtrip does
                scaler = torch.amp.GradScaler("cpu") if not load else scaler
            scale = scaler.get_scale()
            margin = math.log2(_largest_gradient(model, i) * scale / torch.finfo(torch.float16).max)
            optimizer.zero_grad()
            scaler.scale(overflow_loss(model, i)).backward()
            scaler.step(optimizer)
            scaler.update()
            assert (scaler.get_scale() < scale) == (margin > 0), i
            assert abs(margin) > math.log2(1.1), (i, margin)


def test_checkpoint_keeps_the_scalers_state_when_given_one() -> None:
    model, optimizer = sgd()
    scheduler = L.StepLR(optimizer, 3)
    scaler = torch.amp.GradScaler("cpu", init_scale=128.0)
    saved = checkpoint(model, optimizer, scheduler, 0, scaler=scaler)
    assert saved["scaler"]["scale"] == 128.0 and "scaler" not in checkpoint(model, optimizer, scheduler, 0)
    fresh = torch.amp.GradScaler("cpu")
    fresh.load_state_dict(saved["scaler"])
    assert fresh.get_scale() == 128.0
    with pytest.raises(TypeError, match="scaler"):
        checkpoint(model, optimizer, scheduler, 0, scaler={"scale": 1.0})  # type: ignore[arg-type]


# --- data-parallel steps per rank ------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 7, 100, 1000, 1001])
@pytest.mark.parametrize("world", [1, 2, 3, 4, 8])
@pytest.mark.parametrize("drop_last", [False, True])
def test_samples_and_batches_per_rank_are_torchs_distributed_sampler(n: int, world: int, drop_last: bool) -> None:
    from torch.utils.data import DataLoader, DistributedSampler

    for rank in range(world):
        sampler = DistributedSampler(range(n), num_replicas=world, rank=rank, shuffle=False, drop_last=drop_last)
        assert len(sampler) == samples_per_rank(n, world, drop_last)
        loader = DataLoader(range(n), batch_size=32, sampler=sampler)
        assert len(loader) == batches_per_rank(n, world, 32, drop_last)


def test_rank_loaders_pad_with_samples_from_the_start_and_cover_every_sample() -> None:
    loaders = rank_loaders(100, 3, batch_size=8)
    seen = [int(i) for loader in loaders for b in loader for i in b]
    assert [len(loader) for loader in loaders] == [5, 5, 5] and len(seen) == 102
    assert sorted(set(seen)) == list(range(100)) and sorted(seen)[:4] == [0, 0, 1, 1]
    assert [list(loader)[-1].tolist() for loader in loaders] == [[96, 99], [97, 0], [98, 1]]


def test_step_like_accelerate_steps_num_processes_times_and_stops_at_total_steps() -> None:
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    plain = L.LambdaLR(optimizer, lambda t: 1.0)
    for _ in range(4):
        optimizer.step()
        step_like_accelerate(plain, 2)
    assert plain.last_epoch == 8  # 2 processes: twice per optimizer step, as accelerate 1.15 did on 2 CPU processes
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    one_cycle = L.OneCycleLR(optimizer, max_lr=0.1, total_steps=7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(4):
            optimizer.step()
            step_like_accelerate(one_cycle, 2)
    assert one_cycle.last_epoch == 7  # 8 asked for; plain torch raises on the 8th
    with pytest.raises(ValueError, match="Tried to step 8 times"):
        one_cycle.step()
    with pytest.raises(TypeError, match="scheduler"):
        step_like_accelerate(optimizer, 2)
    with pytest.raises(ValueError, match="num_processes"):
        step_like_accelerate(plain, 0)


def test_onecycle_sized_per_rank_under_accelerate_ends_its_cycle_halfway() -> None:
    """Notebook 11: 2 ranks, 7 optimizer steps per epoch, 2 epochs. The lrs are those accelerate 1.15
    gave on 2 CPU processes (recorded outside this venv, which has no accelerate)."""

    def lrs(total: int) -> list[float]:
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        scheduler = L.OneCycleLR(optimizer, max_lr=0.1, total_steps=total)
        out = []
        for _ in range(14):
            out.append(round(optimizer.param_groups[0]["lr"], 8))
            optimizer.step()
            step_like_accelerate(scheduler, 2)
        return out

    per_rank, unsplit = lrs(14), lrs(26)
    assert per_rank[:7] == [0.004, 0.0703688, 0.09836475, 0.08117457, 0.05160277, 0.02139448, 0.0025476]
    assert per_rank[7:] == [0.0025476] * 7  # the second epoch at the cycle's end, silently
    assert unsplit[-3:] == [0.00655598, 0.00074345, 0.00074345] and max(unsplit) == 0.09893118


# --- 4. parameter groups ---------------------------------------------------------------------------


def two_groups(model, backbone_lr=0.01, head_lr=0.1):
    groups = [
        {"params": model.backbone.parameters(), "lr": backbone_lr},
        {"params": model.head.parameters(), "lr": head_lr},
    ]
    return torch.optim.SGD(groups, momentum=0.9)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("StepLR", {"step_size": 5, "gamma": 0.5}),
        ("ExponentialLR", {"gamma": 0.9}),
        ("LinearLR", {"start_factor": 0.1, "total_iters": 10}),
        ("LambdaLR", {"lr_lambda": lambda t: 0.9**t}),
        ("CosineAnnealingLR", {"T_max": 30}),
        ("PolynomialLR", {"total_iters": 40, "power": 2.0}),
    ],
)
def test_schedulers_scale_each_group_from_its_own_initial_lr(name: str, kwargs: dict) -> None:
    model = two_part_model()
    optimizer = two_groups(model)
    scheduler = getattr(L, name)(optimizer, **kwargs)
    lrs = run_steps(model, optimizer, scheduler, 30)
    nonzero = lrs[:, 0] > 0
    assert np.allclose(lrs[nonzero, 1] / lrs[nonzero, 0], 10.0, rtol=1e-9)
    assert len(scheduler.get_last_lr()) == 2


def test_cosine_eta_min_is_one_lr_shared_by_every_group() -> None:
    model = two_part_model()
    optimizer = two_groups(model)
    scheduler = L.CosineAnnealingLR(optimizer, T_max=30, eta_min=0.005)
    lrs = run_steps(model, optimizer, scheduler, 30)
    ratio = lrs[:, 1] / lrs[:, 0]
    assert ratio[0] == pytest.approx(10.0) and ratio[15] == pytest.approx(7.0) and round(ratio[29], 6) == 1.049168
    assert scheduler.get_last_lr() == pytest.approx([0.005, 0.005])
    scheduler = L.CosineAnnealingLR(two_groups(model), T_max=30)
    run_steps(model, scheduler.optimizer, scheduler, 30)
    assert scheduler.get_last_lr() == [0.0, 0.0]


def test_onecycle_overwrites_the_groups_lrs_and_takes_max_lr_per_group() -> None:
    model = two_part_model()
    optimizer = two_groups(model)
    scheduler = L.OneCycleLR(optimizer, max_lr=0.1, total_steps=50)
    assert [g["lr"] for g in optimizer.param_groups] == pytest.approx([0.004, 0.004])
    lrs = run_steps(model, optimizer, scheduler, 50)
    assert np.array_equal(lrs[:, 0], lrs[:, 1]) and lrs.max() == pytest.approx(0.1)
    optimizer = two_groups(model)
    scheduler = L.OneCycleLR(optimizer, max_lr=[0.01, 0.1], total_steps=50)
    lrs = run_steps(model, optimizer, scheduler, 50)
    assert lrs[:, 0].max() == pytest.approx(0.01) and lrs[:, 1].max() == pytest.approx(0.1)
    assert np.allclose(lrs[:, 1] / lrs[:, 0], 10.0, rtol=1e-9)
    with pytest.raises(ValueError, match="max_lr must have the same length as optimizer.param_groups"):
        L.OneCycleLR(two_groups(model), max_lr=[0.1], total_steps=50)


def test_cyclic_lr_and_reduce_on_plateau_accept_one_value_per_group() -> None:
    model = two_part_model()
    optimizer = two_groups(model)
    scheduler = L.CyclicLR(optimizer, base_lr=[0.001, 0.01], max_lr=[0.01, 0.1], step_size_up=5)
    lrs = run_steps(model, optimizer, scheduler, 11)
    assert lrs[5].tolist() == pytest.approx([0.01, 0.1]) and lrs[10].tolist() == pytest.approx([0.001, 0.01])
    optimizer = two_groups(model)
    plateau = L.ReduceLROnPlateau(optimizer, patience=0, factor=0.1, min_lr=[0.005, 0.001])
    for _ in range(4):
        optimizer.step()
        plateau.step(1.0)
    assert [g["lr"] for g in optimizer.param_groups] == pytest.approx([0.005, 0.001])


# --- 5. reading the lr -----------------------------------------------------------------------------


def bare(lr: float = 0.1) -> torch.optim.Optimizer:
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)


def test_get_last_lr_after_step_is_the_lr_of_the_next_step() -> None:
    optimizer = bare()
    scheduler = L.StepLR(optimizer, step_size=2, gamma=0.5)
    used, logged = [], []
    for _ in range(5):
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
        logged.append(scheduler.get_last_lr()[0])
        assert scheduler.get_last_lr() == [optimizer.param_groups[0]["lr"]]
    assert used == [0.1, 0.1, 0.05, 0.05, 0.025] and logged == used[1:] + [0.025]


def test_get_last_lr_goes_stale_recursive_keeps_a_change_closed_form_overwrites_it() -> None:
    results = {}
    for cls, kwargs in ((L.ExponentialLR, {"gamma": 0.9}), (L.LambdaLR, {"lr_lambda": lambda t: 0.9**t})):
        optimizer = bare()
        scheduler = cls(optimizer, **kwargs)
        optimizer.step()
        scheduler.step()
        optimizer.param_groups[0]["lr"] /= 2
        assert scheduler.get_last_lr()[0] == pytest.approx(0.09) and optimizer.param_groups[0]["lr"] == pytest.approx(
            0.045
        )
        optimizer.step()
        scheduler.step()
        results[cls.__name__] = optimizer.param_groups[0]["lr"]
    assert results["ExponentialLR"] == pytest.approx(0.0405) and results["LambdaLR"] == pytest.approx(0.081)


def test_get_lr_by_hand_warns_and_recursive_schedulers_repeat_their_last_update() -> None:
    cases = {
        "StepLR": ({"step_size": 3, "gamma": 0.5}, 0.025),
        "ExponentialLR": ({"gamma": 0.5}, 0.00625),
        "CosineAnnealingLR": ({"T_max": 10}, None),
        "LambdaLR": ({"lr_lambda": lambda t: 0.5**t}, 0.0125),
    }
    for name, (kwargs, expected) in cases.items():
        optimizer = bare()
        scheduler = getattr(L, name)(optimizer, **kwargs)
        for _ in range(3):
            optimizer.step()
            scheduler.step()
        with pytest.warns(UserWarning, match=r"please use `get_last_lr\(\)`"):
            by_hand = scheduler.get_lr()[0]
        current = scheduler.get_last_lr()[0]
        if expected is None:  # cosine: the step-3 ratio applied to the step-3 lr once more
            ratio = (1 + np.cos(np.pi * 3 / 10)) / (1 + np.cos(np.pi * 2 / 10))
            expected = ratio * current
        assert by_hand == pytest.approx(expected, rel=1e-12), name
        assert (by_hand == pytest.approx(current)) == (name == "LambdaLR")


def test_verbose_and_print_lr_are_gone_in_torch_2_13() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'verbose'"):
        L.StepLR(bare(), step_size=10, verbose=True)
    assert not hasattr(L.StepLR, "print_lr") and not hasattr(L.LRScheduler, "print_lr")


# --- 6. epochs to batches --------------------------------------------------------------------------


@given(
    per=st.integers(1, 20),
    epochs=st.integers(1, 25),
    step_size=st.integers(1, 10),
    gamma=st.floats(0.05, 1.0),
    milestones=st.lists(st.integers(0, 30), min_size=1, max_size=4),
)
def test_staircases_stepped_per_batch_equal_per_epoch_at_every_batch(per, epochs, step_size, gamma, milestones) -> None:
    for name, kwargs in (
        ("StepLR", {"step_size": step_size, "gamma": gamma}),
        ("MultiStepLR", {"milestones": milestones, "gamma": gamma}),
    ):
        per_epoch = lrutils.torch_lr_curve(name, epochs, **kwargs)
        per_batch = lrutils.torch_lr_curve(name, epochs * per, **epochs_to_batches(name, kwargs, per))
        assert np.array_equal(per_batch, np.repeat(per_epoch, per)), name


@given(
    per=st.integers(1, 30),
    epochs=st.integers(1, 40),
    t_max=st.integers(1, 40),
    gamma=st.floats(0.5, 1.0),
    start=st.floats(0.01, 1.0),
    total=st.integers(1, 20),
    warmup=st.integers(1, 10),
    eta_min=st.floats(0.0, 0.01),
)
def test_smooth_schedules_per_batch_agree_with_per_epoch_at_each_epochs_first_batch(
    per, epochs, t_max, gamma, start, total, warmup, eta_min
) -> None:
    for name, kwargs in (
        ("CosineAnnealingLR", {"T_max": t_max, "eta_min": eta_min}),
        ("ExponentialLR", {"gamma": gamma}),
        ("LinearLR", {"start_factor": start, "total_iters": total}),
        ("PolynomialLR", {"total_iters": total, "power": 2.0}),
        ("warmup_cosine", {"warmup_steps": warmup, "T_max": t_max}),
        ("warmup_stable_decay", {"warmup_steps": warmup, "stable_steps": t_max, "decay_steps": total}),
        ("CosineAnnealingWarmRestarts", {"T_0": t_max, "T_mult": 2}),
        ("SequentialLR", lrutils.warmup_cosine(warmup, t_max)),
    ):
        per_epoch = lrutils.lr_curve(name, epochs, **kwargs)
        per_batch = lrutils.torch_lr_curve(name, epochs * per, **epochs_to_batches(name, kwargs, per))
        assert_agrees(per_batch[::per], per_epoch, 0.1, n_steps=epochs * per)


def test_epochs_to_batches_converts_defaulted_lengths_and_stages() -> None:
    assert epochs_to_batches("LinearLR", {"start_factor": 0.1}, 10) == {"start_factor": 0.1, "total_iters": 50}
    chained = epochs_to_batches(
        "ChainedScheduler", {"schedulers": [("ExponentialLR", {"gamma": 0.25}), ("StepLR", {"step_size": 2})]}, 2
    )
    assert chained == {"schedulers": [("ExponentialLR", {"gamma": 0.5}), ("StepLR", {"step_size": 4})]}


@pytest.mark.parametrize(
    "name,kwargs,words",
    [
        ("ReduceLROnPlateau", {}, ["reacts to a metric", "once per epoch"]),
        ("LambdaLR", {"lr_lambda": lambda t: 1.0}, ["lambda t: f(t / batches_per_epoch)"]),
        ("OneCycleLR", {"max_lr": 0.1, "total_steps": 10}, ["already counts optimizer steps"]),
        ("noam", {"d_model": 8, "warmup_steps": 4}, ["already counts optimizer steps"]),
    ],
)
def test_epochs_to_batches_refuses_what_it_cannot_convert(name, kwargs, words) -> None:
    with pytest.raises(ValueError) as info:
        epochs_to_batches(name, kwargs, 10)
    for word in words:
        assert word in str(info.value)


def test_epochs_to_batches_checks_its_inputs() -> None:
    with pytest.raises(ValueError, match="batches_per_epoch must be an int >= 1"):
        epochs_to_batches("StepLR", {"step_size": 3}, 0)
    with pytest.raises(TypeError, match="StepLR got unexpected keyword"):
        epochs_to_batches("StepLR", {"stepsize": 3}, 5)


def test_unconverted_cosine_stepped_per_batch_runs_25_periods_and_never_anneals() -> None:
    lrs = lrutils.torch_lr_curve("CosineAnnealingLR", 1500, T_max=30)
    minima = np.flatnonzero(lrs < 1e-12)
    assert len(minima) == 25 and lrs[-1] > 0.099
    per_epoch = np.repeat(lrutils.torch_lr_curve("CosineAnnealingLR", 30, T_max=30), 50)
    smooth = lrutils.torch_lr_curve("CosineAnnealingLR", 1500, T_max=1500)
    assert round(per_epoch.mean(), 4) == 0.0517 and round(smooth.mean(), 4) == 0.05
    assert round(per_epoch[-1], 5) == 0.00027 and smooth[-1] < 1e-6


# --- 8. recipes, as the notebook runs them -------------------------------------------------------


def test_transformers_linear_schedule_first_step_changes_no_weight_even_with_adamw_decay() -> None:
    model = two_part_model()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    scheduler = L.LambdaLR(optimizer, lrutils.recipes.linear_warmup_decay_factor(warmup_steps=100, total_steps=1000))
    before = [p.detach().clone() for p in model.parameters()]
    lrs = run_steps(model, optimizer, scheduler, 1)
    assert lrs[0, 0] == 0.0 and all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))
    run_steps(model, optimizer, scheduler, 1, start=1)
    assert not all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


def test_1_sqrt_cooldown_drops_faster_at_first_than_the_linear_one() -> None:
    wsd = {"warmup_steps": 100, "stable_steps": 700, "decay_steps": 200}
    sqrt_cooldown = lrutils.lr_curve("wsd_1sqrt", 1000, base_lr=0.1, **wsd)
    linear = lrutils.lr_curve("warmup_stable_decay", 1000, base_lr=0.1, **wsd)
    assert sqrt_cooldown[850] == pytest.approx(0.05) and linear[850] == pytest.approx(0.075)
    assert np.all(sqrt_cooldown[801:] <= linear[801:])


def test_a_korean_lr_table_names_its_columns_above_the_table() -> None:
    """Hangul labels are numbered and named above (browsers draw Hangul narrower than two columns); the
    numbered header and the rows still line up, and a table without Hangul keeps its labels on top."""
    from lrutils.text.i18n import language
    from lrutils.text.tables import display_width

    with language("ko"):
        text = lr_table({"no floor": [0.1, 0.05], "b": [0.1]})
    lines = text.splitlines()
    assert lines[:2] == ["(1) 하한 없음", "(2) b"]
    assert lines[2].split() == ["스텝", "(1)", "(2)"] and display_width(lines[2]) == len(lines[3])  # a terminal
    assert lines[4].split() == ["1", "0.05", "-"]
    with language("ko"):
        assert lr_table({"a": [0.1]}).splitlines()[0].split() == ["스텝", "a"]
