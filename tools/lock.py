"""Write requirements/lock.txt: every package installed in this venv, pinned exactly.

The lock is the environment the notebooks' saved outputs were made and proven in; ``make setup``
installs it (torch first, alone) and environment.yml installs it for conda. pyproject.toml keeps
ranges. After changing the environment (a new pin by hand in the lock, then ``make setup``, or a
new package installed into .venv), regenerate it with ``make lock`` and commit it.

    .venv/bin/python tools/lock.py            # writes requirements/lock.txt
"""

from __future__ import annotations

import platform
import re
import subprocess
import sys
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "requirements" / "lock.txt"

HEADER = """\
# The exact environment the notebooks' saved outputs were made and proven in (strict nbval).
# Python {python} on x86-64 Linux; written by tools/lock.py from `pip freeze` of .venv.
# Install torch FIRST and alone (its CPU build; a plain `pip install torch` on Linux takes the
# multi-GB CUDA build), then this file and the package:
#   pip install torch=={torch} --index-url https://download.pytorch.org/whl/cpu   (macOS: no --index-url)
#   pip install -r requirements/lock.txt -e .
# `make setup` does both. environment.yml installs this file too; pyproject.toml holds ranges.
"""


def pinned_lines(freeze: str) -> list[str]:
    """``name==version`` lines from ``pip freeze`` output, local build labels dropped, sorted by name.

    >>> pinned_lines("torch==2.13.0+cpu\\n# comment\\n-e /repo\\nNumPy==2.4.6\\n")
    ['NumPy==2.4.6', 'torch==2.13.0']
    """
    lines = []
    for line in freeze.splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^+\s]+)(\+\S+)?", line.strip())
        if match:
            lines.append(f"{match.group(1)}=={match.group(2)}")
    return sorted(lines, key=str.lower)


def main() -> None:
    freeze = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True, check=True
    ).stdout
    python = ".".join(platform.python_version_tuple()[:2])
    lines = pinned_lines(freeze)
    torch = next(line.split("==")[1] for line in lines if line.startswith("torch=="))
    LOCK.write_text(HEADER.format(python=python, torch=torch) + "\n".join(lines) + "\n")
    print(f"wrote {LOCK}")


if __name__ == "__main__":
    main()
