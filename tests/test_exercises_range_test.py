"""Self-checks of notebook 10: right answers pass, typical mistakes get a helpful "not yet"."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from lrutils.exercises import Verdict
from lrutils.exercises.range_test import check_batch160_max_lr, check_smoothing, check_sweep_loop
from lrutils.training.range_rules import smooth_losses
from lrutils.training.range_test import lr_range_test


def ema(losses: np.ndarray, beta: float, correct: bool = True, swap: bool = False) -> np.ndarray:
    out, avg = [], 0.0
    w_old, w_new = (1 - beta, beta) if swap else (beta, 1 - beta)
    for i, loss in enumerate(losses):
        avg = w_old * avg + w_new * loss
        out.append(avg / (1 - w_old ** (i + 1)) if correct else avg)
    return np.array(out)


def test_smoothing_right_answers_pass() -> None:
    assert check_smoothing(ema).correct
    assert check_smoothing(smooth_losses).correct
    assert check_smoothing(lambda losses, beta: list(ema(losses, beta))).correct  # a list is fine too
    verdict = check_smoothing(ema)
    assert isinstance(verdict, Verdict) and repr(verdict).startswith("right: ")


@pytest.mark.parametrize(
    ("fn", "words"),
    [
        (None, ["write a function"]),
        (lambda losses, beta: ema(losses, beta, correct=False), ["without bias correction", "1 - beta**(i+1)"]),
        (lambda losses, beta: ema(losses, beta, swap=True), ["swapped"]),
        (lambda losses, beta: losses, ["expected"]),
        (lambda losses, beta: ema(losses, beta)[:-1], ["shape"]),
        (lambda losses, beta: 1 / 0, ["raised ZeroDivisionError"]),
        (lambda losses: losses, ["raised TypeError"]),
    ],
)
def test_smoothing_typical_mistakes(fn: object, words: list[str]) -> None:
    verdict = check_smoothing(fn)  # type: ignore[arg-type]
    assert not verdict.correct and repr(verdict).startswith("not yet: ")
    for word in words:
        assert word in verdict.message


def test_smoothing_bad_type() -> None:
    with pytest.raises(TypeError, match=r"smooth must be a function smooth\(losses, beta\)"):
        check_smoothing(0.98)  # type: ignore[arg-type]


def test_batch160_right_answer_and_typical_mistakes() -> None:
    r = lr_range_test(batch_size=160)
    demo = lr_range_test()
    right = float(r.lrs[np.argmin(r.smoothed)] / 10)
    assert check_batch160_max_lr(right).correct
    assert check_batch160_max_lr(float(f"{right:.3g}")).correct
    assert right > demo.suggestion  # larger batches tolerate a larger lr here
    cases = [
        (None, "run lr_range_test"),
        (demo.suggestion, "batch size 40"),
        (r.min_loss_lr, "divide by 10"),
        (r.steepest_lr, "steepest"),
        (r.min_loss_lr / 100, "100x"),
        (0.5 * right, "not it"),
    ]
    for answer, word in cases:
        verdict = check_batch160_max_lr(answer)
        assert not verdict.correct and word in verdict.message, (answer, verdict)


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ("0.09", TypeError),
        (True, TypeError),
        ([0.09], TypeError),
        (math.nan, ValueError),
    ],
)
def test_batch160_bad_input(answer: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="answer"):
        check_batch160_max_lr(answer)  # type: ignore[arg-type]


@pytest.mark.parametrize("answer", [0.0, -0.1])
def test_batch160_lrs_that_are_not_positive_are_a_not_yet(answer: float) -> None:
    verdict = check_batch160_max_lr(answer)
    assert not verdict.correct and "no learning rate" in verdict.message


# --- exercise 3: the sweep as a raw-torch loop ----------------------------------------------------


def test_the_notebooks_solution_passes() -> None:
    """The hidden solution of notebook 10, exercise 3, as written there."""

    def loop(optimizer):
        start, end, n = 1e-4, 1.0, 20
        scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=(end / start) ** (1 / (n - 1)))
        for _ in range(n):
            optimizer.step()
            scheduler.step()

    verdict = check_sweep_loop(loop)
    assert verdict.correct and repr(verdict).startswith("right: "), verdict


def test_setting_the_lr_by_hand_passes_too() -> None:
    def loop(optimizer):
        for i in range(20):
            for group in optimizer.param_groups:
                group["lr"] = 1e-4 * (1.0 / 1e-4) ** (i / 19)
            optimizer.step()

    assert check_sweep_loop(loop).correct


def sweep(lrs):
    def loop(optimizer):
        for lr in lrs:
            optimizer.param_groups[0]["lr"] = float(lr)
            optimizer.step()

    return loop


def test_typical_sweep_mistakes_are_named() -> None:
    def scheduler_first(optimizer):
        scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=1e4 ** (1 / 19))
        for _ in range(20):
            scheduler.step()
            optimizer.step()

    cases = [
        (sweep([1e-4 * 1e4 ** (i / 20) for i in range(20)]), "one factor short"),
        (sweep(np.linspace(1e-4, 1.0, 20)), "linear"),
        (scheduler_first, "one step early"),
        (sweep([1e-4 * 1e4 ** (i / 19) for i in range(19)]), "ran 19 optimizer steps"),
    ]
    for loop, words in cases:
        verdict = check_sweep_loop(loop)
        assert not verdict.correct and words in verdict.message, (words, verdict)


def test_sweep_placeholder_and_errors() -> None:
    assert "no loop yet" in check_sweep_loop(None).message
    assert "raised ValueError" in check_sweep_loop(lambda optimizer: int("x")).message
    with pytest.raises(TypeError, match="loop"):
        check_sweep_loop([1e-4])  # type: ignore[arg-type]
