"""Print the versions of everything the notebooks depend on, so CI logs show any drift."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

PACKAGES = [
    "torch",
    "numpy",
    "matplotlib",
    "ipywidgets",
    "jupyterlab",
    "ipykernel",
    "nbval",
    "nbclient",
    "pytest",
    "hypothesis",
    "ruff",
    "lr-scheduler-notebooks",  # lrutils' distribution (PyPI's `lrutils` is another project)
]


def main() -> None:
    """Print one ``name version`` line per package."""
    print(f"python {platform.python_version()} on {platform.machine()}")
    for name in PACKAGES:
        try:
            print(f"{name} {version(name)}")
        except PackageNotFoundError:
            print(f"{name} (not installed)")


if __name__ == "__main__":
    main()
