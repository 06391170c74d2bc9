"""Self-checks of notebook 04 (ReduceLROnPlateau): right answers pass, typical mistakes explain themselves."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch

from lrutils import lr_curve, torch_lr_curve
from lrutils.exercises import Verdict, plateau
from lrutils.exercises.plateau import (
    BASE_LR,
    FIRST_CUT_KWARGS,
    FIRST_CUT_METRIC,
    FLAT_EPOCHS,
    FLAT_KWARGS,
    KNOBS_KWARGS,
    KNOBS_METRIC,
    STEPS_PER_EPOCH,
    check_change_epochs,
    check_first_cut,
    check_knobs_loop,
    loop_intended,
)


def test_placeholder_is_a_polite_not_yet():
    for check in (check_first_cut, check_change_epochs):
        verdict = check(None)
        assert isinstance(verdict, Verdict)
        assert not verdict.correct
        assert "replace None" in verdict.message


def test_first_cut_right_answer_matches_lrutils_simulation():
    lrs = lr_curve(
        "ReduceLROnPlateau", len(FIRST_CUT_METRIC) + 1, base_lr=BASE_LR, metrics=FIRST_CUT_METRIC, **FIRST_CUT_KWARGS
    )
    first = int((lrs < BASE_LR).argmax())
    assert first == 7
    verdict = check_first_cut(first)
    assert verdict.correct and bool(verdict)
    assert repr(verdict).startswith("right: ")


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        (5, "4th, not the 3rd"),
        (6, "used from the next epoch"),
        (8, "patience + 1"),
        (9, "0.69995 is not an improvement"),
        (11, "tie is not an improvement"),
        (0, "replay it"),
    ],
)
def test_first_cut_typical_mistakes_say_why(wrong, phrase):
    verdict = check_first_cut(wrong)
    assert not verdict.correct
    assert phrase in verdict.message
    assert repr(verdict).startswith("not yet: ")


def test_change_epochs_right_answer_matches_lrutils_simulation():
    lrs = lr_curve("ReduceLROnPlateau", FLAT_EPOCHS, base_lr=BASE_LR, metrics=[1.0] * FLAT_EPOCHS, **FLAT_KWARGS)
    changes = [i for i in range(1, FLAT_EPOCHS) if lrs[i] != lrs[i - 1]]
    assert changes == [4, 10, 16]
    assert check_change_epochs(changes).correct
    assert check_change_epochs(tuple(changes)).correct


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        ([4, 10, 16, 22], "min_lr"),
        ([4, 7, 10, 13], "cooldown=3 ignores"),
        ([3, 9, 15], "first best"),
        ([4, 8, 12], "6 more epochs"),
        ([], "replay it"),
    ],
)
def test_change_epochs_typical_mistakes_say_why(wrong, phrase):
    verdict = check_change_epochs(wrong)
    assert not verdict.correct
    assert phrase in verdict.message


@pytest.mark.parametrize("bad", ["7", True, [7]])
def test_first_cut_bad_types_raise_type_error(bad):
    with pytest.raises(TypeError, match="answer must be a whole number"):
        check_first_cut(bad)


@pytest.mark.parametrize("bad", ["4, 10, 16", 4, {4, 10}, [4, "10"]])
def test_change_epochs_bad_types_raise_type_error(bad):
    with pytest.raises(TypeError):
        check_change_epochs(bad)


def test_whole_floats_are_epochs_and_halves_are_not():
    assert check_first_cut(7.0).correct and check_change_epochs([4.0, 10.0, 16.0]).correct
    assert "not a whole number" in check_first_cut(7.5).message
    assert "not a whole number" in check_change_epochs([4, 10.5, 16]).message


# --- the raw-torch loop exercise ----------------------------------------


NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def plateau_loop(kwargs, metric, when="after epoch"):
    """A learner's loop: ``when`` the scheduler is stepped, and with which loss."""

    def loop(optimizer):
        scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, **kwargs)
        for epoch in range(len(metric)):
            if when == "before epoch":
                scheduler.step(metric[epoch])
            for _ in range(STEPS_PER_EPOCH):
                optimizer.step()
                if when == "every batch":
                    scheduler.step(metric[epoch])
            if when == "after epoch":
                scheduler.step(metric[epoch])
            elif when == "previous loss" and epoch > 0:
                scheduler.step(metric[epoch - 1])
            elif when == "no metric":
                scheduler.step()

    return loop


def solution(notebook: str) -> str:
    """The python block of the hidden solution that defines ``loop`` in ``notebook``."""
    nb = nbformat.read(NOTEBOOKS / notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "<details>" in cell.source and "def loop" in cell.source:
            return re.search(r"```python\n(.*?)```", cell.source, flags=re.S).group(1)
    raise AssertionError(f"{notebook} has no hidden solution defining loop")


def test_knobs_loop_intended_is_torch_per_batch():
    per_epoch = torch_lr_curve("ReduceLROnPlateau", 24, base_lr=BASE_LR, metrics=KNOBS_METRIC[:23], **KNOBS_KWARGS)
    intended = loop_intended(KNOBS_METRIC, KNOBS_KWARGS)
    assert intended.tolist() == np.repeat(per_epoch, STEPS_PER_EPOCH).tolist()
    assert [int(e) for e in np.flatnonzero(np.diff(per_epoch)) + 1] == [18, 23]  # the worked solution's epochs


@pytest.mark.parametrize(
    ("when", "phrase"),
    [
        ("before epoch", "one epoch early"),
        ("every batch", "patience counts batches"),
        ("previous loss", "one epoch late"),
        ("no metric", "scheduler.step(val_loss)"),
        ("never", "never changed"),
    ],
)
def test_knobs_loop_timing_mistakes_say_why(when, phrase):
    verdict = check_knobs_loop(plateau_loop(KNOBS_KWARGS, KNOBS_METRIC, when))
    assert not verdict.correct
    assert phrase in verdict.message, verdict
    assert repr(verdict).startswith("not yet: ")


def test_knobs_loop_placeholder_and_short_loop():
    assert "no loop yet" in check_knobs_loop(None).message
    short = check_knobs_loop(plateau_loop(KNOBS_KWARGS, KNOBS_METRIC[:6]))
    assert not short.correct and "ran 18 optimizer steps" in short.message


def test_the_timing_mistakes_are_distinguishable():
    """Every named mistake gives lrs different from the intended ones and from each other."""
    curves = [loop_intended(KNOBS_METRIC, KNOBS_KWARGS), *plateau._timing_mistakes(KNOBS_METRIC, KNOBS_KWARGS).values()]
    for i, a in enumerate(curves):
        for b in curves[i + 1 :]:
            assert a.shape != b.shape or not np.allclose(a, b)


def test_knobs_loop_right_answer_passes():
    verdict = check_knobs_loop(plateau_loop(KNOBS_KWARGS, KNOBS_METRIC))
    assert verdict.correct, verdict
    assert repr(verdict).startswith("right: ") and "72 optimizer steps" in verdict.message


@pytest.mark.parametrize("hint", list(plateau.knob_mistakes()))
def test_knobs_loop_names_the_knob_left_at_its_default(hint):
    verdict = check_knobs_loop(plateau_loop(plateau.knob_mistakes()[hint], KNOBS_METRIC))
    assert not verdict.correct
    assert verdict.message.endswith(hint), verdict


def test_knob_mistakes_are_distinguishable():
    curves = [loop_intended(KNOBS_METRIC, KNOBS_KWARGS)]
    curves += [loop_intended(KNOBS_METRIC, kwargs) for kwargs in plateau.knob_mistakes().values()]
    for i, a in enumerate(curves):
        assert len(np.unique(a)) > 1  # each one cuts: "the lr never changed" never applies
        for b in curves[i + 1 :]:
            assert not np.allclose(a, b)


def test_the_hidden_solution_passes_its_check():
    namespace = {"torch": torch, "plateau": plateau}
    exec(solution("04_reduce_on_plateau.ipynb"), namespace)
    assert check_knobs_loop(namespace["loop"]).correct
