"""The message catalog's upkeep: which tr()/template() templates the code uses, and the Korean file.

Usage:
    python tools/i18n_catalog.py            # list templates with no entry, and entries no code uses
    python tools/i18n_catalog.py --sync     # add the missing ones to lrutils/text/ko.toml (todo = true,
                                            # English copied) and drop the entries no code uses

A ``todo`` entry is not used (Korean falls back to English) until a translator writes its ``ko`` and
removes the ``todo`` line.
"""

from __future__ import annotations

import argparse
import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lrutils"
KO = PACKAGE / "text" / "ko.toml"


def templates_in_code(package: Path = PACKAGE) -> dict[str, str]:
    """Every constant first argument of a ``tr(...)`` or ``template(...)`` call -> where it is first used.

    ``template(...)`` must hold a constant; ``tr(...)`` may take a name (a template marked elsewhere),
    never an f-string or a sum of strings (a translator could not reorder it).
    """
    found: dict[str, str] = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node.func, "id", None) if isinstance(node, ast.Call) else None
            if name not in ("tr", "template") or not node.args:
                continue
            first = node.args[0]
            where = f"{path.relative_to(package.parent)}:{node.lineno}"
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, where)
            elif name == "template" or isinstance(first, (ast.JoinedStr, ast.BinOp)):
                raise ValueError(f"{where}: a template is a constant (the catalog's key), never an f-string or a +")
    return found


def entries(path: Path = KO) -> list[dict]:
    """The catalog file's ``[[message]]`` entries, in file order."""
    return tomllib.loads(path.read_text(encoding="utf-8")).get("message", [])


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write(path: Path, kept: list[dict]) -> None:
    """Rewrite the catalog file: its header comment, then one ``[[message]]`` per entry."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip() == "[[message]]"), len(lines))
    header = "\n".join(lines[:first]).rstrip() + "\n"  # the comment above the first entry
    blocks = []
    for entry in kept:
        lines = ["[[message]]", f"en = {_toml_string(entry['en'])}", f"ko = {_toml_string(entry['ko'])}"]
        if entry.get("todo"):
            lines.append("todo = true")
        blocks.append("\n".join(lines))
    path.write_text(header + "".join(f"\n{b}\n" for b in blocks), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sync", action="store_true", help="add missing templates (todo) and drop unused entries")
    args = parser.parse_args()
    used = templates_in_code()
    have = entries()
    known = {e["en"] for e in have}
    missing = [t for t in used if t not in known]
    unused = [e["en"] for e in have if e["en"] not in used]
    print(
        f"{len(used)} templates in the code, {len(have)} entries, {len(missing)} missing, {len(unused)} unused, "
        f"{sum(bool(e.get('todo')) for e in have)} todo"
    )
    if args.sync:
        kept = [e for e in have if e["en"] in used] + [{"en": t, "ko": t, "todo": True} for t in missing]
        write(KO, kept)
        print(f"wrote {KO.relative_to(ROOT)}")
    else:
        for t in missing:
            print(f"missing ({used[t]}): {t!r}")
        for t in unused:
            print(f"unused: {t!r}")


if __name__ == "__main__":
    main()
