"""Every saved notebook is clean: executed in order, no unexpected errors or warnings, small, lrutils-based."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
MAX_BYTES = 1_500_000  # retina (2x) PNGs: crisp on a projector, about 4x the bytes


def code_cells(path: Path) -> list:
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def raises(cell) -> bool:
    return "raises-exception" in cell.metadata.get("tags", [])


def test_there_are_notebooks_numbered_from_00() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert names and names[0].startswith("00_")
    numbers = [int(re.match(r"(\d\d)_[a-z0-9_]+\.ipynb$", n).group(1)) for n in names]
    assert numbers == list(range(len(numbers))), f"notebooks must be numbered 00, 01, ... without gaps: {names}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_top_to_bottom(path: Path) -> None:
    counts = [c.execution_count for c in code_cells(path)]
    assert counts == list(range(1, len(counts) + 1)), f"execution counts {counts}: run `make notebooks`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_errors_only_where_marked_and_no_stderr(path: Path) -> None:
    for i, cell in enumerate(code_cells(path)):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if raises(cell):
            assert errors, f"code cell {i} is tagged raises-exception but did not raise"
        else:
            assert not errors, f"code cell {i} raised {errors[0].ename}: {errors[0].evalue}"
        stderr = [o for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
        assert not stderr, f"code cell {i} left stderr output (a warning?): {stderr[0].text[:200]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernel_imports_and_size(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.kernelspec.name == "python3"
    sources = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "import lrutils" in sources and "lrutils.setup()" in sources
    assert "sys.path" not in sources, "lrutils is installed: no sys.path edits"
    assert path.stat().st_size < MAX_BYTES, f"{path.name} is {path.stat().st_size} bytes"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_ignored_output_says_why(path: Path) -> None:
    for i, cell in enumerate(code_cells(path)):
        lines = [line.strip() for line in cell.source.splitlines()]
        for j, line in enumerate(lines):
            if line.lstrip("#").strip() == "NBVAL_IGNORE_OUTPUT":
                reason = lines[j + 1] if j + 1 < len(lines) else ""
                assert reason.startswith("#") and len(reason) > 12, (
                    f"code cell {i}: NBVAL_IGNORE_OUTPUT needs a comment on the next line saying why"
                )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_static_picture_stands_above_every_explorer(path: Path) -> None:
    """Where widgets cannot run (a code-hosting site), the figure above the explorer still teaches."""
    cells = code_cells(path)
    for i, cell in enumerate(cells):
        if "explore(" not in cell.source:
            continue
        before = cells[max(0, i - 3) : i]
        pictures = [o for c in before for o in c.outputs if "image/png" in o.get("data", {})]
        assert pictures, f"code cell {i} shows an explorer with no static figure in the 3 code cells above it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_links_to_other_notebooks_resolve(path: Path) -> None:
    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    for target in re.findall(r"\]\(([^)#\s]+\.ipynb)\)", text):
        assert (path.parent / target).is_file(), f"{path.name} links to missing {target}"


SCHEDULER_NOTEBOOKS = [p for p in NOTEBOOKS if p.name[:2] in {"01", "02", "03", "04", "05", "06", "08", "09", "10"}]


@pytest.mark.parametrize("path", SCHEDULER_NOTEBOOKS, ids=lambda p: p.name)
def test_scheduler_notebooks_have_the_series_shape(path: Path) -> None:
    """Curve vs torch, explorer, training demo, exercises with self-checks and hidden solutions, next link."""
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for needle in ("explore(", "lrutils.exercises", "check_"):
        assert needle in code, f"{path.name}: no {needle!r} in its code"
    assert "agreement(" in code or "torch_lr_curve" in code, f"{path.name}: the curve is never checked against torch"
    assert "compare(" in code or "bake_off(" in code, f"{path.name}: the schedule never trains the demo model"
    assert markdown.count("<details>") >= 2, f"{path.name}: exercises need hidden worked solutions"
    assert "$" in markdown, f"{path.name}: the formula belongs in LaTeX"
    next_number = f"{int(path.name[:2]) + 1:02d}_"
    assert re.search(r"\]\(" + next_number, markdown), f"{path.name}: no link to the next notebook"


MAX_WORDS = 2000
MAX_CELLS = 40


def prose_words(nb) -> int:
    """Words of markdown outside fenced code blocks (what a teacher reads out in a class period)."""
    words = 0
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        text = re.sub(r"```.*?```", " ", cell.source, flags=re.S)
        words += len(text.split())
    return words


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_class_period(path: Path) -> None:
    """About 45 minutes: at most ~2,000 words of prose and ~40 cells."""
    nb = nbformat.read(path, as_version=4)
    assert len(nb.cells) <= MAX_CELLS, f"{path.name}: {len(nb.cells)} cells (budget {MAX_CELLS}): split it"
    words = prose_words(nb)
    assert words <= MAX_WORDS, f"{path.name}: {words} words of prose (budget {MAX_WORDS}): cut or split it"


HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_korean_thread_and_glossary(path: Path) -> None:
    """A Korean title, a Korean "what you will learn" and summary under the English ones, the glossary linked,
    and the standard spelling 스케줄러 (the blog's 스케쥴러 only inside its quoted title)."""
    nb = nbformat.read(path, as_version=4)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    title = markdown[0].splitlines()[0]
    assert HANGUL.search(title), f"{path.name}: the title has no Korean: {title!r}"
    assert "배울 내용" in markdown[0], f"{path.name}: the opening has no Korean 'what you will learn' (배울 내용)"
    summary = [m for m in markdown if "## Summary" in m]
    assert summary and "요약" in summary[-1], f"{path.name}: the summary has no Korean version (요약) under it"
    text = "\n".join(markdown)
    assert "](glossary.md" in text, f"{path.name}: no link to the glossary (glossary.md)"
    assert "스케쥴러" not in text.replace("스케쥴러란?", ""), f"{path.name}: write 스케줄러 (standard spelling)"


def test_the_glossary_covers_the_series() -> None:
    glossary = (NOTEBOOKS[0].parent / "glossary.md").read_text()
    for term in (
        "local optimum",
        "restart",
        "period",
        "cyclic",
        "range test",
        "warm-up",
        "annealing",
        "scheduler",
        "learning rate",
        "momentum",
        "plateau",
        "patience",
        "epoch",
        "batch",
        "seed",
        "confidence interval",
    ):
        assert term.lower() in glossary.lower(), f"glossary.md does not explain {term!r}"
    assert len(HANGUL.findall(glossary)) > 500, "glossary.md needs its Korean explanations"
