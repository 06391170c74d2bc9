"""Notebook 13 (your own scheduler) and the cheat sheet: their shape, and what their saved outputs show."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from conftest import SERIES_SCHEDULERS

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
THIRTEEN = NOTEBOOKS / "13_your_own_scheduler.ipynb"
CHEAT_SHEET = NOTEBOOKS / "cheat_sheet.ipynb"


def cells(path: Path) -> list:
    return nbformat.read(path, as_version=4).cells


def markdown(path: Path) -> str:
    return "\n".join(c.source for c in cells(path) if c.cell_type == "markdown")


def printed(path: Path) -> str:
    return "".join(o.get("text", "") for c in cells(path) if c.cell_type == "code" for o in c.outputs)


def test_13_is_the_last_numbered_notebook_and_links_back_to_the_start() -> None:
    numbered = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert numbered[-1] == THIRTEEN.name
    summary = cells(THIRTEEN)[-1].source
    assert summary.startswith("## Summary") and "](cheat_sheet.ipynb)" in summary
    assert "](00_what_is_a_scheduler.ipynb)" in summary


def test_13_shows_its_class_equal_to_the_lambdalr_and_the_lambda_failure() -> None:
    out = printed(THIRTEEN)
    assert "equal at every step, in both groups: True" in out
    assert "AttributeError: Can't pickle local object 'WithLambda.__init__.<locals>.<lambda>'" in out
    assert "please use `get_last_lr()`" in out and "last_epoch 17;" in out


def test_13_hidden_solution_passes_its_check() -> None:
    code = [c.source for c in cells(THIRTEEN) if c.cell_type == "code"]
    setup = "\n".join(line for line in code[0].splitlines() if not line.startswith("%"))
    namespace: dict = {}
    exec(setup + "\nfrom lrutils.exercises.custom_scheduler import check_scheduler_class", namespace)
    blocks = re.findall(r"<details>.*?```python\n(.*?)```", markdown(THIRTEEN), flags=re.S)
    assert len(blocks) == 1
    *body, last = blocks[0].strip().splitlines()
    exec("\n".join(body), namespace)
    verdict = eval(last.split("#")[0], namespace)
    assert verdict.correct, verdict


def test_the_cheat_sheet_has_a_row_and_a_picture_for_every_scheduler_the_series_teaches() -> None:
    text = markdown(CHEAT_SHEET)
    first_table = text.split("## Every scheduler in one line")[1].split("\n\n")[1]
    rows = [line for line in first_table.splitlines() if line.startswith("| ") and not line.startswith("| scheduler")]
    for name in SERIES_SCHEDULERS:
        assert sum(f"`{name}`" in row.split("|")[1] for row in rows) == 1, name
    assert all(re.search(r"\]\(\d\d_[a-z_]+\.ipynb\)", row.split("|")[-2]) for row in rows)
    pictures = [
        o for c in cells(CHEAT_SHEET) if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})
    ]
    assert len(pictures) == 2


def test_the_cheat_sheet_names_every_get_scheduler_name_and_the_other_libraries() -> None:
    text = markdown(CHEAT_SHEET)
    for name in (
        "linear",
        "cosine",
        "cosine_with_restarts",
        "polynomial",
        "constant",
        "constant_with_warmup",
        "inverse_sqrt",
        "reduce_lr_on_plateau",
        "cosine_with_min_lr",
        "cosine_warmup_with_min_lr",
        "warmup_stable_decay",
        "greedy",
    ):
        assert f"`{name}`" in text, name
    for word in ("`interval`", "OneCycleLR", "`t_in_epochs", "`step_update", "`fit_one_cycle`", "`valley`"):
        assert word.strip("`") in text, word
