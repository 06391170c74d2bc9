"""Tests for the self-checks of notebook 00 (lrutils.exercises.intro)."""

from __future__ import annotations

import pytest

from lrutils import surface
from lrutils.exercises import Verdict
from lrutils.exercises.intro import (
    CANDIDATE_LRS,
    EXERCISE_CURVATURE,
    LOOP_LINES,
    check_diverging_lrs,
    check_loop_order,
)

# --- which learning rates diverge -----------------------------------------------------------------


def test_the_right_set_is_what_descent_really_does():
    limit = surface.max_stable_lr(EXERCISE_CURVATURE)
    truth = [lr for lr in CANDIDATE_LRS if lr > limit]
    assert truth == [0.09, 0.15]
    verdict = check_diverging_lrs(truth)
    assert isinstance(verdict, Verdict) and verdict.correct
    assert check_diverging_lrs({0.15, 0.09}).correct
    assert check_diverging_lrs((0.15, 0.09000000001)).correct


def test_placeholder_is_a_polite_not_yet():
    verdict = check_diverging_lrs(None)
    assert not verdict.correct
    assert repr(verdict).startswith("not yet:")


def test_zigzag_is_not_divergence():
    verdict = check_diverging_lrs([0.075, 0.09, 0.15])
    assert not verdict.correct
    assert "0.075 still converges" in verdict.message
    assert "0.08" in verdict.message


def test_missing_one_says_which_and_why():
    verdict = check_diverging_lrs(0.15)
    assert not verdict.correct
    assert "0.09 diverges" in verdict.message and "1.25" in verdict.message


def test_empty_answer_names_both():
    assert "0.09 and 0.15 diverge " in check_diverging_lrs([]).message


@pytest.mark.parametrize("bad", ["0.09", b"x", {"lr": 0.09}.items(), [True], ["0.09"]])
def test_bad_types_raise_type_error(bad):
    with pytest.raises(TypeError, match="answer"):
        check_diverging_lrs(bad)


def test_value_not_among_candidates_raises():
    with pytest.raises(ValueError, match="candidates"):
        check_diverging_lrs([0.5])


# --- the order of the loop lines ------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["CEBDA", "ECBDA", "c e b d a", "C,E,B,D,A", ["E", "C", "B", "D", "A"]])
def test_right_orders_pass(answer):
    assert check_loop_order(answer).correct


def test_loop_lines_are_the_torch_calls():
    assert LOOP_LINES["A"] == "scheduler.step()" and LOOP_LINES["D"] == "optimizer.step()"


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        ("ABCDE", "Detected call of `lr_scheduler.step()` before `optimizer.step()`"),
        ("CEBAD", "first learning rate of the schedule is skipped"),
        ("CEDBA", "needs the gradients"),
        ("CBEDA", "needs the loss"),
        ("EBCDA", "wipes the gradients"),
    ],
)
def test_typical_wrong_orders_explain_why(answer, phrase):
    verdict = check_loop_order(answer)
    assert not verdict.correct
    assert phrase in verdict.message


def test_loop_placeholder_is_a_polite_not_yet():
    assert repr(check_loop_order(None)).startswith("not yet:")


@pytest.mark.parametrize("bad", [12345, b"ABCDE", [1, 2, 3, 4, 5]])
def test_loop_bad_types_raise_type_error(bad):
    with pytest.raises(TypeError, match="answer"):
        check_loop_order(bad)


@pytest.mark.parametrize("bad", ["ABCD", "ABCDEE", "ABCDF"])
def test_loop_wrong_letters_raise_value_error(bad):
    with pytest.raises(ValueError, match="exactly once"):
        check_loop_order(bad)
