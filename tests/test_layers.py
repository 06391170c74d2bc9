"""The package's shape: no import cycles, imports point down the layers, modules stay small.

Every import counts, at module level or inside a function (a lazy import is still a dependency);
only imports under ``if TYPE_CHECKING:`` (type hints, never run) are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lrutils"

LAYERS = {"text": 0, "curves": 1, "figures": 2, "training": 3, "explorer": 4, "exercises": 5}
"""Each subpackage's layer: a module may import from its own layer or below, never above."""
TOP = 6  # lrutils/__init__.py and lrutils/notebook.py: the public API and setup()
MAX_LINES = 400


def module_names(root: Path = PACKAGE) -> dict[str, Path]:
    """Dotted name -> file of every module under ``root`` (a package's ``__init__`` is the package)."""
    names = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports_of(name: str, source: str, modules: set[str], is_package: bool) -> set[str]:
    """The lrutils modules that module ``name`` imports (``from x import y`` counts y if it is a module).

    >>> sorted(imports_of("p.a", "from . import b\\nfrom .c import d", {"p", "p.a", "p.b", "p.c"}, False))
    ['p.b', 'p.c']
    """
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            return
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in modules else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return {m for m in found if m in modules and m != name}


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the lrutils modules it imports."""
    names = module_names(root)
    return {
        name: imports_of(name, path.read_text(encoding="utf-8"), set(names), path.name == "__init__.py")
        for name, path in names.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted.

    >>> cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}})
    [['a', 'b']]
    >>> cycles({"a": {"b"}, "b": set()})
    []
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def strongconnect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            strongconnect(v)
    return sorted(groups)


def layer_of(module: str) -> int:
    """The layer of a dotted module name (see :data:`LAYERS`)."""
    parts = module.split(".")
    return LAYERS[parts[1]] if len(parts) > 1 and parts[1] in LAYERS else TOP


GRAPH = import_graph()


def test_the_graph_sees_lazy_imports() -> None:
    """The checker itself: a function-level import is an edge, a TYPE_CHECKING one is not."""
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import c\ndef f():\n    from . import b\n"
    assert imports_of("p.a", source, {"p.a", "p.b", "p.c"}, False) == {"p.b"}
    assert cycles({"x": {"y"}, "y": {"z"}, "z": {"x"}}) == [["x", "y", "z"]]


def test_no_import_cycles() -> None:
    assert cycles(GRAPH) == []


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_down_the_layers(module: str) -> None:
    upward = sorted(m for m in GRAPH[module] if layer_of(m) > layer_of(module))
    assert not upward, f"{module} (layer {layer_of(module)}) imports from a higher layer: {upward}"


@pytest.mark.parametrize("module", sorted(module_names()))
def test_modules_stay_small(module: str) -> None:
    lines = module_names()[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by concept (at most {MAX_LINES})"


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_every_package_says_what_lives_there(package: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert f"Layer {LAYERS[package]}" in doc, f"lrutils/{package}/__init__.py must state its layer and imports"
