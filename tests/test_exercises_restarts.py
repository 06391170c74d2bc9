"""Self-checks of notebook 08: right answers pass, typical mistakes get a helpful message, bad types raise."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lrutils.exercises.restarts import check_fractional_loop, check_restart_epochs, restart_epochs


def test_restart_epochs_right() -> None:
    assert restart_epochs() == [5, 20, 65]
    assert check_restart_epochs([5, 20, 65]).correct
    assert check_restart_epochs((65, 5, 20)).correct  # order does not matter
    assert check_restart_epochs(np.array([5, 20, 65])).correct


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ([0, 5, 20, 65], "epoch 0"),
        ([5, 20, 65, 200], "0..99"),
        (list(range(5, 100, 5)), "T_mult=1"),
        ([4, 19, 64], "off by one"),
        ([6, 21, 66], "off by one"),
        ([5, 15, 45], "cycles' lengths"),
        ([5, 20], "1 more fall within the run"),
        ([10, 30, 70], "T_0 * T_mult**i epochs: 5, 15, 45"),
    ],
)
def test_restart_epochs_wrong(answer: list[int], hint: str) -> None:
    verdict = check_restart_epochs(answer)
    assert not verdict and hint in verdict.message


def test_placeholders_are_polite() -> None:
    verdict = check_restart_epochs(None)
    assert not verdict.correct and "no answer yet" in verdict.message


@pytest.mark.parametrize("answer", ["5, 20, 65", 5, {5, 20}, [True, 20]])
def test_bad_restart_input(answer: object) -> None:
    with pytest.raises(TypeError, match="answer"):
        check_restart_epochs(answer)  # type: ignore[arg-type]


# --- exercise 2: the learner's raw-torch loop with fractional epochs ------------------------------


def make_loop(step_with):
    """4 epochs of 5 batches, CosineAnnealingWarmRestarts(T_0=2), ``step_with(scheduler, epoch, i)`` after a batch."""

    def loop(optimizer):
        scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=2)
        for epoch in range(4):
            for i in range(5):
                optimizer.step()
                step_with(scheduler, epoch, i)

    return loop


def test_the_notebooks_solution_passes() -> None:
    """The hidden solution of notebook 08, exercise 2, as written there."""

    def loop(optimizer):
        scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=2)
        iters = 5
        for epoch in range(4):
            for i in range(iters):
                optimizer.step()
                scheduler.step(epoch + (i + 1) / iters)  # the epoch the next batch is at

    verdict = check_fractional_loop(loop)
    assert verdict.correct and repr(verdict).startswith("right: "), verdict


def test_typical_fractional_loop_mistakes_are_named() -> None:
    def once_per_epoch(optimizer):
        scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=2)
        for _epoch in range(4):
            for _i in range(5):
                optimizer.step()
            scheduler.step()

    cases = [
        (make_loop(lambda s, epoch, i: s.step(epoch + i / 5)), "torch's docstring"),
        (make_loop(lambda s, epoch, i: s.step()), "restarts every 2 batches"),
        (once_per_epoch, "once per epoch"),
        (make_loop(lambda s, epoch, i: None), "never changed"),
        (make_loop(lambda s, epoch, i: s.step(epoch + (i + 1) / 10)), "intends"),
    ]
    for loop, words in cases:
        verdict = check_fractional_loop(loop)
        assert not verdict.correct and words in verdict.message, (words, verdict)


def test_fractional_loop_placeholder_and_errors() -> None:
    assert "no loop yet" in check_fractional_loop(None).message
    assert "raised ZeroDivisionError" in check_fractional_loop(lambda optimizer: 1 / 0).message
    with pytest.raises(TypeError, match="loop"):
        check_fractional_loop("loop")  # type: ignore[arg-type]
