"""A progress bar for long computations in a notebook, with a text form that never changes.

In a Jupyter kernel :func:`progress_bar` displays an ``ipywidgets.IntProgress``; elsewhere it
shows nothing. Its ``text/plain`` form, which strict nbval compares and which a code host shows
instead of the widget, names the job and does not depend on timing or on how far the bar got. The
notebook's saved widget state keeps the finished bar.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import ipywidgets as widgets


def in_kernel() -> bool:
    """True inside a running Jupyter kernel (where widgets can be displayed).

    >>> in_kernel()
    False
    """
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class ProgressBar(widgets.IntProgress):
    """An ``IntProgress`` whose ``repr`` says what it counts, e.g. ``[training: 60 runs]``."""

    def __init__(self, what: str, total: int) -> None:
        super().__init__(value=0, min=0, max=max(total, 1), description=what.split(" ")[0])
        self.what = what
        self.layout.width = "420px"

    def __repr__(self) -> str:
        return f"[{self.what}]"


@contextmanager
def progress_bar(what: str, total: int, show: bool = True) -> Iterator[ProgressBar | None]:
    """Display a bar (in a kernel, if ``show``) for ``total`` units of work; green when done, red on error.

    >>> with progress_bar("training: 2 runs", 2) as bar:
    ...     bar is None  # not in a kernel
    True
    """
    bar = None
    if show and in_kernel():
        from IPython.display import display

        bar = ProgressBar(what, total)
        display(bar)
    try:
        yield bar
    except BaseException:
        if bar is not None:
            bar.bar_style = "danger"
        raise
    if bar is not None:
        bar.value = bar.max
        bar.bar_style = "success"


__all__ = ["ProgressBar", "in_kernel", "progress_bar"]
