"""The self-checks of notebook 05 (OneCycleLR): right answers pass, typical mistakes explain themselves."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import torch

from lrutils import lr_curve
from lrutils.exercises import Verdict, onecycle
from lrutils.exercises.onecycle import (
    ALLOWED_KWARGS,
    LAST_LR_KWARGS,
    LOOP_KWARGS,
    PEAK_KWARGS,
    PEAK_TOTAL,
    check_allowed_steps,
    check_last_lr,
    check_onecycle_loop,
    check_peak_step,
    loop_intended,
)

CHECKS = (check_last_lr, check_allowed_steps, check_peak_step)


@pytest.mark.parametrize("check", CHECKS)
def test_placeholder_is_a_polite_not_yet(check):
    verdict = check(None)
    assert isinstance(verdict, Verdict)
    assert not verdict.correct
    assert "replace None" in verdict.message


def test_last_lr_right_answer_agrees_with_lr_curve():
    last = float(lr_curve("OneCycleLR", LAST_LR_KWARGS["total_steps"], **LAST_LR_KWARGS)[-1])
    assert last == pytest.approx(0.3 / 10 / 1e4)
    for answer in (last, 3e-6, 0.3 / 10 / 10_000):
        verdict = check_last_lr(answer)
        assert verdict.correct, verdict
        assert repr(verdict).startswith("right: ")


def test_last_lr_is_not_the_value_the_notebook_prints():
    """Notebook 05 prints the default cycle's last lr (4e-07); the exercise asks for another cycle."""
    assert not check_last_lr(4e-7).correct


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        (0, "never reaches 0"),
        (0.03, "where the cycle starts"),
        (3e-5, "divides the initial lr"),
        (1.2e-6, "default div_factor"),
        (3e-7, "power of ten"),
        (9.0425e-6, "one step too many"),
        (0.05, "start from initial_lr"),
    ],
)
def test_last_lr_typical_mistakes_say_why(wrong, phrase):
    verdict = check_last_lr(wrong)
    assert not verdict.correct
    assert phrase in verdict.message
    assert repr(verdict).startswith("not yet: ")


def test_allowed_steps_right_answer_is_epochs_times_steps_per_epoch():
    total = ALLOWED_KWARGS["epochs"] * ALLOWED_KWARGS["steps_per_epoch"]
    verdict = check_allowed_steps(total)
    assert verdict.correct
    assert f"Tried to step {total + 1} times" in verdict.message


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [(999, "constructor's own step"), (1001, "is the one that raises"), (10, "once per batch"), (100, "one epoch")],
)
def test_allowed_steps_typical_mistakes_say_why(wrong, phrase):
    verdict = check_allowed_steps(wrong)
    assert not verdict.correct
    assert phrase in verdict.message


def test_peak_step_right_answer_is_where_lr_curve_peaks():
    lrs = lr_curve("OneCycleLR", PEAK_TOTAL, **PEAK_KWARGS)
    peak = int(lrs.argmax())
    assert peak == 49 and lrs[peak] == PEAK_KWARGS["max_lr"]
    assert check_peak_step(peak).correct
    assert not check_peak_step(299).correct  # the default cycle's peak, which notebook 05 prints


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [(50, "- 1"), (99, "middle"), (59, "default pct_start"), (9, "batches"), (7, "warm-up lasts")],
)
def test_peak_step_typical_mistakes_say_why(wrong, phrase):
    verdict = check_peak_step(wrong)
    assert not verdict.correct
    assert phrase in verdict.message


@pytest.mark.parametrize("bad", ["4e-7", True, [4e-7]])
def test_last_lr_bad_types_raise_type_error(bad):
    with pytest.raises(TypeError, match="must be a number"):
        check_last_lr(bad)


def test_last_lr_nan_raises_value_error():
    with pytest.raises(ValueError, match="finite"):
        check_last_lr(float("nan"))


@pytest.mark.parametrize("check", (check_allowed_steps, check_peak_step))
@pytest.mark.parametrize("bad", ["1000", False, [1000]])
def test_step_counts_bad_types_raise_type_error(check, bad):
    with pytest.raises(TypeError, match="must be a whole number"):
        check(bad)


@pytest.mark.parametrize("check", (check_allowed_steps, check_peak_step))
def test_step_counts_written_as_floats_are_whole_numbers(check):
    assert "not a whole number" in check(49.5).message
    assert check(1000.0).correct or check(49.0).correct


# --- the raw-torch loop exercise (notebook 05) ------------------------------------------------


NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "05_one_cycle.ipynb"


def one_cycle_loop(step="per batch", built="right", order="optimizer first"):
    def loop(optimizer):
        if built == "right":
            scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, **LOOP_KWARGS)
        else:  # the cycle counted in epochs
            scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=4)
        for _ in range(4):
            for _ in range(5):
                if step == "per batch" and order == "scheduler first":
                    scheduler.step()
                optimizer.step()
                if step == "per batch" and order == "optimizer first":
                    scheduler.step()
            if step == "per epoch":
                scheduler.step()

    return loop


def test_loop_intended_is_the_per_batch_cycle():
    lrs = loop_intended()
    assert lrs.tolist() == lr_curve("OneCycleLR", 20, max_lr=0.1, epochs=4, steps_per_epoch=5).tolist()
    assert int(lrs.argmax()) == 5 and lrs[0] == pytest.approx(0.004)


def test_onecycle_loop_right_answer_passes():
    verdict = check_onecycle_loop(one_cycle_loop())
    assert verdict.correct, verdict
    assert "all 20 optimizer steps" in verdict.message


@pytest.mark.parametrize(
    ("kwargs", "phrase"),
    [
        ({"step": "per epoch"}, "stepped once per epoch"),
        ({"step": "per epoch", "built": "epochs"}, "one step per epoch"),
        ({"built": "epochs"}, "Tried to step 5 times"),
        ({"order": "scheduler first"}, "one step early"),
        ({"step": "never"}, "never changed"),
    ],
)
def test_onecycle_loop_typical_mistakes_say_why(kwargs, phrase):
    verdict = check_onecycle_loop(one_cycle_loop(**kwargs))
    assert not verdict.correct
    assert phrase in verdict.message, verdict
    assert repr(verdict).startswith("not yet: ")


def test_onecycle_loop_per_epoch_is_not_called_too_fast():
    """The shared checker's "falls too fast" guess is about decays; one-cycle stepped per epoch is too slow."""
    verdict = check_onecycle_loop(one_cycle_loop(step="per epoch"))
    assert "falls too fast" not in verdict.message and "never leaves the warm-up" in verdict.message


def test_the_hidden_solution_passes_its_check():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    block = next(
        re.search(r"```python\n(.*?)```", c.source, flags=re.S).group(1)
        for c in nb.cells
        if c.cell_type == "markdown" and "<details>" in c.source and "def loop" in c.source
    )
    namespace = {"torch": torch, "onecycle": onecycle}
    exec(block, namespace)
    assert check_onecycle_loop(namespace["loop"]).correct
