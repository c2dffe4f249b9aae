"""The code's shape: ruff's rules, the import contracts of pyproject.toml (import-linter), no
hidden imports, short modules."""

import ast
import re
import subprocess
import sys
from pathlib import Path

from pipeline.core.config import ROOT

BIN = Path(sys.executable).parent
MAX_LINES = 400  # a module longer than this is split by what it does
REASON = re.compile(r"#.*\breason:")


def test_ruff_finds_nothing():
    done = subprocess.run(
        [str(BIN / "ruff"), "check", "pipeline", "tests"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout


def test_import_contracts_hold():
    """Layers in study order, core and the demo generator apart, no cycles (pyproject.toml's
    [tool.importlinter] contracts)."""
    done = subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def modules() -> list[Path]:
    return sorted((ROOT / "pipeline").rglob("*.py"))


def imports_in_functions(source: str) -> list[tuple[int, str]]:
    """(line, module) of each import of a project module made inside a function whose lines
    carry no `# reason: …` comment."""
    lines = source.splitlines()
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = ["." * node.level + (node.module or "")]
            else:
                continue
            own = [n for n in names if n.startswith(".") or n.split(".")[0] == "pipeline"]
            said = lines[node.lineno - 1 : node.end_lineno]
            if own and not any(REASON.search(line) for line in said):
                found.append((node.lineno, own[0]))
    return sorted(set(found))


def test_imports_in_functions_are_seen():
    source = (
        "import os\n\ndef f():\n    import json\n    from pipeline.core import fmt\n"
        "    from pipeline.core import io  # reason: a cycle\n\n"
        "def g():\n    def h():\n        from . import x\n"
    )
    assert imports_in_functions(source) == [(5, "pipeline.core"), (10, ".")]


def test_no_project_import_inside_a_function_without_a_reason():
    """Imports at the top show the real dependency graph (and import-linter sees them all)."""
    hidden = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in modules()
        for line, module in imports_in_functions(path.read_text(encoding="utf-8"))
    ]
    assert not hidden, "move these imports to the top of their module:\n" + "\n".join(hidden)


def test_no_module_is_longer_than_the_limit():
    long = [
        f"{path.relative_to(ROOT)}: {n} lines"
        for path in modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert not long, f"split these modules (at most {MAX_LINES} lines):\n" + "\n".join(long)
