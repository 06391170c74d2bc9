"""Strict nbval of every notebook under each CPU path this machine can emulate (tools/cpu_paths.py).

Prints a table (path, settings, result, seconds) and exits 1 if any path fails. ``make
test-cpu-paths`` runs it; CI runs that after ``make test``.

Usage: python tools/nbval_cpu_paths.py [notebook ...]   (default: notebooks/*.ipynb, the English edition)
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from cpu_paths import available_paths, environment

ROOT = Path(__file__).resolve().parents[1]
NBVAL = ["--nbval", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "--nbval-cell-timeout", "300"]


def run(settings: dict[str, str], targets: list[str]) -> tuple[bool, float, str]:
    """Strict nbval on ``targets`` in a fresh pytest process with ``settings`` in its environment."""
    command = [sys.executable, "-m", "pytest", *NBVAL, "-q", "-n", "2", "--dist", "loadfile", *targets]
    start = time.perf_counter()
    result = subprocess.run(command, env=environment(settings), cwd=ROOT, capture_output=True, text=True)
    last = (result.stdout.strip().splitlines() or [""])[-1]
    return result.returncode == 0, time.perf_counter() - start, last if result.returncode == 0 else result.stdout


def main(targets: list[str]) -> int:
    # English only: the Korean edition runs the same code cells (tests/test_korean_edition.py holds them
    # equal but for the set-up line), so the CPU paths prove its numbers too; `make test` runs it natively.
    targets = targets or sorted(str(p) for p in Path("notebooks").glob("*.ipynb"))
    rows = ["| CPU path | settings | strict nbval | seconds |", "|---|---|---|---:|"]
    failed = []
    for name, settings in available_paths().items():
        ok, seconds, detail = run(settings, targets)
        described = " ".join(f"{k}={v}" for k, v in settings.items())
        summary = detail if ok else "FAILED"
        rows.append(f"| {name} | `{described}` | {summary} | {seconds:.0f} |")
        print(rows[-1], flush=True)
        if not ok:
            failed.append((name, detail))
    print("\n".join(rows))
    for name, detail in failed:
        print(f"\n--- {name} ---\n{detail[-6000:]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
