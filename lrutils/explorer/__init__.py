"""Explorers: a control per parameter beside a picture that follows them, torch code, live training.

- :func:`explore`, the entry point; :mod:`~lrutils.explorer.explorer`: :class:`Explorer`;
- :mod:`~lrutils.explorer.controls`: one widget per parameter, holding exactly the value it shows;
- :mod:`~lrutils.explorer.picture`: the panels' canvas in screen pixels; :mod:`~lrutils.explorer.panels`:
  what each panel draws;
- :mod:`~lrutils.explorer.code`: the torch code that builds the drawn schedule;
- :mod:`~lrutils.explorer.live`: ``train=True``, the demo model retrained on release;
- :mod:`~lrutils.explorer.timing`: slider timings for ``make bench``.

Layer 4: imports :mod:`lrutils.curves`, :mod:`lrutils.figures`, :mod:`lrutils.training`,
:mod:`lrutils.text`.
"""

from __future__ import annotations

from typing import Any

from ..text.i18n import tr
from .code import torch_code
from .explorer import Explorer
from .live import training_explorer


def explore(name: str, train: bool = False, **overrides: Any) -> Explorer:
    """An explorer for scheduler ``name``: a control per parameter, the curve and its torch code redrawn.

    ``overrides`` set starting values: any keyword ``lr_curve`` takes (``base_lr``, ``n_steps``,
    the scheduler's own, ``metrics=`` for ReduceLROnPlateau). A value outside a slider's usual
    range widens the slider; a value the scheduler refuses is a clear error.

    ``train=True`` adds the demo model's validation loss under the curve, retrained whenever the
    learner lets go of a control (see :mod:`lrutils.explorer.live`): the schedule starts from the
    training demo's settings over its fixed budget of 30 epochs.

    >>> ex = explore("StepLR", step_size=5)
    >>> ex.controls["gamma"].value = 0.5   # what moving the slider does
    >>> ex.curve[:6].round(4).tolist()
    [0.1, 0.1, 0.1, 0.1, 0.1, 0.05]
    """
    if not isinstance(train, bool):
        raise TypeError(tr("train must be True or False, got {value}", value=repr(train)))
    if train:
        return training_explorer(name, **overrides)
    return Explorer(name, **overrides)


__all__ = ["Explorer", "explore", "torch_code", "training_explorer"]
