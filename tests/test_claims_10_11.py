"""Each test guards one sentence of notebooks 10 and 11: a torch behaviour the prose asserts that no
cell of the notebook demonstrates by running it (or that the fact-check found wrong, in its
corrected form). The docstring names the notebook and the sentence; the assertions use real torch.
"""

from __future__ import annotations

import inspect
import warnings

import pytest
import torch
from torch.optim import lr_scheduler as sched
from torch.utils.data import DistributedSampler

STEP_ORDER_WARNING = "Detected call of `lr_scheduler.step()` before `optimizer.step()`"


def _param(value: float = 1.0) -> torch.nn.Parameter:
    return torch.nn.Parameter(torch.full((3,), value))


SCHEDULERS = {
    "LambdaLR": {"lr_lambda": lambda t: 0.9**t},
    "MultiplicativeLR": {"lr_lambda": lambda t: 0.9},
    "StepLR": {"step_size": 2},
    "MultiStepLR": {"milestones": [2, 4]},
    "ConstantLR": {},
    "LinearLR": {},
    "ExponentialLR": {"gamma": 0.9},
    "SequentialLR": None,
    "PolynomialLR": {},
    "CosineAnnealingLR": {"T_max": 10},
    "ChainedScheduler": None,
    "ReduceLROnPlateau": {},
    "CyclicLR": {"base_lr": 0.01, "max_lr": 0.1},
    "CosineAnnealingWarmRestarts": {"T_0": 5},
    "OneCycleLR": {"max_lr": 0.1, "total_steps": 10},
}
"""Every scheduler class of torch 2.13 and the keywords it needs (None: built from other schedulers)."""


def _build(name: str, optimizer: torch.optim.Optimizer) -> object:
    """Scheduler ``name`` on ``optimizer`` (a composite from two ``StepLR`` stages)."""
    if name == "SequentialLR":
        return sched.SequentialLR(optimizer, [sched.StepLR(optimizer, 2), sched.StepLR(optimizer, 2)], milestones=[3])
    if name == "ChainedScheduler":
        return sched.ChainedScheduler([sched.StepLR(optimizer, 2), sched.StepLR(optimizer, 3)])
    return getattr(sched, name)(optimizer, **SCHEDULERS[name])


def test_the_list_holds_every_scheduler_class_of_torch() -> None:
    classes = {
        name
        for name, obj in vars(sched).items()
        if inspect.isclass(obj) and issubclass(obj, sched.LRScheduler) and name not in ("LRScheduler", "_LRScheduler")
    }
    assert classes == set(SCHEDULERS)


def test_every_scheduler_except_reduce_on_plateau_and_chained_scheduler_accepts_last_epoch() -> None:
    """11 ("`last_epoch` by hand"): "Every scheduler except `ReduceLROnPlateau` and `ChainedScheduler`
    accepts `last_epoch=`" (the old text said every scheduler)."""
    without = {name for name in SCHEDULERS if "last_epoch" not in inspect.signature(getattr(sched, name)).parameters}
    assert without == {"ReduceLROnPlateau", "ChainedScheduler"}
    with pytest.raises(TypeError, match="unexpected keyword argument 'last_epoch'"):
        sched.ReduceLROnPlateau(torch.optim.SGD([_param()], lr=0.1), last_epoch=3)  # type: ignore[call-arg]


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_every_scheduler_except_reduce_on_plateau_writes_initial_lr(name: str) -> None:
    """11 (section 1): "the `initial_lr` that every scheduler except `ReduceLROnPlateau` writes into each
    param group" (the old text said every scheduler)."""
    optimizer = torch.optim.SGD([_param()], lr=0.1, momentum=0.9)
    _build(name, optimizer)
    assert ("initial_lr" in optimizer.param_groups[0]) == (name != "ReduceLROnPlateau")


def test_onecycle_and_cyclic_lr_take_their_own_lrs_not_the_groups() -> None:
    """11 (section 4): schedulers scale each group from its own `initial_lr`, "except those that take their own
    lrs (`OneCycleLR`, `CyclicLR`)"."""
    groups = [{"params": [_param()], "lr": 0.01}, {"params": [_param()], "lr": 0.1}]
    optimizer = torch.optim.SGD(groups, momentum=0.9)
    sched.OneCycleLR(optimizer, max_lr=1.0, total_steps=10)
    assert [g["lr"] for g in optimizer.param_groups] == pytest.approx([0.04, 0.04], rel=1e-12)  # max_lr / 25
    optimizer = torch.optim.SGD([{"params": [_param()], "lr": 0.01}, {"params": [_param()], "lr": 0.1}], momentum=0.9)
    sched.CyclicLR(optimizer, base_lr=0.5, max_lr=1.0)
    assert [g["lr"] for g in optimizer.param_groups] == [0.5, 0.5]


def test_reduce_on_plateau_cuts_each_groups_current_lr() -> None:
    """11 (section 4): "`ReduceLROnPlateau`, which cuts each group's current lr"."""
    optimizer = torch.optim.SGD([{"params": [_param()], "lr": 0.01}, {"params": [_param()], "lr": 0.1}])
    plateau = sched.ReduceLROnPlateau(optimizer, patience=0, factor=0.5)
    optimizer.param_groups[1]["lr"] = 0.2  # changed by hand: the cut starts from here
    for metric in (1.0, 1.0):
        optimizer.step()
        plateau.step(metric)
    assert [g["lr"] for g in optimizer.param_groups] == [0.005, 0.1]


@pytest.mark.parametrize("cls", [torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW])
def test_fused_optimizers_construct_and_step_on_a_cpu_in_torch_2_13(cls: type) -> None:
    """11 ("Fused optimizers hide the skip"): "`AdamW(..., fused=True)` (also `Adam` and `SGD`, on a CPU too
    in torch 2.13)"; all of them take over the scaler's inf check (`_step_supports_amp_scaling`)."""
    param = _param()
    optimizer = cls([param], lr=0.1, fused=True)
    param.grad = torch.ones(3)
    optimizer.step()
    assert torch.all(param.detach() < 1.0)
    assert optimizer._step_supports_amp_scaling
    assert not hasattr(cls([_param()], lr=0.1), "_step_supports_amp_scaling")


def _skipped_first_step(optimizer: torch.optim.Optimizer, param: torch.nn.Parameter) -> tuple[int, torch.Tensor]:
    """One GradScaler step whose gradient is inf: (optimizer.step() calls, the weights after it)."""
    calls = []
    handle = optimizer.register_step_pre_hook(lambda *args: calls.append(1))
    scaler = torch.amp.GradScaler("cpu")
    scaler.scale((param * float("inf")).sum()).backward()
    scaler.step(optimizer)
    scaler.update()
    handle.remove()
    return len(calls), param.detach().clone()


@pytest.mark.parametrize("fused", [False, True])
def test_gradscaler_always_calls_a_fused_optimizers_step_and_the_kernel_skips_the_update(fused: bool) -> None:
    """11: "For such an optimizer `scaler.step` checks for inf, then **always calls `optimizer.step()`** and
    hands it the result; the kernel leaves the weights alone"."""
    param = _param()
    calls, after = _skipped_first_step(torch.optim.AdamW([param], lr=0.1, fused=fused), param)
    assert calls == (1 if fused else 0)
    assert torch.equal(after, torch.ones(3))


def test_the_order_warning_only_asks_whether_optimizer_step_was_called() -> None:
    """11: "Torch's order warning only asks whether `optimizer.step()` was called, so it stays silent" with a
    fused optimizer whose first step was skipped; the same skip with a plain optimizer warns."""
    for fused, warns in ((False, True), (True, False)):
        param = _param()
        optimizer = torch.optim.AdamW([param], lr=0.1, fused=fused)
        scheduler = sched.LinearLR(optimizer, start_factor=0.1, total_iters=10)
        _skipped_first_step(optimizer, param)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            scheduler.step()
        assert any(STEP_ORDER_WARNING in str(w.message) for w in caught) == warns


def test_fused_sgd_with_momentum_keeps_an_uninitialised_momentum_buffer_after_a_skipped_first_step() -> None:
    """11: "Avoid fused `SGD` with momentum here: in torch 2.13, on a skipped first step its kernel keeps a
    momentum buffer of uninitialised memory" (``torch.empty_like`` in ``_fused_sgd``; plain SGD keeps none)."""
    plain, fused = _param(), _param()
    plain_sgd = torch.optim.SGD([plain], lr=0.1, momentum=0.9)
    fused_sgd = torch.optim.SGD([fused], lr=0.1, momentum=0.9, fused=True)
    _skipped_first_step(plain_sgd, plain)
    _skipped_first_step(fused_sgd, fused)
    assert "momentum_buffer" not in plain_sgd.state.get(plain, {})
    assert "momentum_buffer" in fused_sgd.state[fused]  # its values: whatever torch.empty_like found
    from torch.optim.sgd import _fused_sgd

    assert "torch.empty_like(g)" in inspect.getsource(_fused_sgd)


def test_the_scale_drops_only_after_a_skipped_step() -> None:
    """11: "the scale only drops after a skipped step", the skip-aware loop's test."""
    param = _param()
    optimizer = torch.optim.SGD([param], lr=0.01)
    scaler = torch.amp.GradScaler("cpu", init_scale=4.0, growth_interval=3)
    scales = []
    for value in (1.0, 1.0, 1.0, float("inf"), 1.0):
        optimizer.zero_grad()
        scaler.scale((param * value).sum()).backward()
        scaler.step(optimizer)
        scaler.update()
        scales.append(scaler.get_scale())
    assert scales == [4.0, 4.0, 8.0, 4.0, 4.0]  # grows after 3 clean steps, halves after the inf


def test_distributed_sampler_gives_every_rank_ceil_n_over_w_samples_padding_from_the_start() -> None:
    """11 ("Several processes"): `DistributedSampler` gives each of the W ranks ceil(N / W) of the N samples,
    repeating samples to make the shares equal, and needs no process group given `num_replicas` and `rank`."""
    shares = [list(DistributedSampler(range(10), num_replicas=4, rank=r, shuffle=False)) for r in range(4)]
    assert [len(s) for s in shares] == [3, 3, 3, 3]
    assert sorted(i for s in shares for i in s) == [0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9]
