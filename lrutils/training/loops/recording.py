"""What the optimizer really used: every param group's lr at every real ``optimizer.step()``, and warnings.

>>> opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
>>> with LrRecorder(opt) as rec:
...     opt.step()
>>> rec.lrs.tolist()
[[0.1]]
"""

from __future__ import annotations

import os
import sys
import textwrap
import warnings
from types import FrameType
from typing import Any

import numpy as np
import torch

from ...text.i18n import tr


class LrRecorder:
    """Record every param group's lr each time ``optimizer.step()`` really runs.

    Use it as a context manager; ``lrs`` is an array of shape ``(steps, param groups)``. A step
    that ``GradScaler`` skips never calls ``optimizer.step()``, so it leaves no row, except with a
    fused optimizer (``fused=True``): ``scaler.step`` always calls its ``optimizer.step()`` and the
    kernel skips the update, so that call leaves a row (see :func:`~lrutils.training.loops.amp.amp_run`).

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
        self._tensors: dict[tuple[int, int], str] = {}
        self._handle: Any = None

    def _hook(self, optimizer: torch.optim.Optimizer, args: Any, kwargs: Any) -> None:
        step = len(self._rows)
        for group, lr in enumerate(g["lr"] for g in optimizer.param_groups):
            if isinstance(lr, torch.Tensor):
                self._tensors[step, group] = str(lr.dtype).removeprefix("torch.")
        self._rows.append([float(group["lr"]) for group in optimizer.param_groups])

    def __enter__(self) -> LrRecorder:
        self._handle = self.optimizer.register_step_pre_hook(self._hook)
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.remove()

    @property
    def lrs(self) -> np.ndarray:
        """The lr of every group at every real optimizer step, shape ``(steps, groups)``.

        A loop that adds a param group part-way has more groups at later steps: the rows before
        are padded with NaN (see :attr:`group_counts`).

        >>> opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        >>> with LrRecorder(opt) as used:
        ...     opt.step()
        ...     opt.add_param_group({"params": [torch.zeros(1, requires_grad=True)], "lr": 0.01})
        ...     opt.step()
        >>> used.lrs.tolist(), used.group_counts.tolist()
        ([[0.1, nan], [0.1, 0.01]], [1, 2])
        """
        width = max(map(len, self._rows)) if self._rows else len(self.optimizer.param_groups)
        table = np.full((len(self._rows), width), np.nan)
        for i, row in enumerate(self._rows):
            table[i, : len(row)] = row
        return table

    @property
    def group_counts(self) -> np.ndarray:
        """How many param groups the optimizer had at each real step (an int per step)."""
        return np.array([len(row) for row in self._rows], dtype=int)

    @property
    def steps(self) -> int:
        """How many real optimizer steps ran (a step of an optimizer with no param group counts too)."""
        return len(self._rows)

    @property
    def tensor_lrs(self) -> dict[tuple[int, int], str]:
        """``(step, group) -> dtype`` (such as ``"float32"``) where the group's lr was a tensor, not a float.

        >>> opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=torch.tensor(0.1))
        >>> with LrRecorder(opt) as used:
        ...     opt.step()
        >>> used.tensor_lrs
        {(0, 0): 'float32'}
        """
        return dict(self._tensors)


class CaughtWarnings:
    """Catch every warning inside a ``with`` block; ``texts`` are ``"Category: message"`` (no file or line).

    ``from_torch`` says, for each warning, whether torch's own code issued it (the code that called
    ``warnings.warn`` lies in the torch package), whatever file its ``stacklevel`` points to.

    >>> with CaughtWarnings() as caught:
    ...     warnings.warn("careful")
    >>> caught.texts, caught.from_torch
    (['UserWarning: careful'], [False])
    """

    def __init__(self) -> None:
        self._manager = warnings.catch_warnings(record=True)
        self._records: list[warnings.WarningMessage] = []
        self._issuers: list[str] = []

    def __enter__(self) -> CaughtWarnings:
        self._records = self._manager.__enter__()
        warnings.simplefilter("always")
        keep = warnings._showwarnmsg_impl  # type: ignore[attr-defined]  # catch_warnings' recorder

        def record(message: warnings.WarningMessage) -> None:
            self._issuers.append(_issuer(sys._getframe(1)) or message.filename)
            keep(message)

        warnings._showwarnmsg_impl = record  # type: ignore[attr-defined]  # put back by catch_warnings on exit
        return self

    def __exit__(self, *exc: object) -> None:
        self._manager.__exit__(*exc)

    @property
    def texts(self) -> list[str]:
        """One ``"Category: message"`` string per warning, in order."""
        return [f"{w.category.__name__}: {w.message}" for w in self._records]

    @property
    def from_torch(self) -> list[bool]:
        """For each warning, whether code in the torch package issued it (not the caller's code)."""
        return [_in_torch(path) for path in self._issuers]

    def __str__(self) -> str:
        if not self._records:
            return tr("no warnings")
        return "\n".join(textwrap.fill(text, 110, subsequent_indent="    ") for text in self.texts)


_TORCH_DIR = os.path.dirname(os.path.abspath(torch.__file__)) + os.sep


def _in_torch(path: str) -> bool:
    return os.path.abspath(path).startswith(_TORCH_DIR)


def _issuer(frame: FrameType | None) -> str | None:
    """The file of the code that called ``warnings.warn``: the first frame outside the warnings module."""
    while frame is not None and frame.f_code.co_filename == warnings.__file__:
        frame = frame.f_back
    return frame.f_code.co_filename if frame is not None else None


__all__ = [
    "CaughtWarnings",
    "LrRecorder",
]
