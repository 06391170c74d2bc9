"""Self-checks of notebook 08: right answers pass, typical mistakes get a helpful message, bad types raise."""

from __future__ import annotations

import numpy as np
import pytest

from lrutils.exercises.restarts import check_restart_epochs, check_step_size_up, restart_epochs


def test_restart_epochs_right() -> None:
    assert restart_epochs() == [10, 30, 70]
    assert check_restart_epochs([10, 30, 70]).correct
    assert check_restart_epochs((70, 10, 30)).correct  # order does not matter
    assert check_restart_epochs(np.array([10, 30, 70])).correct


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ([0, 10, 30, 70], "epoch 0"),
        ([10, 30, 70, 150], "0..99"),
        (list(range(10, 100, 10)), "T_mult=1"),
        ([9, 29, 69], "off by one"),
        ([11, 31, 71], "off by one"),
        ([10, 20, 40], "T_0 * T_mult**i"),
    ],
)
def test_restart_epochs_wrong(answer: list[int], hint: str) -> None:
    verdict = check_restart_epochs(answer)
    assert not verdict and hint in verdict.message


def test_step_size_up() -> None:
    assert check_step_size_up(60).correct
    assert "after every batch" in check_step_size_up(2).message
    assert "only the rising half" in check_step_size_up(120).message
    verdict = check_step_size_up(30)
    assert not verdict and "first peak is at batch 30" in verdict.message


def test_placeholders_are_polite() -> None:
    for verdict in (check_restart_epochs(None), check_step_size_up(None)):
        assert not verdict.correct and "no answer yet" in verdict.message


@pytest.mark.parametrize("answer", ["10, 30, 70", 10, [10.0, 30.0], [True, 30]])
def test_bad_restart_input(answer: object) -> None:
    with pytest.raises(TypeError, match="answer"):
        check_restart_epochs(answer)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("answer", "error"), [(60.0, TypeError), ("60", TypeError), (True, TypeError), (0, ValueError)]
)
def test_bad_step_size_input(answer: object, error: type) -> None:
    with pytest.raises(error, match="step_size_up"):
        check_step_size_up(answer)  # type: ignore[arg-type]
