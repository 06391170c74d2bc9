"""Slider timings for ``make bench``: how long an explorer takes to follow a slider.

>>> len(time_slider_moves(explore("StepLR").controls["gamma"], 2))
2
"""

from __future__ import annotations

import time
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from . import explore
from .explorer import Explorer

_SLIDERS = (widgets.IntSlider, widgets.SelectionSlider)


def benchmark_updates(name: str, n_updates: int = 30, key: str | None = None) -> list[float]:
    """Seconds per slider update (curve recomputed, picture and code redrawn), for ``make bench``.

    Moves slider ``key`` across its range; by default ``n_steps`` (or the schedule's own length,
    OneCycleLR's ``total_steps``): the x axis changes, so the whole picture is redrawn each time.

    >>> len(benchmark_updates("StepLR", n_updates=2)), len(benchmark_updates("StepLR", 2, key="gamma"))
    (2, 2)
    """
    explorer = explore(name)
    if key is None:
        key = "n_steps" if "n_steps" in explorer.controls else explorer.spec.length_param
    return time_slider_moves(explorer.controls[key], n_updates)


def time_slider_moves(slider: widgets.ValueWidget, n_moves: int, skip_last: bool = False) -> list[float]:
    """Move ``slider`` across its range in ``n_moves`` steps; seconds per move (everything it triggers).

    ``skip_last``: stop one position short of the end (so no move repeats the start's extreme).

    >>> len(time_slider_moves(explore("StepLR").controls["gamma"], 2))
    2
    """
    stop = n_moves + 2 if skip_last else n_moves + 1
    if isinstance(slider, widgets.IntSlider):
        values = [int(v) for v in np.linspace(slider.min, slider.max, stop)[1 : n_moves + 1]]
    else:
        options = [value for _, value in slider.options]
        values = [options[int(i)] for i in np.linspace(0, len(options) - 1, stop)[1 : n_moves + 1]]
    times = []
    for value in values:
        start = time.perf_counter()
        slider.value = value
        times.append(time.perf_counter() - start)
    return times


def first_parameter_slider(name: str) -> str | None:
    """The first of a scheduler's own parameters that an explorer shows on a slider (for ``make bench``).

    >>> first_parameter_slider("OneCycleLR")
    'max_lr'
    """
    explorer = explore(name)
    names = {p.name for p in explorer.spec.params}
    return next((k for k, c in explorer.controls.items() if k in names and isinstance(c, _SLIDERS)), None)


class UpdateTimes(NamedTuple):
    """Seconds per live-training update: ``release`` from slider release to the new picture (what
    the learner waits for), ``move`` the whole slider move (the lr curve's redraw, then the release)."""

    release: list[float]
    move: list[float]


def benchmark_training_updates(name: str, n_updates: int = 7) -> UpdateTimes:
    """Seconds per live-training update (slider moved, model retrained, picture redrawn), for ``make bench``.

    Outside a kernel the release fires at once, inside the move. In JupyterLab the lr curve is
    redrawn while the slider moves and the release follows :data:`~lrutils.explorer.explorer.SETTLE_SECONDS`
    after the last move.

    >>> times = benchmark_training_updates("StepLR", n_updates=1)
    >>> len(times.release), times.release[0] <= times.move[0]
    (1, True)
    """
    explorer = explore(name, train=True)
    key = first_parameter_slider(name) or "base_lr"
    release = []

    def record(ex: Explorer) -> None:
        release.append(ex.live.update_seconds)

    explorer.on_release(record)  # runs after the retrain, which was registered first
    move = time_slider_moves(explorer.controls[key], n_updates, skip_last=True)
    return UpdateTimes(release, move)


__all__ = [
    "UpdateTimes",
    "benchmark_training_updates",
    "benchmark_updates",
    "first_parameter_slider",
    "time_slider_moves",
]
