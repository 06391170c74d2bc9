"""The shared loop checker: right loops pass, the usual mistakes are named."""

from __future__ import annotations

import numpy as np
import torch

from lrutils import lr_curve
from lrutils.exercises.loop_check import check_loop

INTENDED = lr_curve("StepLR", 6, base_lr=0.1, step_size=2, gamma=0.5)
WHAT = "StepLR(step_size=2, gamma=0.5)"


def step_lr_loop(order: str, steps: int = 6, per_batch: int = 1):
    def loop(optimizer: torch.optim.Optimizer) -> None:
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
        for _ in range(steps):
            for _ in range(per_batch):
                if order == "scheduler first":
                    scheduler.step()
                    optimizer.step()
                elif order == "never":
                    optimizer.step()
                else:
                    optimizer.step()
                    scheduler.step()

    return loop


def test_right_loop_is_right() -> None:
    verdict = check_loop(step_lr_loop("right"), INTENDED, WHAT)
    assert verdict.correct and "all 6 optimizer steps" in verdict.message


def test_the_usual_mistakes_are_named() -> None:
    early = check_loop(step_lr_loop("scheduler first"), INTENDED, WHAT)
    assert not early.correct and "one step early" in early.message and "torch warned" in early.message
    never = check_loop(step_lr_loop("never"), INTENDED, WHAT)
    assert not never.correct and "never changed" in never.message
    short = check_loop(step_lr_loop("right", steps=4), INTENDED, WHAT)
    assert not short.correct and "ran 4 optimizer steps" in short.message


def test_stepping_every_batch_is_recognised() -> None:
    epochs, batches = 3, 4
    intended = np.repeat(lr_curve("StepLR", epochs, base_lr=0.1, step_size=1, gamma=0.5), batches)

    def per_batch(optimizer: torch.optim.Optimizer) -> None:
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
        for _ in range(epochs * batches):
            optimizer.step()
            scheduler.step()  # should be once per epoch

    verdict = check_loop(per_batch, intended, "StepLR per epoch", per_epoch=batches)
    assert not verdict.correct and "falls too fast" in verdict.message


def test_a_crashing_loop_is_reported_not_raised() -> None:
    def broken(optimizer: torch.optim.Optimizer) -> None:
        raise ValueError("oops")

    verdict = check_loop(broken, INTENDED, WHAT)
    assert not verdict.correct and "raised ValueError: oops" in verdict.message
    assert not check_loop(None, INTENDED, WHAT).correct


def test_a_scheduler_stepped_at_the_start_of_each_epoch_is_one_epoch_early() -> None:
    epochs, batches = 3, 4
    intended = np.repeat(lr_curve("StepLR", epochs, base_lr=0.1, step_size=1, gamma=0.5), batches)

    def top_of_epoch(optimizer: torch.optim.Optimizer) -> None:
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
        for _ in range(epochs):
            scheduler.step()  # should come after the epoch's batches
            for _ in range(batches):
                optimizer.step()

    verdict = check_loop(top_of_epoch, intended, "StepLR per epoch", per_epoch=batches)
    assert not verdict.correct and "one epoch early" in verdict.message


def test_a_known_mistake_gets_its_own_hint() -> None:
    wrong = lr_curve("StepLR", 6, base_lr=0.1, step_size=2, gamma=0.25)
    hint = "gamma=0.25 is two halvings: the schedule halves once every 2 epochs"

    def quarter(optimizer: torch.optim.Optimizer) -> None:
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.25)
        for _ in range(6):
            optimizer.step()
            scheduler.step()

    verdict = check_loop(quarter, INTENDED, WHAT, mistakes={hint: wrong})
    assert not verdict.correct and hint in verdict.message
