"""Notebook 07's self-checks: right answers pass, typical wrong ones explain, bad types are clear."""

from __future__ import annotations

import pytest

from lrutils.exercises.warmup import check_restart_lr, check_wsd_milestones


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
    with pytest.raises(TypeError, match="list of two ints"):
        check_wsd_milestones("5, 80")
    with pytest.raises(ValueError, match="two milestones"):
        check_wsd_milestones([80])
    with pytest.raises(ValueError, match="list of two ints"):
        check_wsd_milestones([5.0, 80])
