"""Tests for the self-checks of notebook 00 (lrutils.exercises.intro)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch

from lrutils.curves import surface
from lrutils.exercises import Verdict, intro
from lrutils.exercises.intro import (
    CANDIDATE_LRS,
    EXERCISE_CURVATURE,
    LOOP_LINES,
    check_diverging_lrs,
    check_epoch_loop,
    check_loop_order,
    intended_epoch_loop_lrs,
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


# --- writing the loop: a per-epoch scheduler in a loop over batches ------------------------------

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "00_what_is_a_scheduler.ipynb"


def exponential_loop(where: str):
    """ExponentialLR(gamma=0.5), 3 epochs of 4 batches, with scheduler.step() at ``where``."""

    def loop(optimizer):
        scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.5)
        for _epoch in range(3):
            if where == "epoch start":
                scheduler.step()
            for _batch in range(4):
                optimizer.step()
                if where == "every batch":
                    scheduler.step()
            if where == "epoch end":
                scheduler.step()

    return loop


def test_epoch_loop_right_answer_passes():
    verdict = check_epoch_loop(exponential_loop("epoch end"))
    assert verdict.correct and "all 12 optimizer steps" in verdict.message
    assert intended_epoch_loop_lrs().tolist() == [0.1] * 4 + [0.05] * 4 + [0.025] * 4


@pytest.mark.parametrize(
    ("where", "phrase"),
    [
        ("every batch", "inside the batch loop"),
        ("epoch start", "start of each epoch, before the batches"),
        ("never", "never changed"),
    ],
)
def test_epoch_loop_typical_mistakes_are_named(where, phrase):
    verdict = check_epoch_loop(exponential_loop(where))
    assert not verdict.correct
    assert phrase in verdict.message


def test_epoch_loop_placeholder_and_crash():
    assert repr(check_epoch_loop(None)).startswith("not yet: no loop yet")

    def crashing(optimizer):
        raise RuntimeError("boom")

    verdict = check_epoch_loop(crashing)
    assert not verdict.correct and "RuntimeError: boom" in verdict.message


def solution_code(path: Path, marker: str) -> str:
    """The fenced Python code of the hidden solution (a <details> cell) that contains ``marker``."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown" and "<details>" in cell.source and marker in cell.source:
            return "\n".join(re.findall(r"```python\n(.*?)```", cell.source, flags=re.S))
    raise AssertionError(f"no hidden solution with {marker!r} in {path.name}")


def test_the_notebooks_hidden_solution_passes_its_check():
    namespace = {"torch": torch, "np": np, "intro": intro}
    exec(solution_code(NOTEBOOK, "ExponentialLR"), namespace)  # noqa: S102 - our own notebook's solution
    assert check_epoch_loop(namespace["loop"]).correct
