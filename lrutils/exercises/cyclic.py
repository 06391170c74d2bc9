"""Self-checks for notebook 09 (cyclical learning rates, ``CyclicLR``).

"Batch" means one optimizer step: ``CyclicLR`` is stepped after every batch. Every check asks the
real torch scheduler.

>>> check_step_size_up(60)
right: CyclicLR is stepped per batch: a cycle is 4 * 30 = 120 batches, half of it going up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..curves.closed_form import lr_curve
from ..curves.torch_reference import torch_lr_curve
from ..text.i18n import tr
from . import Verdict
from .answers import answer_check, length, shown
from .loop_check import check_loop, per_epoch_lrs

STEPS_PER_EPOCH = 30
EPOCHS_PER_CYCLE = 4
MAX_LR = 0.1
CYCLIC_BASE_LR = 0.01
LOOP_EPOCHS = 3
LOOP_BATCHES = 20


@answer_check
def check_step_size_up(answer: int | None) -> Verdict:
    """Exercise 1: ``step_size_up`` for one symmetric ``CyclicLR`` triangle every 4 epochs of 30 batches.

    >>> check_step_size_up(60)
    right: CyclicLR is stepped per batch: a cycle is 4 * 30 = 120 batches, half of it going up.
    """
    if answer is None:
        return Verdict(False, tr("no answer yet: set answer to step_size_up (an int) and run the cell again."))
    up = length(
        answer,
        "step_size_up",
        tr("the batches of the rising half"),
        asked=tr("a whole number (step_size_up, in batches)"),
        unit=tr("batches"),
    )
    cycle = EPOCHS_PER_CYCLE * STEPS_PER_EPOCH
    if up > 100 * cycle:
        return Verdict(
            False,
            tr(
                "step_size_up={up} is far longer than the cycle of {cycle} batches the exercise asks for: the lr "
                "would hardly rise in the whole run.",
                up=shown(up),
                cycle=cycle,
            ),
        )
    lrs = torch_lr_curve("CyclicLR", max(2 * cycle, up) + 1, base_lr=CYCLIC_BASE_LR, max_lr=MAX_LR, step_size_up=up)
    peaks_at_cycle_middle = np.isclose(lrs[cycle // 2], MAX_LR) and np.isclose(lrs[cycle], CYCLIC_BASE_LR)
    if peaks_at_cycle_middle and up == cycle // 2:
        return Verdict(
            True,
            tr("CyclicLR is stepped per batch: a cycle is 4 * 30 = {cycle} batches, half of it going up.", cycle=cycle),
        )
    if up == EPOCHS_PER_CYCLE // 2:
        return Verdict(
            False,
            tr(
                "step_size_up counts scheduler.step() calls, and CyclicLR is stepped after every batch, not every "
                "epoch: with {up} the lr would go up and down {times} times in 4 epochs.",
                up=up,
                times=cycle // (2 * up),
            ),
        )
    if up == cycle:
        return Verdict(
            False,
            tr(
                "step_size_up is only the rising half; with step_size_down=None the falling half is as long, so "
                "{up} makes a cycle of {length} batches (8 epochs).",
                up=up,
                length=2 * up,
            ),
        )
    top = int(np.argmax(lrs))  # the first batch at max_lr: argmax returns the first maximum
    return Verdict(
        False,
        tr(
            "with step_size_up={up} the first peak is at batch {top} and a cycle lasts {length} batches "
            "({epochs} epochs), not {cycle}.",
            up=up,
            top=top,
            length=2 * up,
            epochs=f"{2 * up / STEPS_PER_EPOCH:.3g}",
            cycle=cycle,
        ),
    )


def triangle_lrs(step_size_up: int = LOOP_BATCHES // 2, per_batch: bool = True) -> list[float]:
    """The lr of each of exercise 2's 60 optimizer steps for ``CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up)``,
    stepped after every batch (or once per epoch).

    >>> [round(v, 3) for v in triangle_lrs()[:3]], round(triangle_lrs()[10], 3), round(triangle_lrs()[20], 3)
    ([0.01, 0.019, 0.028], 0.1, 0.01)
    """
    n = LOOP_EPOCHS * LOOP_BATCHES if per_batch else LOOP_EPOCHS
    if per_batch:
        return lr_curve("CyclicLR", n, base_lr=CYCLIC_BASE_LR, max_lr=MAX_LR, step_size_up=step_size_up).tolist()
    return per_epoch_lrs(
        "CyclicLR", n, LOOP_BATCHES, base_lr=CYCLIC_BASE_LR, max_lr=MAX_LR, step_size_up=step_size_up
    ).tolist()


def check_triangle_loop(loop: Callable[[Any], Any] | None) -> Verdict:
    """Exercise 2: a raw-torch loop, 3 epochs of 20 batches, ``CyclicLR`` from 0.01 up to 0.1 and back once per
    epoch (``step_size_up=10``), stepped after every batch.

    >>> check_triangle_loop(None)
    not yet: no loop yet: define loop(optimizer) and pass it to the check.
    """
    what = tr(
        "one CyclicLR triangle from {low} to {high} and back per epoch of {batches} batches",
        low=CYCLIC_BASE_LR,
        high=MAX_LR,
        batches=LOOP_BATCHES,
    )
    mistakes = {
        tr(
            "your lr changes once per epoch: CyclicLR counts step_size_up in scheduler.step() calls and is meant "
            "to be stepped after every optimizer.step(), inside the batch loop."
        ): triangle_lrs(per_batch=False),
        tr(
            "your triangles last {length} batches: step_size_up is only the rising half, so one triangle per epoch "
            "of {batches} batches needs step_size_up={up}.",
            length=2 * LOOP_BATCHES,
            batches=LOOP_BATCHES,
            up=LOOP_BATCHES // 2,
        ): triangle_lrs(step_size_up=LOOP_BATCHES),
    }
    return check_loop(loop, triangle_lrs(), what, mistakes=mistakes)


__all__ = ["check_step_size_up", "check_triangle_loop", "triangle_lrs"]
