"""TUNED_LR is what the shared sweep chose: the starred column of the tuning table notebook 06 prints.

Strict nbval re-runs that notebook and checks its saved table digit for digit, so this test only has
to hold the dict to the saved table (the sweep is 90 runs; it is not run a second time here).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

import lrutils
from lrutils.training.demo import LR_GRID, TUNED_LR

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "06_all_side_by_side.ipynb"


def saved_tuning_table() -> str:
    """The text of the cell output that shows the sweep's table (its caption names the tuning seeds)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/plain", "") if "data" in output else output.get("text", "")
            if "(* = lowest: the lr chosen)" in text:
                return text
    raise AssertionError(f"{NOTEBOOK.name} has no saved tuning table")


def chosen_lrs(table: str) -> dict[str, float]:
    """schedule -> the lr whose cell is starred."""
    lines = table.splitlines()
    header = lines[1].split()
    grid = [float(header[i + 1]) for i in range(1, len(header), 2)]  # "lr 0.025 lr 0.05 ..."
    out = {}
    for line in lines[2:]:
        label, *cells = re.split(r"\s{2,}", line.strip())
        starred = [lr for lr, cell in zip(grid, cells, strict=True) if cell.endswith("*")]
        out[label] = starred[0]
    return out


def test_tuned_lr_is_the_sweep_notebook_06_prints() -> None:
    assert chosen_lrs(saved_tuning_table()) == TUNED_LR


def test_the_table_parser_reads_a_table() -> None:
    table = "caption\nschedule   lr 0.1  lr 0.2\nconstant   0.5*    0.6 \nStepLR     0.4     0.3*"
    assert chosen_lrs(table) == {"constant": 0.1, "StepLR": 0.2}


def test_the_tuned_lrs_are_points_of_the_grid() -> None:
    assert set(TUNED_LR.values()) <= set(LR_GRID)
    assert set(TUNED_LR) == {"constant", *lrutils.BLOG_SCHEDULERS}


def test_tuned_needs_an_entry_and_says_how_to_get_one() -> None:
    with pytest.raises(ValueError, match=r"tune_lr\(\['CyclicLR'\]\)"):
        lrutils.compare([None, "CyclicLR"], lr="tuned", epochs=1, seeds=2, progress=False)
