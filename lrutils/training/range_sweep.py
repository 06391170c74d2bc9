"""The range test's sweep itself: the exponential lr schedule, one batch at a time on the demo model
(lrutils' engine) or on your own model, stopping once the smoothed loss blows up.

>>> [f"{v:.15g}" for v in sweep_lrs(1e-3, 1e-1, 3)]
['0.001', '0.01', '0.1']
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import torch
from torch import nn

from .data import HIDDEN, N_TRAIN, shuffled_batches, spiral_data
from .engine import RunSpec, train_runs
from .numerics import geometric_sequence
from .range_rules import BiasCorrectedAverage

Sweep = tuple[np.ndarray, np.ndarray, np.ndarray, "float | None"]
"""(lrs, losses, smoothed, diverged_lr) of the batches actually run."""


def sweep_lrs(start_lr: float, end_lr: float, num_iter: int) -> np.ndarray:
    """The ``num_iter`` learning rates of the sweep, exponentially spaced from start to end
    (computed so that every CPU gets the same bits: :func:`lrutils.training.numerics.geometric_sequence`).

    >>> [f"{v:.15g}" for v in sweep_lrs(1e-3, 1e-1, 3)]
    ['0.001', '0.01', '0.1']
    """
    return geometric_sequence(start_lr, end_lr, num_iter).numpy()


def check_owned_params(model: nn.Module, optimizer: torch.optim.Optimizer) -> None:
    ids = {id(p) for p in model.parameters()}
    for group in optimizer.param_groups:
        for p in group["params"]:
            if id(p) not in ids:
                raise ValueError("optimizer must optimize the parameters of model (found one that is not the model's)")


def save_state(model: nn.Module, optimizer: torch.optim.Optimizer) -> dict[str, Any]:
    return {
        "model": copy.deepcopy(model.state_dict()),
        "optimizer": copy.deepcopy(optimizer.state_dict()),
        "grads": [None if p.grad is None else p.grad.detach().clone() for p in model.parameters()],
        "modes": [m.training for m in model.modules()],
    }


def restore_state(model: nn.Module, optimizer: torch.optim.Optimizer, saved: dict[str, Any]) -> None:
    model.load_state_dict(saved["model"])
    optimizer.load_state_dict(saved["optimizer"])
    for p, g in zip(model.parameters(), saved["grads"], strict=True):
        p.grad = g
    for m, mode in zip(model.modules(), saved["modes"], strict=True):
        m.training = mode


class _SweepRecorder:
    """Smooths the batch losses as they come and says when the test stops (both sweeps share it)."""

    def __init__(self, schedule: np.ndarray, beta: float, factor: float) -> None:
        self.schedule, self.factor = schedule, factor
        self.losses, self.smoothed = np.empty(len(schedule)), np.empty(len(schedule))
        self.average, self.best = BiasCorrectedAverage(beta), math.inf
        self.diverged_lr: float | None = None
        self.done = 0

    def add(self, i: int, loss: float) -> bool:
        """Record batch ``i``'s loss; True if the test stops here (not finite, or blown up)."""
        lr = float(self.schedule[i])
        if not math.isfinite(loss):
            self.diverged_lr = lr
            return True
        value = self.average.add(loss)
        self.losses[i], self.smoothed[i] = loss, value
        self.done = i + 1
        if value > self.factor * self.best:
            self.diverged_lr = lr
            return True
        self.best = min(self.best, value)
        return False

    def result(self, start: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float | None]:
        if self.done == 0:
            raise ValueError(f"the loss was not finite at the first batch (lr {start!r}); lower start_lr")
        d = self.done
        return self.schedule[:d].copy(), self.losses[:d].copy(), self.smoothed[:d].copy(), self.diverged_lr


def check_model_fits(model: nn.Module) -> None:
    """A model for the range test maps a batch of the demo's (n, 2) inputs to (n, 3) class scores, and its
    loss there is a finite number: checked on one batch before the sweep (its weights are restored)."""
    data = spiral_data()
    x = data.x_train[:4]
    saved = save_state_of_model(model)
    try:
        with torch.no_grad():
            out = model(x.to(next(model.parameters()).dtype))
    except Exception as err:  # the learner's model: say what it must do, keep its own message
        raise ValueError(
            f"model must map a (n, 2) float tensor of the demo's inputs to (n, 3) class scores; calling it on "
            f"a batch of shape {tuple(x.shape)} raised {type(err).__name__}: {err}"
        ) from None
    finally:
        model.load_state_dict(saved)
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (len(x), 3):
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        raise ValueError(
            f"model must map a (n, 2) float tensor of the demo's inputs to (n, 3) class scores (the demo has 3 "
            f"classes), got {shape} for n = {len(x)}"
        )
    if not bool(torch.isfinite(out).all()):
        raise ValueError(
            "model gives non-finite scores (nan or inf) on the demo's inputs before any step: check the model"
        )


def save_state_of_model(model: nn.Module) -> dict[str, Any]:
    """A deep copy of ``model.state_dict()``."""
    return copy.deepcopy(model.state_dict())


def demo_sweep(
    start: float, end: float, n: int, beta: float, factor: float, seed: int, batch: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float | None]:
    """The sweep on the demo model, trained by lrutils' engine (bit-identical on every CPU).

    The whole sweep is trained (a run that blows up is stopped by the engine), then cut where the
    test stops: batch ``i``'s loss depends only on the steps before it, so this records exactly
    what stopping early would have.
    """
    schedule = sweep_lrs(start, end, n)
    spe = math.ceil(N_TRAIN / batch)
    run = RunSpec(None, {}, lr=start, seed=seed, step_lrs=tuple(schedule.tolist()))
    batch_losses = train_runs([run], math.ceil(n / spe), HIDDEN, batch)[0].batch_loss
    recorder = _SweepRecorder(schedule, beta, factor)
    for i in range(n):
        if recorder.add(i, float(batch_losses[i])):
            break
    return recorder.result(start)


def own_sweep(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    start: float,
    end: float,
    n: int,
    beta: float,
    factor: float,
    seed: int,
    batch: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float | None]:
    """The sweep on the caller's own model and optimizer (their dtype and their numerics)."""
    data = spiral_data()
    schedule = sweep_lrs(start, end, n)
    batches = shuffled_batches(seed, batch)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    recorder = _SweepRecorder(schedule, beta, factor)
    for i in range(n):
        idx = next(batches)
        for group in optimizer.param_groups:
            group["lr"] = float(schedule[i])
        dtype = next(model.parameters()).dtype
        loss_t = loss_fn(model(data.x_train[idx].to(dtype)), data.y_train[idx])
        if recorder.add(i, loss_t.item()):
            break
        optimizer.zero_grad(set_to_none=True)
        loss_t.backward()
        optimizer.step()
    return recorder.result(start)


__all__ = ["check_owned_params", "demo_sweep", "own_sweep", "restore_state", "save_state", "sweep_lrs"]
