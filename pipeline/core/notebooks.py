"""Keep notebooks in git without outputs: strip and check.

Usage: python -m pipeline.core.notebooks strip|check [notebooks...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from pipeline.core.config import ROOT

KERNELSPEC = {"display_name": "Python 3 (tiers-lieu)", "language": "python", "name": "python3"}


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove outputs, execution counts and editor metadata; keep tags and the kernel."""
    nb.metadata = nbformat.from_dict(
        {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    )
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict(
            {"tags": cell.metadata["tags"]} if cell.metadata.get("tags") else {}
        )
        cell.pop("id", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.nbformat, nb.nbformat_minor = 4, 4
    return nb


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """What keeps a notebook from being committed as is."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            found.append(f"cell {i} has outputs or an execution count")
    if not any("parameters" in c.metadata.get("tags", []) for c in nb.cells):
        found.append("no cell tagged 'parameters'")
    return found


def paths(args: list[str]) -> list[Path]:
    return [Path(a) for a in args] or sorted((ROOT / "notebooks").glob("*.ipynb"))


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"strip", "check"}:
        print("usage: python -m pipeline.core.notebooks strip|check [notebooks...]", file=sys.stderr)
        return 2
    bad = 0
    for path in paths(argv[1:]):
        nb = nbformat.read(path, as_version=4)
        if argv[0] == "strip":
            nbformat.write(strip(nb), path)
        for problem in problems(nb):
            print(f"{path}: {problem}", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
