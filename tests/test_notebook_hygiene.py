"""Every saved notebook is clean: executed in order, no unexpected errors or warnings, small, lrutils-based."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
NUMBERED = [p for p in NOTEBOOKS if re.match(r"\d\d_", p.name)]
"""The series' class periods; the other notebook is ``cheat_sheet.ipynb``, a reference page they all link."""
MAX_BYTES = 1_500_000  # retina (2x) PNGs: crisp on a projector, about 4x the bytes


def code_cells(path: Path) -> list:
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def raises(cell) -> bool:
    return "raises-exception" in cell.metadata.get("tags", [])


def test_there_are_notebooks_numbered_from_00() -> None:
    names = [p.name for p in NUMBERED]
    assert names and names[0].startswith("00_")
    assert {p.name for p in NOTEBOOKS} - set(names) == {"cheat_sheet.ipynb"}, "only the cheat sheet is unnumbered"
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
def test_every_explorer_saves_its_picture(path: Path) -> None:
    """Where widgets cannot run (a code-hosting site, an untrusted notebook), the explorer's saved output
    still shows its first picture (``Explorer._repr_mimebundle_`` adds it as image/png)."""
    for i, cell in enumerate(code_cells(path)):
        if "explore(" not in cell.source:
            continue
        pictures = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert pictures, f"code cell {i} shows an explorer whose saved output has no picture"


BOTH_EDITIONS = NOTEBOOKS + sorted((NOTEBOOKS[0].parent / "ko").glob("*.ipynb"))
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(path: Path) -> set[str]:
    """The anchors JupyterLab gives a notebook's headings: the heading's text, spaces turned into hyphens.

    >>> sorted(anchors_of("## A fair comparison: the protocol\\n### `factor` and `mode`"))
    ['A-fair-comparison:-the-protocol', 'factor-and-mode']
    """
    return anchors_of("\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"))


def anchors_of(markdown: str) -> set[str]:
    heads = re.findall(r"^#{1,6} +(.+?) *$", markdown, re.M)
    return {re.sub(r"[`*]", "", head).replace(" ", "-") for head in heads}


@pytest.mark.parametrize("path", BOTH_EDITIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_links_resolve_to_files_and_headings(path: Path) -> None:
    """Every relative link names a file that exists and, after '#', a heading of that notebook."""
    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    for link in _LINK.findall(text):
        if "://" in link or link.startswith("mailto:"):
            continue
        target, _, anchor = link.partition("#")
        file = path if not target else path.parent / target
        assert file.is_file(), f"{path.name} links to missing {target}"
        if anchor and file.suffix == ".ipynb":
            assert anchor in anchors(file), f"{path.name} links to {link}, but {file.name} has no such heading"


SCHEDULER_NOTEBOOKS = [p for p in NOTEBOOKS if p.name[:2] in {"01", "02", "03", "04", "05", "07", "08", "09"}]


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


BLOG_QUOTES = ("[개념 정리] 스케쥴러란? Scheduler (딥러닝 학습)", "빠른 초기학습", "안정적 수렴", "과적합 방지")
"""The Korean the English edition may quote: the blog post's title and its three headings (its benefits)."""


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_english_edition_links_the_glossary_and_the_cheat_sheet(path: Path) -> None:
    """The English edition is in English (the Korean one is notebooks/ko/); every notebook links the glossary,
    and each numbered notebook's summary links the cheat sheet."""
    nb = nbformat.read(path, as_version=4)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    text = "\n".join(markdown)
    english = text
    for quote in BLOG_QUOTES:
        english = english.replace(quote, "")
    assert not HANGUL.search(english), f"{path.name}: Korean text in the English edition (the Korean one is ko/)"
    assert "](glossary.md" in text, f"{path.name}: no link to the glossary (glossary.md)"
    if path in NUMBERED:
        summary = [m for m in markdown if m.startswith("## Summary")]
        assert summary and "](cheat_sheet.ipynb" in summary[-1], (
            f"{path.name}: its summary does not link the cheat sheet"
        )


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


_LOCAL_PATH = re.compile(r"/home/|/root/|/Users/|/tmp/|/work/|[A-Z]:\\\\|site-packages|\.venv")
MAX_TRACEBACK_LINES = 12


def saved_texts(cell: nbformat.NotebookNode) -> list[str]:
    """Every text a code cell's saved outputs show: streams, plain-text and HTML results, tracebacks."""
    texts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            texts.append(out.text)
        elif out.output_type == "error":
            texts.append("\n".join(out.traceback))
        else:
            data = out.get("data", {})
            texts += [data[k] for k in ("text/plain", "text/html", "text/markdown") if k in data]
    return texts


@pytest.mark.parametrize("path", BOTH_EDITIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_saved_outputs_show_no_local_path_and_short_tracebacks(path: Path) -> None:
    """A saved view shows what the learner needs: no writer's local path, an error's last lines only."""
    for i, cell in enumerate(code_cells(path)):
        for text in saved_texts(cell):
            found = _LOCAL_PATH.search(text)
            assert not found, f"code cell {i} shows a local path ({found.group(0)!r})"
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                lines = len("\n".join(out.traceback).splitlines())
                assert lines <= MAX_TRACEBACK_LINES, f"code cell {i} keeps a {lines}-line traceback"
