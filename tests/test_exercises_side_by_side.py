"""The loop checks of notebook 06 (all side by side): right loops pass, typical mistakes are named,
and the notebook's hidden solution passes."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch

from lrutils import torch_lr_curve
from lrutils.exercises import side_by_side as exercises
from lrutils.exercises.side_by_side import (
    VAL_LOSSES,
    check_one_cycle_loop,
    check_plateau_loop,
    intended_one_cycle_lrs,
    intended_plateau_lrs,
)

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "06_all_side_by_side.ipynb"
sched = torch.optim.lr_scheduler


def one_cycle_loop(where: str):
    def loop(optimizer):
        scheduler = sched.OneCycleLR(optimizer, max_lr=0.1, epochs=3, steps_per_epoch=4)
        for _epoch in range(3):
            for _batch in range(4):
                if where == "before":
                    scheduler.step()
                optimizer.step()
                if where == "every batch":
                    scheduler.step()
            if where == "every epoch":
                scheduler.step()

    return loop


def plateau_loop(where: str):
    def loop(optimizer):
        scheduler = sched.ReduceLROnPlateau(optimizer, patience=1, factor=0.5)
        for epoch in range(6):
            for _batch in range(2):
                optimizer.step()
                if where == "every batch":
                    scheduler.step(VAL_LOSSES[epoch])
            if where == "every epoch":
                scheduler.step(VAL_LOSSES[epoch])
            elif where == "no metric":
                scheduler.step()

    return loop


def test_intended_curves_are_what_torch_does():
    one_cycle = torch_lr_curve("OneCycleLR", 12, max_lr=0.1, epochs=3, steps_per_epoch=4)
    np.testing.assert_allclose(intended_one_cycle_lrs(), one_cycle, rtol=1e-12, atol=0)
    per_epoch = torch_lr_curve("ReduceLROnPlateau", 6, base_lr=0.1, patience=1, factor=0.5, metrics=VAL_LOSSES[:-1])
    np.testing.assert_allclose(intended_plateau_lrs(), np.repeat(per_epoch, 2), rtol=1e-12, atol=0)
    assert intended_plateau_lrs().tolist() == [0.1] * 8 + [0.05] * 4


def test_right_loops_pass():
    assert check_one_cycle_loop(one_cycle_loop("every batch")).correct
    assert check_plateau_loop(plateau_loop("every epoch")).correct


@pytest.mark.parametrize(
    ("where", "phrase"),
    [
        ("every epoch", "counts batches"),
        ("before", "one step early"),
        ("never", "never changed"),
    ],
)
def test_one_cycle_mistakes_are_named(where, phrase):
    verdict = check_one_cycle_loop(one_cycle_loop(where))
    assert not verdict.correct
    assert phrase in verdict.message


@pytest.mark.parametrize(
    ("where", "phrase"),
    [
        ("every batch", "after every batch"),
        ("no metric", "needs the metric it watches"),
        ("never", "never changed"),
    ],
)
def test_plateau_mistakes_are_named(where, phrase):
    verdict = check_plateau_loop(plateau_loop(where))
    assert not verdict.correct
    assert phrase in verdict.message


def test_placeholders_are_a_polite_not_yet():
    assert repr(check_one_cycle_loop(None)).startswith("not yet: no loop yet")
    assert repr(check_plateau_loop(None)).startswith("not yet: no loop yet")


def test_the_notebooks_hidden_solution_passes_its_checks(capsys):
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        if cell.cell_type == "markdown" and "<details>" in cell.source and "one_cycle_loop" in cell.source:
            code = "\n".join(re.findall(r"```python\n(.*?)```", cell.source, flags=re.S))
            break
    else:
        raise AssertionError("07 has no hidden solution for the loop exercise")
    namespace = {"torch": torch, "exercises": exercises}
    exec(code, namespace)  # noqa: S102 - our own notebook's solution
    assert check_one_cycle_loop(namespace["one_cycle_loop"]).correct
    assert check_plateau_loop(namespace["plateau_loop"]).correct
    assert capsys.readouterr().out.count("right:") == 2
