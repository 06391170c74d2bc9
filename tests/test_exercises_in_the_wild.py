"""Notebook 12's self-checks: the paper's Noam factor and the per-batch conversion pass, typical mistakes explain."""

from __future__ import annotations

import functools

import pytest

from lrutils.curves.recipes import noam_factor
from lrutils.exercises import Verdict
from lrutils.exercises.in_the_wild import check_noam_lambda, check_per_batch
from lrutils.training.loops import epochs_to_batches


def noam(t: int, shift: int = 1, d_model: int = 512, warmup_power: float = -1.5) -> float:
    n = t + shift
    return d_model**-0.5 * min(n**-0.5, n * 4000**warmup_power)


def annotated(t: int) -> float:  # the Annotated Transformer's rate(): `if step == 0: step = 1`
    step = 1 if t == 0 else t
    return 512**-0.5 * min(step**-0.5, step * 4000**-1.5)


@pytest.mark.parametrize("factor", [noam, noam_factor(512, 4000), lambda t: noam(t)])
def test_noam_right_answers_pass(factor) -> None:
    verdict = check_noam_lambda(factor)
    assert isinstance(verdict, Verdict) and verdict.correct, verdict
    assert "t = 3999" in verdict.message


@pytest.mark.parametrize(
    ("factor", "words"),
    [
        (None, ["write a function factor(t)"]),
        (functools.partial(noam, shift=0), ["at t = 0", "ZeroDivisionError", "step_num = t + 1"]),
        (annotated, ["t = 0 and t = 1 both use step_num = 1", "Annotated Transformer"]),
        (functools.partial(noam, d_model=1), ["d_model**-0.5 is missing", "sqrt(512)"]),
        (functools.partial(noam, shift=2), ["one ahead", "not t + 2"]),
        (functools.partial(noam, warmup_power=-0.5), ["at t = 0 LambdaLR set lr", "step_num = 1"]),
        (lambda t: "fast", ["must return a number"]),
        (lambda t: [1][t], ["IndexError"]),
    ],
)
def test_noam_typical_mistakes_say_why(factor, words) -> None:
    verdict = check_noam_lambda(factor)
    assert not verdict.correct
    for word in words:
        assert word in verdict.message, verdict.message


def test_noam_bad_type_raises() -> None:
    with pytest.raises(TypeError, match="factor must be a function"):
        check_noam_lambda(0.0007)


def test_per_batch_right_answer_passes_and_equals_epochs_to_batches() -> None:
    answer = {"warmup_steps": 250, "T_max": 4250}
    assert epochs_to_batches("warmup_cosine", {"warmup_steps": 5, "T_max": 85}, 50) == answer
    verdict = check_per_batch(answer)
    assert verdict.correct, verdict
    assert "equals the per-epoch recipe's" in verdict.message


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (None, ["set answer to a dict"]),
        ({"warmup_steps": 5, "T_max": 85}, ["still count epochs", "period 2 * T_max", "Multiply by 50"]),
        ({"warmup_steps": 250, "T_max": 4500}, ["after the warm-up", "4500 - 250 = 4250"]),
        ({"warmup_steps": 5, "T_max": 4250}, ["5 epochs are 250 batches, not 5"]),
        ({"warmup_steps": 250, "T_max": 85}, ["85 epochs are 4250 batches, not 85"]),
    ],
)
def test_per_batch_typical_mistakes_say_why(answer, words) -> None:
    verdict = check_per_batch(answer)
    assert not verdict.correct
    for word in words:
        assert word in verdict.message, verdict.message


@pytest.mark.parametrize(
    ("answer", "error", "words"),
    [
        ([250, 4250], TypeError, "must be a dict"),
        ({"warmup_steps": "250", "T_max": 4250}, TypeError, "must be a whole number"),
        ({"warmup_steps": float("nan"), "T_max": 4250}, ValueError, "finite"),
    ],
)
def test_per_batch_bad_answers_raise_clear_errors(answer, error, words) -> None:
    with pytest.raises(error, match=words):
        check_per_batch(answer)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ({"warmup_steps": 250}, "T_max missing"),
        ({"warmup_steps": 250, "T_max": 4250, "eta_min": 0}, "'eta_min' not asked for"),
        ({"warmup_steps": 250.5, "T_max": 4250}, "not a whole number"),
        ({"warmup_steps": 0, "T_max": 4250}, "at least 1"),
    ],
)
def test_per_batch_wrong_but_well_typed_answers_are_a_not_yet(answer, words) -> None:
    verdict = check_per_batch(answer)
    assert not verdict.correct and words in verdict.message
    assert check_per_batch({"warmup_steps": 250.0, "T_max": 4250}).correct
