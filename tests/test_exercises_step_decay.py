"""Self-checks of notebook 01: right answers pass, typical mistakes get a helpful message, bad types raise."""

from __future__ import annotations

import pytest

from lrutils.exercises import Verdict
from lrutils.exercises.step_decay import (
    check_first_halved_epoch,
    check_lr_at_epoch_25,
    check_reach_target,
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
    for verdict in (check_lr_at_epoch_25(None), check_reach_target(None, None), check_first_halved_epoch(None)):
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
        ((30.0, 0.1), TypeError),
        ((True, 0.1), TypeError),
        ((30, "0.1"), TypeError),
        ((0, 0.1), ValueError),
        ((30, 0.0), ValueError),
        ((30, 1.5), ValueError),
        ((30, float("nan")), ValueError),
    ],
)
def test_reach_target_bad_input(args: tuple, error: type) -> None:
    with pytest.raises(error):
        check_reach_target(*args)


@pytest.mark.parametrize(("answer", "error"), [("0.025", TypeError), (True, TypeError), (float("inf"), ValueError)])
def test_lr_at_epoch_25_bad_input(answer: object, error: type) -> None:
    with pytest.raises(error):
        check_lr_at_epoch_25(answer)  # type: ignore[arg-type]


def test_wrong_order_moves_everything_one_epoch_early() -> None:
    used = wrong_order_lrs(21)
    assert used[:9] == [0.1] * 9 and used[9] == 0.05 and used[19] == 0.025


def test_first_halved_epoch() -> None:
    assert check_first_halved_epoch(9).correct
    assert "correct order" in check_first_halved_epoch(10).message
    assert "earlier, not later" in check_first_halved_epoch(11).message
    assert not check_first_halved_epoch(3)
    with pytest.raises(TypeError):
        check_first_halved_epoch(9.0)  # type: ignore[arg-type]
