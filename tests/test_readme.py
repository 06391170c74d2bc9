"""The README is for learners: short, the two commands first, every notebook listed, its picture reproducible."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
PICTURE = ROOT / "docs" / "readme_schedulers.png"


def prose_words(markdown: str) -> int:
    """Words a reader reads: code blocks, HTML tags and table rules left out."""
    text = re.sub(r"```.*?```", "", markdown, flags=re.S)
    text = re.sub(r"<[^>]+>", "", text)
    return len(re.findall(r"[A-Za-z0-9가-힣][^\s|]*", text))


def test_readme_is_short_and_opens_with_the_two_commands() -> None:
    assert prose_words(README) <= 1200
    first_screen = README.splitlines()[:12]
    assert any(line.startswith("make lab") for line in first_screen)
    assert any(line.startswith("make test") for line in first_screen)
    assert "00_what_is_a_scheduler.ipynb" in README and "(CONTRIBUTING.md)" in README


def test_readme_lists_every_notebook_with_minutes() -> None:
    rows = re.findall(r"^\| \[(\d\d|Cheat sheet)[^]]*\]\(notebooks/([^)]+)\) \| [^|]+ \| (\d+) \|$", README, re.M)
    assert [name for _, name, _ in rows] == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert all(5 <= int(minutes) <= 90 for _, _, minutes in rows)


def test_readme_commands_name_the_lock_and_the_cpu_torch() -> None:
    for shell in ("bat", "bash"):
        block = re.search(rf"```{shell}\n(.*?)```", README.split("## Without make")[1], re.S).group(1)
        lines = block.splitlines()
        torch = next(i for i, line in enumerate(lines) if "torch==" in line)
        assert lines[torch].endswith("torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu")
        assert lines[torch + 1] == "python -m pip install -r requirements/lock.txt -e ."
    assert "py -3.11 -m venv .venv" in README and ".venv\\Scripts\\activate" in README


def test_picture_fits_a_projector_column() -> None:
    width, height = struct.unpack(">II", PICTURE.read_bytes()[16:24])  # the PNG header's IHDR
    shown = re.search(r'<img src="docs/readme_schedulers.png" width="(\d+)"', README)
    assert shown, "the README shows the picture at a fixed width"
    shown_width = int(shown.group(1))
    assert shown_width <= 720 and height * shown_width / width <= 520


@pytest.mark.locked_env
def test_picture_is_what_the_tool_draws() -> None:
    """Byte for byte with the locked matplotlib (another version may antialias differently)."""
    subprocess.run([sys.executable, str(ROOT / "tools" / "readme_figure.py"), "--check"], check=True)
