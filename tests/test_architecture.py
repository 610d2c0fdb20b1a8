"""The shape of the package, read from its source: the stages import only downward (core ←
authoring ← publishing ← interfaces), no module imports itself back through others, no module or
function is too long to read, an import inside a function says why it is deferred, and a silenced
type check says why it is silenced."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "src" / "policykit"
STAGES = ("core", "authoring", "publishing", "interfaces")
MODULE_LINES = 500
FUNCTION_LINES = 80


@dataclass(frozen=True)
class Import:
    """One import statement of one module: the policykit modules it names, where, and whether it
    sits inside a function."""

    importer: str
    targets: tuple[str, ...]
    line: int
    in_function: bool


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    source: str
    tree: ast.Module

    @property
    def stage(self) -> str | None:
        """The stage a module belongs to, or None for the package's own ``__init__``/``__main__``."""
        parts = self.name.split(".")
        return parts[1] if len(parts) > 2 and parts[1] in STAGES else None


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Module]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        name = _module_name(path)
        modules[name] = Module(name, path, source, ast.parse(source, filename=str(path)))
    return modules


MODULES = _modules()


def _resolve(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.name.split(".")
    if module.path.name != "__init__.py":
        package = package[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join(package + ([node.module] if node.module else []))


def _targets(module: Module, node: ast.Import | ast.ImportFrom) -> tuple[str, ...]:
    """The policykit modules an import statement reaches: a name imported from a package counts as
    its submodule when there is one."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = _resolve(module, node)
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
    return tuple(sorted({name for name in names if name == "policykit" or name.startswith("policykit.")}))


def _imports(module: Module) -> list[Import]:
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append(Import(module.name, _targets(module, child), child.lineno, in_function))
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(module.tree, False)
    return found


IMPORTS = [each for module in MODULES.values() for each in _imports(module)]


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for each in IMPORTS:
        graph[each.importer].update(target for target in each.targets if target in MODULES)
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module, or a module importing itself
    (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                circles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return circles


def test_stages_are_read_from_module_names():
    assert [MODULES[name].stage for name in ("policykit", "policykit.core", "policykit.core.api",
                                               "policykit.interfaces.cli")] == [None, None, "core", "interfaces"]


def test_no_module_imports_itself_back():
    assert _circles(_graph()) == []


def test_the_circle_finder_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_stages_import_only_downward():
    upward = []
    for each in IMPORTS:
        stage = MODULES[each.importer].stage
        if stage is None:
            continue
        for target in each.targets:
            parts = target.split(".")
            # the package's own __init__ (its version and the core's names) sits below every stage
            if len(parts) > 1 and parts[1] in STAGES and STAGES.index(parts[1]) > STAGES.index(stage):
                upward.append(f"{each.importer}:{each.line} imports {target}")
    assert upward == []


def test_no_module_is_over_the_length_limit():
    long = {name: module.source.count("\n") for name, module in MODULES.items()
            if module.source.count("\n") > MODULE_LINES}
    assert long == {}


def test_no_function_is_over_the_length_limit():
    long = [f"{module.name}.{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for module in MODULES.values() for node in ast.walk(module.tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno is not None and node.end_lineno - node.lineno + 1 > FUNCTION_LINES]
    assert long == []


def test_an_import_inside_a_function_says_why_it_is_deferred():
    unexplained = []
    for module in MODULES.values():
        lines = module.source.splitlines()
        for each in _imports(module):
            if each.in_function and "# deferred:" not in lines[each.line - 1]:
                unexplained.append(f"{module.name}:{each.line}: {lines[each.line - 1].strip()}")
    assert unexplained == []


IGNORE = re.compile(r"#\s*type:\s*ignore(\[[^\]]*\])?(?P<rest>.*)$")


@pytest.mark.parametrize("line, explained", [
    ("x = y  # type: ignore[assignment]  # y is a str here", True),
    ("x = y  # type: ignore[assignment]", False),
    ("x = y  # type: ignore", False),
])
def test_a_silenced_type_check_is_recognised(line, explained):
    match = IGNORE.search(line)
    assert match is not None and bool(re.match(r"\s*#\s*\S", match["rest"])) is explained


def test_every_silenced_type_check_says_why():
    unexplained = []
    for module in MODULES.values():
        for number, line in enumerate(module.source.splitlines(), 1):
            match = IGNORE.search(line)
            if match and not re.match(r"\s*#\s*\S", match["rest"]):
                unexplained.append(f"{module.name}:{number}: {line.strip()}")
    assert unexplained == []
