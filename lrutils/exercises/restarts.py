"""Self-checks for notebook 08 (warm restarts and cycles: ``CosineAnnealingWarmRestarts``, ``CyclicLR``).

"The lr at epoch t" is the lr after ``scheduler.step()`` has been called t times. Every check asks
the real torch scheduler.

>>> check_restart_epochs([10, 30, 70])
right: cycles of 10, 20 and 40 epochs start at 0, 10, 30 and 70; the next would start at 150, past the run.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..torch_reference import torch_lr_curve
from . import Verdict

BASE_LR = 0.1
EPOCHS = 100
T_0 = 10
T_MULT = 2
STEPS_PER_EPOCH = 30
EPOCHS_PER_CYCLE = 4
MAX_LR = 0.1
CYCLIC_BASE_LR = 0.01


def _epoch_list(answer: Any) -> list[int] | None:
    """``answer`` as a sorted list of ints, None for the placeholder, or a clear TypeError."""
    if answer is None:
        return None
    if isinstance(answer, (str, bytes)) or not isinstance(answer, (Sequence, np.ndarray)):
        raise TypeError(f"answer must be a list of epochs (ints), got {type(answer).__name__} {answer!r}")
    for value in answer:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
            raise TypeError(f"answer must contain only ints (epoch numbers), got {type(value).__name__} {value!r}")
    return sorted(int(v) for v in answer)


def restart_epochs() -> list[int]:
    """The epochs (within the first 100) at which torch's lr jumps back up to the initial lr.

    >>> restart_epochs()
    [10, 30, 70]
    """
    lrs = torch_lr_curve("CosineAnnealingWarmRestarts", EPOCHS, base_lr=BASE_LR, T_0=T_0, T_mult=T_MULT)
    return (np.flatnonzero(np.diff(lrs) > 0) + 1).tolist()


def check_restart_epochs(answer: Sequence[int] | None) -> Verdict:
    """Exercise 1: at which epochs (0..99) does ``CosineAnnealingWarmRestarts(T_0=10, T_mult=2)`` restart?

    >>> check_restart_epochs([10, 20, 30, 40, 50, 60, 70, 80, 90])  # doctest: +ELLIPSIS
    not yet: that is T_mult=1 (every cycle 10 epochs)...
    """
    epochs = _epoch_list(answer)
    if epochs is None:
        return Verdict(False, "no answer yet: set answer to a list of epochs (ints) and run the cell again.")
    truth = restart_epochs()
    if epochs == truth:
        return Verdict(
            True,
            "cycles of 10, 20 and 40 epochs start at 0, 10, 30 and 70; the next would start at 150, past the run.",
        )
    if 0 in epochs:
        return Verdict(False, "epoch 0 is where the first cycle starts, not a restart: leave it out.")
    if any(e >= EPOCHS for e in epochs):
        return Verdict(False, f"the run has epochs 0..{EPOCHS - 1}: leave out restarts at or after epoch {EPOCHS}.")
    if epochs == list(range(T_0, EPOCHS, T_0)):
        return Verdict(
            False,
            "that is T_mult=1 (every cycle 10 epochs). With T_mult=2 every cycle is twice as long as the one before.",
        )
    if epochs in ([e - 1 for e in truth], [e + 1 for e in truth]):
        return Verdict(
            False,
            "off by one: after 10 calls of scheduler.step() (epoch 10) T_cur reaches T_i = 10 and resets to 0, "
            "so epoch 10 already uses the initial lr again.",
        )
    return Verdict(
        False,
        f"torch restarts at other epochs (you said {epochs}); cycle i lasts T_0 * T_mult**i epochs: 10, 20, 40, ...",
    )


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
