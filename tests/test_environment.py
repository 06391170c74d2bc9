"""The lock (exact pins), pyproject.toml (ranges), environment.yml and the Makefile describe one environment."""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
import tomllib
from importlib.metadata import PackageNotFoundError, distributions, version
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from lrutils.notebook import EXPECTED_TORCH

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
PIN = re.compile(r"([A-Za-z0-9_.-]+)==([0-9][0-9A-Za-z.]*)")
DIST_NAME = "lr-scheduler-notebooks"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def all_requirements() -> list[Requirement]:
    extras = [req for reqs in project()["optional-dependencies"].values() for req in reqs]
    return [Requirement(req) for req in project()["dependencies"] + extras]


def lock_lines() -> list[str]:
    return [line for line in LOCK.read_text().splitlines() if line and not line.startswith("#")]


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in lock_lines():
        match = PIN.fullmatch(line)
        assert match, f"not an exact pin in {LOCK.name}: {line}"
        name = canonical(match.group(1))
        assert name not in pins, f"{name} is pinned twice"
        pins[name] = match.group(2)
    return pins


def lock_python() -> str:
    match = re.search(r"^# Python (3\.\d+) ", LOCK.read_text(), re.M)
    assert match, "the lock's header names the Python it was made with"
    return match.group(1)


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_the_lock_pins_every_package_exactly_and_torch_is_the_proven_one() -> None:
    pins = lock_pins()
    assert pins["torch"] == EXPECTED_TORCH, "setup() names the torch the saved outputs were proven with"
    for req in all_requirements():
        if req.name != "playwright":  # installed by tools/install_browser.sh for the browser tests only
            assert canonical(req.name) in pins, f"{req.name} is in pyproject.toml but not in the lock"
    assert DIST_NAME not in pins and "lrutils" not in pins, "the package itself comes from `-e .`, not the lock"


def test_pyproject_has_ranges_and_no_exact_pins() -> None:
    meta = project()
    assert meta["name"] == DIST_NAME
    assert meta["requires-python"] == ">=3.11", "no upper cap: Python 3.12 and 3.13 are tested too"
    for req in all_requirements():
        operators = {spec.operator for spec in req.specifier}
        assert operators == {">="}, f"{req}: a lower bound only (exact pins belong in {LOCK.name})"


def test_the_ranges_admit_the_locked_versions() -> None:
    pins = lock_pins()
    for req in all_requirements():
        if req.name != "playwright":
            locked = pins[canonical(req.name)]
            assert req.specifier.contains(locked), f"{req} does not admit the locked {locked}"
    assert Requirement(f"python{project()['requires-python']}").specifier.contains(lock_python() + ".0")


def test_environment_yml_installs_the_lock_and_the_package() -> None:
    env = environment()
    assert env["name"] == "lrutils"
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert f"python={lock_python()}" in conda and "pip" in conda
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip[0] == "--extra-index-url https://download.pytorch.org/whl/cpu", "torch's CPU build, not GBs of CUDA"
    assert pip[1:] == ["-r requirements/lock.txt", "-e ."], "the lock, exact, then lrutils from the repository"
    assert not [line for line in pip if "==" in line], "pins live in the lock only"


def test_make_setup_installs_the_locked_torch_alone_then_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text()
    stamp = re.search(r"^\$\(STAMP\): (.*)$", makefile, re.M)
    assert stamp and stamp.group(1).split() == ["pyproject.toml", "$(LOCK)"], "a changed lock reinstalls"
    assert re.search(r"^LOCK\s*:= requirements/lock.txt$", makefile, re.M)
    recipe = makefile[stamp.end() :].split("\n\n")[0].splitlines()
    torch_line = next(i for i, line in enumerate(recipe) if "torch==" in line)
    words = recipe[torch_line].split()
    assert f"torch=={lock_pins()['torch']}" in words and "--no-deps" in words, "torch alone, the lock's version"
    assert "$(TORCH_INDEX)" in words and "https://download.pytorch.org/whl/cpu" in makefile, "its CPU build"
    lock_line = next(i for i, line in enumerate(recipe) if "-r $(LOCK)" in line)
    assert torch_line < lock_line and '-e ".[dev]"' in recipe[lock_line]


def test_versions_tool_prints_the_installed_distribution() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "versions.py")], capture_output=True, text=True, check=True
    ).stdout
    assert f"{DIST_NAME} {project()['version']}" in out.splitlines()


@pytest.mark.locked_env
def test_the_installed_packages_are_the_lock() -> None:
    """`make setup` installs the lock; a package upgraded by hand in .venv shows here, not as a puzzling nbval diff."""
    wrong = {}
    for name, pinned in lock_pins().items():
        try:
            installed = Version(version(name)).public
        except PackageNotFoundError:
            installed = "missing"
        if installed != pinned:
            wrong[name] = (pinned, installed)
    assert not wrong, f"(locked, installed): {wrong}; run `make setup` (or rm .venv/.installed first)"
    # Our old name, or PyPI's unrelated project that ships an `lrutils` package too. Only this venv's
    # site-packages count: an old build's lrutils.egg-info in the working tree is no installation.
    installed = {canonical(d.metadata["Name"]) for d in distributions(path=[sysconfig.get_paths()["purelib"]])}
    assert DIST_NAME in installed and "lrutils" not in installed


def test_browser_installer_pin_fits_the_browser_extra() -> None:
    (extra,) = project()["optional-dependencies"]["browser"]
    script = (ROOT / "tools" / "install_browser.sh").read_text()
    pinned = re.search(r'^PLAYWRIGHT_VERSION="([^"]+)"$', script, re.M)
    assert pinned and Requirement(extra).name == "playwright" and Requirement(extra).specifier.contains(pinned.group(1))
    commands = [line for line in script.splitlines() if not line.lstrip().startswith("#")]
    assert not any("playwright install" in line for line in commands), "it would download a browser"
