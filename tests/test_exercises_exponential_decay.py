"""Self-checks of notebook 02: right answers pass, typical mistakes get a helpful message, bad types raise."""

from __future__ import annotations

import numpy as np
import pytest

from lrutils.exercises.exponential_decay import check_epochs_below, check_halving_gamma


@pytest.mark.parametrize("gamma", [0.5**0.1, 0.933, 0.9330, np.float64(0.93303)])
def test_halving_gamma_right(gamma: float) -> None:
    assert check_halving_gamma(gamma).correct


@pytest.mark.parametrize(
    ("gamma", "hint"),
    [(0.95, "linear"), (0.5, "every epoch"), (0.9, "gamma**10 = 0.5"), (1.5, "0 < gamma < 1"), (1.0, "0.5")],
)
def test_halving_gamma_wrong(gamma: float, hint: str) -> None:
    verdict = check_halving_gamma(gamma)
    assert not verdict and hint in verdict.message


@pytest.mark.parametrize("answer", [90, np.int64(90), 90.0])
def test_epochs_below_right(answer: float) -> None:
    assert check_epochs_below(answer).correct


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (89, "still at or above"),
        (91, "got there earlier"),
        (89.78, "whole numbers"),
        (45.5, "whole epoch"),
        (500, "far"),
    ],
)
def test_epochs_below_wrong(answer: float, hint: str) -> None:
    verdict = check_epochs_below(answer)
    assert not verdict and hint in verdict.message


def test_placeholders_are_polite() -> None:
    for verdict in (check_halving_gamma(None), check_epochs_below(None)):
        assert not verdict.correct and "no answer yet" in verdict.message


@pytest.mark.parametrize(
    ("answer", "error"), [("0.93", TypeError), (True, TypeError), ([0.93], TypeError), (float("nan"), ValueError)]
)
def test_bad_input(answer: object, error: type) -> None:
    for check in (check_halving_gamma, check_epochs_below):
        with pytest.raises(error):
            check(answer)  # type: ignore[arg-type]
