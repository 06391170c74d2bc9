"""Self-checks for notebook 10 (cyclical learning rates, ``CyclicLR``).

"Batch" means one optimizer step: ``CyclicLR`` is stepped after every batch. Every check asks the
real torch scheduler.

>>> check_step_size_up(60)
right: CyclicLR is stepped per batch: a cycle is 4 * 30 = 120 batches, half of it going up.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from ..curves.closed_form import lr_curve
from ..curves.torch_reference import torch_lr_curve
from . import Verdict
from .loop_check import check_loop

STEPS_PER_EPOCH = 30
EPOCHS_PER_CYCLE = 4
MAX_LR = 0.1
CYCLIC_BASE_LR = 0.01
LOOP_EPOCHS = 3
LOOP_BATCHES = 20


def check_step_size_up(answer: int | None) -> Verdict:
    """Exercise 2: ``step_size_up`` for one symmetric ``CyclicLR`` triangle every 4 epochs of 30 batches.

    >>> check_step_size_up(60)
    right: CyclicLR is stepped per batch: a cycle is 4 * 30 = 120 batches, half of it going up.
    """
    if answer is None:
        return Verdict(False, "no answer yet: set answer to step_size_up (an int) and run the cell again.")
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Integral):
        raise TypeError(f"step_size_up must be an int (a number of batches), got {type(answer).__name__} {answer!r}")
    if answer < 1:
        raise ValueError(f"step_size_up must be at least 1, got {answer}")
    cycle = EPOCHS_PER_CYCLE * STEPS_PER_EPOCH
    lrs = torch_lr_curve("CyclicLR", 2 * cycle + 1, base_lr=CYCLIC_BASE_LR, max_lr=MAX_LR, step_size_up=int(answer))
    peaks_at_cycle_middle = np.isclose(lrs[cycle // 2], MAX_LR) and np.isclose(lrs[cycle], CYCLIC_BASE_LR)
    if peaks_at_cycle_middle and answer == cycle // 2:
        return Verdict(
            True, f"CyclicLR is stepped per batch: a cycle is 4 * 30 = {cycle} batches, half of it going up."
        )
    if answer == EPOCHS_PER_CYCLE // 2:
        return Verdict(
            False,
            "step_size_up counts scheduler.step() calls, and CyclicLR is stepped after every batch, not every "
            f"epoch: with {answer} the lr would go up and down {cycle // (2 * answer)} times in 4 epochs.",
        )
    if answer == cycle:
        return Verdict(
            False,
            f"step_size_up is only the rising half; with step_size_down=None the falling half is as long, so "
            f"{answer} makes a cycle of {2 * answer} batches (8 epochs).",
        )
    top = int(np.argmax(lrs[: cycle + 1]))
    return Verdict(
        False,
        f"with step_size_up={answer} the first peak is at batch {top} and a cycle lasts {2 * answer} batches "
        f"({2 * answer / STEPS_PER_EPOCH:.3g} epochs), not {cycle}.",
    )


def triangle_lrs(step_size_up: int = LOOP_BATCHES // 2, per_batch: bool = True) -> list[float]:
    """The lr of each of exercise 3's 60 optimizer steps for ``CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up)``,
    stepped after every batch (or once per epoch).

    >>> [round(v, 3) for v in triangle_lrs()[:3]], round(triangle_lrs()[10], 3), round(triangle_lrs()[20], 3)
    ([0.01, 0.019, 0.028], 0.1, 0.01)
    """
    n = LOOP_EPOCHS * LOOP_BATCHES if per_batch else LOOP_EPOCHS
    lrs = lr_curve("CyclicLR", n, base_lr=CYCLIC_BASE_LR, max_lr=MAX_LR, step_size_up=step_size_up)
    return (lrs if per_batch else np.repeat(lrs, LOOP_BATCHES)).tolist()


def check_triangle_loop(loop: Callable[[Any], Any] | None) -> Verdict:
    """Exercise 3: a raw-torch loop, 3 epochs of 20 batches, ``CyclicLR`` from 0.01 up to 0.1 and back once per
    epoch (``step_size_up=10``), stepped after every batch.

    >>> check_triangle_loop(None)
    not yet: no loop yet: define loop(optimizer) and pass it to the check.
    """
    what = f"one CyclicLR triangle from {CYCLIC_BASE_LR} to {MAX_LR} and back per epoch of {LOOP_BATCHES} batches"
    mistakes = {
        "your lr changes once per epoch: CyclicLR counts step_size_up in scheduler.step() calls and is meant "
        "to be stepped after every optimizer.step(), inside the batch loop.": triangle_lrs(per_batch=False),
        f"your triangles last {2 * LOOP_BATCHES} batches: step_size_up is only the rising half, so one triangle "
        f"per epoch of {LOOP_BATCHES} batches needs step_size_up={LOOP_BATCHES // 2}.": triangle_lrs(
            step_size_up=LOOP_BATCHES
        ),
    }
    return check_loop(loop, triangle_lrs(), what, mistakes=mistakes)


__all__ = ["check_step_size_up", "check_triangle_loop", "triangle_lrs"]
