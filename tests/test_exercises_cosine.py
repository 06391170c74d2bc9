"""Self-checks of notebook 03: right answers pass, typical mistakes get a helpful message, bad types raise."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from conftest import run_hidden_solutions
from lrutils import torch_lr_curve
from lrutils.exercises.cosine import (
    PAST_STEP,
    check_lr_past_t_max,
    check_midpoint_lr,
    check_per_batch_loop,
    intended_per_batch_loop,
)


@pytest.mark.parametrize("answer", [0.0505, 0.001 + 0.099 / 2])
def test_midpoint_right(answer: float) -> None:
    assert check_midpoint_lr(answer).correct


@pytest.mark.parametrize(("answer", "hint"), [(0.05, "eta_min"), (0.101, "1/2"), (0.03, "cos(pi * 50 / 100)")])
def test_midpoint_wrong(answer: float, hint: str) -> None:
    verdict = check_midpoint_lr(answer)
    assert not verdict and hint in verdict.message


def test_lr_past_t_max() -> None:
    assert PAST_STEP == 130
    assert check_lr_past_t_max(0.1 * (1 + np.cos(1.3 * np.pi)) / 2).correct  # 0.02061
    assert check_lr_past_t_max(0.0206).correct
    assert "keeps following the cosine" in check_lr_past_t_max(0).message
    restart = torch_lr_curve("CosineAnnealingWarmRestarts", 131, base_lr=0.1, T_0=100)[-1]  # 0.0794
    assert "where a restart" in check_lr_past_t_max(float(restart)).message
    assert "reaches 0.1 only at step 200" in check_lr_past_t_max(0.1).message
    assert "cos(pi * 130 / 100)" in check_lr_past_t_max(0.05).message


def test_placeholders_are_polite() -> None:
    for verdict in (check_midpoint_lr(None), check_lr_past_t_max(None)):
        assert not verdict.correct and "no answer yet" in verdict.message


@pytest.mark.parametrize(("answer", "error"), [("0.05", TypeError), (False, TypeError), (float("inf"), ValueError)])
def test_bad_lr_input(answer: object, error: type) -> None:
    for check in (check_midpoint_lr, check_lr_past_t_max):
        with pytest.raises(error):
            check(answer)  # type: ignore[arg-type]


# --- exercise 3: the learner's raw-torch loop (a per-batch cosine, T_max in batches) ---------------------


def cosine_loop(t_max: int, per: str = "batch", order: str = "right"):
    """A learner's loop for exercise 3: 3 epochs of 10 batches, the scheduler stepped per ``per``."""

    def loop(optimizer: torch.optim.Optimizer) -> None:
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=t_max)
        for _ in range(3):
            for _ in range(10):
                if per == "batch" and order == "scheduler first":
                    scheduler.step()
                optimizer.step()
                if per == "batch" and order == "right":
                    scheduler.step()
            if per == "epoch":
                scheduler.step()

    return loop


def test_loop_right() -> None:
    verdict = check_per_batch_loop(cosine_loop(30))
    assert verdict.correct and "all 30 optimizer steps" in verdict.message


@pytest.mark.parametrize(
    ("loop", "hint"),
    [
        (cosine_loop(3), "T_max=3 (epochs) stepped every batch"),
        (cosine_loop(3, per="epoch"), "stepped once per epoch: a staircase"),
        (cosine_loop(30, order="scheduler first"), "one step early"),
        (cosine_loop(29), "intends"),  # off by one: the general message
    ],
)
def test_loop_mistakes_are_named(loop, hint: str) -> None:
    verdict = check_per_batch_loop(loop)
    assert not verdict.correct and hint in verdict.message, verdict


def test_loop_placeholder() -> None:
    assert "no loop yet" in check_per_batch_loop(None).message


def test_intended_loop_is_one_half_cosine() -> None:
    lrs = intended_per_batch_loop()
    assert len(lrs) == 30 and lrs[0] == 0.1 and np.all(np.diff(lrs) < 0) and lrs[-1] > 0
    assert lrs[15] == pytest.approx(0.05, rel=1e-12)


def test_hidden_solutions_of_notebook_03_pass() -> None:
    results = run_hidden_solutions("03_cosine_annealing.ipynb", "lrutils.exercises.cosine")
    assert len(results) == 3 and all(v.correct for v in results), results
