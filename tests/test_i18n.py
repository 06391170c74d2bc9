"""Every message template in the code has a Korean template in the catalog, with the same fields."""

from __future__ import annotations

import ast
import string
import tomllib
from pathlib import Path

import pytest

from lrutils.text.i18n import catalog, language, tr

PACKAGE = Path(__file__).resolve().parents[1] / "lrutils"


def templates_in_code() -> dict[str, str]:
    """Every constant first argument of a ``tr(...)`` call in lrutils -> where it is."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr" and node.args:
                first = node.args[0]
                where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                    f"{where}: tr() takes a constant template (the catalog's key), not an expression"
                )
                found.setdefault(first.value, where)
    return found


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


TEMPLATES = templates_in_code()
KOREAN = catalog("ko")
ENTRIES = tomllib.loads((PACKAGE / "text" / "ko.toml").read_text(encoding="utf-8")).get("message", [])
PENDING = sorted(entry["en"] for entry in ENTRIES if entry.get("todo"))
"""Entries that still hold the English template as their "Korean" (marked ``todo = true``)."""


def test_the_scan_finds_a_planted_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lrutils").mkdir()
    (tmp_path / "lrutils" / "m.py").write_text('from x import tr\n\nX = tr("hello {name}", name=1)\n')
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "lrutils")
    assert templates_in_code() == {"hello {name}": "lrutils/m.py:3"}


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_template_has_korean_with_the_same_fields(template: str) -> None:
    assert template in KOREAN, f"{TEMPLATES[template]}: no Korean for {template!r} in lrutils/text/ko.toml"
    assert fields(KOREAN[template]) == fields(template), f"fields differ for {template!r}"


def test_no_korean_template_is_left_over() -> None:
    assert sorted(set(KOREAN) - set(TEMPLATES)) == []


def test_a_pending_entry_holds_the_english_template() -> None:
    for entry in ENTRIES:
        assert not entry.get("todo") or entry["ko"] == entry["en"], f"translated but still todo: {entry['en']!r}"


@pytest.mark.xfail(strict=False, reason="Korean edition pending (issue 22)")
@pytest.mark.parametrize("template", PENDING or ["(none pending)"])
def test_no_korean_template_is_pending(template: str) -> None:
    assert template not in PENDING, f"still English in lrutils/text/ko.toml (todo = true): {template!r}"


def test_english_stays_the_default_and_korean_is_used_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(catalog("ko"), "{n} seeds", "시드 {n}개")
    assert tr("{n} seeds", n=3) == "3 seeds"
    with language("ko"):
        assert tr("{n} seeds", n=3) == "시드 3개"
    assert tr("{n} seeds", n=3) == "3 seeds"
