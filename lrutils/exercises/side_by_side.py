"""Self-checks for notebook 06 (all five side by side): the two schedulers that are not stepped
"once per epoch, no arguments" in one training loop.

- ``OneCycleLR`` counts batches: ``scheduler.step()`` after every ``optimizer.step()``.
- ``ReduceLROnPlateau`` watches a metric: ``scheduler.step(val_loss)`` once per epoch.

>>> import torch
>>> def loop(optimizer):
...     scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, epochs=3, steps_per_epoch=4)
...     for epoch in range(3):
...         for batch in range(4):
...             optimizer.step()
...             scheduler.step()
>>> check_one_cycle_loop(loop)
right: your loop used the intended lr at all 12 optimizer steps of OneCycleLR(max_lr=0.1, epochs=3, steps_per_epoch=4).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ..curves.closed_form import lr_curve
from ..text.i18n import tr
from . import Verdict
from .loop_check import BASE_LR, check_loop, epoch_mistakes, per_epoch_lrs

EPOCHS = 3
BATCHES = 4
"""The one-cycle exercise: 3 epochs of 4 batches, ``OneCycleLR(max_lr=0.1, epochs=3, steps_per_epoch=4)``."""

VAL_LOSSES = (1.0, 0.8, 0.8, 0.8, 0.7, 0.7)
"""The plateau exercise: the validation loss measured after each of 6 epochs (2 batches each)."""
PLATEAU_BATCHES = 2
PLATEAU_KWARGS = {"patience": 1, "factor": 0.5}

Loop = Callable[[torch.optim.Optimizer], Any]


def intended_one_cycle_lrs() -> np.ndarray:
    """The lr of each of the 12 optimizer steps of ``OneCycleLR(max_lr=0.1, epochs=3, steps_per_epoch=4)``.

    >>> lrs = intended_one_cycle_lrs()
    >>> len(lrs), round(float(lrs[0]), 6), int(lrs.argmax())
    (12, 0.004, 3)
    """
    return lr_curve("OneCycleLR", EPOCHS * BATCHES, max_lr=BASE_LR, epochs=EPOCHS, steps_per_epoch=BATCHES)


def check_one_cycle_loop(loop: Loop | None) -> Verdict:
    """Check the learner's ``loop(optimizer)`` for ``OneCycleLR`` over 3 epochs of 4 batches, stepped per batch."""
    intended = intended_one_cycle_lrs()
    what = f"OneCycleLR(max_lr={BASE_LR:g}, epochs={EPOCHS}, steps_per_epoch={BATCHES})"
    per_epoch = per_epoch_lrs("OneCycleLR", EPOCHS, BATCHES, max_lr=BASE_LR, epochs=EPOCHS, steps_per_epoch=BATCHES)
    message = tr(
        "your loop steps OneCycleLR once per epoch, so the lr only climbs through the first {epochs} of its "
        "{steps} values: OneCycleLR counts batches, call scheduler.step() after every optimizer.step().",
        epochs=EPOCHS,
        steps=EPOCHS * BATCHES,
    )
    return check_loop(loop, intended, what, mistakes={message: per_epoch})


def intended_plateau_lrs() -> np.ndarray:
    """The lr of each of the 12 optimizer steps: ``ReduceLROnPlateau(patience=1, factor=0.5)`` fed
    :data:`VAL_LOSSES` after each epoch of 2 batches.

    >>> intended_plateau_lrs().tolist()
    [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05]
    """
    epochs = len(VAL_LOSSES)
    return per_epoch_lrs("ReduceLROnPlateau", epochs, PLATEAU_BATCHES, metrics=VAL_LOSSES[:-1], **PLATEAU_KWARGS)


def check_plateau_loop(loop: Loop | None) -> Verdict:
    """Check the learner's ``loop(optimizer)`` for ``ReduceLROnPlateau(patience=1, factor=0.5)``: 6 epochs
    of 2 batches, ``scheduler.step(VAL_LOSSES[epoch])`` after each epoch's batches."""
    epochs = len(VAL_LOSSES)
    what = tr(
        "ReduceLROnPlateau(patience=1, factor=0.5) with one val loss per epoch ({epochs} epochs of {batches} batches)",
        epochs=epochs,
        batches=PLATEAU_BATCHES,
    )
    mistakes = epoch_mistakes("ReduceLROnPlateau", epochs, PLATEAU_BATCHES, metrics=VAL_LOSSES, **PLATEAU_KWARGS)
    hints = {
        "required positional argument: 'metrics'": tr(
            "ReduceLROnPlateau.step needs the metric it watches: scheduler.step(val_losses[epoch])."
        )
    }
    return check_loop(loop, intended_plateau_lrs(), what, mistakes=mistakes, error_hints=hints)


__all__ = [
    "BATCHES",
    "EPOCHS",
    "PLATEAU_BATCHES",
    "PLATEAU_KWARGS",
    "VAL_LOSSES",
    "check_one_cycle_loop",
    "check_plateau_loop",
    "intended_one_cycle_lrs",
    "intended_plateau_lrs",
]
