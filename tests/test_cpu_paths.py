"""The saved outputs are a property of the code, not of the CPU: proven on every CPU path this
machine can emulate (tools/cpu_paths.py). Run by ``make test-cpu-paths``, which CI runs after ``make test``.

For each emulated CPU (torch's kernels, MKL and numpy told to use a lower instruction set, in a
fresh process started without the settings make exports, as a learner's own `jupyter lab` would
start it), tools/cpu_probe.py trains every scheduler, runs the range test, draws every lr
curve and re-runs the notebook cells tagged ``cpu-probe``. Every bit of the numbers must equal
this (native) process's, and every tagged cell's text must equal the saved notebook's. Strict
nbval of every notebook under each single setting is ``make test-cpu-paths`` (run by CI).
"""

from __future__ import annotations

import importlib.util
import json
import platform
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.cpu_paths  # run by `make test-cpu-paths` (CI), not by `make test`

ROOT = Path(__file__).resolve().parents[1]
SANITIZE = re.compile(r"0x[0-9a-fA-F]+")  # tests/nbval_sanitize.cfg: memory addresses


def load_tool(name: str) -> ModuleType:
    """Import tools/<name>.py (the tools folder is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cpu_paths = load_tool("cpu_paths")
cpu_probe = load_tool("cpu_probe")


def probe(settings: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "cpu_probe.py")],
        env=cpu_paths.environment(settings),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def reports() -> dict[str, dict]:
    if platform.machine() not in ("x86_64", "AMD64"):
        pytest.skip("the emulated paths are x86-64 instruction sets; see the README for other CPUs")
    machines = {name: env for name, env in cpu_paths.MACHINES.items() if set(env.items()) <= _available()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(machines, pool.map(probe, machines.values()), strict=True))


def _available() -> set[tuple[str, str]]:
    return {item for settings in cpu_paths.available_paths().values() for item in settings.items()}


def test_the_emulation_takes_effect(reports: dict[str, dict]) -> None:
    assert "SSE4.2-only CPU" in reports
    for name, report in reports.items():
        settings = cpu_paths.MACHINES[name]
        paths = report["paths"]
        assert paths["aten"].lower() == {"default": "default", "avx2": "avx2"}[settings["ATEN_CPU_CAPABILITY"]]
        assert not paths["numpy_avx512"]
        assert paths["numpy_avx2"] == ("X86_V3" not in settings["NPY_DISABLE_CPU_FEATURES"])
        assert paths["mkl"] == "pinned"


def test_every_bit_equals_the_native_path(reports: dict[str, dict]) -> None:
    native = cpu_probe.fingerprint()
    for name, report in reports.items():
        assert report["fingerprint"] == native, f"{name}: results differ from this CPU's native path"


def test_tagged_cells_print_exactly_the_saved_outputs(reports: dict[str, dict]) -> None:
    notebooks = cpu_probe.tagged_notebooks()
    assert notebooks, "no notebook cell is tagged cpu-probe"
    for name, report in reports.items():
        assert set(report["cells"]) == {p.name for p in notebooks}
        for path in notebooks:
            saved = [[SANITIZE.sub("0xADDRESS", t) for t in texts] for _, texts in cpu_probe.saved_cells(path)]
            ran = [[SANITIZE.sub("0xADDRESS", t) for t in texts] for texts in report["cells"][path.name]]
            for i, (want, got) in enumerate(zip(saved, ran, strict=True)):
                assert got == want, f"{name}: {path.name}, tagged cell {i} prints something else than saved"
