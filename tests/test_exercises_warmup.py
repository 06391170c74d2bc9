"""Notebook 07's self-checks: right answers pass, typical wrong ones explain, bad types are clear."""

from __future__ import annotations

import math

import pytest
import torch

from lrutils.exercises.warmup import check_restart_lr, check_warmup_cosine_loop, check_wsd_milestones


def test_restart_lr() -> None:
    assert check_restart_lr(0.1).correct
    assert check_restart_lr(0.1001).correct  # rounding is fine
    assert "restarts its count" in check_restart_lr(0.025).message
    assert "cuts when its count reaches 3" in check_restart_lr(0.05).message
    assert not check_restart_lr(0.3)


def test_restart_lr_placeholder_and_bad_types() -> None:
    verdict = check_restart_lr(None)
    assert not verdict and "no answer yet" in verdict.message
    with pytest.raises(TypeError, match="answer must be a number"):
        check_restart_lr("0.1")
    with pytest.raises(ValueError, match="finite"):
        check_restart_lr(float("nan"))


def test_wsd_milestones() -> None:
    assert check_wsd_milestones([5, 80]).correct
    assert check_wsd_milestones((5, 80)).correct
    assert "not stage lengths" in check_wsd_milestones([5, 20]).message
    assert "should get the last 20" in check_wsd_milestones([5, 75]).message
    assert "first milestone" in check_wsd_milestones([4, 80]).message
    assert "do not decrease" in check_wsd_milestones([80, 5]).message


def test_wsd_placeholder_and_bad_types() -> None:
    assert "no answer yet" in check_wsd_milestones(None).message
    with pytest.raises(TypeError, match="list of two whole numbers"):
        check_wsd_milestones("5, 80")
    one = check_wsd_milestones([80])
    assert not one.correct and "three stages need two" in one.message
    assert check_wsd_milestones([5.0, 80]).correct
    late = check_wsd_milestones([5, 150])
    assert not late.correct and "after the run ends" in late.message


# --- exercise 3: the learner's raw-torch loop (LambdaLR warm-up + cosine, stepped per batch) ---------


def make_loop(factor, per_batch: bool = True, scheduler_first: bool = False):
    """A loop over 3 epochs of 10 batches with LambdaLR(factor), stepped as asked."""

    def loop(optimizer):
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
        for _epoch in range(3):
            for _batch in range(10):
                if scheduler_first and per_batch:
                    scheduler.step()
                optimizer.step()
                if per_batch and not scheduler_first:
                    scheduler.step()
            if not per_batch:
                scheduler.step()

    return loop


def right_factor(t: int) -> float:
    return (t + 1) / 5 if t < 5 else 0.5 * (1 + math.cos(math.pi * (t - 5) / 25))


def test_the_notebooks_solution_passes() -> None:
    """The hidden solution of notebook 07, exercise 3, as written there."""
    import math as m

    def loop(optimizer):
        w, n = 5, 30

        def factor(t):
            if t < w:
                return (t + 1) / w
            return 0.5 * (1 + m.cos(m.pi * (t - w) / (n - w)))

        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
        for _epoch in range(3):
            for _batch in range(10):
                optimizer.step()
                scheduler.step()

    verdict = check_warmup_cosine_loop(loop)
    assert verdict.correct and repr(verdict).startswith("right: "), verdict


def test_typical_loop_mistakes_are_named() -> None:
    def t_over_w(t: int) -> float:
        return t / 5 if t < 5 else right_factor(t)

    cases = [
        (make_loop(t_over_w), "(t + 1) / w"),
        (make_loop(right_factor, per_batch=False), "once per epoch"),
        (make_loop(right_factor, scheduler_first=True), "one step early"),
        (make_loop(lambda t: 1.0), "never changed"),
    ]
    for loop, words in cases:
        verdict = check_warmup_cosine_loop(loop)
        assert not verdict.correct and words in verdict.message, (words, verdict)


def test_loop_placeholder_and_errors() -> None:
    assert "no loop yet" in check_warmup_cosine_loop(None).message

    def broken(optimizer):
        raise RuntimeError("oops")

    assert "raised RuntimeError" in check_warmup_cosine_loop(broken).message
    with pytest.raises(TypeError, match="loop"):
        check_warmup_cosine_loop(0.1)  # type: ignore[arg-type]
