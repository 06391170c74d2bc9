"""Write the requirements for `make test-floor`: each runtime dependency at the lowest version
pyproject.toml allows, everything else as the lock pins it.

    python tools/floor_requirements.py requirements/lock.txt .venv-floor

writes ``.venv-floor/torch.txt`` (torch alone, installed first: see the Makefile's ``setup``) and
``.venv-floor/floor.txt`` (the other floors and the rest of the lock).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def canonical(name: str) -> str:
    """PEP 503 normalised name.

    >>> canonical("Jupyter_Core")
    'jupyter-core'
    """
    return re.sub(r"[-_.]+", "-", name).lower()


def floors(dependencies: list[str]) -> dict[str, str]:
    """``{name: lowest version}`` for requirements written ``name>=version`` (the only form pyproject uses).

    >>> floors(["torch>=2.13", "numpy>=2.0"])
    {'torch': '2.13', 'numpy': '2.0'}
    """
    out = {}
    for req in dependencies:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9][0-9.]*)", req)
        if not match:
            raise ValueError(f"pyproject dependency {req!r}: expected the form name>=version")
        out[match.group(1)] = match.group(2)
    return out


def main(lock: Path, out_dir: Path) -> None:
    lowest = floors(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"])
    names = {canonical(name) for name in lowest}
    rest = [
        line
        for line in lock.read_text().splitlines()
        if line and not line.startswith("#") and canonical(line.split("==")[0]) not in names
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "torch.txt").write_text(f"torch=={lowest['torch']}\n")
    others = [f"{name}=={version}" for name, version in lowest.items() if name != "torch"]
    (out_dir / "floor.txt").write_text("\n".join(others + rest) + "\n")
    print("floors:", ", ".join(f"{name}=={version}" for name, version in lowest.items()))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
