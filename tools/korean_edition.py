"""The Korean edition (notebooks/ko/): kept in step with the English notebooks, provably.

Every English notebook ``notebooks/NN_x.ipynb`` has a Korean twin ``notebooks/ko/NN_x.ipynb`` with the
same cells in the same order. A Korean cell records in its metadata which English cell it stands for
and which version of it (``lrutils.en_id``, ``lrutils.en_hash``: the first 12 hex digits of the SHA-256
of the English source). Code cells are the English code with one line changed, ``lrutils.setup()`` ->
``lrutils.setup(lang="ko")``; markdown cells are Korean prose written for Korean learners.

Usage (``make ko`` runs ``sync`` then ``execute``):
    python tools/korean_edition.py sync       # copy code cells from English, add cells for new English
                                              # ones (English text, to translate), report stale cells
    python tools/korean_edition.py check      # every problem tests/test_korean_edition.py would fail on
    python tools/korean_edition.py stale      # the markdown cells whose English changed since translated
    python tools/korean_edition.py revisit NB CELL...   # mark Korean cells as revisited (en_hash updated)
    python tools/korean_edition.py execute    # re-execute every Korean notebook in place

A translator who revisits a stale cell edits its Korean text and runs ``revisit`` for it: only then does
the check accept the new English version.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
EN_DIR = ROOT / "notebooks"
KO_DIR = EN_DIR / "ko"
SETUP_EN = "lrutils.setup()"
SETUP_KO = 'lrutils.setup(lang="ko")'
KOREAN_SHARE = 0.75
"""At least this share of a Korean notebook's prose words (outside code and math) must be Korean."""

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LETTER = re.compile(r"[A-Za-z\uac00-\ud7a3]")  # a word is prose if it has a letter (not a bare number)
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]*\$", re.S)
_LINK_TARGET = re.compile(r"\]\([^)]*\)|</?[A-Za-z][^>]*>")  # a link's target, an HTML tag (not "< 0.4")
# A number ends where no Latin letter, digit or "_" follows: a Korean particle or counter may ("10개", "0.1에서").
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])[-+−]?\d+(?:[.,]\d+)*(?:e[-+]?\d+)?%?(?![A-Za-z0-9_])")


def english_notebooks() -> list[Path]:
    """Every notebook of the English edition, in order (the numbered ones, then the cheat sheet)."""
    return sorted(EN_DIR.glob("[0-9][0-9]_*.ipynb")) + sorted(EN_DIR.glob("cheat_sheet.ipynb"))


def korean_twin(english: Path) -> Path:
    """``notebooks/ko/<same name>``."""
    return KO_DIR / english.name


def source_hash(source: str) -> str:
    """The version stamp of an English cell: 12 hex digits of the SHA-256 of its source."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]


def korean_code(source: str) -> str:
    """An English code cell as the Korean edition runs it: only the set-up line differs."""
    return source.replace(SETUP_EN, SETUP_KO)


def prose(markdown: str) -> str:
    """A markdown cell's prose: without code, math, link targets and HTML tags."""
    return _LINK_TARGET.sub("]", _MATH.sub(" ", _CODE.sub(" ", markdown)))


def numbers(markdown: str) -> list[str]:
    """The numbers a markdown cell quotes in its prose and code spans (sorted, a 1,000 read as 1000),
    leaving out link targets (a link's label stays) and one-digit counts (Korean often writes those in words).

    >>> numbers("lower on 8 of 10 seeds: -0.0454 [-0.0784, -0.0124], see [02](02_x.ipynb)")
    ['-0.0124', '-0.0454', '-0.0784', '02', '10']
    """
    text = _LINK_TARGET.sub("]", markdown).replace("−", "-")
    found = [m.group(0).replace(",", "") for m in _NUMBER.finditer(text)]
    return sorted(n for n in found if len(n.lstrip("+-").rstrip("%")) > 1)


def number_mismatch(english: str, korean: str) -> tuple[list[str], list[str]]:
    """(numbers of the English cell the Korean one lacks, numbers only the Korean one quotes that are not whole).

    Every number must come through; the Korean may add whole numbers, because it writes some English number
    words in digits ("the eleventh epoch" -> "11번째 에포크", "sixty times" -> "60배").

    >>> number_mismatch("the eleventh epoch at lr 0.01", "11번째 에포크, 학습률 0.01")
    ([], [])
    >>> number_mismatch("lr 0.05", "학습률 0.025")
    (['0.05'], ['0.025'])
    """
    en, ko = Counter(numbers(english)), Counter(numbers(korean))
    extra = [n for n in (ko - en).elements() if not re.fullmatch(r"[-+]?\d+", n)]
    return sorted((en - ko).elements()), sorted(extra)


def korean_share(markdown_cells: list[str]) -> float:
    """Share of prose words (with a letter in them) that contain Hangul, over all markdown cells of a notebook.

    >>> korean_share(["학습률을 낮춥니다 with StepLR"])
    0.5
    """
    words = [w for cell in markdown_cells for w in prose(cell).split() if _LETTER.search(w)]
    return sum(bool(_HANGUL.search(w)) for w in words) / max(1, len(words))


def _meta(cell: nbformat.NotebookNode) -> dict:
    return cell.setdefault("metadata", {}).setdefault("lrutils", {})


def sync(english: Path, ko_path: Path | None = None) -> list[str]:
    """Bring the Korean twin in step with ``english``; return what needs a translator.

    Code cells are copied (set-up line changed); a new English cell gets a Korean cell holding the
    English text, marked by a stale hash so the check lists it; cells whose English changed keep their
    Korean text and stay stale until revisited.
    """
    en = nbformat.read(english, as_version=4)
    ko_path = korean_twin(english) if ko_path is None else ko_path
    ko = nbformat.read(ko_path, as_version=4) if ko_path.exists() else nbformat.v4.new_notebook(metadata=en.metadata)
    by_id = {_meta(c).get("en_id"): c for c in ko.cells}
    cells, notes = [], []
    for en_cell in en.cells:
        old = by_id.get(en_cell.id)
        if en_cell.cell_type == "code":
            cell = nbformat.v4.new_code_cell(korean_code(en_cell.source))
            if old is not None and old.cell_type == "code" and old.source == cell.source:
                cell = old  # keep its outputs until the notebook is re-executed
            cell.metadata = dict(en_cell.metadata)
        elif old is not None and old.cell_type == en_cell.cell_type:
            cell = old
        else:
            cell = nbformat.v4.new_markdown_cell(en_cell.source)
            _meta(cell)["en_hash"] = "untranslated"
            notes.append(f"{ko_path.name}: new cell {en_cell.id} to translate")
        cell.id = f"ko-{en_cell.id}"[:64]
        meta = _meta(cell)
        meta["en_id"] = en_cell.id
        if en_cell.cell_type == "code":
            meta["en_hash"] = source_hash(en_cell.source)
        elif meta.get("en_hash") != source_hash(en_cell.source):
            notes.append(f"{ko_path.name}: cell {en_cell.id} is stale (the English changed)")
        cells.append(cell)
    ko.cells = cells
    ko_path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(ko, ko_path)
    return notes


def problems(english: Path, ko_path: Path | None = None) -> list[str]:
    """Everything that is out of step between ``english`` and its Korean twin (empty: in step)."""
    ko_path = korean_twin(english) if ko_path is None else ko_path
    if not ko_path.exists():
        return [f"{ko_path.name} is missing from the Korean edition"]
    en, ko = nbformat.read(english, as_version=4), nbformat.read(ko_path, as_version=4)
    name = ko_path.name
    if [c.cell_type for c in en.cells] != [c.cell_type for c in ko.cells]:
        counts = f"{len(en.cells)} vs {len(ko.cells)}"
        return [f"{name}: cells differ in number or kind from the English notebook ({counts})"]
    out = []
    for i, (e, k) in enumerate(zip(en.cells, ko.cells, strict=True)):
        meta = k.get("metadata", {}).get("lrutils", {})
        if meta.get("en_id") != e.id:
            out.append(f"{name} cell {i}: stands for English cell {meta.get('en_id')!r}, not {e.id!r}")
        if e.cell_type == "code":
            if k.source != korean_code(e.source):
                out.append(f"{name} cell {i}: code differs from the English cell (only {SETUP_KO!r} may)")
            continue
        if meta.get("en_hash") != source_hash(e.source):
            out.append(f"{name} cell {i}: the English cell changed since it was translated; revisit it")
        missing, extra = number_mismatch(e.source, k.source)
        if missing or extra:
            out.append(f"{name} cell {i}: quotes numbers {numbers(k.source)}, the English {numbers(e.source)}")
    share = korean_share([c.source for c in ko.cells if c.cell_type == "markdown"])
    if share < KOREAN_SHARE:
        out.append(f"{name}: {share:.0%} of the prose words are Korean (at least {KOREAN_SHARE:.0%})")
    return out


def revisit(notebook: str, cells: list[int], english_dir: Path = EN_DIR, korean_dir: Path = KO_DIR) -> None:
    """Mark Korean markdown cells (by index) as translated from the current English version."""
    english = english_dir / Path(notebook).name
    en, ko_path = nbformat.read(english, as_version=4), korean_dir / english.name
    ko = nbformat.read(ko_path, as_version=4)
    for i in cells:
        _meta(ko.cells[i])["en_hash"] = source_hash(en.cells[i].source)
    nbformat.write(ko, ko_path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["sync", "check", "stale", "revisit", "execute"])
    parser.add_argument("notebook", nargs="?")
    parser.add_argument("cells", nargs="*", type=int)
    args = parser.parse_args()
    if args.command == "revisit":
        revisit(args.notebook, args.cells)
        return
    if args.command == "execute":
        twins = [str(korean_twin(p)) for p in english_notebooks()]
        sys.exit(subprocess.call([sys.executable, str(ROOT / "tools" / "execute_notebooks.py"), *twins]))
    found = []
    for english in english_notebooks():
        found += sync(english) if args.command == "sync" else problems(english)
    if args.command == "stale":
        found = [f for f in found if "changed" in f or "untranslated" in f]
    print("\n".join(found) or "the Korean edition is in step with the English one")
    sys.exit(1 if found and args.command == "check" else 0)


if __name__ == "__main__":
    main()
