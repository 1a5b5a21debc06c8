"""The layers, enforced: what each package may import (docs/architecture.md).

api/ and web/ are front doors over careers/; careers/ is the domain core over matching/ (a plain library, see
tests/matching/test_boundary.py for its no-Django rule). Read from the source with ``ast``, so an import inside a
function counts as much as one at the top, and a cycle cannot hide behind one.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("api", "careers", "matching", "web", "config")
# Django's idiom: signal receivers are connected in AppConfig.ready(), after the app registry is loaded.
FUNCTION_IMPORTS_ALLOWED = {("careers/apps.py", "ready")}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


def _imported(path: Path, tree: ast.AST) -> list[tuple[str, ast.AST]]:
    """Every module ``path`` imports (absolute names), with the statement; ``from x import y`` names x and x.y."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            found += [(base, node)] + [(f"{base}.{alias.name}", node) for alias in node.names]
    return found


def _imports_of(*packages: str) -> list[tuple[str, str, int]]:
    """(file, imported module, line) for every import in ``packages``."""
    rows = []
    for path in _sources(*packages):
        for name, node in _imported(path, ast.parse(path.read_text())):
            rows.append((str(path.relative_to(ROOT)), name, node.lineno))
    return rows


def _offending(packages: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return sorted({f"{file}:{line} imports {name}" for file, name, line in _imports_of(*packages)
                   if name.split(".")[0] in forbidden})


@pytest.mark.parametrize(("packages", "forbidden"), [
    (("api",), ("matching", "web")),  # the API serves careers' records; it never ranks by itself
    (("careers",), ("api", "web")),  # the core knows no front door
    (("web",), ("api", "matching")),  # the site calls careers, never the API's views or serializers
])
def test_a_layer_imports_only_what_lies_below_it(packages, forbidden):
    assert _offending(packages, forbidden) == []


def test_the_rule_sees_a_forbidden_import_inside_a_function(tmp_path, monkeypatch):
    """The check itself: a function-level import of matching in api/ is found."""
    fake = ROOT / "api" / "_boundary_probe.py"
    fake.write_text("def f():\n    from matching.text import fold\n    return fold\n")
    try:
        assert _offending(("api",), ("matching",)) == ["api/_boundary_probe.py:2 imports matching.text",
                                                       "api/_boundary_probe.py:2 imports matching.text.fold"]
    finally:
        fake.unlink()


def test_api_views_do_not_import_each_other():
    """Shared view code lives in api.generics, api.permissions or careers; a view module is a leaf."""
    rows = [(file, name) for file, name, _ in _imports_of("api") if file.startswith("api/views/")]
    assert sorted({f"{file} imports {name}" for file, name in rows if name.startswith("api.views.")}) == []


def test_no_import_hides_inside_a_function():
    found = []
    for path in _sources(*PACKAGES):
        for function in ast.walk(ast.parse(path.read_text())):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if (str(path.relative_to(ROOT)), function.name) in FUNCTION_IMPORTS_ALLOWED:
                continue
            found += [f"{path.relative_to(ROOT)}:{node.lineno} in {function.name}()" for node in ast.walk(function)
                      if isinstance(node, ast.Import | ast.ImportFrom)]
    assert found == []


def _type_only(tree: ast.AST) -> set[int]:
    """The import statements under ``if TYPE_CHECKING:``: never run, so they cannot take part in an import cycle."""
    guarded = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            guarded |= {id(n) for child in node.body for n in ast.walk(child)}
    return guarded


def _import_graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in _sources(*PACKAGES)}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text())
        type_only = _type_only(tree)
        by_statement: dict[ast.AST, set[str]] = {}
        for name, node in _imported(path, tree):
            if id(node) not in type_only:
                by_statement.setdefault(node, set()).add(name)
        targets = set()
        for names in by_statement.values():
            # ``from pkg import submodule`` depends on the submodule, not on the package's __init__.
            targets |= names - {name.rpartition(".")[0] for name in names if name in paths}
        graph[module] = {t for t in targets if t in paths and t != module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while (top := stack.pop()) != node:
                component.append(top)
            if component:
                cycles.append(sorted([node, *component]))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_there_is_no_import_cycle():
    assert _cycles(_import_graph()) == []


def test_the_cycle_finder_finds_one():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
