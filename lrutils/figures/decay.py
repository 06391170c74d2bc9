"""Figures for notebooks 01 (step decay, ``StepLR``) and 02 (exponential decay, ``ExponentialLR``).

Every function returns a :class:`~matplotlib.figure.Figure` (never ``plt.show()``), at most
:data:`lrutils.figures.style.MAX_WIDTH` wide, with the legend under the panels so it never covers a curve.
Per-epoch learning rates are drawn as staircases (``drawstyle="steps-post"``): the lr of epoch t
holds from t to t + 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..curves.blog import blog_sketch
from ..curves.closed_form import lr_curve
from ..curves.spec import REQUIRED, ParamSpec
from ..curves.torch_reference import torch_lr_curve
from ..text.i18n import template, tr
from ._draw import legend_below, staircase, torch_dots
from .language import localized
from .style import MAX_WIDTH, color_for, log_scale, looks_for


def _legend_below(fig: Figure, ax: Axes, ncols: int = 3) -> None:
    legend_below(fig, *ax.get_legend_handles_labels(), most=ncols)


def _lr_axes(ax: Axes, xlabel: str, log: bool) -> None:
    ax.set_xlabel(tr(xlabel))  # the default "epoch" is a catalog template
    ax.set_ylabel(tr("learning rate (log scale)") if log else tr("learning rate"))
    if log:
        log_scale(ax)


def _what_it_does(name: str, kwargs: Mapping[str, Any]) -> str:
    """What a decay does to the lr, in words, for a title ("" for a scheduler not described here).

    >>> _what_it_does("StepLR", {"step_size": 10, "gamma": 0.5}), _what_it_does("ExponentialLR", {"gamma": 0.9})
    ('halves the lr every 10 epochs', 'x0.9 every epoch')
    >>> _what_it_does("MultiStepLR", {"milestones": [30, 80], "gamma": 0.1})
    'divides the lr by 10 at epochs 30, 80'
    """
    gamma = kwargs.get("gamma", 0.1)
    by = {0.5: tr("halves the lr"), 0.1: tr("divides the lr by 10")}.get(gamma, f"x{gamma:g}")
    if name == "StepLR" and "step_size" in kwargs:
        return tr("{by} every {n} epochs", by=by, n=kwargs["step_size"])
    if name == "ExponentialLR" and "gamma" in kwargs:
        return tr("{by} every epoch", by=by)
    if name == "MultiStepLR" and "milestones" in kwargs:
        return tr("{by} at epochs {epochs}", by=by, epochs=", ".join(str(m) for m in kwargs["milestones"]))
    return ""


def _args(kwargs: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in kwargs.items())


def curve_vs_torch(
    name: str, n_steps: int = 100, base_lr: float = 0.1, scales: Sequence[str] = ("log",), **kwargs: Any
) -> Figure:
    """The formula (``lrutils.lr_curve``, line), the real torch scheduler (dots) and lrutils'
    reconstruction of the blog's sketch (wide grey band), one panel per y scale in ``scales``.
    The title says whether the three coincide (to 1e-9 of the lr), as computed here.

    >>> fig = curve_vs_torch("StepLR", 30, step_size=10, gamma=0.5)
    >>> len(fig.axes), fig.axes[0].get_yscale()
    (1, 'log')
    """
    bad = [s for s in scales if s not in ("linear", "log")]
    if not scales or bad:
        raise ValueError(f"scales must be a non-empty list of 'linear' and 'log', got {list(scales)!r}")
    ours = lr_curve(name, n_steps, base_lr=base_lr, **kwargs)
    theirs = torch_lr_curve(name, n_steps, base_lr=base_lr, **kwargs)
    epochs = np.arange(n_steps)
    fig = Figure(figsize=(MAX_WIDTH if len(scales) > 1 else MAX_WIDTH * 0.9, 3.6), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(scales)))
    sketch = blog_sketch(name, epochs=n_steps, base_lr=base_lr) if n_steps <= 100 else None
    for ax, scale in zip(axes, scales, strict=True):
        if sketch is not None:
            ax.plot(
                *staircase(sketch),
                color="0.75",
                linewidth=7,
                drawstyle="steps-post",
                label=tr("blog's sketch (reconstructed)"),
            )
        ax.plot(*staircase(ours), color=color_for(name), drawstyle="steps-post", label=tr("lrutils.lr_curve (formula)"))
        torch_dots(ax, theirs, label=tr("torch {name} (stepped)", name=name), x=epochs)
        _lr_axes(ax, tr("epoch"), scale == "log")
        if len(scales) > 1:
            ax.set_title(tr("log: equal factors, equal steps") if scale == "log" else tr("linear scale"), fontsize=11)
    same = [ours, *([sketch] if sketch is not None else [])]
    agree = all(np.allclose(curve, theirs, rtol=0, atol=1e-9 * base_lr) for curve in same)
    what = (
        tr("formula, torch and the blog's sketch coincide") if sketch is not None else tr("formula and torch coincide")
    )
    does = _what_it_does(name, kwargs)
    first = f"{name}({_args(kwargs)})" + (f": {does}" if does else "")
    fig.suptitle(first + "\n" + tr("from lr {lr:g}", lr=base_lr) + (f"; {what}" if agree else ""))
    _legend_below(fig, axes[0], ncols=3)
    return localized(fig)


def staircases(
    curves: Mapping[str, np.ndarray],
    title: str = "",
    xlabel: str = template("epoch"),
    log: bool = True,
    per: int = 1,
) -> Figure:
    """Overlay learning-rate curves as staircases; ``per`` values make one x unit (e.g. batches per
    epoch, so a per-batch curve is drawn against epochs).

    >>> fig = staircases({"a": np.ones(4), "b": np.full(4, 0.5)}, per=2)
    >>> len(fig.axes[0].lines), float(fig.axes[0].lines[0].get_xdata()[-1])
    (2, 2.0)
    """
    if not curves:
        raise ValueError("curves must contain at least one curve (a mapping label -> array)")
    if per < 1:
        raise ValueError(f"per must be at least 1, got {per}")
    fig = Figure(figsize=(MAX_WIDTH * 0.9, 3.6), layout="constrained")
    ax = fig.subplots()
    looks = looks_for(list(curves))
    for label, values in curves.items():
        ax.plot(*staircase(values, per), drawstyle="steps-post", label=label, **looks[label].line())
    _lr_axes(ax, xlabel, log)
    if title:
        ax.set_title(title)
    _legend_below(fig, ax, ncols=2)
    return localized(fig)


def stepped_per_batch(
    name: str, epochs: int, batches_per_epoch: int, base_lr: float = 0.1, log: bool = True, **kwargs: Any
) -> Figure:
    """Scheduler ``name`` stepped once per epoch (as meant) and once per batch (the bug), both
    from the real torch scheduler, against epochs: per batch, the schedule's clock runs
    ``batches_per_epoch`` times too fast.

    >>> fig = stepped_per_batch("StepLR", 3, 4, step_size=1, gamma=0.5)
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['stepped per epoch (meant)', 'stepped per batch (bug)']
    """
    epochs = ParamSpec("epochs", "int", REQUIRED, low=1).check(epochs)
    batches_per_epoch = ParamSpec("batches_per_epoch", "int", REQUIRED, low=1).check(batches_per_epoch)
    meant = np.repeat(torch_lr_curve(name, epochs, base_lr=base_lr, **kwargs), batches_per_epoch)
    bug = torch_lr_curve(name, epochs * batches_per_epoch, base_lr=base_lr, **kwargs)
    return staircases(
        {tr("stepped per epoch (meant)"): meant, tr("stepped per batch (bug)"): bug},
        title=f"{name}({_args(kwargs)}) " + tr("stepped per batch:\nits clock runs {n}x too fast", n=batches_per_epoch),
        xlabel=tr("epoch"),
        log=log,
        per=batches_per_epoch,
    )


__all__ = ["curve_vs_torch", "staircases", "stepped_per_batch"]
