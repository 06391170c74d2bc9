"""Mixed precision: a float16 autocast loop with ``GradScaler("cpu")`` and the steps it skips."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import torch

from ...curves.spec import REQUIRED, ParamSpec
from .recording import CaughtWarnings, LrRecorder
from .toy import batch, loss_of, two_part_model


def amp_run(
    make_scheduler: Callable[[torch.optim.Optimizer], Any],
    n_iterations: int,
    overflow_at: Iterable[int] = (),
    skip_aware: bool = False,
) -> tuple[np.ndarray, CaughtWarnings]:
    """A float16 autocast loop with ``GradScaler("cpu")``; returns the lrs the optimizer used and the warnings.

    At the iterations in ``overflow_at`` an ``inf`` is written into one gradient (what a float16
    overflow leaves), so ``scaler.step`` skips ``optimizer.step()``. With ``skip_aware`` the
    scheduler steps only when the scale did not drop in ``scaler.update()`` (no step was skipped).

    >>> make = lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    >>> lrs, caught = amp_run(make, 4, overflow_at=[1])
    >>> lrs[:, 0].tolist()
    [0.1, 0.025, 0.0125]
    """
    n_iterations = ParamSpec("n_iterations", "int", REQUIRED, low=1).check(n_iterations)
    overflow = {ParamSpec("overflow_at", "int", REQUIRED, low=0).check(i) for i in overflow_at}
    model = two_part_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = make_scheduler(optimizer)
    scaler = torch.amp.GradScaler("cpu", init_scale=256.0)  # small: this tiny model's float16 grads stay finite
    with LrRecorder(optimizer) as used, CaughtWarnings() as caught:
        for i in range(n_iterations):
            optimizer.zero_grad()
            with torch.autocast("cpu", dtype=torch.float16):
                loss = loss_of(model, batch(i))
            scaler.scale(loss).backward()
            if i in overflow:
                model.head.weight.grad[0, 0] = float("inf")
            scale = scaler.get_scale()
            scaler.step(optimizer)  # skips optimizer.step() when a gradient is inf or NaN
            scaler.update()  # and then halves the scale
            if not skip_aware or scaler.get_scale() >= scale:
                scheduler.step()
    return used.lrs, caught


__all__ = [
    "amp_run",
]
