"""Estimate the minutes a learner spends on each notebook (the README's "minutes" column).

An estimate, not a measurement with learners: prose read at :data:`WORDS_PER_MINUTE`, one minute per
code cell (run it, look at what it shows), :data:`EXERCISE_MINUTES` per exercise cell (a cell that
calls a ``check_...`` function), rounded to 5 minutes.

    .venv/bin/python tools/notebook_minutes.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
WORDS_PER_MINUTE = 175
CODE_CELL_MINUTES = 1
EXERCISE_MINUTES = 5


def counts(path: Path) -> tuple[int, int, int]:
    """(words of prose, code cells that are not exercises, exercise cells) of one notebook."""
    cells = json.loads(path.read_text())["cells"]
    words = sum(len("".join(c["source"]).split()) for c in cells if c["cell_type"] == "markdown")
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    exercises = sum(1 for src in code if re.search(r"^\s*(?:\w+\.)?check_\w+\(", src, re.M))
    return words, len(code) - exercises, exercises


def minutes(words: int, code_cells: int, exercises: int) -> int:
    """The estimate, rounded to 5 minutes.

    >>> minutes(1750, 12, 3)
    35
    """
    raw = words / WORDS_PER_MINUTE + code_cells * CODE_CELL_MINUTES + exercises * EXERCISE_MINUTES
    return int(5 * round(raw / 5))


def main() -> None:
    total = 0
    print("| notebook | words | code cells | exercises | minutes |")
    print("|---|---:|---:|---:|---:|")
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        words, code_cells, exercises = counts(path)
        estimate = minutes(words, code_cells, exercises)
        total += estimate
        print(f"| {path.stem} | {words} | {code_cells} | {exercises} | {estimate} |")
    print(f"| all | | | | {total} |")


if __name__ == "__main__":
    main()
