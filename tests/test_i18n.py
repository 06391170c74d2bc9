"""Every message template in the code has a Korean entry in the catalog, with the same fields."""

from __future__ import annotations

import importlib.util
import re
import string
from pathlib import Path

import pytest

from lrutils.text.i18n import catalog, catalog_entries, label_catalog, language, tr, tr_label

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("i18n_catalog", ROOT / "tools" / "i18n_catalog.py")
assert _spec is not None and _spec.loader is not None
i18n_catalog = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(i18n_catalog)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


TEMPLATES = i18n_catalog.templates_in_code()
ENTRIES = {entry["en"]: entry for entry in catalog_entries("ko")}


def test_the_scan_finds_a_planted_template_and_refuses_an_fstring(tmp_path: Path) -> None:
    (tmp_path / "lrutils").mkdir()
    (tmp_path / "lrutils" / "m.py").write_text('from x import tr\n\nX = tr("hello {name}", name=1)\n')
    assert i18n_catalog.templates_in_code(tmp_path / "lrutils") == {"hello {name}": "lrutils/m.py:3"}
    (tmp_path / "lrutils" / "m.py").write_text('from x import tr\n\nX = tr(f"hello {1}")\n')
    with pytest.raises(ValueError, match="never an f-string"):
        i18n_catalog.templates_in_code(tmp_path / "lrutils")


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_template_has_a_catalog_entry_with_the_same_fields(template: str) -> None:
    assert template in ENTRIES, f"{TEMPLATES[template]}: no entry for {template!r} (run tools/i18n_catalog.py --sync)"
    assert fields(ENTRIES[template]["ko"]) == fields(template), f"fields differ for {template!r}"


def test_no_catalog_entry_is_left_over() -> None:
    assert sorted(set(ENTRIES) - set(TEMPLATES)) == []


def test_every_entry_is_translated() -> None:
    assert [entry["en"] for entry in ENTRIES.values() if entry.get("todo")] == []


def test_english_stays_the_default_and_korean_is_used_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(catalog("ko"), "{n} seeds", "시드 {n}개")
    assert tr("{n} seeds", n=3) == "3 seeds"
    with language("ko"):
        assert tr("{n} seeds", n=3) == "시드 3개"
    assert tr("{n} seeds", n=3) == "3 seeds"


def _notebook_strings() -> set[str]:
    """Every string constant in the code cells of the English notebooks (where the labels are written)."""
    import ast
    import json

    found: set[str] = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                lines = "".join(cell["source"]).splitlines()
                tree = ast.parse("\n".join("" if line.lstrip()[:1] in "%!" else line for line in lines))  # magics
                found |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return found


LABELS = label_catalog("ko")


def test_every_label_is_still_written_in_a_notebook() -> None:
    assert sorted(set(LABELS) - _notebook_strings()) == []


@pytest.mark.parametrize("english", sorted(LABELS))
def test_a_korean_label_is_korean_and_keeps_its_numbers(english: str) -> None:
    korean = LABELS[english]
    assert any("가" <= ch <= "힣" for ch in korean), f"{korean!r} has no Hangul"
    number = r"\d+(?:\.\d+)?(?:e-?\d+)?"
    assert sorted(re.findall(number, korean)) == sorted(re.findall(number, english))  # Korean may reorder them


def test_labels_are_translated_only_in_korean() -> None:
    assert tr_label("no floor") == "no floor" and tr_label("a label nobody wrote") == "a label nobody wrote"
    with language("ko"):
        assert tr_label("no floor") == LABELS["no floor"]
        assert tr_label("blog's sketch (fixed drop)") == catalog("ko")["blog's sketch (fixed drop)"]  # lrutils' own
        assert tr_label("a label nobody wrote") == "a label nobody wrote"
