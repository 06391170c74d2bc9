"""What one training run recorded: :class:`History`, and :class:`Failure` for a run that blew up."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..text.i18n import tr

CONSTANT = "constant"
"""Label of the constant-lr baseline (``name=None``) in tables and legends."""


DIVERGED_LOSS = 100.0
"""A batch's mean loss above this counts as diverged: guessing among 3 classes scores ln 3 = 1.1, so
the weights are blowing up (in float64 they take far longer to reach inf or NaN)."""


class TrainingFailed(RuntimeWarning):
    """Warned by :func:`lrutils.train` when its run stopped (the History still holds the epochs before)."""


@dataclass(frozen=True)
class Failure:
    """Where a run stopped because its loss became NaN, infinite or larger than :data:`DIVERGED_LOSS`.

    ``step`` counts optimizer steps from 0; ``epoch`` is 1-based, as tables count epochs; ``loss``
    is the batch's mean loss at that step.

    >>> Failure(step=31, epoch=2, lr=50.0, loss=float("nan")).message
    'loss became nan in epoch 2 (step 31) at lr 50: lower the lr'
    >>> Failure(step=3, epoch=1, lr=50.0, loss=4.7e31).message
    'loss reached 4.7e+31 in epoch 1 (step 3) at lr 50 (diverging): lower the lr'
    """

    step: int
    epoch: int
    lr: float
    loss: float

    @property
    def message(self) -> str:
        """One sentence for a table or a plot: what happened, where, and what to do."""
        where = {"epoch": self.epoch, "step": self.step, "lr": f"{self.lr:.3g}"}
        if math.isfinite(self.loss):
            return tr(
                "loss reached {loss:.2g} in epoch {epoch} (step {step}) at lr {lr} (diverging): lower the lr",
                loss=self.loss,
                **where,
            )
        return tr("loss became {loss} in epoch {epoch} (step {step}) at lr {lr}: lower the lr", loss=self.loss, **where)

    def __eq__(self, other: object) -> bool:  # NaN losses compare equal here
        if not isinstance(other, Failure):
            return NotImplemented
        same_loss = self.loss == other.loss or (math.isnan(self.loss) and math.isnan(other.loss))
        return (self.step, self.epoch, self.lr) == (other.step, other.epoch, other.lr) and same_loss

    def __hash__(self) -> int:
        return hash((self.step, self.epoch, self.lr))


@dataclass(eq=False)
class History:
    """What one run recorded.

    ``lr``, ``momentum`` and ``batch_loss`` hold one value per optimizer step (the lr and momentum
    the step used, for AdamW ``momentum`` is beta1; the batch's mean loss just before the step),
    ``epochs * steps_per_epoch`` in all. ``train_loss`` (mean loss over
    the epoch's batches, as most training loops report it), ``val_loss`` and ``val_acc`` (whole
    validation split after the epoch) hold one value per epoch. A run whose loss became NaN or
    infinite stops there: ``failure`` says where, and every later entry is NaN. Two histories are
    ``==`` when every field is identical (arrays bit for bit).

    >>> from lrutils import train
    >>> h = train("StepLR", epochs=2)
    >>> h.label, h.lr.shape == (2 * h.steps_per_epoch,), h.val_loss.shape, h.failure
    ('StepLR', True, (2,), None)
    """

    name: str | None
    kwargs: dict[str, Any]
    lr: np.ndarray
    momentum: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    val_acc: np.ndarray
    steps_per_epoch: int
    seed: int
    base_lr: float
    optimizer: str = "sgd"
    failure: Failure | None = None
    batch_loss: np.ndarray | None = None

    @property
    def label(self) -> str:
        """The scheduler's name, or ``"constant"`` for the baseline."""
        return CONSTANT if self.name is None else self.name

    @property
    def epochs(self) -> int:
        """Number of epochs the run was set up for (a failed run has NaN after its failure)."""
        return len(self.val_loss)

    @property
    def failed(self) -> bool:
        """True if the loss became NaN or infinite."""
        return self.failure is not None

    @property
    def step_epochs(self) -> np.ndarray:
        """Fractional epoch of every optimizer step (``step / steps_per_epoch``), to plot ``lr``."""
        return np.arange(len(self.lr)) / self.steps_per_epoch

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History):
            return NotImplemented
        arrays = ("lr", "momentum", "train_loss", "val_loss", "val_acc", "batch_loss")
        same_arrays = all(_same_array(getattr(self, a), getattr(other, a)) for a in arrays)
        fields = ("name", "steps_per_epoch", "seed", "base_lr", "optimizer", "failure")
        return (
            same_arrays
            and all(getattr(self, f) == getattr(other, f) for f in fields)
            and _same_kwargs(self.kwargs, other.kwargs)
        )


def _same_array(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.shape == b.shape and a.tobytes() == b.tobytes()


def _same_kwargs(a: dict[str, Any], b: dict[str, Any]) -> bool:
    # A LambdaLR's function compares by identity; everything else by value.
    return a.keys() == b.keys() and all(a[k] is b[k] or a[k] == b[k] for k in a)


__all__ = ["CONSTANT", "DIVERGED_LOSS", "Failure", "History"]
