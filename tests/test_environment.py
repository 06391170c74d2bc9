"""environment.yml (conda/Binder) and pyproject.toml (make setup) must describe the same environment."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
    return dict(req.split("==") for req in reqs)


def environment_pins() -> tuple[dict[str, str], list[str], list[str]]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    pins = dict(line.split("==") for line in pip if "==" in line)
    others = [line for line in pip if "==" not in line]
    return pins, conda, others


def test_every_pin_is_exact_in_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for req in list(project["dependencies"]) + [
        r for extra in project["optional-dependencies"].values() for r in extra
    ]:
        assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", req), f"not an exact pin: {req}"


def test_environment_yml_matches_pyproject() -> None:
    pins, conda, others = environment_pins()
    assert pins == pyproject_pins()
    assert pins["torch"] == "2.13.0"
    assert others == ["-e ."], "lrutils must be installed from the repository"


def test_python_version_matches() -> None:
    _, conda, _ = environment_pins()
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    python = next(d for d in conda if d.startswith("python="))
    assert requires == f">={python.split('=')[1]},<3.12"
    assert "pip" in conda
    assert yaml.safe_load((ROOT / "environment.yml").read_text())["name"] == "lrutils"


def test_browser_installer_uses_the_pyproject_pin() -> None:
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["browser"]
    script = (ROOT / "tools" / "install_browser.sh").read_text()
    pinned = re.search(r'^PLAYWRIGHT_VERSION="([^"]+)"$', script, re.M)
    assert pinned and extra == [f"playwright=={pinned.group(1)}"]
    commands = [line for line in script.splitlines() if not line.lstrip().startswith("#")]
    assert not any("playwright install" in line for line in commands), "it would download a browser"
