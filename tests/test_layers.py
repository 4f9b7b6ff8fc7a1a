"""The package's layers: no import cycles, nothing imports upward.

From the bottom: leaf modules (shared types and text checks), data (options, resources),
the engine (hook specs, plugin manager, pipeline, header writer, default plugins), the
start-up checks (lint), the face (``CORS``, ``cross_origin``), the test helpers
(``flask_cors.testing``) and the tools (``flask cors`` commands). Imports only for type
checking do not count: they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import flask_cors

PACKAGE = Path(flask_cors.__file__).parent

LAYERS: dict[str, int] = {
    "_text": 0,
    "_regex": 0,
    "errors": 0,
    "views": 0,
    "decision": 0,
    "core": 0,
    "hookspecs": 0,
    "suffixes": 0,
    "grammar": 0,
    "arguments": 0,
    "options": 1,
    "resources": 1,
    "headers": 2,
    "routing": 1,
    "manager": 2,
    "pipeline": 2,
    "decide": 2,
    "defaults": 2,
    "lint": 3,
    "extension": 4,
    "decorator": 4,
    "__init__": 4,
    "testing": 5,
    "tools": 6,
}


def module_name(path: Path) -> str:
    """``options``, ``defaults.vary``; a package by its own name (``testing``, ``__init__``)."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if len(parts) > 1 and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(name: str) -> int:
    return LAYERS[name.split(".")[0]]


def runtime_imports(path: Path) -> Iterator[str]:
    """The flask_cors modules ``path`` imports when it runs (``TYPE_CHECKING`` excluded)."""
    tree = ast.parse(path.read_text())
    package = module_name(path).split(".")
    if path.name != "__init__.py" or package == ["__init__"]:
        package = package[:-1]
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only.update(id(child) for inner in node.body for child in ast.walk(inner))
    for node in ast.walk(tree):
        if id(node) in type_only or not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package[: len(package) - node.level + 1]
            target = ".".join([*base, node.module] if node.module else base)
        elif node.module and node.module.startswith("flask_cors"):
            target = node.module.removeprefix("flask_cors").lstrip(".")
        else:
            continue
        for alias in node.names:
            yield f"{target}.{alias.name}".strip(".")


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[module_name(p) for p in MODULES])
def test_no_module_imports_a_higher_layer(path: Path) -> None:
    own = layer_of(module_name(path))
    upward = [name for name in runtime_imports(path) if layer_of(name) > own]
    assert upward == [], f"{module_name(path)} (layer {own}) imports {upward}"


@pytest.mark.parametrize("path", MODULES, ids=[module_name(p) for p in MODULES])
def test_only_the_extension_imports_the_default_plugins(path: Path) -> None:
    name = module_name(path)
    if name == "extension" or name.startswith("defaults"):
        return
    assert not [target for target in runtime_imports(path) if target.startswith("defaults")]


def test_there_are_no_import_cycles() -> None:
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        name = module_name(path)
        modules = {module_name(p) for p in MODULES}
        graph[name] = {
            target if target in modules else target.rpartition(".")[0] or "__init__"
            for target in runtime_imports(path)
        } & (modules - {name})
    visiting: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> None:
        if node in done:
            return
        assert node not in visiting, " -> ".join([*visiting[visiting.index(node) :], node])
        visiting.append(node)
        for target in sorted(graph.get(node, ())):
            visit(target)
        visiting.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)


@pytest.mark.parametrize("path", MODULES, ids=[module_name(p) for p in MODULES])
def test_only_the_header_writer_touches_werkzeugs_private_header_list(path: Path) -> None:
    if module_name(path) == "headers":
        return
    tree = ast.parse(path.read_text())
    private = [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr == "_list")
        or (isinstance(node, ast.Constant) and node.value == "_list")
    ]
    assert private == [], f"{module_name(path)} uses Headers._list on lines {private}"
