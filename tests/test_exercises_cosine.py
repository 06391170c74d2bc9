"""Self-checks of notebook 03: right answers pass, typical mistakes get a helpful message, bad types raise."""

from __future__ import annotations

import pytest

from lrutils.exercises.cosine import check_lr_at_150, check_midpoint_lr, check_t_max_per_batch


@pytest.mark.parametrize("answer", [0.0505, 0.001 + 0.099 / 2])
def test_midpoint_right(answer: float) -> None:
    assert check_midpoint_lr(answer).correct


@pytest.mark.parametrize(("answer", "hint"), [(0.05, "eta_min"), (0.101, "1/2"), (0.03, "cos(pi * 50 / 100)")])
def test_midpoint_wrong(answer: float, hint: str) -> None:
    verdict = check_midpoint_lr(answer)
    assert not verdict and hint in verdict.message


def test_lr_at_150() -> None:
    assert check_lr_at_150(0.05).correct
    assert "keeps following the cosine" in check_lr_at_150(0).message
    assert "CosineAnnealingWarmRestarts" in check_lr_at_150(0.1).message
    assert not check_lr_at_150(0.02)


def test_t_max_per_batch() -> None:
    assert check_t_max_per_batch(900).correct
    assert "15 full down-and-up" in check_t_max_per_batch(30).message
    assert "never reaches eta_min" in check_t_max_per_batch(1000).message


def test_placeholders_are_polite() -> None:
    for verdict in (check_midpoint_lr(None), check_lr_at_150(None), check_t_max_per_batch(None)):
        assert not verdict.correct and "no answer yet" in verdict.message


@pytest.mark.parametrize(("answer", "error"), [("0.05", TypeError), (False, TypeError), (float("inf"), ValueError)])
def test_bad_lr_input(answer: object, error: type) -> None:
    for check in (check_midpoint_lr, check_lr_at_150):
        with pytest.raises(error):
            check(answer)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("answer", "error"), [(900.0, TypeError), ("900", TypeError), (True, TypeError), (0, ValueError)]
)
def test_bad_t_max_input(answer: object, error: type) -> None:
    with pytest.raises(error):
        check_t_max_per_batch(answer)  # type: ignore[arg-type]
