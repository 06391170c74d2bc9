"""Interactive explorers: one slider per scheduler parameter, the curve redrawn in place.

The picture is an ``ipywidgets.Image`` whose PNG bytes are replaced on every change. Nothing is
printed or plotted into an output area, so strict nbval sees the same outputs on every run.
"""

from __future__ import annotations

import io
import time
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .blog import BLOG_BASE_LR, BLOG_EPOCHS, blog_sketch
from .curves import lr_curve, momentum_curve
from .plotting import COLORS
from .schedules import BLOG_SCHEDULERS, ParamSpec, get_spec
from .schedules._spec import parse_int_list
from .synthetic import synthetic_val_loss

DEFAULT_STEPS = {"epoch": 100, "metric": 100}
SLIDER_LAYOUT = widgets.Layout(width="420px")
STYLE = {"description_width": "130px"}


def _param_widget(spec: ParamSpec, value: Any) -> widgets.ValueWidget:
    """The control for one parameter: a slider, a log slider, a dropdown or a checkbox."""
    common = {"description": spec.name, "style": STYLE, "layout": SLIDER_LAYOUT, "continuous_update": True}
    if spec.kind == "int_list":  # comma-separated ints, read when the box loses focus or Enter is pressed
        text = ", ".join(str(v) for v in value)
        return widgets.Text(
            value=text, description=spec.name, style=STYLE, layout=SLIDER_LAYOUT, continuous_update=False
        )
    if spec.kind == "choice":
        return widgets.Dropdown(options=list(spec.choices), value=value, description=spec.name, style=STYLE)
    if spec.kind == "bool":
        return widgets.Checkbox(value=bool(value), description=spec.name, style=STYLE, indent=False)
    low, high = spec.slider if spec.slider is not None else (1e-10, 1e-2)
    if spec.kind == "int":
        return widgets.IntSlider(value=int(value), min=int(low), max=int(high), **common)
    if spec.log or spec.slider is None:
        return widgets.FloatLogSlider(
            value=float(value), min=np.log10(low), max=np.log10(high), step=0.05, readout_format=".2e", **common
        )
    return widgets.FloatSlider(
        value=float(value), min=low, max=high, step=(high - low) / 200, readout_format=".4g", **common
    )


class Explorer(widgets.VBox):
    """Sliders for every parameter of one scheduler above a picture that follows them.

    Build it with :func:`explore`. ``controls`` maps parameter names to their widgets,
    ``curve`` holds the learning rates currently drawn and ``image`` the picture.
    """

    def __init__(self, name: str, **overrides: Any) -> None:
        self.name = name
        self.spec = get_spec(name)
        unit = self.spec.unit
        start = {p.name: p.start for p in self.spec.params if p.start is not None}
        start.update(overrides)
        base_lr = start.pop("base_lr", BLOG_BASE_LR)
        n_steps = start.pop("n_steps", DEFAULT_STEPS.get(unit, 100))
        self.spec.resolve(2, {**start, "metrics": [0.0]} if unit == "metric" else start, with_data=False)
        self.controls: dict[str, widgets.ValueWidget] = {}
        if not self.spec.ignores_base_lr:
            self.controls["base_lr"] = _param_widget(
                ParamSpec("base_lr", "float", 0.1, slider=(1e-3, 1.0), log=True), base_lr
            )
        if self.spec.length_param is None:  # otherwise the schedule's own length is drawn
            self.controls["n_steps"] = _param_widget(ParamSpec("n_steps", "int", 100, slider=(10, 300)), n_steps)
        self.fixed: dict[str, Any] = {}  # functions and stage lists: passed through, not on a control
        for p in self.spec.params:
            if p.kind in ("stages", "callable") and p.name in start:
                self.fixed[p.name] = start[p.name]
            elif p.name in start and start[p.name] is not None:
                self.controls[p.name] = _param_widget(p, start[p.name])
        if unit == "metric":  # the learner shapes the metric the scheduler reacts to
            self.controls["loss flattens at"] = widgets.IntSlider(
                value=40, min=5, max=150, description="loss flattens at", style=STYLE, layout=SLIDER_LAYOUT
            )
            self.controls["loss noise"] = widgets.FloatSlider(
                value=0.0,
                min=0.0,
                max=0.05,
                step=0.001,
                readout_format=".3f",
                description="loss noise",
                style=STYLE,
                layout=SLIDER_LAYOUT,
            )
        self.show_blog = widgets.Checkbox(value=name in BLOG_SCHEDULERS, description="blog's sketch", indent=False)
        self.show_blog.layout.display = None if name in BLOG_SCHEDULERS else "none"
        # Decays are easier to read on a log axis: equal factors become equal steps.
        self.log_scale = widgets.Checkbox(value=False, description="log scale", indent=False)
        self.message = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.image.add_class("lrutils-plot")
        self._build_figure()
        for control in [*self.controls.values(), self.show_blog, self.log_scale]:
            control.observe(self._on_change, names="value")
        self.curve = np.zeros(0)
        self.redraw()
        # Keep the margins the first render computed: re-solving the layout on every slider move
        # costs about a fifth of an update.
        self.figure.set_layout_engine("none")
        toggles = widgets.HBox([self.show_blog, self.log_scale])
        sliders = widgets.VBox([*self.controls.values(), toggles])
        super().__init__([sliders, self.message, self.image])
        self.add_class("lrutils-explorer")

    def __repr__(self) -> str:
        # The text/plain output nbval compares: stable, unlike the default repr with PNG bytes.
        return f"<lrutils explorer: {self.name}, {len(self.controls)} controls>"

    def _build_figure(self) -> None:
        panels = 2 if self.spec.momentum is not None or self.spec.unit == "metric" else 1
        self.figure = Figure(figsize=(7.0, 2.6 * panels), dpi=72, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(panels, 1, sharex=True, squeeze=False)[:, 0]
        ax = self.axes[0]
        (self.blog_line,) = ax.plot([], [], "--", color="gray", label="blog's sketch")
        (self.line,) = ax.plot([], [], color=COLORS.get(self.name, "tab:blue"), label=f"torch {self.name}")
        ax.set_ylabel("learning rate")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper right", fontsize="small")
        self.cut_marks = None
        if panels == 2:
            (self.second_line,) = self.axes[1].plot([], [], color="black")
            self.axes[1].set_ylabel("momentum" if self.spec.momentum is not None else "val loss (metric)")
            self.axes[1].grid(True, alpha=0.3)
        self.axes[-1].set_xlabel(
            {"epoch": "epoch", "batch": "batch (optimizer step)", "metric": "epoch"}[self.spec.unit]
        )

    def values(self) -> dict[str, Any]:
        """The current value of every control, by name."""
        return {
            key: parse_int_list(control.value, key) if isinstance(control, widgets.Text) else control.value
            for key, control in self.controls.items()
        }

    def curve_kwargs(self) -> tuple[int, float, dict[str, Any]]:
        """(n_steps, base_lr, kwargs) for ``lr_curve`` from the current control values."""
        kwargs = {**self.fixed, **self.values()}
        base_lr = kwargs.pop("base_lr", BLOG_BASE_LR)
        length = self.spec.length_param
        n_steps = kwargs[length] if length is not None else kwargs.pop("n_steps")
        if self.spec.unit == "metric":
            kwargs["metrics"] = synthetic_val_loss(
                n_steps - 1, flat_from=kwargs.pop("loss flattens at"), noise=kwargs.pop("loss noise"), seed=0
            )
        return n_steps, base_lr, kwargs

    def torch_call(self, kwargs: dict[str, Any] | None = None) -> str:
        """The torch line that gives the curve drawn now (``kwargs`` from :meth:`curve_kwargs`)."""
        kwargs = dict(self.curve_kwargs()[2] if kwargs is None else kwargs)
        kwargs.pop("metrics", None)
        defaults = {p.name: p.default for p in self.spec.params}
        args = ", ".join(
            f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={getattr(v, '__qualname__', None) or v!r}"
            for k, v in kwargs.items()
            if defaults.get(k) != v
        )
        return f"torch.optim.lr_scheduler.{self.name}(optimizer{', ' if args else ''}{args})"

    def _on_change(self, _change: dict[str, Any]) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Recompute the curve from the controls and replace the picture's PNG bytes."""
        try:
            n_steps, base_lr, kwargs = self.curve_kwargs()
            curve = lr_curve(self.name, n_steps, base_lr=base_lr, **kwargs)
        except (ValueError, TypeError) as err:  # a combination torch refuses: say so, keep the picture
            self.message.value = f"<b style='color:#b00'>{err}</b>"
            return
        self.curve = curve
        steps = np.arange(n_steps)
        self.line.set_data(steps, curve)
        blog = self.show_blog.value and self.name in BLOG_SCHEDULERS
        # The sketch is drawn over 100 epochs; a schedule with a fixed length (one-cycle) spans the
        # whole run in the sketch, so stretch it over that length.
        stretch = self.spec.length_param is not None
        sketch_x = np.linspace(0, n_steps - 1, BLOG_EPOCHS) if stretch else np.arange(BLOG_EPOCHS)
        self.blog_line.set_data((sketch_x, blog_sketch(self.name)) if blog else ([], []))
        ax = self.axes[0]
        top = max(float(curve.max()), BLOG_BASE_LR if blog else 0.0)
        ax.set_xlim(0, max(n_steps - 1, BLOG_EPOCHS - 1 if blog and not stretch else 1))
        positive = curve[curve > 0]
        log = bool(self.log_scale.value and positive.size)
        if ax.get_yscale() != ("log" if log else "linear"):  # switching resets ticks: only when asked
            ax.set_yscale("log" if log else "linear")
        if log:
            ax.set_ylim(max(float(positive.min()), top * 1e-9) / 1.5, top * 1.5)
        else:
            ax.set_ylim(min(0.0, float(curve.min())), top * 1.08 if top > 0 else 1.0)
        if self.spec.momentum is not None:
            second = (
                momentum_curve(self.name, n_steps, base_lr=base_lr, **kwargs)
                if kwargs.get("cycle_momentum")
                else np.full(n_steps, np.nan)
            )
            self._set_second(steps, second)
        elif self.spec.unit == "metric":
            metric = np.asarray(kwargs["metrics"])
            self._set_second(np.arange(1, n_steps), metric)
            if self.cut_marks is not None:
                self.cut_marks.remove()
            cuts = np.nonzero(np.diff(curve))[0] + 1
            # Full-height marks in axes coordinates, right on a linear or a log axis.
            self.cut_marks = ax.vlines(
                cuts, 0, 1, transform=ax.get_xaxis_transform(), colors="red", linestyles=":", linewidth=1
            )
        self.message.value = (
            f"<code>{self.torch_call(kwargs)}</code> &nbsp; lr: first {curve[0]:.4g}, "
            f"last {curve[-1]:.4g}, max {curve.max():.4g}"
        )
        buffer = io.BytesIO()
        self.canvas.print_png(buffer)
        self.image.value = buffer.getvalue()

    def _set_second(self, x: np.ndarray, y: np.ndarray) -> None:
        self.second_line.set_data(x, y)
        finite = y[np.isfinite(y)]
        if finite.size:
            low, high = float(finite.min()), float(finite.max())
            pad = (high - low) * 0.1 or 0.05
            self.axes[1].set_ylim(low - pad, high + pad)


def explore(name: str, **overrides: Any) -> Explorer:
    """An explorer for scheduler ``name``: every parameter on a slider, the curve redrawn in place.

    ``overrides`` set starting values (any parameter, plus ``base_lr`` and ``n_steps``).

    >>> ex = explore("StepLR", step_size=5)
    >>> ex.controls["gamma"].value = 0.5   # what moving the slider does
    >>> ex.curve[:6].round(4).tolist()
    [0.1, 0.1, 0.1, 0.1, 0.1, 0.05]
    """
    return Explorer(name, **overrides)


def benchmark_updates(name: str, n_updates: int = 30) -> list[float]:
    """Seconds per slider update (curve recomputed and PNG re-rendered), for ``make bench``.

    >>> len(benchmark_updates("StepLR", n_updates=2))
    2
    """
    explorer = explore(name)
    slider = next(c for c in explorer.controls.values() if isinstance(c, (widgets.IntSlider, widgets.FloatSlider)))
    values = np.linspace(slider.min, slider.max, n_updates + 1)[1:]
    times = []
    for value in values:
        start = time.perf_counter()
        slider.value = int(value) if isinstance(slider, widgets.IntSlider) else float(value)
        times.append(time.perf_counter() - start)
    return times
