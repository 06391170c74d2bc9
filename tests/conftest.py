"""Shared pytest set-up: reproducible hypothesis runs and one torch thread."""

from __future__ import annotations

import numpy as np
import torch
from hypothesis import settings

# Derandomized: a CI failure shows the same example on every re-run; no example database on disk.
settings.register_profile("lrutils", derandomize=True, deadline=None, database=None, max_examples=60)
settings.load_profile("lrutils")
torch.set_num_threads(1)


def assert_agrees(ours: np.ndarray, theirs: np.ndarray, scale: float) -> None:
    """The project's agreement bar: |ours - torch| <= 1e-12 * lr scale + 1e-9 * |lr| at every step."""
    assert ours.shape == theirs.shape
    same_inf = np.isinf(ours) & (ours == theirs)
    allowed = 1e-12 * scale + 1e-9 * np.abs(theirs)
    bad = ~same_inf & ~(np.abs(ours - theirs) <= allowed)
    assert not bad.any(), (
        f"{bad.sum()} steps disagree; first at step {np.argmax(bad)}: "
        f"ours={ours[np.argmax(bad)]!r} torch={theirs[np.argmax(bad)]!r}"
    )
