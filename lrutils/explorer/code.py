"""The Python that builds a schedule in real torch: what an explorer prints under its picture.

:func:`torch_code` writes an optimizer line, the scheduler (composites as torch's own
``SequentialLR`` / ``ChainedScheduler`` / ``LambdaLR`` code, lrutils' recipes spelled out) and how
to step it. Numbers are written by :func:`value_text`, the same function that labels the
explorer's sliders, so the code shows exactly the digits on the screen. Run with a ``model`` in
scope, it gives the curve ``lr_curve`` draws (``tests/test_torch_code.py`` runs every one).
"""

from __future__ import annotations

import ast
import builtins
import inspect
import math
import numbers
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..curves import composite
from ..curves.closed_form import DEFAULT_BASE_LR
from ..curves.spec import REQUIRED, ScheduleSpec, check_base_lr, check_n_steps
from ..curves.table import get_spec
from ..text.i18n import template, tr

STEPPING = {
    "epoch": template("{n} epochs drawn: scheduler.step() once after each epoch"),
    "batch": template("{n} batches drawn: scheduler.step() after each optimizer.step()"),
    "metric": template("{n} epochs drawn: scheduler.step(val_loss) after each epoch"),
}


def value_text(value: Any) -> str:
    """The Python literal lrutils shows for a value: on a slider's readout and in printed code.

    Floats are written with the fewest digits that read back as the same float; a float that
    is exactly a small fraction with a long decimal (torch's default 1/3) is written as that
    fraction, which Python evaluates to the same float.

    >>> value_text(0.35), value_text(1e-05), value_text(1 / 3), value_text(25.0), value_text([30, 80])
    ('0.35', '1e-05', '1/3', '25.0', '[30, 80]')
    """
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        value = float(value)
        if not math.isfinite(value):
            return f"float('{value}')"
        text = repr(value)
        if len(text) > 10:
            fraction = Fraction(value).limit_denominator(100)
            if fraction.denominator > 1 and fraction.numerator / fraction.denominator == value:
                return f"{fraction.numerator}/{fraction.denominator}"
        return text
    if isinstance(value, (list, tuple)):
        inner = ", ".join(value_text(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    return repr(value)


def torch_code(name: str, n_steps: int, base_lr: float = DEFAULT_BASE_LR, **kwargs: Any) -> str:
    """Python that builds ``name`` in real torch with these keywords, and says how to step it.

    The code expects ``torch`` and a ``model``; run as it says, the lr it gives at each step is
    ``lr_curve(name, n_steps, base_lr, **kwargs)``. Keywords equal to torch's default are left
    out. Lines are kept within :data:`WIDTH` characters where the code allows, like black does.

    >>> print(torch_code("StepLR", 100, base_lr=0.1, step_size=10, gamma=0.5))
    from torch.optim.lr_scheduler import StepLR
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = StepLR(optimizer, step_size=10, gamma=0.5)
    # 100 epochs drawn: scheduler.step() once after each epoch
    """
    spec = get_spec(name)
    n_steps = check_n_steps(n_steps)
    base_lr = check_base_lr(base_lr)
    spec.resolve(n_steps, kwargs, with_data=False)  # clear errors before any code is written
    kwargs = {k: v for k, v in kwargs.items() if k not in spec.extra_keywords}
    prelude: list[str] = []
    lines = []
    if spec.ignores_base_lr:
        lines.append("# " + tr("{name} ignores this lr: it starts at max_lr / div_factor", name=spec.name))
    lines.append(f"optimizer = torch.optim.SGD(model.parameters(), lr={value_text(base_lr)})")
    from ..curves.recipes import FACTOR_MAKERS

    if spec.name in FACTOR_MAKERS:  # a published recipe: LambdaLR with its factor written out as a def
        factor = FACTOR_MAKERS[spec.name](**spec.resolve(n_steps, kwargs, with_data=False))
        source = factor.source()
        recipe = _Call(f"lrutils.{spec.name}", _arguments(spec, kwargs))
        named = ["# " + line for line in _render(recipe, 0, 2, len(" is:")).splitlines()]
        named[-1] += " is:"
        prelude.extend([*named, *source.splitlines(), "", ""])
        function = source.split("def ", 1)[1].split("(", 1)[0]
        call = _Call("LambdaLR", [(None, "optimizer"), ("lr_lambda", function)])
    elif spec.name in composite.RECIPES:  # lrutils recipes: torch has no such class, so spell out the SequentialLR
        recipe = _Call(f"lrutils.{spec.name}", _arguments(spec, kwargs))
        lines += ["# " + line for line in _render(recipe, 0, 2, len(" is:")).splitlines()]
        lines[-1] += " is:"
        call = _scheduler_call("SequentialLR", getattr(composite, spec.name)(**kwargs), base_lr, prelude)
    else:
        call = _scheduler_call(spec.name, kwargs, base_lr, prelude)
    lines.append("scheduler = " + _render(call, 0, len("scheduler = "), 0))
    lines.append("# " + tr(STEPPING[spec.unit], n=n_steps))
    imports = f"from torch.optim.lr_scheduler import {', '.join(sorted(_classes(call)))}"
    if len(imports) > WIDTH:
        imports = f"from torch.optim.lr_scheduler import (\n    {', '.join(sorted(_classes(call)))},\n)"
    return "\n".join([imports, *prelude, *lines])


WIDTH = 72
"""Characters per line of printed code: what fits under the explorer's 540 px picture in 12 px monospace."""


@dataclass
class _Call:
    """``func(args)``; an argument is ``(keyword or None, text, a _Call or a list of them)``."""

    func: str
    args: list[tuple[str | None, Any]]


def _classes(node: Any) -> set[str]:
    """The torch scheduler classes a call tree uses."""
    if isinstance(node, list):
        return set().union(*(_classes(n) for n in node))
    if not isinstance(node, _Call):
        return set()
    return {node.func}.union(*(_classes(v) for _, v in node.args))


def _flat(node: Any) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "[" + ", ".join(_flat(n) for n in node) + "]"
    return node.func + "(" + ", ".join((f"{k}=" if k else "") + _flat(v) for k, v in node.args) + ")"


def _render(node: Any, indent: int, column: int, room: int) -> str:
    """``node`` starting at ``column`` on a line indented by ``indent``, ``room`` characters kept after it."""
    flat = _flat(node)
    if isinstance(node, str) or column + len(flat) + room <= WIDTH:
        return flat
    pad = " " * (indent + 4)
    if isinstance(node, list):
        items = "".join(f"{pad}{_render(n, indent + 4, indent + 4, 1)},\n" for n in node)
        return f"[\n{items}{' ' * indent}]"
    inner = ", ".join((f"{k}=" if k else "") + _flat(v) for k, v in node.args)
    if indent + 4 + len(inner) <= WIDTH and all(isinstance(v, str) for _, v in node.args):
        return f"{node.func}(\n{pad}{inner}\n{' ' * indent})"
    items = ""
    for k, v in node.args:
        key = f"{k}=" if k else ""
        items += f"{pad}{key}{_render(v, indent + 4, indent + 4 + len(key), 1)},\n"
    return f"{node.func}(\n{items}{' ' * indent})"


def _arguments(spec: ScheduleSpec, kwargs: Mapping[str, Any]) -> list[tuple[str | None, Any]]:
    """``(k, text)`` for the keywords that differ from torch's defaults, in torch's order."""
    defaults = {p.name: p.default for p in spec.params}
    order = [p.name for p in spec.params]
    keys = sorted(kwargs, key=lambda k: order.index(k) if k in order else len(order))
    return [
        (k, value_text(kwargs[k])) for k in keys if defaults.get(k, REQUIRED) is REQUIRED or kwargs[k] != defaults[k]
    ]


def _scheduler_call(name: str, kwargs: Mapping[str, Any], base_lr: float, prelude: list[str]) -> _Call:
    """``torch.optim.lr_scheduler.<name>(optimizer, ...)``; what a function needs goes to ``prelude``."""
    if name in ("SequentialLR", "ChainedScheduler"):
        stages = [_scheduler_call(stage, dict(kw), base_lr, prelude) for stage, kw in kwargs["schedulers"]]
        if name == "SequentialLR":
            milestones = value_text(list(kwargs["milestones"]))
            return _Call(name, [(None, "optimizer"), ("schedulers", stages), ("milestones", milestones)])
        return _Call(name, [("schedulers", stages), ("optimizer", "optimizer")])
    if name == "LambdaLR":
        return _Call(name, [(None, "optimizer"), ("lr_lambda", _lambda_text(kwargs["lr_lambda"], prelude))])
    spec = get_spec(name)
    args = _arguments(spec, kwargs)
    if spec.base_lr_keyword is not None:  # CyclicLR's own base_lr: required, and lrutils' base_lr
        args.insert(0, (spec.base_lr_keyword, value_text(base_lr)))
    return _Call(name, [(None, "optimizer"), *args])


def _lambda_text(fn: Callable[[int], Any], prelude: list[str]) -> str:
    """The ``lr_lambda=`` argument: runnable source when it can be read honestly, else a placeholder."""
    fn = getattr(fn, "fn", fn)  # lrutils' checked wrapper around the learner's function
    code = getattr(fn, "__lrutils_code__", None)
    if code is not None:  # built by lrutils, which knows its source
        return code
    name = getattr(fn, "__name__", type(fn).__name__)
    text = None
    if name == "<lambda>":
        text = _lambda_expression(fn)
    elif inspect.isfunction(fn):
        try:
            source = textwrap.dedent(inspect.getsource(fn)).rstrip()
        except (OSError, TypeError):
            source = ""
        if source.startswith("def "):
            prelude.extend(source.splitlines())
            text = name
    if text is None:  # a placeholder name: the printed code says so and cannot run until it is defined
        placeholder = f"your_lr_lambda_{sum(line.startswith('# your_lr_lambda') for line in prelude) + 1}"
        prelude.append(
            "# "
            + tr(
                "{placeholder} = your function {name}: its source could not be read, so define it here",
                placeholder=placeholder,
                name=name,
            )
        )
        return placeholder
    needs = _outside_names(fn)
    if needs:
        message = (
            tr("lr_lambda reads {names} from your code: define it first", names=needs[0])
            if len(needs) == 1
            else tr("lr_lambda reads {names} from your code: define them first", names=", ".join(needs))
        )
        prelude.append("# " + message)
    return text


def _outside_names(fn: Any) -> list[str]:
    """Names the function reads from outside itself (globals and closures), builtins left out."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return []
    names = set(code.co_freevars) | {n for n in code.co_names if not hasattr(builtins, n)}
    return sorted(names)


def _lambda_expression(fn: Any) -> str | None:
    """The ``lambda ...: ...`` text ``fn`` was compiled from, found in its source by position.

    Python records where in the source every instruction came from (``co_positions``); the
    lambda is the smallest ``lambda`` expression on its first line whose span holds them all and
    whose arguments match. Works for closures too; returns None when the source is unavailable.
    """
    code = fn.__code__
    try:
        lines, _ = inspect.findsource(fn)
        source = "".join(lines)
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, ValueError):
        return None
    spans = [  # every instruction's (start, end) in the source; RESUME and friends have an empty span
        ((line, col), (end_line, end_col))
        for line, end_line, col, end_col in code.co_positions()
        if None not in (line, end_line, col, end_col) and (end_line, end_col) > (line, col)
    ]
    arguments = list(code.co_varnames[: code.co_argcount])
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Lambda) and node.lineno == code.co_firstlineno):
            continue
        start, end = (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)
        inside = bool(spans) and all(start <= a and b <= end for a, b in spans)
        if inside and [a.arg for a in node.args.args] == arguments:
            found.append(node)
    if not found:
        return None
    smallest = min(found, key=lambda n: (n.end_lineno - n.lineno, n.end_col_offset - n.col_offset))
    return ast.get_source_segment(source, smallest)
