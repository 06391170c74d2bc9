"""Mixed precision: a float16 autocast loop with ``GradScaler("cpu")``, the steps it skips, fused
optimizers, and the scaler's state in a checkpoint.

* :func:`amp_run`: a loop whose gradients overflow at chosen iterations (an ``inf`` written into
  one gradient), naive or skip-aware, with any optimizer (fused ones included): which lrs were
  really used, how often ``optimizer.step()`` was called, which steps were skipped.
* :func:`scaler_roundtrip`: real float16 overflows. A small network on large inputs overflows at
  the start, while the scale comes down from 65536; a run checkpointed after 40 steps and resumed
  with or without ``scaler.load_state_dict`` shows which steps are skipped again.

A skipped step is detected the way a loop can detect it: the scale is lower after
``scaler.update()`` than before ``scaler.step()`` (``update()`` backs off only after a step with
inf or NaN gradients).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from ...curves.spec import REQUIRED, ParamSpec
from ...text.i18n import tr
from .checkpoints import through_a_file
from .recording import CaughtWarnings
from .toy import batch, loss_of, two_part_model

AMP_LR = 0.1
"""The lr :func:`amp_run`'s default optimizer (SGD with momentum 0.9) starts from."""


def default_optimizer(params: Iterable[torch.nn.Parameter]) -> torch.optim.Optimizer:
    """SGD with momentum 0.9 at :data:`AMP_LR` (``fused=False``).

    >>> default_optimizer(two_part_model().parameters()).defaults["momentum"]
    0.9
    """
    return torch.optim.SGD(params, lr=AMP_LR, momentum=0.9)


@dataclass
class AmpRun:
    """What one :func:`amp_run` did, iteration by iteration.

    ``lrs``: the lr of every param group at each step that changed the weights, shape ``(updates, groups)``.
    ``step_calls``: how many times ``optimizer.step()`` ran (a fused optimizer runs it on skipped steps too).
    ``skipped``: the iterations whose step was skipped (the scale dropped in ``scaler.update()``).
    ``caught``: the warnings raised during the loop.
    """

    lrs: np.ndarray
    step_calls: int
    skipped: list[int]
    caught: CaughtWarnings


def amp_run(
    make_scheduler: Callable[[torch.optim.Optimizer], Any],
    n_iterations: int,
    overflow_at: Iterable[int] = (),
    skip_aware: bool = False,
    make_optimizer: Callable[[Iterable[torch.nn.Parameter]], torch.optim.Optimizer] = default_optimizer,
) -> AmpRun:
    """A float16 autocast loop with ``GradScaler("cpu")`` on :func:`two_part_model`.

    At the iterations in ``overflow_at`` an ``inf`` is written into one gradient (what a float16
    overflow leaves), so ``scaler.step`` skips the update. With ``skip_aware`` the scheduler steps
    only when the scale did not drop in ``scaler.update()`` (no step was skipped). ``make_optimizer``
    builds the optimizer from the model's parameters (default :func:`default_optimizer`); pass
    ``lambda p: torch.optim.AdamW(p, lr=0.1, fused=True)`` for a fused one.

    >>> make = lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    >>> run = amp_run(make, 4, overflow_at=[1])
    >>> run.lrs[:, 0].tolist(), run.step_calls, run.skipped
    ([0.1, 0.025, 0.0125], 3, [1])
    """
    n_iterations = ParamSpec("n_iterations", "int", REQUIRED, low=1).check(n_iterations)
    overflow = {ParamSpec("overflow_at", "int", REQUIRED, low=0).check(i) for i in overflow_at}
    if not callable(make_optimizer):
        raise TypeError(
            tr("make_optimizer must be a function of the parameters, got {kind}", kind=type(make_optimizer).__name__)
        )
    model = two_part_model()
    optimizer = make_optimizer(model.parameters())
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(
            tr("make_optimizer must return a torch.optim.Optimizer, got {kind}", kind=type(optimizer).__name__)
        )
    scheduler = make_scheduler(optimizer)
    scaler = torch.amp.GradScaler("cpu", init_scale=256.0)  # small: this tiny model's float16 grads stay finite
    calls = [0]
    handle = optimizer.register_step_pre_hook(lambda *args: calls.__setitem__(0, calls[0] + 1))
    used: list[list[float]] = []
    skipped: list[int] = []
    try:
        with CaughtWarnings() as caught:
            for i in range(n_iterations):
                optimizer.zero_grad()
                with torch.autocast("cpu", dtype=torch.float16):
                    loss = loss_of(model, batch(i))
                scaler.scale(loss).backward()
                if i in overflow:
                    model.head.weight.grad[0, 0] = float("inf")
                lrs = [float(group["lr"]) for group in optimizer.param_groups]
                before = [p.detach().clone() for p in model.parameters()]
                scale = scaler.get_scale()
                scaler.step(optimizer)  # skips the update when a gradient is inf or NaN
                scaler.update()  # and then halves the scale
                if scaler.get_scale() < scale:
                    skipped.append(i)
                if any(not torch.equal(a, p) for a, p in zip(before, model.parameters(), strict=True)):
                    used.append(lrs)
                if not skip_aware or scaler.get_scale() >= scale:
                    scheduler.step()
    finally:
        handle.remove()
    table = np.array(used, dtype=float).reshape(len(used), len(optimizer.param_groups))
    return AmpRun(table, calls[0], skipped, caught)


def overflow_model(seed: int = 0) -> torch.nn.Sequential:
    """A network whose float16 gradients overflow at GradScaler's initial scale: Linear 16->64, ReLU,
    Linear 64->1, seeded like :func:`two_part_model`.

    >>> overflow_model()[0].weight.shape
    torch.Size([64, 16])
    """
    seed = ParamSpec("seed", "int", REQUIRED, low=0).check(seed)
    model = torch.nn.Sequential(torch.nn.Linear(16, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for layer in (model[0], model[2]):
            bound = 1.0 / math.sqrt(layer.in_features)
            for param in (layer.weight, layer.bias):
                param.copy_((torch.rand(param.shape, generator=generator) * 2 - 1) * bound)
    return model


def overflow_batch(index: int) -> torch.Tensor:
    """Batch ``index`` of :func:`scaler_roundtrip`'s stream: 64 inputs of 16 features, about 30 in size.

    >>> tuple(overflow_batch(0).shape)
    (64, 16)
    """
    index = ParamSpec("index", "int", REQUIRED, low=0).check(index)
    generator = torch.Generator().manual_seed(1_000_003 + index)
    return torch.randn(64, 16, generator=generator) * 30


def overflow_loss(model: torch.nn.Module, index: int) -> torch.Tensor:
    """The loss of :func:`scaler_roundtrip`: the mean squared output on batch ``index`` under float16
    autocast, returned in float32.

    >>> overflow_loss(overflow_model(), 0).dtype
    torch.float32
    """
    with torch.autocast("cpu", dtype=torch.float16):
        return model(overflow_batch(index)).float().pow(2).mean()


def fp16_steps(
    model: torch.nn.Module, optimizer: torch.optim.Optimizer, scaler: torch.amp.GradScaler, first: int, n: int
) -> list[int]:
    """Train ``n`` iterations on batches ``first, first + 1, ...``; return the iterations whose step was skipped.

    >>> model = overflow_model()
    >>> fp16_steps(model, torch.optim.SGD(model.parameters(), lr=1e-5), torch.amp.GradScaler("cpu"), 0, 3)
    [0, 1, 2]
    """
    skipped = []
    for i in range(first, first + n):
        optimizer.zero_grad()
        scaler.scale(overflow_loss(model, i)).backward()
        scale = scaler.get_scale()
        scaler.step(optimizer)
        scaler.update()
        if scaler.get_scale() < scale:  # update() backs off only after a skipped step
            skipped.append(i)
    return skipped


@dataclass
class ScalerRoundtrip:
    """A float16 run checkpointed after ``steps`` iterations and resumed for ``resume_steps`` more.

    ``skipped_before`` / ``skipped_after``: the iterations skipped before the checkpoint and after
    resuming; ``saved_scale`` / ``final_scale``: the scale in the checkpoint and at the end.
    """

    skipped_before: list[int]
    saved_scale: float
    skipped_after: list[int]
    final_scale: float
    loaded_scaler_state: bool


def scaler_roundtrip(load_scaler_state: bool, steps: int = 40, resume_steps: int = 20) -> ScalerRoundtrip:
    """Train :func:`overflow_model` with SGD (lr 1e-5) and ``GradScaler("cpu")`` under float16 autocast
    for ``steps`` iterations, save model, optimizer and scaler through ``torch.save``/``torch.load``,
    then resume into a fresh model, optimizer and ``GradScaler("cpu")`` (loading the scaler's state
    only if ``load_scaler_state``) and train ``resume_steps`` more.

    >>> r = scaler_roundtrip(load_scaler_state=True, steps=12, resume_steps=3)
    >>> r.skipped_before, r.saved_scale, r.skipped_after
    ([0, 1, 2, 3, 4, 5, 6, 7, 8], 128.0, [])
    """
    if not isinstance(load_scaler_state, bool):
        raise TypeError(tr("load_scaler_state must be True or False, got {value}", value=repr(load_scaler_state)))
    steps = ParamSpec("steps", "int", REQUIRED, low=1, high=10_000).check(steps)
    resume_steps = ParamSpec("resume_steps", "int", REQUIRED, low=1, high=10_000).check(resume_steps)
    model = overflow_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-5)
    scaler = torch.amp.GradScaler("cpu")
    before = fp16_steps(model, optimizer, scaler, 0, steps)
    saved = through_a_file(
        {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "scaler": scaler.state_dict()}
    )
    model = overflow_model()
    model.load_state_dict(saved["model"])
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-5)
    optimizer.load_state_dict(saved["optimizer"])
    scaler = torch.amp.GradScaler("cpu")
    if load_scaler_state:
        scaler.load_state_dict(saved["scaler"])
    after = fp16_steps(model, optimizer, scaler, steps, resume_steps)
    return ScalerRoundtrip(before, float(saved["scaler"]["scale"]), after, scaler.get_scale(), load_scaler_state)


__all__ = [
    "AMP_LR",
    "AmpRun",
    "ScalerRoundtrip",
    "amp_run",
    "default_optimizer",
    "fp16_steps",
    "overflow_batch",
    "overflow_loss",
    "overflow_model",
    "scaler_roundtrip",
]
