"""The self-checks of notebook 04 (ReduceLROnPlateau): right answers pass, typical mistakes explain themselves."""

from __future__ import annotations

import pytest

from lrutils import lr_curve
from lrutils.exercises import Verdict
from lrutils.exercises.plateau import (
    BASE_LR,
    FIRST_CUT_KWARGS,
    FIRST_CUT_METRIC,
    FLAT_EPOCHS,
    FLAT_KWARGS,
    check_change_epochs,
    check_first_cut,
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


@pytest.mark.parametrize("bad", ["7", 7.0, True, [7]])
def test_first_cut_bad_types_raise_type_error(bad):
    with pytest.raises(TypeError, match="must be an int"):
        check_first_cut(bad)


@pytest.mark.parametrize("bad", ["4, 10, 16", 4, [4.0, 10.0], {4, 10}])
def test_change_epochs_bad_types_raise_type_error(bad):
    with pytest.raises(TypeError):
        check_change_epochs(bad)
