"""The package's shape (issue 11): no import cycles, none hidden by a function-local import."""

from __future__ import annotations

import ast
from pathlib import Path

import framing

PACKAGE = Path(framing.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The framing modules one import statement loads (``from a import b``: a.b or a)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = node.module or ""
    if node.level:
        parts = module.split(".") if is_package else module.split(".")[:-1]
        parts = parts[: len(parts) - node.level + 1]
        base = ".".join([*parts, base] if base else parts)
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def _imports() -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
    """Module-level import edges, and (module, target) of function-local imports."""
    top: dict[str, set[str]] = {m: set() for m in MODULES}
    local: list[tuple[str, str]] = []

    def walk(body: list[ast.stmt], module: str, is_package: bool, at_top: bool) -> None:
        for node in body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue  # annotations only: never imported at run time
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _targets(node, module, is_package):
                    if target in MODULES and target != module:
                        if at_top:
                            top[module].add(target)
                        else:
                            local.append((module, target))
            nested = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            for field in ("body", "orelse", "finalbody", "handlers"):
                sub = getattr(node, field, None)
                if isinstance(sub, list):
                    walk(sub, module, is_package, at_top and not nested)

    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        walk(tree.body, module, path.name == "__init__.py", True)
    return top, local


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(graph.get(node, ()))
    return False


def test_no_module_level_import_cycle():
    graph, _ = _imports()
    cycles = [(a, b) for a, targets in graph.items() for b in targets if _reaches(graph, b, a)]
    assert cycles == []


def test_no_function_local_import_hides_a_cycle():
    graph, local = _imports()
    assert local, "the scan finds function-local imports (so this test can fail)"
    hidden = [(a, b) for a, b in local if _reaches(graph, b, a)]
    assert hidden == []


def test_the_scan_sees_a_cycle_when_there_is_one():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _reaches(graph, "b", "a") and not _reaches(graph, "a", "d")
