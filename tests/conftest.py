"""Shared pytest set-up: reproducible hypothesis runs and one torch thread."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pytest
import torch
from hypothesis import settings

from lrutils import lr_curve, momentum_curve, torch_lr_curve, torch_momentum_curve
from lrutils.curves.torch_reference import agreement_bound

# Derandomized: a CI failure shows the same example on every re-run; no example database on disk.
settings.register_profile("lrutils", derandomize=True, deadline=None, database=None, max_examples=60)
settings.load_profile("lrutils")
torch.set_num_threads(1)

SERIES_SCHEDULERS = {
    "StepLR",
    "MultiStepLR",
    "ExponentialLR",
    "CosineAnnealingLR",
    "ReduceLROnPlateau",
    "OneCycleLR",
    "LinearLR",
    "ConstantLR",
    "PolynomialLR",
    "LambdaLR",
    "SequentialLR",
    "ChainedScheduler",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "warmup_cosine",
    "warmup_stable_decay",
    "noam",
    "linear_warmup_decay",
}
"""Every scheduler and recipe the series teaches: the cheat sheet has a row and a picture for each."""


def assert_agrees(ours: np.ndarray, theirs: np.ndarray, scale: float, n_steps: int | None = None) -> None:
    """The project's agreement bar, the one ``lrutils.agreement`` states: at every step
    |ours - torch| <= agreement_bound(n_steps) * (the largest of ``scale`` and the curve's |lr|);
    ``n_steps``: how many steps torch took to get there (default: the curve's length)."""
    assert ours.shape == theirs.shape
    same_inf = np.isinf(ours) & (ours == theirs)
    largest = max(scale, float(np.max(np.abs(theirs[np.isfinite(theirs)]), initial=0.0)))
    allowed = agreement_bound(len(ours) if n_steps is None else n_steps) * largest
    bad = ~same_inf & ~(np.abs(ours - theirs) <= allowed)
    assert not bad.any(), (
        f"{bad.sum()} steps disagree; first at step {np.argmax(bad)}: "
        f"ours={ours[np.argmax(bad)]!r} torch={theirs[np.argmax(bad)]!r}"
    )


def check_against_torch(name: str, n_steps: int, base_lr: float, momentum: bool = False, **kwargs: Any) -> None:
    """lr_curve (and, if asked, momentum_curve) agree with the real scheduler under the project's bar."""
    ours = lr_curve(name, n_steps, base_lr=base_lr, **kwargs)
    theirs = torch_lr_curve(name, n_steps, base_lr=base_lr, **kwargs)
    scale = max(base_lr, float(kwargs.get("max_lr", 0.0)), float(kwargs.get("eta_min", 0.0)))
    assert_agrees(ours, theirs, scale)
    if momentum:
        assert_agrees(
            momentum_curve(name, n_steps, base_lr, **kwargs),
            torch_momentum_curve(name, n_steps, base_lr, **kwargs),
            1.0,
        )


def assert_clear_error(name: Any, n_steps: Any, kwargs: dict, error: type[Exception], words: list[str]) -> None:
    """Both lr_curve and torch_lr_curve raise ``error`` with every one of ``words`` in the message."""
    for fn in (lr_curve, torch_lr_curve):
        with pytest.raises(error) as info:
            fn(name, n_steps, **kwargs)
        for word in words:
            assert word in str(info.value), f"{word!r} missing from: {info.value}"


def raw_torch_lrs(
    name: str, n_steps: int, optimizer_lr: float = 0.1, optimizer: torch.optim.Optimizer | None = None, **kwargs: Any
) -> list[float]:
    """Step torch's scheduler class directly, without lrutils' validation in front of it.

    ``kwargs`` go to the scheduler (CyclicLR's own ``base_lr`` among them); the throw-away SGD
    optimizer gets ``optimizer_lr`` unless an ``optimizer`` is passed.
    """
    if optimizer is None:
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=optimizer_lr, momentum=0.9)
    scheduler = getattr(torch.optim.lr_scheduler, name)(optimizer, **kwargs)
    lrs = [optimizer.param_groups[0]["lr"]]
    for _ in range(n_steps - 1):
        optimizer.step()
        scheduler.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    return lrs


NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def run_hidden_solutions(notebook: str, module: str) -> list[Any]:
    """Run every ```python block inside the notebook's <details> after its first code cell and the
    exercise module's names, and return what the last line of each block (its check) says."""
    nb = nbformat.read(NOTEBOOKS / notebook, as_version=4)
    first = next(c.source for c in nb.cells if c.cell_type == "code")
    namespace: dict = {}
    exec("\n".join(line for line in first.splitlines() if not line.startswith("%")), namespace)
    namespace.update(vars(importlib.import_module(module)))
    results = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for details in re.findall(r"<details>.*?</details>", cell.source, flags=re.S):
            for block in re.findall(r"```python\n(.*?)```", details, flags=re.S):
                *body, last = block.strip().splitlines()
                exec("\n".join(body), namespace)
                results.append(eval(last, namespace))
    return results
