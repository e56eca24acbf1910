"""No function body in ``pylive/`` imports anything (DESIGN.md: an import inside a function body to
dodge a cycle hides that a module has two jobs; split it instead).

The import contracts in ``pyproject.toml`` see imports wherever they are, but a late import inside
one layer is invisible to the layers contract; this test makes any of them a decision. The few
allowed are listed with their reason, none of which is a cycle: each defers a heavy import that
the caller may never need. A listed entry that no longer imports fails too, so the list stays
true.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pylive"

ALLOWED: dict[tuple[str, str], set[str]] = {
    # `python -m pylive --help` and `--version` answer without the server: importing pylive.sanic
    # (sanic) takes about 1 s, the rest of the command line 0.2 s. L4 importing L4: no cycle.
    ("__main__.py", "main"): {"pylive.sanic"},
    # The pytest plugin is loaded by every pytest run in an environment where pylive is installed;
    # it imports the test client only once a test asks for the `live` fixture (its docstring).
    ("testing/plugin.py", "LiveFactory.__call__"): {"pylive.testing.client"},
    ("testing/plugin.py", "LiveFactory.isolated"): {
        "pylive.testing.client",
        "pylive.testing.isolated",
    },
    # That plugin loads pylive.testing.browser whenever pytest-playwright is installed; the server
    # (sanic) is imported by the tests that start one, not by every run.
    ("testing/browser.py", "live_server"): {"pylive.sanic"},
}


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return ["." * node.level + (node.module or "")]


def _late_imports(tree: ast.Module) -> dict[str, set[str]]:
    """``{qualified function name: modules imported in its body}`` for one module."""
    found: dict[str, set[str]] = {}

    def visit(node: ast.AST, scope: list[str], function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, [*scope, child.name], function)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = ".".join([*scope, child.name])
                visit(child, [*scope, child.name], function or name)
            elif isinstance(child, ast.Import | ast.ImportFrom) and function is not None:
                found.setdefault(function, set()).update(_imported(child))
            else:
                visit(child, scope, function)

    visit(tree, [], None)
    return found


def late_imports() -> dict[tuple[str, str], set[str]]:
    """Every import inside a function body under ``pylive/``, by (file, function)."""
    found: dict[tuple[str, str], set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        for function, modules in _late_imports(ast.parse(path.read_text(), str(path))).items():
            found[(where, function)] = modules
    return found


def test_no_function_body_in_the_package_imports_anything() -> None:
    unexpected = {
        f"pylive/{where}: {function}() imports {sorted(modules)}"
        for (where, function), modules in late_imports().items()
        if ALLOWED.get((where, function)) != modules
    }
    assert sorted(unexpected) == [], (
        "an import inside a function body: move it to the top of the module (if it dodges a "
        "cycle, split the module that has two jobs), or, for a heavy import most callers never "
        "need, add it to ALLOWED with its reason"
    )


def test_every_allowed_late_import_still_exists() -> None:
    found = late_imports()
    stale = {key: modules for key, modules in ALLOWED.items() if found.get(key) != modules}
    assert stale == {}, "ALLOWED lists late imports that are gone: remove them"


def test_late_imports_finds_methods_nested_functions_and_relative_imports() -> None:
    tree = ast.parse(
        "import os\n"
        "def f():\n"
        "    def g():\n"
        "        from . import x\n"
        "class C:\n"
        "    async def m(self):\n"
        "        if True:\n"
        "            import json, re\n"
        "    import sys\n"
    )
    assert _late_imports(tree) == {"f": {"."}, "C.m": {"json", "re"}}


OPTIONAL = ("opentelemetry", "prometheus_client", "redis")
"""The optional extras' packages: only the modules that bridge to them import them."""


def test_pylive_imports_without_the_optional_packages() -> None:
    """``import pylive`` (the server and the test client too) with none of the extras: each of
    their packages made unimportable in a fresh interpreter."""
    blocked = "; ".join(f"sys.modules[{name!r}] = None" for name in OPTIONAL)
    code = f"import sys; {blocked}; import pylive, pylive.sanic, pylive.testing; print('ok')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "ok\n", "")
    bridge = code.replace("print('ok')", "import pylive.telemetry_otel")
    refused = subprocess.run([sys.executable, "-c", bridge], capture_output=True, text=True)
    assert "ModuleNotFoundError: import of opentelemetry halted" in refused.stderr
