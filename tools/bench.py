"""`make bench`: one table of the numbers the project promises (measured, never asserted in tests).

- lr_curve (numpy) vs stepping the real torch scheduler for 100,000 steps, and their ratio;
- slider update latency of `lrutils.explore` (curve, picture and code redrawn): median and p95,
  moving n_steps (the whole picture is redrawn) and moving a scheduler parameter (curves only);
- training jobs: one run, a 10-seed comparison, the fair bake-offs (tuning included), the range test;
- live-training explorer updates (retrain on slider release + redraw);
- wall time of executing each notebook (fresh kernel, as nbval does).

Usage: python tools/bench.py [--quick]   (--quick skips notebooks)
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

import lrutils

ROOT = Path(__file__).resolve().parents[1]
N_STEPS = 100_000
CURVE_CASES: dict[str, dict] = {
    "StepLR": {"step_size": 30, "gamma": 0.5},
    "ExponentialLR": {"gamma": 0.9999},
    "CosineAnnealingLR": {"T_max": N_STEPS},
    "OneCycleLR": {"max_lr": 0.1, "total_steps": N_STEPS},
    "ReduceLROnPlateau": {"patience": 10, "metrics": np.random.default_rng(0).random(N_STEPS)},
}


# Composites (SequentialLR, ChainedScheduler, LambdaLR) take stages rather than numbers.
COMPOSITE_CASES: dict[str, tuple[str, dict]] = {
    "SequentialLR (warm-up + cosine)": ("SequentialLR", lrutils.warmup_cosine(1_000, T_max=N_STEPS - 1_000)),
    "warmup_stable_decay": (
        "warmup_stable_decay",
        {"warmup_steps": 1_000, "stable_steps": 89_000, "decay_steps": 10_000},
    ),
    "ChainedScheduler (LinearLR x ExponentialLR)": (
        "ChainedScheduler",
        {
            "schedulers": [
                ("LinearLR", {"start_factor": 0.1, "total_iters": 100}),
                ("ExponentialLR", {"gamma": 0.99999}),
            ]
        },
    ),
    "ChainedScheduler (LinearLR x cosine)": (
        "ChainedScheduler",
        {
            "schedulers": [
                ("LinearLR", {"start_factor": 0.1, "total_iters": 100}),
                ("CosineAnnealingLR", {"T_max": 500}),
            ]
        },
    ),
    "LambdaLR (a Python function per step)": ("LambdaLR", {"lr_lambda": lrutils.linear_warmup_lambda(1_000)}),
}


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Fastest of ``repeat`` calls, in seconds (the least disturbed measurement)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_curves() -> list[str]:
    """lr_curve vs torch for 100k steps per scheduler."""
    rows = ["| scheduler | lr_curve (ms) | torch stepping (ms) | ratio |", "|---|---:|---:|---:|"]
    for name in lrutils.scheduler_names():
        kwargs = CURVE_CASES.get(name)
        if kwargs is None:  # no benchmark case yet: use the explorer's starting values
            spec = lrutils.get_spec(name)
            kwargs = {
                p.name: p.start
                for p in spec.params
                if p.start is not None and p.name not in ("epochs", "steps_per_epoch")
            }
        ours = best_of(lambda: lrutils.lr_curve(name, N_STEPS, **kwargs), 5)  # noqa: B023
        theirs = best_of(lambda: lrutils.torch_lr_curve(name, N_STEPS, **kwargs), 1)  # noqa: B023
        rows.append(f"| {name} | {ours * 1e3:.2f} | {theirs * 1e3:.0f} | {theirs / ours:.0f}x |")
    for label, (name, kwargs) in COMPOSITE_CASES.items():
        ours = best_of(lambda: lrutils.lr_curve(name, N_STEPS, **kwargs), 3)  # noqa: B023
        theirs = best_of(lambda: lrutils.torch_lr_curve(name, N_STEPS, **kwargs), 1)  # noqa: B023
        rows.append(f"| {label} | {ours * 1e3:.2f} | {theirs * 1e3:.0f} | {theirs / ours:.0f}x |")
    return rows


def bench_sliders() -> list[str]:
    """Median and p95 of one slider update (curve + picture + code) per explorer, two kinds of move.

    n_steps changes the x axis, so the whole picture is drawn again; a scheduler parameter leaves
    the axes as they are, so only the curves are drawn over the saved background.
    """
    if not hasattr(lrutils, "explore"):
        return ["(explore not available)"]
    from lrutils.explorer.timing import benchmark_updates, first_parameter_slider

    rows = [
        "| explorer | n_steps: median (ms) | p95 (ms) | parameter moved | median (ms) | p95 (ms) |",
        "|---|---:|---:|---|---:|---:|",
    ]
    for name in lrutils.scheduler_names():
        times = benchmark_updates(name, n_updates=30)
        key = first_parameter_slider(name)
        moves = benchmark_updates(name, n_updates=30, key=key)
        rows.append(
            f"| {name} | {statistics.median(times) * 1e3:.1f} | {float(np.percentile(times, 95)) * 1e3:.1f} "
            f"| {key} | {statistics.median(moves) * 1e3:.1f} | {float(np.percentile(moves, 95)) * 1e3:.1f} |"
        )
    return rows


def bench_training() -> list[str]:
    """Seconds per training job: one run, multi-seed comparisons and the fair bake-offs."""
    rows = ["| training job | runs | seconds |", "|---|---:|---:|"]
    # A fresh interpreter: the first run in a process pays torch's lazy imports.
    code = (
        "import time, lrutils; t = time.perf_counter(); lrutils.train(None, epochs=1); print(time.perf_counter() - t)"
    )
    cold = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    rows.append(f"| first run in a fresh process (1 epoch, incl. torch's lazy imports) | 1 | {cold:.2f} |")
    jobs: list[tuple[str, int, Callable[[], object]]] = [
        ("one run, 30 epochs (`train`)", 1, lambda: lrutils.train("CosineAnnealingLR")),
        ("two schedules x 10 seeds (`compare`)", 20, lambda: lrutils.compare([None, "StepLR"], progress=False)),
        (
            "fair bake-off, constant + StepLR (`bake_off`, notebooks 01-05)",
            50,
            lambda: lrutils.bake_off([None, "StepLR"], progress=False),
        ),
        (
            "fair bake-off, constant + the blog's five (`bake_off`, notebook 06)",
            150,
            lambda: lrutils.bake_off([None, *lrutils.BLOG_SCHEDULERS], progress=False),
        ),
        ("the range test, 300 batches (`lr_range_test`)", 1, lambda: lrutils.lr_range_test()),
    ]
    for label, runs, job in jobs:
        rows.append(f"| {label} | {runs} | {best_of(job, 2):.2f} |")
    return rows


def bench_live_training() -> list[str]:
    """Median and p95 of a live-training update from slider release to picture, and the whole move's median."""
    try:
        from lrutils.explorer.timing import benchmark_training_updates
    except ImportError:
        return ["(live training not available)"]
    rows = [
        "| live-training explorer | release to picture: median (s) | p95 (s) | whole move: median (s) |",
        "|---|---:|---:|---:|",
    ]
    for name in lrutils.BLOG_SCHEDULERS:
        times = benchmark_training_updates(name, n_updates=9)
        release, move = times.release, times.move
        rows.append(
            f"| {name} | {statistics.median(release):.2f} | {float(np.percentile(release, 95)):.2f} "
            f"| {statistics.median(move):.2f} |"
        )
    return rows


def bench_notebooks() -> list[str]:
    """Wall time of executing each notebook in a fresh kernel (a copy, so nothing on disk changes)."""
    import nbformat
    from nbclient import NotebookClient

    rows = ["| notebook | execute (s) |", "|---|---:|"]
    total = 0.0
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(
            nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        seconds = time.perf_counter() - start
        total += seconds
        rows.append(f"| {path.name} | {seconds:.1f} |")
    rows.append(f"| **all** | {total:.1f} |")
    return rows


def main() -> None:
    """Print the whole table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip executing the notebooks")
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(
        f"machine: {platform.processor() or platform.machine()}, {torch.get_num_threads()} torch thread, "
        f"python {platform.python_version()}, torch {torch.__version__}\n"
    )
    sections = [bench_curves, bench_sliders, bench_training, bench_live_training]
    sections += [] if args.quick else [bench_notebooks]
    for section in sections:
        print("\n".join(section()))
        print()
        sys.stdout.flush()


if __name__ == "__main__":
    main()
