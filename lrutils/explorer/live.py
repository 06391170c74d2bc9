"""``explore(name, train=True)``: the explorer retrains the demo model whenever the learner lets go.

Under the lr curve, a panel shows the validation loss of the demo model trained with the schedule
exactly as set (seed 0, SGD with momentum 0.9, :data:`~lrutils.training.demo.DEFAULT_EPOCHS` epochs of
30 batches), next to a constant lr of :data:`~lrutils.training.demo.DEFAULT_LR` on the same seed. The
run's length is the training budget, so it is fixed: ``n_steps`` (and OneCycleLR's ``epochs`` and
``steps_per_epoch``) are not on sliders. ReduceLROnPlateau reacts to the run's own validation
loss: after each run the explorer's metric panel shows that loss and the cuts it caused.

One run takes about a third of a second (:mod:`lrutils.training.engine`); ``make bench`` measures a whole
update (retrain and redraw).
"""

from __future__ import annotations

import html
import time
import warnings
from functools import lru_cache
from typing import Any

import numpy as np

from ..curves.table import get_spec
from ..figures.style import color_for
from ..text.i18n import template, tr
from ..training.demo import DEFAULT_EPOCHS, DEFAULT_LR, demo_kwargs, steps_per_epoch
from ..training.history import History, TrainingFailed
from ..training.runs import train
from .explorer import Explorer
from .start import ONE_CYCLE_LENGTHS

LIVE_SEED = 0
PANEL_LABEL = template("val loss")


@lru_cache(maxsize=4)
def constant_reference(lr: float = DEFAULT_LR, epochs: int = DEFAULT_EPOCHS) -> History:
    """The constant-lr run every live explorer draws for comparison (trained once per process)."""
    return train(None, epochs=epochs, seed=LIVE_SEED, lr=lr)


class LiveTraining:
    """Retrains and draws the demo model for an :class:`~lrutils.explorer.explorer.Explorer` (its release hook)."""

    def __init__(self, explorer: Explorer, first: History | None = None) -> None:
        """Draw the first run into ``explorer`` (built with ``render=False`` and a loss panel, unless it
        is ReduceLROnPlateau's, whose metric panel shows the run's val loss) and retrain on release.

        ``first``: a run already trained with the explorer's starting settings (drawn, not retrained)."""
        self.explorer = explorer
        self.spec = explorer.spec
        self.update_seconds = 0.0  # release to new picture: training, drawing and rendering
        self.summary = ""
        self._legend_drawn = False
        self._plateau = explorer.plateau_panels is not None
        self.history = self._train(explorer) if first is None else first
        self._draw(self.history)
        explorer.on_release(self.retrain)

    def _x(self, epochs: int) -> np.ndarray:
        """Where each epoch's val loss goes on the explorer's x axis (epochs, or the epoch's last batch)."""
        e = np.arange(epochs)
        return (e + 1) * steps_per_epoch() - 1 if self.spec.unit == "batch" else e.astype(float)

    def _train(self, explorer: Explorer) -> History:
        """One run with the explorer's settings; a diverged run is returned (the panel says so), not raised."""
        _, base_lr, kwargs = explorer.settings()
        kwargs.pop("metrics", None)  # ReduceLROnPlateau trains on its own validation loss
        for key in ONE_CYCLE_LENGTHS:  # OneCycleLR's length: the budget train() fills in
            kwargs.pop(key, None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TrainingFailed)
            return train(self.spec.name, epochs=DEFAULT_EPOCHS, seed=LIVE_SEED, lr=base_lr, **kwargs)

    def retrain(self, explorer: Explorer) -> None:
        """Train with the explorer's settings, redraw the loss panel (and the plateau's real metric)."""
        start = time.perf_counter()
        history = self._train(explorer)
        self.history = history
        if self.spec.unit == "metric" and history.failure is None:
            explorer.set_metrics(history.val_loss[:-1], show=False)  # the cuts this run really made
        self._draw(history)
        explorer.render()
        self.update_seconds = time.perf_counter() - start

    def _draw(self, history: History) -> None:
        reference = constant_reference()
        x = self._x(history.epochs)
        if self._plateau:  # the run's loss is the metric panel's curve: add the constant's beside it
            if not self._legend_drawn:
                ax = self.explorer.plateau_panels.metric_ax
                # metrics[i] (measured after epoch i) sits at x = i + 1 in the metric panel
                ax.plot(x[1:], reference.val_loss[:-1], color="0.55", linestyle="--", linewidth=1.5)
                self._legend_drawn = True
            self.summary = self._summary(history, reference)
            self.explorer.set_note(
                self.summary + " &middot; " + html.escape(tr("dashed grey: the constant lr's val loss"))
            )
            return
        ax = self.explorer.extra_axes[-1]
        for artist in [*ax.lines, *ax.collections, *ax.texts]:
            artist.remove()
        constant = ax.plot(x, reference.val_loss, color="0.55", linestyle="--", linewidth=1.5)[0]
        run = ax.plot(x, history.val_loss, color=color_for(self.spec.name), linewidth=2)[0]
        if not self._legend_drawn:  # drawn once, as pixels (see ExplorerFigure.legend)
            run.set_label(tr("this run (seed {seed})", seed=LIVE_SEED))
            constant.set_label(tr("constant lr {lr:g}", lr=reference.base_lr))
            self.explorer.figure.legend(ax, [run, constant])
            self._legend_drawn = True
        finite = np.concatenate([reference.val_loss, history.val_loss[np.isfinite(history.val_loss)]])
        ax.set_ylim(max(0.0, float(finite.min()) - 0.03), min(1.6, float(finite.max()) + 0.03))
        if history.failure is not None:
            ax.text(0.5, 0.5, tr("diverged: {why}", why=history.failure.message), transform=ax.transAxes, ha="center",
                    va="center", color="#b00", fontsize=10, wrap=True)  # fmt: skip
        self.summary = self._summary(history, reference)
        self.explorer.set_note(self.summary)

    def _summary(self, history: History, reference: History) -> str:
        ref = html.escape(
            tr("constant lr {lr:g} (dashed): {loss:.4f}", lr=reference.base_lr, loss=reference.val_loss[-1])
        )
        if history.failure is not None:
            return html.escape(tr("this run: {why}", why=history.failure.message)) + f" &middot; {ref}"
        this = tr(
            "this run (solid, seed {seed}): final val loss {loss:.4f}, accuracy {acc:.3f}",
            seed=LIVE_SEED,
            loss=history.val_loss[-1],
            acc=history.val_acc[-1],
        )
        caution = tr("one seed: for how much of a difference is real, see the multi-seed comparisons")
        return f"{html.escape(this)} &middot; {ref} &middot; {html.escape(caution)}"


def training_explorer(name: str, **overrides: Any) -> Explorer:
    """An explorer with live training (what ``explore(name, train=True)`` returns).

    Starts from the training demo's settings (:func:`~lrutils.training.demo.demo_kwargs`, lr
    :data:`~lrutils.training.demo.DEFAULT_LR`); ``overrides`` change them. ``explorer.live`` holds the
    :class:`LiveTraining` with the last run (``.history``).

    >>> ex = training_explorer("StepLR")
    >>> ex.live.history.epochs, ex.live.history.kwargs
    (30, {'step_size': 10, 'gamma': 0.3})
    """
    spec = get_spec(name)
    spe = steps_per_epoch()
    lr = overrides.pop("base_lr", DEFAULT_LR)
    for key in ("n_steps", "epochs", "steps_per_epoch", "total_steps", "metrics"):
        if key in overrides:
            raise TypeError(
                tr(
                    "explore({name}, train=True): {key} is fixed by the training budget ({epochs} epochs of {spe} "
                    "batches); leave it out",
                    name=repr(name),
                    key=key,
                    epochs=DEFAULT_EPOCHS,
                    spe=spe,
                )
            )
    start = {**demo_kwargs(name, DEFAULT_EPOCHS, spe, lr), **overrides}
    fixed: dict[str, Any] = {}
    first = None
    if spec.length_of is not None:  # OneCycleLR: the run's length is the budget
        fixed = {k: start.pop(k) for k in ONE_CYCLE_LENGTHS if k in start}
    elif spec.unit == "metric":  # the metric panel shows the run's own val loss: train it first
        fixed = {"n_steps": DEFAULT_EPOCHS}
        first = train(name, epochs=DEFAULT_EPOCHS, seed=LIVE_SEED, lr=lr, **start)
        start["metrics"] = first.val_loss[:-1]
    else:
        fixed = {"n_steps": DEFAULT_EPOCHS * spe if spec.unit == "batch" else DEFAULT_EPOCHS}
    plateau = spec.unit == "metric"  # its metric panel shows the run's own val loss: no extra panel
    explorer = Explorer(
        name,
        fixed=fixed,
        metric_label=tr("val loss (this run)") if plateau else None,
        extra_panels=() if plateau else (tr(PANEL_LABEL),),
        show_blog=False,  # the blog's sketch spans 100 epochs; the training budget is 30
        render=False,
        base_lr=lr,
        **start,
    )
    explorer.live = LiveTraining(explorer, first)  # type: ignore[attr-defined]
    explorer.show_first_picture()  # with the loss panel and the first run: what a saved notebook shows
    return explorer


__all__ = ["LiveTraining", "constant_reference", "training_explorer"]
