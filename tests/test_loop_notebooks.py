"""Notebooks 11 and 12 keep the series' shape and fit one class period each."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
LOOP_NOTEBOOKS = [NOTEBOOKS / "11_training_loop.ipynb", NOTEBOOKS / "12_schedules_in_the_wild.ipynb"]
MAX_WORDS = 2000
MAX_CELLS = 40


def markdown(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


@pytest.mark.parametrize("path", LOOP_NOTEBOOKS, ids=lambda p: p.name)
def test_one_class_period(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    words = sum(len(re.sub(r"```.*?```", "", text, flags=re.S).split()) for text in markdown(path))
    assert words <= MAX_WORDS, f"{path.name}: {words} words of markdown prose"
    assert len(nb.cells) <= MAX_CELLS, f"{path.name}: {len(nb.cells)} cells"


@pytest.mark.parametrize("path", LOOP_NOTEBOOKS, ids=lambda p: p.name)
def test_opening_setup_and_summary(path: Path) -> None:
    """The series' shape (the English edition; tests/test_notebook_hygiene.py checks it has no Korean)."""
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0].source
    assert re.match(r"# \d\d · .+\n", first) and "**What you will learn**" in first
    first_code = next(c for c in nb.cells if c.cell_type == "code").source
    assert "import lrutils" in first_code and first_code.rstrip().endswith("lrutils.setup()")
    text = "\n".join(markdown(path))
    assert "## Summary" in text and "$" in text
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert "plt.show()" not in cell.source and "plt." not in cell.source
            assert len(cell.source.splitlines()) <= 25, cell.source[:80]


def test_the_series_links_10_to_11_to_12_to_13() -> None:
    eleven, twelve = ("\n".join(markdown(p)) for p in LOOP_NOTEBOOKS)
    assert "](10_lr_range_test.ipynb)" in eleven and "](12_schedules_in_the_wild.ipynb)" in eleven
    assert "](11_training_loop.ipynb)" in twelve and "](13_your_own_scheduler.ipynb)" in twelve


def test_the_adamw_section_trains_adamw_over_many_seeds() -> None:
    """Issue 13, item 7: AdamW with and without warm-up, multi-seed, with the verdicts on screen."""
    cells = nbformat.read(LOOP_NOTEBOOKS[1], as_version=4).cells
    start = next(i for i, c in enumerate(cells) if c.source.startswith("## AdamW with and without warm-up"))
    section = cells[start : start + 6]
    code = "\n".join(c.source for c in section if c.cell_type == "code")
    assert 'optimizer="adamw"' in code and "seeds=10" in code and ".verdict(" in code
    printed = "".join(o.get("text", "") for c in section if c.cell_type == "code" for o in c.outputs)
    assert "warm-up + cosine, lr 0.128: no clear difference" in printed
    assert "cosine, lr 0.128: higher final val loss than cosine, lr 0.032" in printed


@pytest.mark.parametrize("path", LOOP_NOTEBOOKS, ids=lambda p: p.name)
def test_exercises_have_checks_and_hidden_solutions(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "lrutils.exercises" in code and code.count("check_") >= 4
    assert "\n".join(markdown(path)).count("<details>") >= 2


@pytest.mark.parametrize("path", LOOP_NOTEBOOKS, ids=lambda p: p.name)
def test_hidden_solutions_pass_their_checks(path: Path) -> None:
    """Every ```python block inside <details> runs, and its last line (a check) says right."""
    nb = nbformat.read(path, as_version=4)
    code_cells = [c.source for c in nb.cells if c.cell_type == "code"]
    setup = "\n".join(line for line in code_cells[0].splitlines() if not line.startswith("%"))
    imports = [line for cell in code_cells for line in cell.splitlines() if line.startswith("from lrutils.exercises")]
    namespace: dict = {}
    exec(setup + "\n" + "\n".join(imports), namespace)
    solutions = [
        block
        for text in markdown(path)
        for details in re.findall(r"<details>.*?</details>", text, flags=re.S)
        for block in re.findall(r"```python\n(.*?)```", details, flags=re.S)
    ]
    assert len(solutions) >= 2
    for block in solutions:
        *body, last = block.strip().splitlines()
        exec("\n".join(body), namespace)
        verdict = eval(last.split("#")[0], namespace)
        assert verdict.correct, f"{path.name}: {last} -> {verdict}"
