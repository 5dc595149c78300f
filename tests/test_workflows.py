"""The composition root registers every workflow's mutations, and nothing else does."""

from __future__ import annotations

import ast
from pathlib import Path

from clerk import mutation, workflows

CORE = Path(__file__).resolve().parent.parent / "clerk"
DECORATORS = {"mutation", "insert_only"}


def _modules_defining_mutations() -> set[str]:
    """Modules of clerk/ with a handler decorated by @mutation(...) or @insert_only(...)."""
    found = set()
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                for deco in node.decorator_list:
                    if isinstance(deco, ast.Call) and getattr(deco.func, "id", None) in DECORATORS:
                        found.add(".".join(path.relative_to(CORE.parent).with_suffix("").parts))
    return found


def test_install_registers_every_module_that_defines_mutations():
    workflows.install()
    registered = {(m.rows or m.handler).__module__ for m in mutation.REGISTRY.values()}
    missing = _modules_defining_mutations() - registered
    assert not missing, f"clerk.workflows.install() does not import {sorted(missing)}"


def test_the_mutation_core_imports_no_workflow():
    source = (CORE / "mutation.py").read_text(encoding="utf-8")
    imported = {
        alias.name if isinstance(node, ast.Import) else node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [None])
    }
    assert not any(name and name.startswith(("clerk.queue", "clerk.staff", "clerk.audit")) for name in imported)
