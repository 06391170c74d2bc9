"""Figures for notebook 04 (ReduceLROnPlateau): a learning rate above the metric it reacted to.

Convention (the same as :func:`lrutils.lr_curve` and the explorer): ``lr[i]`` is the lr used
during epoch ``i``, drawn as a step from ``i`` to ``i + 1``; ``metrics[i]`` is measured after
epoch ``i`` and passed to ``scheduler.step``, so it is drawn at ``i + 1``, the end of that epoch.
A cut decided after epoch ``i`` therefore shows as a step at ``i + 1``, right under the metric
value that triggered it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..curves.blog import blog_sketch
from ..curves.closed_form import lr_curve
from ..text.i18n import template, tr
from ._draw import layered_width, staircase
from ._draw import torch_dots as draw_torch_dots
from .language import localized
from .style import BLACK, GREY, MAX_WIDTH, OCHRE, Look, color_for, fallback_look, log_scale


def cut_epochs(lr: Sequence[float] | np.ndarray) -> list[int]:
    """The epochs whose lr differs from the epoch before (the first epoch of each new lr).

    >>> cut_epochs([0.1, 0.1, 0.01, 0.01, 0.001])
    [2, 4]
    """
    values = np.asarray(lr, dtype=float)
    if values.ndim != 1:
        raise TypeError(f"lr must be a list of learning rates, one per epoch, got {type(lr).__name__} {lr!r}")
    return [int(e) for e in np.flatnonzero(np.diff(values)) + 1]


def _looks(labels: Sequence[str]) -> list[Look]:
    """Grey dashes for the blog's sketch; a lone curve solid in ReduceLROnPlateau's colour, several
    in the fallback looks (colour and line style).

    >>> [look.color for look in _looks(["blog's sketch", "torch"])] == [GREY, color_for("ReduceLROnPlateau")]
    True
    >>> [look.linestyle for look in _looks(["a", "b"])] == [fallback_look(0).linestyle, fallback_look(1).linestyle]
    True
    """
    own = [label for label in labels if not label.startswith("blog")]
    out, index = [], 0
    for label in labels:
        if label.startswith("blog"):
            out.append(Look(GREY, "--", "none"))
        else:
            out.append(Look(color_for("ReduceLROnPlateau"), "-", "o") if len(own) == 1 else fallback_look(index))
            index += 1
    return out


def lr_and_metric(
    lrs: Mapping[str, Sequence[float] | np.ndarray],
    metrics: Mapping[str, Sequence[float] | np.ndarray],
    title: str = "",
    shade: tuple[float, float] | None = None,
    metric_ylim: tuple[float, float] | None = None,
    torch_dots: Sequence[float] | np.ndarray | None = None,
) -> Figure:
    """Learning rates (top, log scale, steps; cuts dotted) above the metrics passed to ``step()`` (bottom).

    A label starting with ``"blog"`` is drawn as grey dashes (the blog's sketch). ``shade`` =
    (first, last) epoch whose metric counts as "no improvement", shaded in the metric panel.
    ``torch_dots``: the real torch scheduler's lrs, drawn as dots over the first non-blog curve.
    When there are as many metrics as non-blog curves, each metric takes its curve's colour.

    >>> fig = lr_and_metric({"torch": [0.1, 0.1, 0.01]}, {"loss": [1.0, 1.0]}, torch_dots=[0.1, 0.1, 0.01])
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['lr (log scale)', 'metric']
    """
    if not lrs:
        raise ValueError("lrs must contain at least one curve (a mapping label -> lrs)")
    fig = Figure(figsize=(MAX_WIDTH, 4.8), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    labels = list(lrs)
    looks = _looks(labels)
    own = [look.color for label, look in zip(labels, looks, strict=True) if not label.startswith("blog")]
    own_index = 0
    for label, look in zip(labels, looks, strict=True):
        lr = np.asarray(lrs[label], dtype=float)
        epochs, steps = staircase(lr)  # the last epoch drawn to its end
        if label.startswith("blog"):
            # on top, so that it stays visible where torch's curve coincides with it
            top.plot(
                epochs, steps, "--", color=look.color, linewidth=2.5, label=label, drawstyle="steps-post", zorder=3
            )
            continue
        # earlier curves wider, so that a curve hidden under a later, equal one still shows at its edges
        width = layered_width(own_index, len(own))
        own_index += 1
        top.plot(epochs, steps, label=label, drawstyle="steps-post", linewidth=width, **look.line())
        for cut in cut_epochs(lr):
            top.axvline(cut, color=look.color, linestyle=":", linewidth=1)
    if torch_dots is not None:
        draw_torch_dots(top, torch_dots, x=np.arange(len(torch_dots)) + 0.5)
    metric_colours = own if len(metrics) == len(own) else [BLACK, GREY, OCHRE]
    for (label, values), colour in zip(metrics.items(), metric_colours, strict=False):
        m = np.asarray(values, dtype=float)
        bottom.plot(np.arange(1, len(m) + 1), m, color=colour, label=label, linewidth=1.5)
    if shade is not None:
        bottom.axvspan(shade[0] + 1, shade[1] + 1, color="grey", alpha=0.2, label=tr("no improvement"))
    if metric_ylim is not None:
        bottom.set_ylim(*metric_ylim)
    log_scale(top)
    top.set(ylabel=tr("lr (log scale)"), title=title)
    bottom.set(xlabel=tr("epoch (a metric is drawn at the end of the epoch it measures)"), ylabel=tr("metric"))
    for ax in (top, bottom):
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return localized(fig)


def call_title(kwargs: Mapping[str, Any], width: int = 60) -> str:
    """``ReduceLROnPlateau(k=v, ...)``, broken after a comma into lines of at most ``width`` characters.

    >>> call_title({"patience": 5, "factor": 0.5})
    'ReduceLROnPlateau(patience=5, factor=0.5)'
    >>> print(call_title({"patience": 5, "factor": 0.5, "threshold": 0.02, "cooldown": 3}, width=45))
    ReduceLROnPlateau(patience=5, factor=0.5,
    threshold=0.02, cooldown=3)
    """
    parts = [f"{k}={v!r}" for k, v in kwargs.items()]
    lines, line = [], "ReduceLROnPlateau("
    for i, part in enumerate(parts):
        piece = part + (", " if i < len(parts) - 1 else ")")
        if len(line) + len(piece.rstrip()) > width and line.strip():
            lines.append(line.rstrip())
            line = ""
        line += piece
    lines.append(line if parts else line + ")")
    return "\n".join(lines)


def curve_vs_torch(
    metrics: Sequence[float] | np.ndarray,
    base_lr: float = 0.1,
    blog: bool = False,
    shade: tuple[float, float] | None = None,
    metric_label: str = template("val loss passed to step()"),
    **kwargs: Any,
) -> Figure:
    """``lrutils.lr_curve`` (line) and the real torch scheduler (dots) for ``metrics``, the metric below.

    ``blog=True`` adds the blog's sketch (a fixed drop at epoch 50). ``kwargs`` are the scheduler's.

    >>> fig = curve_vs_torch([1.0, 0.9, 0.9, 0.9], patience=1)
    >>> len(fig.axes[0].lines) >= 2
    True
    """
    from ..curves.torch_reference import torch_lr_curve  # imports torch only when asked

    n = len(metrics) + 1
    ours = lr_curve("ReduceLROnPlateau", n, base_lr=base_lr, metrics=metrics, **kwargs)
    theirs = torch_lr_curve("ReduceLROnPlateau", n, base_lr=base_lr, metrics=metrics, **kwargs)
    curves: dict[str, np.ndarray] = {}
    if blog:
        curves[template("blog's sketch (fixed drop)")] = blog_sketch("ReduceLROnPlateau", n, base_lr)
    curves["lrutils.lr_curve"] = ours
    title = call_title(kwargs) + "\n" + _cuts_said(ours)
    return lr_and_metric(curves, {tr(metric_label): metrics}, title=title, shade=shade, torch_dots=theirs)


def _cuts_said(lr: np.ndarray) -> str:
    """Where the lr changes, in words, for a title.

    >>> _cuts_said(np.array([0.1, 0.1, 0.01])), _cuts_said(np.array([0.1, 0.1]))
    ('a new lr from epoch 2', 'no cut')
    """
    cuts = cut_epochs(lr)
    if not cuts:
        return tr("no cut")
    shown = ", ".join(str(c) for c in cuts[:6]) + (", ..." if len(cuts) > 6 else "")
    if len(cuts) > 1:
        return tr("a new lr from epochs {epochs}", epochs=shown)
    return tr("a new lr from epoch {epochs}", epochs=shown)


__all__ = ["call_title", "curve_vs_torch", "cut_epochs", "lr_and_metric"]
