"""The shared loop checker: right loops pass, the usual mistakes are named."""

from __future__ import annotations

import signal
import warnings

import numpy as np
import pytest
import torch

from lrutils import lr_curve
from lrutils.exercises import limits
from lrutils.exercises.loop_check import (
    STEP_BUDGET,
    check_loop,
    epoch_mistakes,
    optimizer_for_exercise,
    per_epoch_lrs,
)
from lrutils.training.loops import LrRecorder

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
    intended = per_epoch_lrs("StepLR", epochs, batches, step_size=1, gamma=0.5)

    def per_batch(optimizer: torch.optim.Optimizer) -> None:
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
        for _ in range(epochs * batches):
            optimizer.step()
            scheduler.step()  # should be once per epoch

    mistakes = epoch_mistakes("StepLR", epochs, batches, step_size=1, gamma=0.5)
    verdict = check_loop(per_batch, intended, "StepLR per epoch", mistakes=mistakes)
    assert not verdict.correct and "sits inside the batch loop" in verdict.message


def test_a_crashing_loop_is_reported_not_raised() -> None:
    def broken(optimizer: torch.optim.Optimizer) -> None:
        raise ValueError("oops")

    verdict = check_loop(broken, INTENDED, WHAT)
    assert not verdict.correct and "raised ValueError: oops" in verdict.message
    assert not check_loop(None, INTENDED, WHAT).correct


def test_a_scheduler_stepped_at_the_start_of_each_epoch_is_one_epoch_early() -> None:
    epochs, batches = 3, 4
    intended = per_epoch_lrs("StepLR", epochs, batches, step_size=1, gamma=0.5)

    def top_of_epoch(optimizer: torch.optim.Optimizer) -> None:
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
        for _ in range(epochs):
            scheduler.step()  # should come after the epoch's batches
            for _ in range(batches):
                optimizer.step()

    mistakes = epoch_mistakes("StepLR", epochs, batches, step_size=1, gamma=0.5)
    verdict = check_loop(top_of_epoch, intended, "StepLR per epoch", mistakes=mistakes)
    assert not verdict.correct and "the next epoch's lr" in verdict.message and "start of each epoch" in verdict.message


def test_the_standard_epoch_mistakes_follow_torch() -> None:
    """Each standard mistake is what torch really does with that loop (here a plateau scheduler with metrics)."""
    metric = [1.0, 0.9, 0.9, 0.9, 0.9, 0.8]
    kwargs = {"patience": 1, "factor": 0.5}
    start, inside = epoch_mistakes("ReduceLROnPlateau", 6, 2, metrics=metric, **kwargs).values()

    def run(where: str) -> np.ndarray:
        optimizer = optimizer_for_exercise()
        scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, **kwargs)
        with LrRecorder(optimizer) as used:
            for loss in metric:
                if where == "start":
                    scheduler.step(loss)
                for _ in range(2):
                    optimizer.step()
                    if where == "inside":
                        scheduler.step(loss)
        return used.lrs[:, 0]

    np.testing.assert_array_equal(run("start"), start)
    np.testing.assert_array_equal(run("inside"), inside)


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


# --- whatever the loop does, the check ends with a verdict that says what happened ----------------------


def steps_then(change: str):
    """A right StepLR loop that does ``change`` to the optimizer's param groups after 3 of its 6 steps."""

    def loop(optimizer: torch.optim.Optimizer) -> None:
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
        for step in range(6):
            if step == 3 and change == "add":
                optimizer.add_param_group({"params": [torch.zeros(1, requires_grad=True)], "lr": 0.01})
            if step == 3 and change == "clear":
                optimizer.param_groups.clear()
            optimizer.step()
            if change != "clear":
                scheduler.step()

    return loop


def test_a_loop_that_adds_a_param_group_is_told_so() -> None:
    verdict = check_loop(steps_then("add"), INTENDED, WHAT)
    assert not verdict.correct
    assert verdict.message.startswith("your loop added a param group at optimizer step 3; the exercise uses one.")

    def adds_then_raises(optimizer: torch.optim.Optimizer) -> None:
        steps_then("add")(optimizer)
        raise RuntimeError("after the steps")

    both = check_loop(adds_then_raises, INTENDED, WHAT).message
    assert "added a param group" in both and "Then it raised RuntimeError: after the steps." in both


def test_a_loop_that_empties_param_groups_ran_its_steps() -> None:
    verdict = check_loop(steps_then("clear"), INTENDED, WHAT)
    assert not verdict.correct and "removed the optimizer's param group at optimizer step 3" in verdict.message


def test_a_loop_that_never_ends_without_steps_is_stopped_by_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "TIME_LIMIT", 0.3)

    def endless(optimizer: torch.optim.Optimizer) -> None:
        while True:
            pass

    verdict = check_loop(endless, INTENDED, WHAT)  # returns at all only because the limit stopped it
    assert not verdict.correct and "still running after 0.3 seconds" in verdict.message


def test_a_loop_that_never_ends_with_steps_is_stopped_by_the_step_budget() -> None:
    def endless(optimizer: torch.optim.Optimizer) -> None:
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
        while True:
            try:
                optimizer.step()
            except Exception:  # the learner's own guard does not swallow the budget
                pass
            scheduler.step()

    verdict = check_loop(endless, INTENDED, WHAT)
    assert not verdict.correct
    assert verdict.message.startswith(f"your loop was stopped after {STEP_BUDGET * len(INTENDED)} optimizer steps")


def test_the_check_puts_back_signal_handler_timer_and_scheduler_steps() -> None:
    def ring(signum, frame):  # pragma: no cover - never rings within the test
        raise AssertionError("the outer timer rang")

    step, plateau_step = torch.optim.lr_scheduler.LRScheduler.step, torch.optim.lr_scheduler.ReduceLROnPlateau.step
    before = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, 100.0)
    try:
        assert check_loop(step_lr_loop("right"), INTENDED, WHAT).correct
        assert signal.getsignal(signal.SIGALRM) is ring
        assert 90.0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 100.0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
    assert torch.optim.lr_scheduler.LRScheduler.step is step
    assert torch.optim.lr_scheduler.ReduceLROnPlateau.step is plateau_step


def hand_set(optimizer: torch.optim.Optimizer) -> None:
    for lr in INTENDED:
        optimizer.param_groups[0]["lr"] = float(lr)
        optimizer.step()


def test_lrs_written_by_hand_are_not_a_scheduler() -> None:
    verdict = check_loop(hand_set, INTENDED, WHAT)
    assert not verdict.correct and verdict.message.startswith("no scheduler stepped the lr")
    assert check_loop(hand_set, INTENDED, WHAT, needs_scheduler=False).correct


def test_schedulers_are_counted_only_on_the_exercises_optimizer() -> None:
    def elsewhere(optimizer: torch.optim.Optimizer) -> None:
        other = optimizer_for_exercise()
        decoy = torch.optim.lr_scheduler.ReduceLROnPlateau(other)
        for lr in INTENDED:
            optimizer.param_groups[0]["lr"] = float(lr)
            optimizer.step()
            decoy.step(1.0)

    assert check_loop(elsewhere, INTENDED, WHAT).message.startswith("no scheduler stepped the lr")


def test_a_tensor_lr_is_named_and_printed_with_the_digits_that_differ() -> None:
    def tensor_lr(optimizer: torch.optim.Optimizer) -> None:
        optimizer.param_groups[0]["lr"] = torch.tensor(0.1)  # float32: 0.100000001...
        step_lr_loop("right")(optimizer)

    verdict = check_loop(tensor_lr, INTENDED, WHAT)
    assert not verdict.correct
    assert "at optimizer step 0 your loop used a float32 tensor lr, 0.100000001; " in verdict.message
    assert "intends 0.1." in verdict.message


def test_warnings_are_attributed_to_whoever_issued_them() -> None:
    def warns(optimizer: torch.optim.Optimizer) -> None:
        warnings.warn("my own note", UserWarning, stacklevel=1)
        step_lr_loop("right")(optimizer)

    verdict = check_loop(warns, INTENDED, WHAT)
    assert verdict.correct and "your code warned: UserWarning: my own note" in verdict.message
    assert "torch warned" not in verdict.message
    early = check_loop(step_lr_loop("scheduler first"), INTENDED, WHAT)  # torch's warning, stacklevel=2
    assert "torch warned: UserWarning: Detected call of `lr_scheduler.step()`" in early.message
    assert "your code warned" not in early.message


def test_a_loop_that_is_not_a_function_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"loop must be a function loop\(optimizer\), got int 3"):
        check_loop(3, INTENDED, WHAT)  # type: ignore[arg-type]
