"""The shape of the code (issue 13, docs/architecture.md): modules and functions small enough to
read, every import at the top of its module, no private name used outside its module. The layers
themselves are checked by `lint-imports` (pyproject.toml) in `make test`."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "hongniudai"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
# Demo data generators are long lists of what the demo town holds: exempt.
EXEMPT = ("demo/",)


def _modules() -> Iterator[tuple[str, ast.Module, str]]:
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/migrations/" in f"/{rel}":
            continue
        text = path.read_text()
        yield rel, ast.parse(text), text


def _exempt(rel: str) -> bool:
    return rel.startswith(EXEMPT)


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def test_no_module_over_600_lines():
    long = [f"{rel}: {len(text.splitlines())}" for rel, _t, text in _modules() if not _exempt(rel)]
    long = [row for row in long if int(row.rsplit(": ", 1)[1]) > MAX_MODULE_LINES]
    assert long == []


def test_no_function_over_60_lines():
    long = [
        f"{rel}:{fn.lineno} {fn.name} ({fn.end_lineno - fn.lineno + 1})"  # type: ignore[operator]
        for rel, tree, _text in _modules()
        if not _exempt(rel)
        for fn in _functions(tree)
        if fn.end_lineno - fn.lineno + 1 > MAX_FUNCTION_LINES  # type: ignore[operator]
    ]
    assert long == []


def _is_ready(fn: ast.FunctionDef | ast.AsyncFunctionDef, rel: str) -> bool:
    # AppConfig.ready imports what needs the app registry; that is where Django wants it.
    return fn.name == "ready" and rel.endswith("apps.py")


def test_every_import_is_at_the_top_of_its_module():
    inside = [
        f"{rel}:{node.lineno} in {fn.name}"
        for rel, tree, _text in _modules()
        for fn in _functions(tree)
        if not _is_ready(fn, rel)
        for node in ast.walk(fn)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert inside == []


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_private_name_is_used_outside_its_module():
    """`from x import _name` and `x._name` (x a module of the project) are both refused."""
    used = []
    for rel, tree, _text in _modules():
        project_modules: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                from_project = node.level > 0 or (node.module or "").startswith("hongniudai")
                for alias in node.names:
                    if from_project and _private(alias.name):
                        used.append(f"{rel}:{node.lineno} imports {alias.name}")
                    elif from_project:
                        project_modules.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("hongniudai"):
                        project_modules.add(alias.asname or alias.name.split(".")[0])
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and _private(node.attr)
                and isinstance(node.value, ast.Name)
                and node.value.id in project_modules
            ):
                used.append(f"{rel}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert used == []


def test_the_checks_see_the_code():
    # A check that looks at nothing cannot fail: it must read the project's modules, functions and imports.
    modules = list(_modules())
    assert len(modules) > 100
    assert sum(1 for _rel, tree, _t in modules for _fn in _functions(tree)) > 1000
