"""Self-checks of notebook 09 (CyclicLR): right answers pass, typical mistakes explain, bad types raise."""

from __future__ import annotations

import pytest
import torch

from lrutils.curves.torch_reference import torch_lr_curve
from lrutils.exercises.cyclic import check_step_size_up, check_triangle_loop, triangle_lrs


def test_step_size_up() -> None:
    assert check_step_size_up(60).correct
    assert "after every batch" in check_step_size_up(2).message
    assert "only the rising half" in check_step_size_up(120).message
    verdict = check_step_size_up(30)
    assert not verdict and "first peak is at batch 30" in verdict.message


def test_step_size_up_placeholder_is_polite() -> None:
    verdict = check_step_size_up(None)
    assert not verdict.correct and "no answer yet" in verdict.message


@pytest.mark.parametrize(("answer", "error"), [("60", TypeError), (True, TypeError), (float("inf"), ValueError)])
def test_bad_step_size_input(answer: object, error: type) -> None:
    with pytest.raises(error, match="answer"):
        check_step_size_up(answer)  # type: ignore[arg-type]


# --- exercise 3: the learner's raw-torch CyclicLR loop ------------------------------------------------


def test_the_intended_triangles_are_torchs() -> None:
    ours = triangle_lrs()
    theirs = torch_lr_curve("CyclicLR", 60, base_lr=0.01, max_lr=0.1, step_size_up=10).tolist()
    assert ours == pytest.approx(theirs, rel=1e-12)


def make_loop(step_size_up: int = 10, per_batch: bool = True, scheduler_first: bool = False):
    def loop(optimizer):
        scheduler = torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr=0.01, max_lr=0.1, step_size_up=step_size_up)
        for _epoch in range(3):
            for _batch in range(20):
                if per_batch and scheduler_first:
                    scheduler.step()
                optimizer.step()
                if per_batch and not scheduler_first:
                    scheduler.step()
            if not per_batch:
                scheduler.step()

    return loop


def test_the_notebooks_solution_passes() -> None:
    """The hidden solution of notebook 09, exercise 3, as written there."""

    def loop(optimizer):
        scheduler = torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr=0.01, max_lr=0.1, step_size_up=10)
        for _epoch in range(3):
            for _batch in range(20):
                optimizer.step()
                scheduler.step()  # every batch

    verdict = check_triangle_loop(loop)
    assert verdict.correct and repr(verdict).startswith("right: "), verdict


def test_typical_triangle_loop_mistakes_are_named() -> None:
    cases = [
        (make_loop(per_batch=False), "once per epoch"),
        (make_loop(step_size_up=20), "only the rising half"),
        (make_loop(scheduler_first=True), "one step early"),
        (make_loop(step_size_up=5), "intends"),
    ]
    for loop, words in cases:
        verdict = check_triangle_loop(loop)
        assert not verdict.correct and words in verdict.message, (words, verdict)


def test_triangle_loop_placeholder_and_errors() -> None:
    assert "no loop yet" in check_triangle_loop(None).message
    assert "raised KeyError" in check_triangle_loop(lambda optimizer: {}["x"]).message
    with pytest.raises(TypeError, match="loop"):
        check_triangle_loop(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(("answer", "says"), [(0, "at least 1"), (60.5, "not a whole number"), (200, "batch 200")])
def test_step_size_up_values_get_a_not_yet_that_is_true(answer: object, says: str) -> None:
    verdict = check_step_size_up(answer)  # type: ignore[arg-type]
    assert not verdict.correct and says in verdict.message
    assert check_step_size_up(60.0).correct  # type: ignore[arg-type]
