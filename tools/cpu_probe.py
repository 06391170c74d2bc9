"""Compute what the CPU-dependence test compares, in this process, and print it as JSON.

Run it under emulated CPU paths (tools/cpu_paths.py) in a fresh process; tests/test_cpu_paths.py
compares the output with the same computation on the native path and with the saved notebooks.

- ``fingerprint``: a SHA-256 of every number (all bits) from training every scheduler and recipe
  (30 epochs, one stacked pass) and from the range test, and of every scheduler's lr curve to 12
  digits (numpy's closed forms differ in the last bit between CPUs; the notebooks print less);
- ``cells``: the text outputs of the notebook cells tagged ``cpu-probe`` (run in order after each
  notebook's first cell, in an IPython shell), as strict nbval would compare them;
- ``paths``: what torch, numpy and MKL report, to show the emulation took effect.

Usage: python tools/cpu_probe.py [notebook ...]   (default: every notebook with tagged cells)
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TAG = "cpu-probe"


def fingerprint() -> str:
    """SHA-256 over the full-precision results of representative computations."""
    import numpy as np

    import lrutils
    from lrutils.training.data import HIDDEN
    from lrutils.training.demo import BATCH_SIZE, DEFAULT_EPOCHS, DEFAULT_LR, demo_kwargs, steps_per_epoch
    from lrutils.training.engine import RunSpec, train_runs

    digest = hashlib.sha256()
    names = [None, *lrutils.scheduler_names(), *lrutils.composite_names()]
    runs = [
        RunSpec(name, demo_kwargs(name, DEFAULT_EPOCHS, steps_per_epoch(), DEFAULT_LR), lr=DEFAULT_LR, seed=0)
        for name in names
    ]
    for h in train_runs(runs, DEFAULT_EPOCHS, HIDDEN, BATCH_SIZE):
        for array in (h.lr, h.momentum, h.train_loss, h.val_loss, h.val_acc, h.batch_loss):
            digest.update(np.ascontiguousarray(array).tobytes())
    r = lrutils.lr_range_test()
    for array in (r.lrs, r.losses, r.smoothed):
        digest.update(array.tobytes())
    for name in lrutils.scheduler_names():
        spec = lrutils.get_spec(name)
        kwargs = {p.name: p.start for p in spec.params if p.start is not None}
        if spec.unit == "metric":
            kwargs["metrics"] = np.linspace(1.0, 0.5, 99)
        # numpy's power differs in the last bit between CPUs: curves count to 12 digits, as printed
        curve = lrutils.lr_curve(name, 100, **kwargs)
        digest.update(" ".join(f"{v:.12g}" for v in curve.tolist()).encode())
    return digest.hexdigest()


def _texts(outputs: list[dict[str, Any]]) -> list[str]:
    """The parts of a cell's outputs strict nbval compares (streams, text/plain, text/html), widgets aside."""
    out = []
    for o in outputs:
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {}):
            continue  # a widget (progress bar): its fixed text is nbval's to check; no kernel here
        if o.get("output_type") == "stream":
            out.append(o["text"] if isinstance(o["text"], str) else "".join(o["text"]))
        for mime in ("text/plain", "text/html"):
            value = o.get("data", {}).get(mime)
            if value is not None:
                out.append(value if isinstance(value, str) else "".join(value))
    return out


def saved_cells(path: Path) -> list[tuple[str, list[str]]]:
    """(source, saved text outputs) of the notebook's tagged cells, after its first code cell."""
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    tagged = [c for c in code[1:] if TAG in c.get("metadata", {}).get("tags", [])]
    return [("".join(c["source"]), _texts(c.get("outputs", []))) for c in [code[0], *tagged]]


def run_cells(path: Path) -> list[list[str]]:
    """Run the notebook's first code cell and its tagged cells in a fresh IPython shell."""
    import matplotlib
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    matplotlib.use("Agg")  # a plain shell has no GUI loop: `%matplotlib inline` is skipped below
    shell = InteractiveShell.instance()
    # Keep each cell's result (as a kernel would display it) without printing "Out[n]:".
    shell.displayhook.write_output_prompt = lambda: None
    shell.displayhook.write_format_data = lambda format_dict, md_dict=None: None
    results = []
    for source, _ in saved_cells(path):
        source = "\n".join(line for line in source.splitlines() if not line.startswith("%matplotlib"))
        with capture_output() as captured:
            outcome = shell.run_cell(source)
        if not outcome.success:
            raise RuntimeError(
                f"{path.name}: a tagged cell failed: {outcome.error_in_exec or outcome.error_before_exec}"
            )
        texts = [captured.stdout] if captured.stdout else []
        for output in captured.outputs:
            texts += [output.data[m] for m in ("text/plain", "text/html") if m in output.data]
        if outcome.result is not None:
            data, _ = shell.display_formatter.format(outcome.result)
            texts += [data[m] for m in ("text/plain", "text/html") if m in data]
        results.append(texts)
    InteractiveShell.clear_instance()
    return results


def tagged_notebooks() -> list[Path]:
    """Notebooks with at least one cell tagged ``cpu-probe``."""
    return [p for p in sorted((ROOT / "notebooks").glob("*.ipynb")) if len(saved_cells(p)) > 1]


def paths_in_effect() -> dict[str, Any]:
    """What each library says it runs with, so a test can tell the emulation worked."""
    import numpy as np
    import torch

    import lrutils

    features = np._core._multiarray_umath.__cpu_features__
    return {
        "aten": torch.backends.cpu.get_cpu_capability(),
        "numpy_avx2": bool(features.get("X86_V3")),
        "numpy_avx512": bool(features.get("X86_V4")),
        "mkl": lrutils.MKL_STATE,
    }


def main(args: list[str]) -> None:
    notebooks = [Path(a) for a in args] or tagged_notebooks()
    report = {
        "paths": paths_in_effect(),
        "fingerprint": fingerprint(),
        "cells": {p.name: run_cells(p) for p in notebooks},
    }
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
