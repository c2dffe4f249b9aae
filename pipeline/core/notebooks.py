"""Keep notebooks in git without outputs: strip and check.

Usage: python -m pipeline.core.notebooks strip|check [notebooks...]
"""

from __future__ import annotations

import copy
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


def strip_on_save(model: dict, **_hook_args) -> None:
    """Jupyter's pre-save hook (pipeline/lab/jupyter_server_config.json, which `make lab`
    loads): a notebook saved in JupyterLab is written as `strip` leaves it, so saving changes
    nothing DVC tracks."""
    if model.get("type") == "notebook":
        model["content"] = strip(nbformat.from_dict(model["content"]))


def stripped_text(nb: nbformat.NotebookNode) -> str:
    """The file `make strip` (and saving in `make lab`) writes for `nb`."""
    return nbformat.writes(strip(copy.deepcopy(nb))) + "\n"


def problems(nb: nbformat.NotebookNode, text: str | None = None) -> list[str]:
    """What keeps a notebook from being committed as is; given its file's `text`, also any
    difference from what `make strip` writes (which saving in JupyterLab would bring)."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            found.append(f"cell {i} has outputs or an execution count")
    if not any("parameters" in c.metadata.get("tags", []) for c in nb.cells):
        found.append("no cell tagged 'parameters'")
    if not found and text is not None and text != stripped_text(nb):
        found.append("cell ids, metadata or layout differ from what `make strip` writes")
    return found


def paths(args: list[str]) -> list[Path]:
    return [Path(a) for a in args] or sorted((ROOT / "notebooks").glob("*.ipynb"))


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"strip", "check"}:
        print(
            "usage: python -m pipeline.core.notebooks strip|check [notebooks...]", file=sys.stderr
        )
        return 2
    bad = 0
    for path in paths(argv[1:]):
        text = path.read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=4)
        if argv[0] == "strip":
            nbformat.write(strip(nb), path)
            text = path.read_text(encoding="utf-8")
        for problem in problems(nb, text):
            print(f"{path}: {problem}", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
