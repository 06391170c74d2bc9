"""The stacked trainer: N runs in one pass equal N separate runs, bit for bit, and each run is
stepped, updated and stopped exactly as it would be alone."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from lrutils import lr_curve, momentum_curve
from lrutils.training import engine
from lrutils.training.demo import demo_kwargs
from lrutils.training.engine import ADAMW_BETAS, ADAMW_EPS, ADAMW_WEIGHT_DECAY, MOMENTUM, RunSpec, train_runs
from lrutils.training.mlp import DTYPE, init_stack, loss_and_accuracy
from lrutils.training.step import SMALL_STACK, OptimizerState, StepArrays, adamw_step, int_power, sgd_step

EPOCHS, HIDDEN, BATCH = 4, 16, 40


def spec(name: str | None, lr: float, seed: int, epochs: int = EPOCHS, **extra) -> RunSpec:
    kwargs = {**demo_kwargs(name, epochs, 30, lr), **extra}
    return RunSpec(name, kwargs, lr=lr, seed=seed)


MIXED = [
    spec(None, 0.1, 0),
    spec("StepLR", 0.2, 1, step_size=1, gamma=0.5),
    spec("ReduceLROnPlateau", 0.1, 2, patience=0),
    spec("ReduceLROnPlateau", 0.1, 3, patience=0),
    spec("OneCycleLR", 0.3, 4),
    spec("CyclicLR", 0.05, 5, max_lr=0.2, step_size_up=20),
    spec(None, 0.1, 0),  # a repeat shares its schedule driver and still trains on its own
]


def test_a_stack_equals_separate_runs_bit_for_bit() -> None:
    together = train_runs(MIXED, EPOCHS, HIDDEN, BATCH)
    for run, h in zip(MIXED, together, strict=True):
        alone = train_runs([run], EPOCHS, HIDDEN, BATCH)[0]
        assert h == alone, run
    assert together[0] == together[-1]


def test_plateau_runs_cut_on_their_own_metric() -> None:
    runs = [spec("ReduceLROnPlateau", 0.1, seed, epochs=12, patience=0, factor=0.5) for seed in range(4)]
    histories = train_runs(runs, 12, HIDDEN, BATCH)
    schedules = set()
    for h in histories:
        expected = lr_curve("ReduceLROnPlateau", 12, base_lr=0.1, metrics=h.val_loss, **h.kwargs)
        assert np.array_equal(h.lr, np.repeat(expected, 30))
        schedules.add(tuple(expected))
    assert len(schedules) > 1  # different seeds, different cuts


@pytest.mark.parametrize("name", ["StepLR", "OneCycleLR", "CosineAnnealingWarmRestarts", "CyclicLR"])
def test_recorded_lr_and_momentum_are_the_schedulers(name: str) -> None:
    h = train_runs([spec(name, 0.1, 0)], EPOCHS, HIDDEN, BATCH)[0]
    from lrutils.curves.table import get_spec

    unit = get_spec(name).unit
    n = EPOCHS * 30 if unit == "batch" else EPOCHS
    expected = lr_curve(name, n, base_lr=0.1, **h.kwargs)
    expected = expected if unit == "batch" else np.repeat(expected, 30)
    assert np.allclose(h.lr, expected, rtol=1e-12, atol=0)
    if name in ("OneCycleLR", "CyclicLR"):
        assert np.allclose(h.momentum, momentum_curve(name, n, base_lr=0.1, **h.kwargs), rtol=1e-12)
    else:
        assert np.all(h.momentum == MOMENTUM)


def _parameters(seed: int) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    net = init_stack([seed], hidden=8)
    g = torch.Generator().manual_seed(seed + 1)
    grads = [torch.randn(t.shape, generator=g, dtype=DTYPE) for t in net.tensors()]
    return net, grads


def _per_run(value: float) -> np.ndarray:
    """A per-run hyperparameter of a one-run stack."""
    return np.full((1, 1, 1), value)


def test_sgd_update_is_torchs_sgd_with_momentum() -> None:
    net, grads = _parameters(0)
    params = [t[0].clone().requires_grad_() for t in net.tensors()]
    optimizer = torch.optim.SGD(params, lr=0.1, momentum=MOMENTUM, foreach=False)
    state = OptimizerState("sgd")
    for step in range(3):
        scaled = [g * (step + 1) for g in grads]
        for p, g in zip(params, scaled, strict=True):
            p.grad = g[0].clone()
        optimizer.step()
        sgd_step(
            [t.numpy() for t in net.tensors()], [g.numpy() for g in scaled], state, _per_run(0.1), _per_run(MOMENTUM)
        )
    for ours, theirs in zip(net.tensors(), params, strict=True):
        assert torch.allclose(ours[0], theirs.detach(), rtol=1e-15, atol=1e-16)


def test_adamw_update_is_torchs_adamw() -> None:
    net, grads = _parameters(1)
    params = [t[0].clone().requires_grad_() for t in net.tensors()]
    optimizer = torch.optim.AdamW(params, lr=0.01, eps=ADAMW_EPS, weight_decay=ADAMW_WEIGHT_DECAY, foreach=False)
    state = OptimizerState("adamw")
    for step in range(5):
        scaled = [g * (1 + step % 3) for g in grads]
        for p, g in zip(params, scaled, strict=True):
            p.grad = g[0].clone()
        optimizer.step()
        adamw_step(
            [t.numpy() for t in net.tensors()], [g.numpy() for g in scaled], state, _per_run(0.01), _per_run(0.9)
        )
    for ours, theirs in zip(net.tensors(), params, strict=True):
        assert torch.allclose(ours[0], theirs.detach(), rtol=1e-13, atol=1e-15)


def test_the_updates_make_these_torch_operations_bit_for_bit() -> None:
    """The numpy updates round as these torch expressions do (AdamW's square root is torch's, MKL's,
    which is not numpy's correctly rounded one)."""
    net, grads = _parameters(2)
    sgd, adamw = OptimizerState("sgd"), OptimizerState("adamw")
    ours_sgd, ours_adamw = [t.clone() for t in net.tensors()], [t.clone() for t in net.tensors()]
    ref_sgd, ref_adamw = [t.clone() for t in net.tensors()], [t.clone() for t in net.tensors()]
    bufs, ms, vs = None, [torch.zeros_like(t) for t in ref_adamw], [torch.zeros_like(t) for t in ref_adamw]
    for step in range(1, 7):
        lr, beta1 = (
            torch.full((1, 1, 1), 0.05 * step, dtype=DTYPE),
            torch.full((1, 1, 1), 1.0 - 0.05 * step, dtype=DTYPE),
        )
        g = [x * (1 + step % 4) * 10.0**-step for x in grads]
        args = ([x.numpy() for x in g], lr.numpy(), beta1.numpy())
        sgd_step([t.numpy() for t in ours_sgd], args[0], sgd, args[1], args[2])
        adamw_step([t.numpy() for t in ours_adamw], args[0], adamw, args[1], args[2])
        bufs = [x.clone() for x in g] if bufs is None else [b * beta1 + x for b, x in zip(bufs, g, strict=True)]
        ref_sgd = [p - b * lr for p, b in zip(ref_sgd, bufs, strict=True)]
        step_size = lr / (1.0 - int_power(beta1, step))
        root = math.sqrt(1.0 - int_power(ADAMW_BETAS[1], step))
        ms = [m * beta1 + x * (1.0 - beta1) for m, x in zip(ms, g, strict=True)]
        vs = [v * ADAMW_BETAS[1] + (x * x) * (1.0 - ADAMW_BETAS[1]) for v, x in zip(vs, g, strict=True)]
        ref_adamw = [
            p * (1.0 - lr * ADAMW_WEIGHT_DECAY) - step_size * (m / (v.sqrt() / root + ADAMW_EPS))
            for p, m, v in zip(ref_adamw, ms, vs, strict=True)
        ]
    for ours, ref in ((ours_sgd, ref_sgd), (ours_adamw, ref_adamw)):
        assert [t.numpy().tobytes() for t in ours] == [t.numpy().tobytes() for t in ref]


def test_adamw_runs_stack_like_sgd_runs() -> None:
    runs = [
        RunSpec(name, demo_kwargs(name, 3, 30, 0.003), lr=0.003, seed=s, optimizer="adamw")
        for s, name in enumerate([None, "LinearLR", "warmup_cosine"])
    ]
    together = train_runs(runs, 3, HIDDEN, BATCH)
    for run, h in zip(runs, together, strict=True):
        assert h == train_runs([run], 3, HIDDEN, BATCH)[0]
        assert h.optimizer == "adamw" and np.all(h.momentum == 0.9)
    with pytest.raises(ValueError, match="one optimizer"):
        train_runs([runs[0], spec(None, 0.1, 0)], 1, HIDDEN, BATCH)


def test_a_run_that_blows_up_stops_and_says_where_while_the_others_go_on() -> None:
    runs = [RunSpec(None, lr=50.0, seed=0), RunSpec(None, lr=0.1, seed=0)]
    bad, good = train_runs(runs, 3, HIDDEN, BATCH)
    assert bad.failure is not None and bad.failure.epoch == 1 and bad.failure.lr == 50.0
    assert "lower the lr" in bad.failure.message and "epoch 1" in bad.failure.message
    assert np.isnan(bad.val_loss).all() and np.isnan(bad.lr[bad.failure.step + 1 :]).all()
    assert good == train_runs([runs[1]], 3, HIDDEN, BATCH)[0]
    assert good.failure is None


def test_explicit_step_lrs_drive_the_run() -> None:
    lrs = tuple(np.linspace(0.01, 0.1, 45))
    h = train_runs([RunSpec(None, lr=0.01, seed=0, step_lrs=lrs)], 2, HIDDEN, BATCH)[0]
    assert np.array_equal(h.lr[:45], np.array(lrs)) and np.all(h.lr[45:] == lrs[-1])
    assert h.batch_loss.shape == (60,) and np.isfinite(h.batch_loss).all()
    with pytest.raises(ValueError, match="step_lrs"):
        train_runs([RunSpec("StepLR", {"step_size": 2}, step_lrs=lrs)], 1, HIDDEN, BATCH)


def test_the_data_stays_usable_with_autograd_after_training() -> None:
    """The engine trains in inference mode; the data it caches (and spiral_data's) must not be
    inference tensors, or a learner's own loop on them fails ("cannot be saved for backward")."""
    from lrutils.training.data import spiral_data

    train_runs([RunSpec(None, lr=0.1, seed=0)], 1, HIDDEN, BATCH)
    data = spiral_data()
    assert not data.x_train.is_inference()
    weight = torch.zeros(2, 3, requires_grad=True)
    (data.x_train @ weight).sum().backward()
    assert weight.grad is not None


def test_a_large_stack_gives_the_same_bits_as_runs_alone() -> None:
    """A bake-off trains 90 runs in one stack: MKL multiplies a batch of that size like a batch of one."""
    runs = [RunSpec(None, lr=0.05 + 0.005 * i, seed=i) for i in range(90)]
    stacked = train_runs(runs, 1, HIDDEN, BATCH)
    for i in (0, 45, 89):
        assert stacked[i] == train_runs([runs[i]], 1, HIDDEN, BATCH)[0]


def _bits(h) -> list[bytes]:
    arrays = (h.lr, h.momentum, h.train_loss, h.batch_loss, h.val_loss, h.val_acc)
    failure = None if h.failure is None else np.array([h.failure.lr, h.failure.loss]).tobytes()
    return [a.tobytes() for a in arrays] + [repr(h.failure).encode(), failure]


@pytest.mark.parametrize("optimizer, lrs", [("sgd", [0.1, 1e200, 20.0, 0.3]), ("adamw", [0.003, 1e300, 1.0, 0.01])])
@pytest.mark.parametrize("copies", [1, SMALL_STACK])
def test_the_fast_path_gives_the_torch_functions_bits(monkeypatch, optimizer: str, lrs: list, copies: int) -> None:
    """The engine's numpy path against the torch functions alone (every step declined), bit for bit:
    healthy runs, runs whose loss blows up, and runs that turn NaN (torch's NaN bits kept), in stacks
    below and above SMALL_STACK."""
    runs = [RunSpec(None, lr=lr, seed=s, optimizer=optimizer) for s in range(copies) for lr in lrs][: 3 * copies]
    fast = train_runs(runs, 3, HIDDEN, BATCH)
    assert any(h.failure is not None and np.isnan(h.failure.loss) for h in fast)
    monkeypatch.setattr(StepArrays, "gradients", lambda self, *args: None)
    monkeypatch.setattr(engine, "evaluate", lambda net, x, y, **_: loss_and_accuracy(net, x, y))
    alone = train_runs(runs, 3, HIDDEN, BATCH)
    for a, b in zip(fast, alone, strict=True):
        assert _bits(a) == _bits(b)
