"""The Korean edition (notebooks/ko/) is in step with the English one: same cells in the same order, the
same code but for the set-up line, every Korean cell translated from the English cell's current version,
the same numbers quoted, and Korean prose."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("korean_edition", ROOT / "tools" / "korean_edition.py")
assert _spec is not None and _spec.loader is not None
korean_edition = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(korean_edition)

ENGLISH = korean_edition.english_notebooks()


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.name)
def test_the_korean_twin_is_in_step(english: Path) -> None:
    assert korean_edition.problems(english) == []


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    """A tiny English notebook and its Korean twin, translated and in step."""
    en_dir, ko_dir = tmp_path / "en", tmp_path / "en" / "ko"
    ko_dir.mkdir(parents=True)
    en = nbformat.v4.new_notebook()
    en.cells = [
        nbformat.v4.new_markdown_cell("# 01 · Step decay\n\nThe lr halves every 10 epochs: 0.1, 0.05."),
        nbformat.v4.new_code_cell("import lrutils\nlrutils.setup()"),
    ]
    english = en_dir / "01_x.ipynb"
    nbformat.write(en, english)
    korean = ko_dir / "01_x.ipynb"
    korean_edition.sync(english, korean)
    ko = nbformat.read(korean, as_version=4)
    ko.cells[0].source = "# 01 · 계단식 감쇠\n\n학습률이 10 에포크마다 절반이 됩니다: 0.1, 0.05."
    nbformat.write(ko, korean)
    korean_edition.revisit(english.name, [0], en_dir, ko_dir)
    return english, korean


def test_an_edited_english_cell_fails_the_check_until_its_korean_cell_is_revisited(tmp_path: Path) -> None:
    english, korean = _pair(tmp_path)
    assert korean_edition.problems(english, korean) == []
    en = nbformat.read(english, as_version=4)
    en.cells[0].source = en.cells[0].source.replace("every 10 epochs", "every 20 epochs")
    nbformat.write(en, english)
    found = korean_edition.problems(english, korean)
    assert any("changed since it was translated" in f for f in found), found
    ko = nbformat.read(korean, as_version=4)
    ko.cells[0].source = ko.cells[0].source.replace("10 에포크", "20 에포크")
    nbformat.write(ko, korean)
    korean_edition.revisit(english.name, [0], english.parent, korean.parent)
    assert korean_edition.problems(english, korean) == []


def test_code_may_differ_only_in_the_set_up_line(tmp_path: Path) -> None:
    english, korean = _pair(tmp_path)
    ko = nbformat.read(korean, as_version=4)
    assert ko.cells[1].source == 'import lrutils\nlrutils.setup(lang="ko")'
    ko.cells[1].source += "\nprint(1)"
    nbformat.write(ko, korean)
    assert any("code differs" in f for f in korean_edition.problems(english, korean))


def test_a_number_the_korean_cell_quotes_must_be_the_englishs(tmp_path: Path) -> None:
    english, korean = _pair(tmp_path)
    ko = nbformat.read(korean, as_version=4)
    ko.cells[0].source = ko.cells[0].source.replace("0.05", "0.025")
    nbformat.write(ko, korean)
    assert any("quotes numbers" in f for f in korean_edition.problems(english, korean))


def test_a_korean_notebook_in_english_fails(tmp_path: Path) -> None:
    english, korean = _pair(tmp_path)
    ko = nbformat.read(korean, as_version=4)
    ko.cells[0].source = "# 01 · Step decay\n\nThe lr halves every 10 epochs: 0.1, 0.05."
    nbformat.write(ko, korean)
    korean_edition.revisit(english.name, [0], english.parent, korean.parent)
    assert any("prose words are Korean" in f for f in korean_edition.problems(english, korean))


def test_sync_copies_new_code_and_marks_new_cells_untranslated(tmp_path: Path) -> None:
    english, korean = _pair(tmp_path)
    en = nbformat.read(english, as_version=4)
    en.cells.append(nbformat.v4.new_markdown_cell("A new paragraph."))
    en.cells[1].source += "\nprint(2)"
    nbformat.write(en, english)
    notes = korean_edition.sync(english, korean)
    assert any("to translate" in n for n in notes)
    ko = nbformat.read(korean, as_version=4)
    assert ko.cells[1].source.endswith("print(2)") and ko.cells[0].source.startswith("# 01 · 계단식")
    assert any("changed since it was translated" in f for f in korean_edition.problems(english, korean))


def test_numbers_are_read_before_korean_particles_and_past_a_less_than_sign() -> None:
    assert korean_edition.numbers("시드 10개 중 8개에서 0.0454만큼 낮습니다") == ["0.0454", "10"]
    assert korean_edition.numbers("(it would need < 0.4469) at epoch 38 <b>bold</b>") == ["0.4469", "38"]


def test_korean_may_write_number_words_in_digits_but_not_change_a_number() -> None:
    assert korean_edition.number_mismatch("cut on the eleventh epoch, to 0.01", "11번째 에포크에 0.01로") == ([], [])
    assert korean_edition.number_mismatch("to 0.01 at epoch 38", "에포크 38에 0.001로") == (["0.01"], ["0.001"])
    assert korean_edition.number_mismatch("to 0.01 at epoch 38", "에포크 38에 0.01로") == ([], [])
