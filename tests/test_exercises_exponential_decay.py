"""Self-checks of notebook 02: right answers pass, typical mistakes get a helpful message, bad types raise."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from conftest import run_hidden_solutions
from lrutils.exercises.exponential_decay import (
    check_epochs_below,
    check_halving_gamma,
    check_per_batch_loop,
    intended_per_batch_loop,
)


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
        (45.5, "not a whole number"),
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


# --- exercise 3: the learner's raw-torch loop (ExponentialLR per batch, gamma converted) -----------------


def exponential_loop(gamma: float, per: str = "batch"):
    """A learner's loop for exercise 3: 4 epochs of 5 batches, the scheduler stepped per ``per``."""

    def loop(optimizer: torch.optim.Optimizer) -> None:
        scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=gamma)
        for _ in range(4):
            for _ in range(5):
                optimizer.step()
                if per == "batch":
                    scheduler.step()
            if per == "epoch":
                scheduler.step()

    return loop


@pytest.mark.parametrize("gamma", [0.5 ** (1 / 5), 0.5**0.2])
def test_loop_right(gamma: float) -> None:
    verdict = check_per_batch_loop(exponential_loop(gamma))
    assert verdict.correct and "all 20 optimizer steps" in verdict.message


@pytest.mark.parametrize(
    ("gamma", "per", "hint"),
    [
        (0.5, "batch", "halves every batch"),
        (0.5, "epoch", "stepped once per epoch (a staircase)"),
        (1 - 0.5 / 5, "batch", "treats the decay as linear"),
        (0.5 / 5, "batch", "divides instead of taking a root"),
        (0.87, "batch", "intends 0.0870551"),  # a rounded gamma: no named mistake, the general message
    ],
)
def test_loop_mistakes_are_named(gamma: float, per: str, hint: str) -> None:
    verdict = check_per_batch_loop(exponential_loop(gamma, per))
    assert not verdict.correct and hint in verdict.message, verdict


def test_loop_placeholder() -> None:
    assert "no loop yet" in check_per_batch_loop(None).message


def test_intended_loop_halves_every_epoch() -> None:
    lrs = intended_per_batch_loop()
    assert len(lrs) == 20
    np.testing.assert_allclose(lrs[::5], [0.1, 0.05, 0.025, 0.0125], rtol=1e-12)


def test_hidden_solutions_of_notebook_02_pass() -> None:
    results = run_hidden_solutions("02_exponential_decay.ipynb", "lrutils.exercises.exponential_decay")
    assert len(results) == 3 and all(v.correct for v in results), results
