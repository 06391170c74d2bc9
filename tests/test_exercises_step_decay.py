"""Self-checks of notebook 01: right answers pass, typical mistakes get a helpful message, bad types raise."""

from __future__ import annotations

import pytest
import torch

import lrutils
from conftest import run_hidden_solutions
from lrutils.exercises import Verdict
from lrutils.exercises.step_decay import (
    check_lr_at_epoch_25,
    check_reach_target,
    check_step_lr_loop,
    check_wrong_order_epoch,
    intended_step_lr_loop,
    wrong_order_lrs,
)


@pytest.mark.parametrize("answer", [0.025, 0.1 * 0.5**2, 0.0250001])
def test_lr_at_epoch_25_right(answer: float) -> None:
    verdict = check_lr_at_epoch_25(answer)
    assert isinstance(verdict, Verdict) and verdict.correct


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (0.0125, "floor(25 / 10) = 2"),
        (0.1 * 0.5**2.5, "floor"),
        (0.05, "AND at epoch 20"),
        (0.1, "halved"),
        (0.3, "count"),
    ],
)
def test_lr_at_epoch_25_wrong(answer: float, hint: str) -> None:
    verdict = check_lr_at_epoch_25(answer)
    assert not verdict and hint in verdict.message


def test_placeholders_are_polite() -> None:
    for verdict in (check_lr_at_epoch_25(None), check_reach_target(None, None), check_wrong_order_epoch(None)):
        assert not verdict.correct and "no answer yet" in verdict.message
        assert repr(verdict).startswith("not yet: ")


@pytest.mark.parametrize(("step_size", "gamma"), [(30, 0.1), (60, 0.01), (20, 0.2154), (15, 0.1**0.5), (12, 0.01**0.2)])
def test_reach_target_right(step_size: int, gamma: float) -> None:
    assert check_reach_target(step_size, gamma).correct


def test_reach_target_wrong_says_the_gamma_needed() -> None:
    verdict = check_reach_target(10, 0.5)
    assert not verdict and "1.563e-03" in verdict.message and "0.4642" in verdict.message
    assert "still 0.1" in check_reach_target(61, 0.1).message


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("30", 0.1), TypeError),
        ((True, 0.1), TypeError),
        ((30, "0.1"), TypeError),
        ((30, float("nan")), ValueError),
    ],
)
def test_reach_target_bad_input(args: tuple, error: type) -> None:
    with pytest.raises(error):
        check_reach_target(*args)


@pytest.mark.parametrize(
    ("args", "says"),
    [((0, 0.1), "at least 1"), ((30, 0.0), "0 < gamma < 1"), ((30, 1.5), "0 < gamma < 1"), ((30.5, 0.1), "whole")],
)
def test_reach_target_values_outside_steplr_are_a_not_yet(args: tuple, says: str) -> None:
    verdict = check_reach_target(*args)
    assert not verdict.correct and says in verdict.message
    assert check_reach_target(30.0, 0.1).correct


@pytest.mark.parametrize(("answer", "error"), [("0.025", TypeError), (True, TypeError), (float("inf"), ValueError)])
def test_lr_at_epoch_25_bad_input(answer: object, error: type) -> None:
    with pytest.raises(error):
        check_lr_at_epoch_25(answer)  # type: ignore[arg-type]


def test_wrong_order_moves_everything_one_epoch_early() -> None:
    used = wrong_order_lrs(90)
    right_order = lrutils.torch_lr_curve("MultiStepLR", 91, base_lr=0.1, milestones=[30, 80], gamma=0.1)
    assert used == right_order[1:].tolist()  # epoch t trains with the right order's value for t + 1
    assert used[28] == 0.1 and used[29] < 0.1 and used[78] > 1.5e-3 and used[79] < 1.5e-3


def test_wrong_order_epoch() -> None:
    assert check_wrong_order_epoch(79).correct
    assert "right for the correct order" in check_wrong_order_epoch(80).message
    assert "earlier, not later" in check_wrong_order_epoch(81).message
    assert "first cut" in check_wrong_order_epoch(29).message
    assert not check_wrong_order_epoch(3)
    assert check_wrong_order_epoch(79.0).correct  # type: ignore[arg-type]
    assert "whole number" in check_wrong_order_epoch(79.5).message  # type: ignore[arg-type]


# --- exercise 4: the learner's raw-torch loop (StepLR once per epoch, after the batches) -------------------


def step_lr_loop(where: str):
    """A learner's loop for exercise 4 with ``scheduler.step()`` at ``where``."""

    def loop(optimizer: torch.optim.Optimizer) -> None:
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
        for _ in range(5):
            if where == "before the batches":
                scheduler.step()
            for _ in range(4):
                optimizer.step()
                if where == "every batch":
                    scheduler.step()
            if where == "after the batches":
                scheduler.step()

    return loop


def test_loop_right_order_passes() -> None:
    verdict = check_step_lr_loop(step_lr_loop("after the batches"))
    assert verdict.correct and "all 20 optimizer steps" in verdict.message


def test_loop_counted_in_batches_also_passes() -> None:
    """Stepping per batch is fine when step_size counts batches: the lrs used are what counts."""

    def loop(optimizer: torch.optim.Optimizer) -> None:
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2 * 4, gamma=0.5)
        for _ in range(20):
            optimizer.step()
            scheduler.step()

    assert check_step_lr_loop(loop).correct


@pytest.mark.parametrize(
    ("where", "hint"),
    [
        ("before the batches", "next epoch's lr: scheduler.step() runs at the start of each epoch"),
        ("every batch", "StepLR counts batches"),
        ("nowhere", "never changed"),
    ],
)
def test_loop_mistakes_are_named(where: str, hint: str) -> None:
    verdict = check_step_lr_loop(step_lr_loop(where))
    assert not verdict.correct and hint in verdict.message
    assert repr(verdict).startswith("not yet: at optimizer step ")


def test_loop_placeholder_and_crash() -> None:
    assert "no loop yet" in check_step_lr_loop(None).message

    def empty(optimizer: torch.optim.Optimizer) -> None:
        pass

    assert "ran 0 optimizer steps" in check_step_lr_loop(empty).message

    def broken(optimizer: torch.optim.Optimizer) -> None:
        torch.optim.lr_scheduler.StepLR(optimizer)  # step_size is required

    assert "raised TypeError" in check_step_lr_loop(broken).message


def test_intended_loop_lrs() -> None:
    assert intended_step_lr_loop().tolist() == [0.1] * 8 + [0.05] * 8 + [0.025] * 4


def test_hidden_solutions_of_notebook_01_pass() -> None:
    results = run_hidden_solutions("01_step_decay.ipynb", "lrutils.exercises.step_decay")
    assert len(results) == 4 and all(v.correct for v in results), results
