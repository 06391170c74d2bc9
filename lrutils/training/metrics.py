"""What a multi-seed comparison can measure on one run: final loss and accuracy, the loss after any
epoch, the best loss so far, the train/val gap and the epoch-to-epoch jitter.

>>> from lrutils import train
>>> h = train(None, epochs=3)
>>> bool(metric_value(h, "val_loss") == h.val_loss[-1]), bool(metric_value(h, "val_loss@1") == h.val_loss[0])
(True, True)
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..curves.spec import REQUIRED, ParamSpec
from ..text.i18n import template, tr
from ..text.suggest import did_you_mean
from .history import History

JITTER_EPOCHS = 10

METRICS: dict[str, str] = {
    "val_loss": template("validation loss"),
    "val_acc": template("validation accuracy"),
    "train_loss": template("training loss (mean over the epoch's batches)"),
    "best_val_loss": template("lowest validation loss so far (you cannot stop there without knowing it)"),
    "gap": template("validation loss minus training loss (how much it overfits)"),
    "jitter": template("mean |change| of the validation loss from epoch to epoch over {n} epochs"),
}
"""What a comparison can measure; ``"val_loss@5"`` (or any metric ``@`` an epoch, counted from 1)
takes the value after that epoch. The descriptions are :func:`~lrutils.text.i18n.tr` templates."""


def describe(metric: str) -> str:
    """One line on what ``metric`` measures, for a table's notes.

    >>> describe("jitter@5")
    'jitter@5: mean |change| of the validation loss from epoch to epoch over 10 epochs, after epoch 5'
    """
    name, _, at = check_metric(metric).partition("@")
    text = f"{metric}: " + tr(METRICS[name], n=JITTER_EPOCHS)
    return text + (tr(", after epoch {epoch}", epoch=at) if at else "")


def check_metric(metric: Any) -> str:
    """``metric`` if it names one of :data:`METRICS` (optionally ``@epoch``), else a clear error.

    >>> check_metric("val_loss@3")
    'val_loss@3'
    """
    if not isinstance(metric, str):
        raise TypeError(
            tr(
                "metric must be a string such as 'val_loss' or 'val_loss@5', got {kind} {value}",
                kind=type(metric).__name__,
                value=repr(metric),
            )
        )
    name, _, at = metric.partition("@")
    if name not in METRICS or (at and not at.isdigit()):
        raise ValueError(
            tr(
                "metric must be one of {names} (optionally @epoch), got {value}{hint}",
                names=", ".join(METRICS),
                value=repr(metric),
                hint=did_you_mean(name, METRICS),
            )
        )
    return metric


def check_metrics(metrics: Any) -> list[str]:
    """A list of metric names (one name alone counts as a list of one).

    >>> check_metrics("val_loss"), check_metrics(("gap", "jitter"))
    (['val_loss'], ['gap', 'jitter'])
    """
    if isinstance(metrics, str):
        return [check_metric(metrics)]
    if not isinstance(metrics, Sequence) or not metrics:
        raise TypeError(
            tr(
                "metrics must be a non-empty list of metric names such as ['val_loss', 'jitter'], got {value}",
                value=repr(metrics),
            )
        )
    return [check_metric(m) for m in metrics]


def check_digits(digits: Any) -> int:
    """Decimal places of a table: an int from 0 to 17.

    >>> check_digits(3)
    3
    """
    if isinstance(digits, bool) or not isinstance(digits, numbers.Integral):
        raise TypeError(tr("digits must be an int from 0 to 17, got {value}", value=repr(digits)))
    return ParamSpec("digits", "int", REQUIRED, low=0, high=17).check(digits)


def metric_value(h: History, metric: str) -> float:
    """One run's value of a metric named in :data:`METRICS` (optionally ``@epoch``)."""
    name, _, at = check_metric(metric).partition("@")
    if at:
        epoch = int(at)
        if not 1 <= epoch <= h.epochs:
            raise ValueError(
                tr("metric {metric}: the epoch after @ must be 1..{epochs}", metric=repr(metric), epochs=h.epochs)
            )
        index = epoch - 1
    else:
        index = -1
    if name == "best_val_loss":
        return float(np.min(h.val_loss[: index + 1 or None]))
    if name == "gap":
        return float(h.val_loss[index] - h.train_loss[index])
    if name == "jitter":
        end = index + 1 or None
        tail = h.val_loss[:end][-JITTER_EPOCHS:]
        if len(tail) < 2:
            raise ValueError(
                tr(
                    "jitter needs at least 2 epochs (it measures the change from one epoch to the next), got {n}",
                    n=len(tail),
                )
            )
        return float(np.mean(np.abs(np.diff(tail))))
    return float(getattr(h, name)[index])


__all__ = ["JITTER_EPOCHS", "METRICS", "check_digits", "check_metric", "check_metrics", "describe", "metric_value"]
