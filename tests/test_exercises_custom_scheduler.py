"""Notebook 13's self-check: a right LRScheduler subclass passes; the usual mistakes are named."""

from __future__ import annotations

import numpy as np
import pytest
from torch.optim.lr_scheduler import LRScheduler

from lrutils.exercises.custom_scheduler import STEPS, check_scheduler_class, intended_factor, intended_lrs


class Right(LRScheduler):
    def __init__(self, optimizer, warmup_steps, step_size, gamma=0.1, last_epoch=-1):
        self.warmup_steps, self.step_size, self.gamma = warmup_steps, step_size, gamma
        super().__init__(optimizer, last_epoch)

    def factor(self, t):
        if t < self.warmup_steps:
            return (t + 1) / self.warmup_steps
        return self.gamma ** ((t - self.warmup_steps) // self.step_size)

    def get_lr(self):
        return [base_lr * self.factor(self.last_epoch) for base_lr in self.base_lrs]


class RightRecursive(Right):
    """Recursive, as torch's own: the ratio of consecutive factors, nothing at the constructor's step."""

    def get_lr(self):
        if self.last_epoch == 0:
            return [group["lr"] * self.factor(0) for group in self.optimizer.param_groups]
        if self._is_initial:  # built with last_epoch >= 0 when resuming: the optimizer holds the lr already
            return [group["lr"] for group in self.optimizer.param_groups]
        ratio = self.factor(self.last_epoch) / self.factor(self.last_epoch - 1)
        return [group["lr"] * ratio for group in self.optimizer.param_groups]


class Compounding(Right):
    def get_lr(self):
        return [group["lr"] * self.factor(self.last_epoch) for group in self.optimizer.param_groups]


class OneLrForAll(Right):
    def get_lr(self):
        return [self.base_lrs[0] * self.factor(self.last_epoch)] * len(self.base_lrs)


class OwnCounter(Right):
    def __init__(self, optimizer, warmup_steps, step_size, gamma=0.1, last_epoch=-1):
        self.t = 0
        super().__init__(optimizer, warmup_steps, step_size, gamma, last_epoch)

    def get_lr(self):
        lrs = [base_lr * self.factor(self.t) for base_lr in self.base_lrs]
        self.t += 1
        return lrs


class DropsLastEpoch(Right):
    def __init__(self, optimizer, warmup_steps, step_size, gamma=0.1, last_epoch=-1):
        self.warmup_steps, self.step_size, self.gamma = warmup_steps, step_size, gamma
        LRScheduler.__init__(self, optimizer)  # last_epoch accepted but not passed on


class NoLastEpoch(Right):
    def __init__(self, optimizer, warmup_steps, step_size, gamma=0.1):
        super().__init__(optimizer, warmup_steps, step_size, gamma)


class StoresLambda(Right):
    def __init__(self, optimizer, warmup_steps, step_size, gamma=0.1, last_epoch=-1):
        self.f = lambda t: (t + 1) / warmup_steps if t < warmup_steps else gamma ** ((t - warmup_steps) // step_size)
        super().__init__(optimizer, warmup_steps, step_size, gamma, last_epoch)

    def get_lr(self):
        return [base_lr * self.f(self.last_epoch) for base_lr in self.base_lrs]


class SettingsAfterSuper(Right):
    def __init__(self, optimizer, warmup_steps, step_size, gamma=0.1, last_epoch=-1):
        LRScheduler.__init__(self, optimizer, last_epoch)
        self.warmup_steps, self.step_size, self.gamma = warmup_steps, step_size, gamma


class ReturnsANumber(Right):
    def get_lr(self):
        return self.base_lrs[0] * self.factor(self.last_epoch)


class OneValue(Right):
    def get_lr(self):
        return [self.base_lrs[0] * self.factor(self.last_epoch)]


class NoGetLr(LRScheduler):
    def __init__(self, optimizer, warmup_steps, step_size, gamma=0.1, last_epoch=-1):
        super().__init__(optimizer, last_epoch)


class WarmupFromZero(Right):
    def factor(self, t):
        return t / self.warmup_steps if t < self.warmup_steps else super().factor(t)


class OneAhead(Right):
    def get_lr(self):
        return [base_lr * self.factor(self.last_epoch + 1) for base_lr in self.base_lrs]


class NotAScheduler:
    def __init__(self, optimizer, warmup_steps, step_size, gamma=0.1, last_epoch=-1):
        self.optimizer = optimizer


def test_the_schedule_warms_up_then_halves() -> None:
    lrs = intended_lrs()
    assert lrs.shape == (STEPS, 2) and np.allclose(lrs[:, 1] / lrs[:, 0], 10)
    assert [intended_factor(t) for t in (0, 4, 14, 15, 35)] == [0.2, 1.0, 1.0, 0.5, 0.125]


@pytest.mark.parametrize("cls", [Right, RightRecursive])
def test_a_right_class_passes_through_both_resumes(cls) -> None:
    verdict = check_scheduler_class(cls)
    assert verdict.correct, verdict
    assert "last_epoch=16" in verdict.message


@pytest.mark.parametrize(
    ("cls", "words"),
    [
        (None, ["write your class"]),
        (Compounding, ["far too fast", "compound", "self.base_lrs and self.last_epoch"]),
        (OneLrForAll, ["both param groups got the same lr", "its own base lr"]),
        (OwnCounter, ["last_epoch=16", "did not continue at step 17", "not from a count of your own"]),
        (DropsLastEpoch, ["last_epoch=16", "did not continue"]),
        (NoLastEpoch, ["must accept last_epoch", "super().__init__(optimizer, last_epoch)"]),
        (StoresLambda, ["torch.save", "Can't pickle local object", "keep the formula in a method"]),
        (SettingsAfterSuper, ["AttributeError", "before super().__init__(optimizer, last_epoch)"]),
        (ReturnsANumber, ["not iterable", "a list with one lr per param group"]),
        (OneValue, ["zip()", "one lr per param group (this optimizer has 2)"]),
        (NoGetLr, ["NotImplementedError", "define get_lr(self)"]),
        (WarmupFromZero, ["starts at lr 0", "(t + 1) / w"]),
        (OneAhead, ["one step ahead", "self.last_epoch itself"]),
        (NotAScheduler, ["returned NotAScheduler, not a scheduler", "subclasses"]),
    ],
)
def test_the_usual_mistakes_are_named(cls, words) -> None:
    verdict = check_scheduler_class(cls)
    assert not verdict.correct
    for word in words:
        assert word in verdict.message, verdict.message


def test_a_signature_the_check_cannot_call_says_how_it_calls() -> None:
    class KeywordOnly(Right):
        def __init__(self, optimizer, *, warmup_steps, step_size, gamma=0.1, last_epoch=-1):
            super().__init__(optimizer, warmup_steps, step_size, gamma, last_epoch)

    verdict = check_scheduler_class(KeywordOnly)
    assert not verdict.correct and "with (optimizer, 5, 10, 0.5)" in verdict.message


def test_not_a_class_raises_a_clear_type_error() -> None:
    with pytest.raises(TypeError, match=r"^cls must be a function cls\(optimizer, warmup_steps"):
        check_scheduler_class("WarmupStepDecay")
