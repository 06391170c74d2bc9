"""A tiny model with a ``backbone`` and a ``head``, seeded batches and a plain loop to run schedulers in.

Only learning rates are meant to be printed: losses and weights of float32 training can differ
in the last bits from one CPU to another.

>>> model = two_part_model()
>>> optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
>>> scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2)
>>> run_steps(model, optimizer, scheduler, 3)[:, 0].round(4).tolist()
[0.1, 0.1, 0.01]
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import numpy as np
import torch

from ...curves.spec import REQUIRED, ParamSpec
from .recording import LrRecorder

BATCH_SIZE = 8
N_FEATURES = 4
N_CLASSES = 3


def two_part_model(seed: int = 0) -> torch.nn.Sequential:
    """A tiny classifier with a ``backbone`` (Linear 4->16, tanh) and a ``head`` (Linear 16->3).

    The weights come from a seeded generator with exact operations, the same on every run.

    >>> model = two_part_model()
    >>> [name for name, _ in model.named_children()]
    ['backbone', 'head']
    """
    seed = ParamSpec("seed", "int", REQUIRED, low=0).check(seed)
    model = torch.nn.Sequential(
        OrderedDict(
            backbone=torch.nn.Sequential(torch.nn.Linear(N_FEATURES, 16), torch.nn.Tanh()),
            head=torch.nn.Linear(16, N_CLASSES),
        )
    )
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for layer in (model.backbone[0], model.head):
            bound = 1.0 / math.sqrt(layer.in_features)
            for param in (layer.weight, layer.bias):
                param.copy_((torch.rand(param.shape, generator=generator) * 2 - 1) * bound)
    return model


def batch(index: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Batch number ``index`` of an endless, deterministic stream: 8 points, 4 features, 3 classes.

    >>> x, y = batch(0)
    >>> tuple(x.shape), tuple(y.shape)
    ((8, 4), (8,))
    """
    index = ParamSpec("index", "int", REQUIRED, low=0).check(index)
    seed = ParamSpec("seed", "int", REQUIRED, low=0, high=2**31).check(seed)
    generator = torch.Generator().manual_seed(1_000_003 * seed + index)
    x = torch.randn(BATCH_SIZE, N_FEATURES, generator=generator)
    y = torch.randint(0, N_CLASSES, (BATCH_SIZE,), generator=generator)
    return x, y


def loss_of(model: torch.nn.Module, xy: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
    """Cross-entropy of ``model`` on one batch ``(x, y)``.

    >>> loss_of(two_part_model(), batch(0)).shape
    torch.Size([])
    """
    x, y = xy
    return torch.nn.functional.cross_entropy(model(x), y)


def run_steps(
    model: torch.nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any, n_steps: int, start: int = 0
) -> np.ndarray:
    """Train ``n_steps`` steps on batches ``start, start + 1, ...``; return the lrs the optimizer used.

    Each step is ``zero_grad``, ``loss.backward()``, ``optimizer.step()``, then ``scheduler.step()``
    (skipped if ``scheduler`` is None). The result has shape ``(n_steps, param groups)``.

    >>> model = two_part_model()
    >>> opt = torch.optim.SGD(model.parameters(), lr=1.0)
    >>> sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    >>> run_steps(model, opt, sched, 5)[:, 0].tolist()
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """
    n_steps = ParamSpec("n_steps", "int", REQUIRED, low=0).check(n_steps)
    start = ParamSpec("start", "int", REQUIRED, low=0).check(start)
    with LrRecorder(optimizer) as used:
        for i in range(start, start + n_steps):
            optimizer.zero_grad()
            loss_of(model, batch(i)).backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
    return used.lrs


def describe_error(err: BaseException) -> str:
    """``"TypeName: message"``; a KeyError's message without the quotes and escapes of its repr.

    >>> describe_error(KeyError("no 'initial_lr'"))
    "KeyError: no 'initial_lr'"
    """
    text = err.args[0] if isinstance(err, KeyError) and len(err.args) == 1 else err
    return f"{type(err).__name__}: {text}"


__all__ = [
    "BATCH_SIZE",
    "N_CLASSES",
    "N_FEATURES",
    "batch",
    "describe_error",
    "loss_of",
    "run_steps",
    "two_part_model",
]
