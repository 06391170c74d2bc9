"""An explorer's controls: one widget per parameter, holding exactly the values it shows.

A browser slider over floats snaps its value to ``min + k * step`` in floating point and sends
the snapped value back (a default of 0.5 came back as 0.50125, and 0.1 + 3 * 0.01 is not 0.13).
So float parameters sit on a ``SelectionSlider`` instead: the browser moves an integer index
over a list of exact Python floats, chosen on a "nice" grid (0.005 steps, or 1, 1.2, 1.5, 2, 2.5,
3, 4, 5, 6, 8 per decade), and the readout is :func:`~lrutils.explorer.code.value_text` of the
value, the same text the printed torch code uses. A starting value off the grid is added to it,
and one outside the slider's usual range widens it: nothing is ever replaced by a neighbour.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import ipywidgets as widgets

from ..curves.spec import ParamSpec
from ..text.i18n import tr
from .code import value_text
from .picture import LOG_MANTISSAS

MIN_POSITIONS = 100
"""A linear slider's step is the largest 1, 2 or 5 x 10**k that gives at least this many positions."""
MAX_SLIDER_INT = 2**53 - 1
"""Larger ints do not survive the trip through the browser's floating-point numbers exactly."""

DESCRIPTION_WIDTH = "120px"
CONTROL_WIDTH = "340px"


def parse_int_list(text: str, name: str = "milestones") -> list[int]:
    """Read comma-separated ints typed into a text box (an explorer's ``int_list`` control).

    >>> parse_int_list("30, 80,80")
    [30, 80, 80]
    """
    parts = [part.strip() for part in str(text).replace(";", ",").split(",")]
    try:
        return [int(part) for part in parts if part]
    except ValueError:
        raise ValueError(
            tr("{name}: could not read {text}; type comma-separated ints such as 30, 80", name=name, text=repr(text))
        ) from None


def linear_grid(low: float, high: float) -> list[float]:
    """Exact decimal steps from ``low`` to ``high``: 1, 2 or 5 x 10**k, at least 100 positions.

    >>> g = linear_grid(0.05, 1.0)
    >>> len(g), g[:3], g[-1]
    (191, [0.05, 0.055, 0.06], 1.0)
    """
    lo, hi = Decimal(repr(float(low))), Decimal(repr(float(high)))
    if hi <= lo:
        return [float(lo)]
    target = (hi - lo) / MIN_POSITIONS
    exponent = target.adjusted()  # 10**exponent <= target < 10**(exponent + 1)
    step = max(m * Decimal(10) ** exponent for m in (1, 2, 5) if m * Decimal(10) ** exponent <= target)
    first, last = math.floor(lo / step), math.ceil(hi / step)
    return [float(k * step) for k in range(first, last + 1)]


def log_grid(low: float, high: float) -> list[float]:
    """Round values from ``low`` to ``high`` (both > 0): :data:`LOG_MANTISSAS` in every decade.

    >>> log_grid(1e-3, 1e-2)
    [0.001, 0.0012, 0.0015, 0.002, 0.0025, 0.003, 0.004, 0.005, 0.006, 0.008, 0.01]
    """
    lo, hi = Decimal(repr(float(low))), Decimal(repr(float(high)))
    out = []
    for exponent in range(lo.adjusted(), hi.adjusted() + 1):
        for m in LOG_MANTISSAS:
            value = Decimal(repr(m)) * Decimal(10) ** exponent
            if lo <= value <= hi:
                out.append(float(value))
    return out


def float_options(spec: ParamSpec, keep: Iterable[float]) -> list[float]:
    """The values a float parameter's slider offers: its grid, widened to and holding every ``keep``.

    Values the parameter does not accept (``spec.check``) are left out of the grid.

    >>> from lrutils.curves.table import get_spec
    >>> opts = float_options(get_spec("ConstantLR").param("factor"), [1 / 3])
    >>> len(opts), 1 / 3 in opts, opts[:3]
    (102, True, [0.0, 0.01, 0.02])
    """
    keep = [float(v) for v in keep]
    if spec.log:  # a log grid holds positive values only; 0 (if valid) is simply added below
        ends = [*(spec.slider or ()), *(v for v in keep if v > 0)]
        grid = log_grid(min(ends), max(ends)) if ends else []
    else:
        ends = [*(spec.slider or ()), *keep]
        grid = linear_grid(min(ends), max(ends))
    valid = []
    for value in grid:
        try:
            valid.append(spec.check(value))
        except (TypeError, ValueError):
            continue
    return sorted(set(valid) | set(keep))


NONE_CHOICE = "None"
"""The option that stands for ``None`` on a slider that offers it (``ParamSpec.offer_none``)."""


def make_control(spec: ParamSpec, value: Any) -> widgets.ValueWidget:
    """The widget for one parameter, showing ``value`` exactly (already validated by ``spec``).

    ints: an ``IntSlider`` (widened to hold ``value``); floats: a ``SelectionSlider`` over
    :func:`float_options` (or a menu of ``spec.presets``); choices: a ``Dropdown``; bools: a
    ``Checkbox``; int lists: a ``Text`` box of comma-separated ints.

    >>> from lrutils.curves.table import get_spec
    >>> make_control(get_spec("StepLR").param("step_size"), 500).max
    500
    """
    common = {"description": spec.name, "style": {"description_width": DESCRIPTION_WIDTH}, "tooltip": tr(spec.help)}
    layout = widgets.Layout(width=CONTROL_WIDTH)
    if spec.kind == "int_list":  # read when the box loses focus or Enter is pressed
        return widgets.Text(value=value_text(list(value))[1:-1], continuous_update=False, layout=layout, **common)
    if spec.kind == "choice":
        return widgets.Dropdown(options=list(spec.choices), value=value, layout=layout, **common)
    if spec.kind == "bool":
        # indent: the box lines up with the slider tracks, the name beside it
        return widgets.Checkbox(value=bool(value), indent=True, layout=widgets.Layout(width=CONTROL_WIDTH), **common)
    if spec.kind == "int" and spec.offer_none:  # None (torch's default) first, then the slider's ints
        low, high = spec.slider if spec.slider is not None else (value, value)
        ints = sorted({*range(int(low), int(high) + 1), *([] if value is None else [value])})
        options = [("None", NONE_CHOICE)] + [(str(i), i) for i in ints]  # a widget's value cannot be None itself
        chosen = NONE_CHOICE if value is None else value
        return widgets.SelectionSlider(options=options, value=chosen, continuous_update=True, layout=layout, **common)
    if spec.kind == "int":
        if abs(value) > MAX_SLIDER_INT:
            raise ValueError(
                tr(
                    "{name}={value} is beyond what a browser slider holds exactly (|value| <= 2**53 - 1)",
                    name=spec.name,
                    value=value,
                )
            )
        low, high = spec.slider if spec.slider is not None else (value, value)
        return widgets.IntSlider(
            value=value,
            min=min(int(low), value),
            max=max(int(high), value),
            continuous_update=True,
            layout=layout,
            **common,
        )
    if spec.presets:
        options = sorted({*spec.presets, value})
        return widgets.Dropdown(options=_labelled(options, spec.default), value=value, layout=layout, **common)
    options = float_options(spec, [value])
    return widgets.SelectionSlider(
        options=_labelled(options), value=value, continuous_update=True, layout=layout, **common
    )


def _labelled(options: Sequence[Any], default: Any = None) -> list[tuple[str, Any]]:
    return [(value_text(v) + (tr(" (torch default)") if v == default else ""), v) for v in options]


def read(control: widgets.ValueWidget, name: str) -> Any:
    """The value a control holds: the exact option, the int, or the parsed list of a text box.

    >>> read(widgets.Text(value="30, 80"), "milestones")
    [30, 80]
    """
    if isinstance(control, widgets.Text):
        return parse_int_list(control.value, name)
    return None if control.value == NONE_CHOICE else control.value


def shown(control: widgets.ValueWidget) -> str:
    """The text the browser shows for the control's value (a slider's readout, a menu's label).

    >>> shown(widgets.SelectionSlider(options=[("0.5", 0.5)], value=0.5))
    '0.5'
    """
    if isinstance(control, (widgets.SelectionSlider, widgets.Dropdown)):
        return control._options_labels[control.index]  # what the browser renders (.label lags at index 0)
    return value_text(control.value) if not isinstance(control, widgets.Text) else control.value
