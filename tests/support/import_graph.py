"""Which modules of a package import which, read from the source with `ast` (nothing is imported).

Every `import` and `from ... import` counts wherever it stands: at the top, inside a function (a
late import that hides a circle is still a circle) or under `if TYPE_CHECKING:` (a type that has to
be imported from a module that imports us is the same tangle). Relative imports are resolved
against the importing module's package. Only edges between modules of the package are kept.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

Graph = dict[str, set[str]]


def module_names(package_dir: Path) -> dict[str, Path]:
    """Dotted name of every module under `package_dir` (a package `__init__.py` is the package)."""
    root = package_dir.parent
    names: dict[str, Path] = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _package_of(module: str, path: Path) -> str:
    """The package a relative import in `module` starts from (a package's `__init__` is its own)."""
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _existing(name: str, modules: Mapping[str, Path]) -> str | None:
    """The most specific module of the package that `name` lands in, or None outside the package."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _targets(node: ast.Import | ast.ImportFrom, module: str, path: Path, modules: Mapping[str, Path]) -> set[str]:
    """The package's modules one import statement loads: `from a import b` is the module `a.b` when
    there is one, else (a name defined in `a`) the module `a`."""
    if isinstance(node, ast.Import):
        found = {_existing(alias.name, modules) for alias in node.names}
    else:
        if node.level:
            base = _package_of(module, path)
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            base = f"{base}.{node.module}" if node.module else base
        else:
            base = node.module or ""
        found = {
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else _existing(base, modules)
            for alias in node.names
        }
    return {name for name in found if name is not None and name != module}


def import_graph(package_dir: Path) -> Graph:
    """For every module under `package_dir`, the set of the package's modules it imports."""
    modules = module_names(package_dir)
    graph: Graph = {name: set() for name in modules}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                graph[module] |= _targets(node, module, path, modules)
    return graph


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One circle per group of modules that import each other (Tarjan's strongly connected
    components), each written as a path that ends where it starts: ["a", "b", "a"]."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(_circle_through(component, graph) for component in components)


def _circle_through(component: list[str], graph: Mapping[str, set[str]]) -> list[str]:
    """A shortest path from the component's first module back to itself, inside the component."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for successor in sorted(graph.get(node, set()) & members):
                if successor == start:
                    return [*paths[node], start]
                if successor not in paths:
                    paths[successor] = [*paths[node], successor]
                    following.append(successor)
        frontier = following
    raise AssertionError(f"no circle through {start}")  # a strongly connected component always has one


def describe(found: list[list[str]]) -> str:
    return "\n".join(" -> ".join(circle) for circle in found)
