"""What the optimizer really used: every param group's lr at every real ``optimizer.step()``, and warnings.

>>> opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
>>> with LrRecorder(opt) as rec:
...     opt.step()
>>> rec.lrs.tolist()
[[0.1]]
"""

from __future__ import annotations

import textwrap
import warnings
from typing import Any

import numpy as np
import torch


class LrRecorder:
    """Record every param group's lr each time ``optimizer.step()`` really runs.

    Use it as a context manager; ``lrs`` is an array of shape ``(steps, param groups)``. A step
    that ``GradScaler`` skips never calls ``optimizer.step()``, so it leaves no row.

    >>> w = torch.zeros(1, requires_grad=True)
    >>> opt = torch.optim.SGD([w], lr=0.1)
    >>> with LrRecorder(opt) as used:
    ...     opt.step()
    ...     opt.param_groups[0]["lr"] = 0.05
    ...     opt.step()
    >>> used.lrs.tolist()
    [[0.1], [0.05]]
    """

    def __init__(self, optimizer: torch.optim.Optimizer) -> None:
        if not isinstance(optimizer, torch.optim.Optimizer):
            raise TypeError(f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}")
        self.optimizer = optimizer
        self._rows: list[list[float]] = []
        self._handle: Any = None

    def _hook(self, optimizer: torch.optim.Optimizer, args: Any, kwargs: Any) -> None:
        self._rows.append([float(group["lr"]) for group in optimizer.param_groups])

    def __enter__(self) -> LrRecorder:
        self._handle = self.optimizer.register_step_pre_hook(self._hook)
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.remove()

    @property
    def lrs(self) -> np.ndarray:
        """The lr of every group at every real optimizer step, shape ``(steps, groups)``."""
        return np.array(self._rows, dtype=float).reshape(len(self._rows), len(self.optimizer.param_groups))


class CaughtWarnings:
    """Catch every warning inside a ``with`` block; ``texts`` are ``"Category: message"`` (no file or line).

    >>> with CaughtWarnings() as caught:
    ...     warnings.warn("careful")
    >>> caught.texts
    ['UserWarning: careful']
    """

    def __init__(self) -> None:
        self._manager = warnings.catch_warnings(record=True)
        self._records: list[warnings.WarningMessage] = []

    def __enter__(self) -> CaughtWarnings:
        self._records = self._manager.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc: object) -> None:
        self._manager.__exit__(*exc)

    @property
    def texts(self) -> list[str]:
        """One ``"Category: message"`` string per warning, in order."""
        return [f"{w.category.__name__}: {w.message}" for w in self._records]

    def __str__(self) -> str:
        if not self._records:
            return "no warnings"
        return "\n".join(textwrap.fill(text, 110, subsequent_indent="    ") for text in self.texts)


__all__ = [
    "CaughtWarnings",
    "LrRecorder",
]
