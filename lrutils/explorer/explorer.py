"""Interactive explorers: a control per parameter beside a picture that follows them, and torch code.

The picture is an ``ipywidgets.Image`` whose PNG bytes are replaced on every change, and the torch
code under it an ``HTML`` widget. Nothing is printed or plotted into an output area, so strict
nbval sees the same outputs on every run; a reader without a kernel sees the first picture (the
display also carries it as ``image/png``).

Release hook: a browser slider with ``continuous_update=True`` sends every value it passes
through and sends nothing more when the mouse button goes up, so the kernel cannot see a release
as such. :meth:`Explorer.on_release` therefore calls back once the controls have been still for
:data:`SETTLE_SECONDS` (a keyboard press, a mouse release, or a pause while dragging), through
the kernel's asyncio loop; outside a running loop (plain Python, tests) it calls back at once.
"""

from __future__ import annotations

import asyncio
import base64
import html
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.axes import Axes

from ..curves.blog import BLOG_BASE_LR, BLOG_EPOCHS, blog_sketch
from ..curves.closed_form import lr_curve, momentum_curve
from ..curves.composite import RECIPES
from ..curves.plateau import plateau_trace
from ..curves.synthetic import synthetic_val_loss
from ..curves.table import BLOG_SCHEDULERS, get_spec
from ..figures.style import color_for
from ..text.i18n import tr
from .code import torch_code
from .controls import read
from .panels import LrPanel, MomentumPanel, PlateauPanels
from .picture import FONT_PX, ExplorerFigure, compact_png
from .start import LOSS_FLAT, LOSS_NOISE, check_explorer_steps, explorer_start

LOG_SCALE_FIRST = (
    "StepLR",
    "MultiStepLR",
    "ExponentialLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "ReduceLROnPlateau",
    "OneCycleLR",
    "PolynomialLR",
)
"""Decaying schedules: their explorer opens on a log lr axis (equal factors, equal steps; notebook 02),
unless the first curve reaches 0 (a log axis cannot show it)."""
SETTLE_SECONDS = 0.3
"""How long the controls must be still before :meth:`Explorer.on_release` callbacks run."""
PANEL_PX = {"lr": 150, "momentum": 100, "metric": 115, "gain": 100, "extra": 120}
"""Panel heights in CSS pixels."""
READOUT_STYLE = (  # a SelectionSlider's readout looks editable but ignores typing: make it plain text
    "<style>.lrutils-choice-slider .widget-readout{pointer-events:none;-webkit-user-modify:read-only}</style>"
)


class Explorer(widgets.HBox):
    """Controls for every parameter of one scheduler beside a picture and the torch code that follow them.

    Build it with :func:`explore`. ``controls`` maps parameter names to their widgets, ``curve``
    holds the learning rates drawn now, ``image`` the picture and ``message`` the code (or why
    the current values cannot be drawn). For a later training panel: :meth:`settings` gives the
    validated values, :meth:`add_panel` a new panel under the others, :meth:`on_release` a
    callback once the learner lets go, :meth:`render` re-renders the picture.
    """

    def __init__(
        self,
        name: str,
        fixed: dict[str, Any] | None = None,
        metric_label: str | None = None,
        extra_panels: Sequence[str] = (),
        show_blog: bool | None = None,
        render: bool = True,
        **overrides: Any,
    ) -> None:
        """``extra_panels``: labels of empty panels under the others (for :attr:`extra_axes`);
        ``show_blog``: start with the blog's sketch on or off (default: on where the blog has one);
        ``render=False``: leave the first picture to :meth:`show_first_picture`, after drawing into
        the extra panels (the live-training explorer draws its first run there)."""
        self.name = name
        self.spec = get_spec(name)
        self._metric_label = metric_label  # what the plateau's metric panel calls the metric
        start = explorer_start(name, overrides, dict(fixed or {}))
        self.controls, self.fixed = start.controls, start.fixed
        self._base_lr, self._n_steps, self._metrics = start.base_lr, start.n_steps, start.metrics
        blog = name in BLOG_SCHEDULERS
        self.show_blog = widgets.Checkbox(
            value=blog if show_blog is None else bool(show_blog) and blog, description=tr("blog's sketch"), indent=False
        )
        self.show_blog.layout.display = None if name in BLOG_SCHEDULERS else "none"
        # Decays are easier to read on a log axis: equal factors become equal steps (set below).
        self.log_scale = widgets.Checkbox(value=False, description=tr("log scale"), indent=False)
        self.message = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.image = widgets.Image(format="png")
        self.image.add_class("lrutils-plot")
        self.curve = np.zeros(0)
        self.valid = False
        self._last_code_html = ""
        self._note = ""  # a line under the code (the live-training summary), kept across redraws
        self.extra_axes: list[Axes] = []
        self._extra_labels = [str(label) for label in extra_panels]
        self._release_callbacks: list[Callable[[Explorer], None]] = []
        self._release_handle: asyncio.TimerHandle | None = None
        self._build_figure()
        self._update_enabled()
        self.settings()  # bad starting values: a clear error now, not a broken explorer
        self.log_scale.value = self._log_first()
        self._saved_png: bytes | None = None
        self._first_png = b""
        self._drawn_once = False
        self.redraw(show=render)
        if not self.valid:  # a starting curve it cannot draw: lr_curve's clear error, not an empty explorer
            raise ValueError(self._error)
        if render:
            self.keep_first_picture()
        for control in [*self.controls.values(), self.show_blog, self.log_scale]:
            control.observe(self._on_change, names="value")
        toggles = widgets.HBox([self.show_blog, self.log_scale])
        left = widgets.VBox(
            [*self.controls.values(), toggles, widgets.HTML(READOUT_STYLE)],
            layout=widgets.Layout(flex="0 0 auto", width="348px", margin="0 10px 8px 0"),
        )
        # As wide as the picture (+ the widgets' 2 px margins): long code lines wrap instead of widening it.
        view_width = f"{self.figure.css_size[0] + 6}px"
        right = widgets.VBox(
            [self.image, self.message], layout=widgets.Layout(flex="0 1 auto", width=view_width, max_width="100%")
        )
        right.add_class("lrutils-view")
        super().__init__([left, right], layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"))
        self.add_class("lrutils-explorer")

    # --- starting values and controls ------------------------------------------------------------

    def _update_enabled(self) -> None:
        """Grey out a control that changes nothing with the others as they are (``only_if``)."""
        for p in self.spec.params:
            if p.only_if is None or p.name not in self.controls:
                continue
            other, needed = p.only_if  # a menu or a checkbox: always readable
            current = self.controls[other].value if other in self.controls else self.spec.param(other).default
            self.controls[p.name].disabled = current != needed

    def values(self) -> dict[str, Any]:
        """The current value of every control, by name (exactly what it shows)."""
        return {key: read(control, key) for key, control in self.controls.items()}

    def curve_kwargs(self) -> tuple[int, float, dict[str, Any]]:
        """(n_steps, base_lr, kwargs) for ``lr_curve`` from the controls, not yet validated."""
        kwargs = {**self.fixed, **self.values()}
        base_lr = kwargs.pop("base_lr", self._base_lr)
        n_steps = kwargs.pop("n_steps", self._n_steps)
        if n_steps is None:  # the schedule fixes its own length (OneCycleLR's total steps)
            n_steps = self.spec.length_of(self.spec.resolve(1, kwargs, with_data=False))
        if self.spec.unit == "metric":
            if self._metrics is not None:
                kwargs["metrics"] = self._metrics
            else:
                flat, noise = kwargs.pop(LOSS_FLAT.name), kwargs.pop(LOSS_NOISE.name)
                kwargs["metrics"] = synthetic_val_loss(n_steps - 1, flat_from=flat, noise=noise, seed=0)
        return n_steps, base_lr, kwargs

    def settings(self) -> tuple[int, float, dict[str, Any]]:
        """(n_steps, base_lr, kwargs) as now set, checked: what a retrain-on-release hook passes on.

        Raises the ValueError or TypeError ``lr_curve`` would, naming the parameter.

        >>> Explorer("StepLR", step_size=5).settings()[:2]
        (100, 0.1)
        """
        n_steps, base_lr, kwargs = self.curve_kwargs()
        length = "n_steps" if self.spec.length_of is None else (self.spec.length_param or "n_steps")
        check_explorer_steps(n_steps, length)
        self.spec.resolve(n_steps, kwargs)
        return n_steps, base_lr, kwargs

    def code(self) -> str:
        """The torch code for the current values (what the explorer prints under its picture)."""
        n_steps, base_lr, kwargs = self.settings()
        return torch_code(self.name, n_steps, base_lr, **kwargs)

    # --- picture ------------------------------------------------------------------------------

    def _build_figure(self) -> None:
        kinds = ["lr"]
        if self.spec.momentum is not None:
            kinds.append("momentum")
        if self.spec.unit == "metric":
            kinds += ["metric", "gain"]
        xlabel = {"epoch": tr("epoch"), "batch": tr("batch (optimizer step)"), "metric": tr("epoch")}[self.spec.unit]
        rows = {"lr": 2 if self.spec.unit == "metric" else 1, "momentum": 0, "metric": 1, "gain": 1}
        self.figure = ExplorerFigure(
            [PANEL_PX[k] for k in kinds] + [PANEL_PX["extra"]] * len(self._extra_labels),
            xlabel,
            legend_rows=[rows[k] for k in kinds] + [1] * len(self._extra_labels),
        )
        axes = dict(zip(kinds, self.figure.axes, strict=False))
        label = "torch SequentialLR" if self.name in RECIPES else "torch"
        self.lr_panel = LrPanel(self.figure, axes["lr"], color_for(self.name), label)
        self.momentum_panel = MomentumPanel(axes["momentum"]) if "momentum" in axes else None
        self.plateau_panels = None
        if "metric" in axes:
            metric = self._metric_label or (tr("your metric") if self._metrics is not None else tr("val loss"))
            self.plateau_panels = PlateauPanels(self.lr_panel, axes["metric"], axes["gain"], metric)
        self.extra_axes = self.figure.axes[len(kinds) :]
        for ax, label in zip(self.extra_axes, self._extra_labels, strict=True):
            ax.set_ylabel(label, fontsize=FONT_PX)
        css_width, _ = self.figure.css_size
        self.image.layout = widgets.Layout(width=f"{css_width}px", max_width="100%", height="auto")

    def set_note(self, text: str) -> None:
        """Show ``text`` (HTML) under the code until the next note, e.g. what the last training run gave.

        >>> ex = Explorer("StepLR"); ex.set_note("hello"); ex.message.value.endswith("hello</div>")
        True
        """
        self._note = f"<div style='font-size:13px;margin-top:4px'>{text}</div>"
        self.message.value = self._last_code_html + self._note

    def set_metrics(self, metrics: Any, show: bool = True) -> None:
        """Replace the metric a ReduceLROnPlateau explorer reacts to (a live run's validation loss) and redraw.

        ``show=False``: update the figure but leave rendering to a later :meth:`render`.

        >>> ex = Explorer("ReduceLROnPlateau", metrics=[1.0] * 29, n_steps=30, patience=2)
        >>> ex.set_metrics([1.0 - 0.01 * i for i in range(29)]); float(ex.curve[-1])
        0.1
        """
        if self.spec.unit != "metric" or self._metrics is None:
            raise ValueError(
                tr("set_metrics needs a ReduceLROnPlateau explorer built with metrics=, not {name}", name=self.name)
            )
        _, _, kwargs = self.curve_kwargs()
        self.spec.resolve(1, {**kwargs, "metrics": metrics})
        self._metrics = metrics
        self.redraw(show=show)

    def keep_first_picture(self) -> None:
        """Keep the picture shown now as the one a saved notebook stores (:meth:`_repr_mimebundle_`)."""
        self._first_png = bytes(self.image.value)
        self._saved_png = None

    def show_first_picture(self) -> None:
        """Render the picture once, as built so far, and keep it (after ``render=False``)."""
        self.render()
        self.keep_first_picture()

    def render(self) -> None:
        """Re-render the whole picture from the figure as it is (after drawing into an added panel)."""
        self.image.value = self.figure.png(fresh=True)

    def redraw(self, show: bool = True) -> None:
        """Recompute the curve from the controls, redraw every panel and the torch code.

        ``show=False`` updates the figure without rendering it (a :meth:`render` follows)."""
        try:
            n_steps, base_lr, kwargs = self.settings()
            curve = lr_curve(self.name, n_steps, base_lr=base_lr, **kwargs)
            momentum = self._momentum(n_steps, base_lr, kwargs)
            code = torch_code(self.name, n_steps, base_lr, **kwargs)
        except (ValueError, TypeError) as err:  # a combination torch refuses: say so, keep the last picture
            self.valid = False
            self._show_error(str(err))
            return
        self.valid = True
        self._drawn_once = True
        self.curve = curve
        floor = 0.0
        if self.plateau_panels is not None:
            params = self.spec.resolve(n_steps, kwargs)
            trace = plateau_trace(n_steps, base_lr, **params)
            floor = self.plateau_panels.update(trace, params["metrics"], params, base_lr, self.log_scale.value)
        self.lr_panel.update(curve, self.log_scale.value, self._sketch(n_steps), extra_low=floor)
        moving = self.lr_panel.moving()
        if self.momentum_panel is not None:
            self.momentum_panel.update(momentum, n_steps)
            moving += self.momentum_panel.moving()
        if self.plateau_panels is not None:
            moving += self.plateau_panels.moving()
        if show:
            self.image.value = self.figure.png(moving)
        else:
            self.figure.set_moving(moving)
        stats = tr(
            "lr: first {first:.4g}, last {last:.4g}, max {top:.4g}", first=curve[0], last=curve[-1], top=curve.max()
        )
        self._last_code_html = _code_html(code) + f"<div style='font-size:13px'>{stats}</div>"
        self.message.value = self._last_code_html + self._note

    def _log_first(self) -> bool:
        """Open on a log lr axis: a decaying schedule (:data:`LOG_SCALE_FIRST`) whose first curve stays above 0."""
        if self.name not in LOG_SCALE_FIRST:
            return False
        n_steps, base_lr, kwargs = self.settings()
        return bool(np.all(lr_curve(self.name, n_steps, base_lr=base_lr, **kwargs) > 0))

    def _momentum(self, n_steps: int, base_lr: float, kwargs: dict[str, Any]) -> np.ndarray | None:
        if self.spec.momentum is None or not self.spec.resolve(1, kwargs, with_data=False).get("cycle_momentum"):
            return None
        return momentum_curve(self.name, n_steps, base_lr=base_lr, **kwargs)

    def _sketch(self, n_steps: int) -> tuple[np.ndarray, np.ndarray] | None:
        """The blog's sketch as (x, y), if shown: over its 100 epochs, or stretched over a fixed-length schedule."""
        if not (self.show_blog.value and self.name in BLOG_SCHEDULERS):
            return None
        stretch = self.spec.length_of is not None
        x = np.linspace(0, n_steps - 1, BLOG_EPOCHS) if stretch else np.arange(BLOG_EPOCHS, dtype=float)
        return x, blog_sketch(self.name, BLOG_EPOCHS, BLOG_BASE_LR)

    def _show_error(self, text: str) -> None:
        self._error = text
        kept = (
            "<div style='font-size:13px'>"
            + html.escape(tr("The picture and the code below are for the last values that worked."))
            + "</div>"
            if self._drawn_once
            else ""
        )
        self.message.value = (
            "<div style='color:#b00;font-weight:bold;font-size:13px'>"
            + html.escape(tr("Not drawn: {why}", why=text))
            + "</div>"
            + kept
            + self._last_code_html
        )

    # --- events -------------------------------------------------------------------------------

    def _on_change(self, _change: dict[str, Any]) -> None:
        self._update_enabled()
        self.redraw()
        self._schedule_release()

    def on_release(self, callback: Callable[[Explorer], None]) -> None:
        """Call ``callback(explorer)`` once the controls have settled after a change (valid values only).

        "Settled" is :data:`SETTLE_SECONDS` without a new value: after a mouse release, a key
        press, or a pause while dragging. Exceptions in the callback are shown under the picture.

        >>> ex = Explorer("StepLR")
        >>> ex.on_release(lambda e: print("release:", e.settings()[2]))
        >>> ex.controls["gamma"].value = 0.5
        release: {'step_size': 10, 'gamma': 0.5}
        """
        self._release_callbacks.append(callback)

    def _schedule_release(self) -> None:
        if not self._release_callbacks:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain Python): the change is final at once
            self._release()
            return
        if self._release_handle is not None:
            self._release_handle.cancel()
        self._release_handle = loop.call_later(SETTLE_SECONDS, self._release)

    def _release(self) -> None:
        self._release_handle = None
        if not self.valid:
            return
        for callback in self._release_callbacks:
            try:
                callback(self)
            except Exception as err:  # a learner's callback: show its error where they look, not in a log
                self._show_error(f"{getattr(callback, '__name__', 'callback')} raised {type(err).__name__}: {err}")

    # --- display ------------------------------------------------------------------------------

    def __repr__(self) -> str:
        # The text/plain output nbval compares: stable, unlike the default repr with PNG bytes.
        return f"<lrutils explorer: {self.name}, {len(self.controls)} controls>"

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The live widget, plus the first picture as ``image/png`` for readers without a kernel.

        JupyterLab shows one MIME type per output: the widget when the notebook runs (trusted
        output), the picture where widgets cannot run (GitHub, nbviewer, an untrusted notebook).
        """
        data = super()._repr_mimebundle_(**kwargs)
        if data is None:
            return None
        width, height = self.figure.css_size
        if self._saved_png is None:  # compressed hard once: it is stored in the notebook file
            self._saved_png = compact_png(self._first_png)
        data["image/png"] = base64.b64encode(self._saved_png).decode("ascii")
        return data, {"image/png": {"width": width, "height": height}}


def _code_html(code: str) -> str:
    style = "margin:4px 0;font-size:12px;line-height:1.35;white-space:pre-wrap"  # wraps at spaces if narrow
    return f"<pre class='lrutils-code' style='{style}'>{html.escape(code)}</pre>"
