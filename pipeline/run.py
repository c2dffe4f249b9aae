"""Run one DVC stage: execute its notebook with papermill, handing it its declared params.

Usage: python -m pipeline.run 01_portrait
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nbformat
import papermill as pm

from pipeline.checksums import RawDataChanged, raw_folders, verify
from pipeline.config import ROOT, stage_params
from pipeline.io import atomic_path

VOLATILE_KEYS = ("start_time", "end_time", "duration", "exception", "status")


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop run timings and random cell ids: the same inputs give the same executed notebook."""
    for key in (*VOLATILE_KEYS, "input_path", "output_path"):
        nb.metadata.get("papermill", {}).pop(key, None)
    for i, cell in enumerate(nb.cells):
        if "id" in cell:  # random ids are given to cells that had none
            cell.id = f"cell-{i:03d}"
        cell.metadata.pop("execution", None)
        for key in VOLATILE_KEYS:
            cell.metadata.get("papermill", {}).pop(key, None)
    return nb


def run_stage(stage: str, root: Path = ROOT) -> Path:
    root = Path(root)
    notebook = root / "notebooks" / f"{stage}.ipynb"
    output = root / "data" / "processed" / stage / "notebook.ipynb"
    failed = root / "data" / "processed" / "failed" / f"{stage}.ipynb"
    params = stage_params(stage, root)
    for folder in raw_folders(root, params["territory"]):
        verify(folder)  # raw data are immutable: refuse to run on a file changed since recorded
    with atomic_path(output) as tmp:
        try:
            pm.execute_notebook(
                str(notebook),
                str(tmp),
                parameters={"params": params},
                cwd=str(root),
                kernel_name="python3",
                progress_bar=False,
                report_mode=False,
            )
        except pm.PapermillExecutionError:
            # Leave no half-written output: the stage's folder goes, its notebook is kept aside.
            failed.parent.mkdir(parents=True, exist_ok=True)
            Path(tmp).replace(failed)
            shutil.rmtree(output.parent, ignore_errors=True)
            print(f"{stage}: failed; the executed notebook is in {failed}", file=sys.stderr)
            raise
        nb = clean_notebook(nbformat.read(tmp, as_version=4))
        nbformat.write(nb, tmp)
    failed.unlink(missing_ok=True)
    return output


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m pipeline.run <stage>", file=sys.stderr)
        return 2
    try:
        run_stage(argv[0])
    except pm.PapermillExecutionError as exc:
        print(f"{argv[0]}: {exc.ename}: {exc.evalue}", file=sys.stderr)
        return 1
    except RawDataChanged as exc:
        print(f"{argv[0]}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
