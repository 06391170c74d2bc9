"""Tests for the self-checks of notebook 00 (lrutils.exercises.intro)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

import lrutils
from lrutils.curves import surface
from lrutils.exercises import Verdict, intro
from lrutils.exercises.intro import (
    BASE,
    CANDIDATE_LRS,
    EXERCISE_CURVATURE,
    LOOP_LINES,
    METRIC,
    SMALL,
    check_diverging_lrs,
    check_loop_order,
    check_paired_interval,
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


def test_value_not_among_candidates_is_a_not_yet_that_says_so():
    verdict = check_diverging_lrs([0.5])
    assert not verdict.correct and "0.5 is not one of the candidates" in verdict.message


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


@pytest.mark.parametrize(
    ("bad", "problem"), [("ABCD", "E missing"), ("ABCDEE", "E more than once"), ("ABCDF", "F not among ABCDE")]
)
def test_loop_wrong_letters_are_a_not_yet_that_names_them(bad, problem):
    verdict = check_loop_order(bad)
    assert not verdict.correct and "exactly once" in verdict.message and problem in verdict.message


# --- reading a comparison: the paired interval -------------------------------------------------------

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "00_what_is_a_scheduler.ipynb"


@pytest.fixture(scope="module")
def small_comparison():
    """The two constants of notebook 00 (plus the cosine run, as in the notebook), short and on 4 seeds."""
    setups = {
        SMALL: lrutils.Setup(None, 0.025),
        BASE: lrutils.Setup(None, 0.1),
        "cosine 0.1 -> 0": lrutils.Setup("CosineAnnealingLR", 0.1),
    }
    return lrutils.compare(setups, epochs=3, seeds=4, baseline=BASE, progress=False)


def truth(c):
    return c.paired(SMALL, METRIC)


def test_the_paired_interval_is_right_and_its_reading_follows_the_rule(small_comparison):
    p = truth(small_comparison)
    d = p.difference
    verdict = check_paired_interval([d.low, d.high], small_comparison)
    assert verdict.correct
    expected = "excludes 0" if p.clear else "contains 0"
    assert expected in verdict.message
    rounded = [round(d.low, 3), round(d.high, 3)]
    assert check_paired_interval(rounded, small_comparison).correct


def test_the_paired_interval_does_not_depend_on_the_comparisons_baseline(small_comparison):
    d = truth(small_comparison).difference
    assert check_paired_interval([d.low, d.high], small_comparison.with_baseline(SMALL)).correct


def test_the_reversed_difference_says_which_way_round(small_comparison):
    d = truth(small_comparison).difference
    verdict = check_paired_interval([-d.high, -d.low], small_comparison)
    assert not verdict.correct and "subtracts the baseline" in verdict.message


@pytest.mark.parametrize("label", [SMALL, BASE])
def test_an_unpaired_interval_from_the_table_is_named(small_comparison, label):
    own = small_comparison.summary(label, METRIC)
    verdict = check_paired_interval([own.low, own.high], small_comparison)
    assert not verdict.correct and f"the interval of {label} alone" in verdict.message


def test_the_validation_loss_interval_is_named(small_comparison):
    other = small_comparison.paired(SMALL, "val_loss").difference
    verdict = check_paired_interval([other.low, other.high], small_comparison)
    assert not verdict.correct and "final validation loss" in verdict.message


@pytest.mark.parametrize(("answer", "phrase"), [([0.2, 0.1], "lower end comes first"), ([1, 2, 3], "got 3")])
def test_malformed_intervals_are_a_not_yet(small_comparison, answer, phrase):
    verdict = check_paired_interval(answer, small_comparison)
    assert not verdict.correct and phrase in verdict.message


def test_the_result_must_be_the_notebooks_comparison(small_comparison):
    with pytest.raises(TypeError, match="^result must be the comparison c"):
        check_paired_interval([0.0, 0.1], "c")
    only_cosine = lrutils.compare(["CosineAnnealingLR"], epochs=2, seeds=2, progress=False)
    with pytest.raises(ValueError, match="^result must hold the runs labelled .*; missing 'small constant 0.025' and"):
        check_paired_interval([0.0, 0.1], only_cosine)


def test_on_the_notebooks_comparison_the_reading_names_the_overlap():
    """The notebook's own numbers: the two constants' training losses overlap and the paired interval excludes 0."""
    setups = {SMALL: lrutils.Setup(None, 0.025), BASE: lrutils.Setup(None, 0.1)}
    c = lrutils.compare(setups, baseline=BASE, progress=False)
    d = truth(c).difference
    message = check_paired_interval([d.low, d.high], c).message
    assert "clearly higher" in message and "overlap" in message


def solution_code(path: Path, marker: str) -> str:
    """The fenced Python code of the hidden solution (a <details> cell) that contains ``marker``."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown" and "<details>" in cell.source and marker in cell.source:
            return "\n".join(re.findall(r"```python\n(.*?)```", cell.source, flags=re.S))
    raise AssertionError(f"no hidden solution with {marker!r} in {path.name}")


def test_the_notebooks_hidden_solution_passes_its_check(small_comparison):
    namespace = {"c": small_comparison, "intro": intro}
    exec(solution_code(NOTEBOOK, "check_paired_interval"), namespace)  # noqa: S102 - our own notebook's solution
    assert check_paired_interval(namespace["answer"], small_comparison).correct
