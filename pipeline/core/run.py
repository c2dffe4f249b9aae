"""Run one DVC stage: execute its notebook with papermill, handing it its declared params.

Usage: python -m pipeline.core.run 01_portrait
"""

from __future__ import annotations

import base64
import os
import shutil
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import papermill as pm

from pipeline.core.checksums import RawDataChanged, raw_folders, verify
from pipeline.core.config import ROOT, stage_params
from pipeline.core.figures import figure_html
from pipeline.core.io import atomic_path, round_significant
from pipeline.core.metrics import write_stage

VOLATILE_KEYS = ("start_time", "end_time", "duration", "exception", "status")
PLOTLY = "application/vnd.plotly.v1+json"
# Thread pools of BLAS and OpenMP, fixed for the kernel (which inherits this environment): they
# split a long dot product between their threads, so its last bits would follow the core count;
# the study's matrices are far too small for threads to pay. Polars keeps its threads to read the
# large MOBPRO and census files; the survey estimates svy computes with it were found identical
# from 1 to 8 threads (tests/test_machine_independence.py reruns them on 1 and 3).
FIXED_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def rounded_figure(value):
    """Plotly figure JSON with its floats rounded as processed tables are (pipeline.core.io).

    Figures are computed in the notebook, so their numbers carry the same machine-dependent
    last bits as the tables; float64 arrays come as typed arrays (base64 `bdata`, dtype `f8`).
    """
    if isinstance(value, dict):
        if value.get("dtype") == "f8" and isinstance(value.get("bdata"), str):
            data = np.frombuffer(base64.b64decode(value["bdata"]), dtype="<f8")
            data = round_significant(data).astype("<f8").tobytes()
            return {**value, "bdata": base64.b64encode(data).decode("ascii")}
        return {key: rounded_figure(item) for key, item in value.items()}
    if isinstance(value, list):
        return [rounded_figure(item) for item in value]
    if isinstance(value, float):
        return float(round_significant(value))
    return value


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop run timings, random cell ids and the Python patch version, and round the figures'
    floats: the same inputs give the same executed notebook on any machine. Each figure gains
    its HTML, made from the rounded JSON (so it carries the same numbers), for Quarto."""
    for key in (*VOLATILE_KEYS, "input_path", "output_path"):
        nb.metadata.get("papermill", {}).pop(key, None)
    nb.metadata.get("language_info", {}).pop("version", None)
    for i, cell in enumerate(nb.cells):
        if "id" in cell:  # random ids are given to cells that had none
            cell.id = f"cell-{i:03d}"
        cell.metadata.pop("execution", None)
        for key in VOLATILE_KEYS:
            cell.metadata.get("papermill", {}).pop(key, None)
        for output in cell.get("outputs", []):
            if PLOTLY in output.get("data", {}):
                spec = rounded_figure(output.data[PLOTLY])
                output.data[PLOTLY] = nbformat.from_dict(spec)
                output.data["text/html"] = figure_html(spec, cell.source)
    return nb


def run_stage(stage: str, root: Path = ROOT) -> Path:
    root = Path(root)
    notebook = root / "notebooks" / f"{stage}.ipynb"
    output = root / "data" / "processed" / stage / "notebook.ipynb"
    failed = root / "data" / "processed" / "failed" / f"{stage}.ipynb"
    params = stage_params(stage, root)
    for folder in raw_folders(root, params["territory"]):
        verify(folder)  # raw data are immutable: refuse to run on a file changed since recorded
    # DVC leaves the stage's outputs in place (`persist` in dvc.yaml, so that a stage that cannot
    # start loses nothing): the earlier run's tables go now, none may outlive the run.
    shutil.rmtree(output.parent, ignore_errors=True)
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
                # The kernel talks to papermill over local TCP; its warning that this is not
                # encrypted is noise here (ten times a build): the kernel logs errors only.
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
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
    write_stage(stage, root)  # metrics/<stage>.json, plots/<stage>/: what DVC compares
    failed.unlink(missing_ok=True)
    return output


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m pipeline.core.run <stage>", file=sys.stderr)
        return 2
    os.environ.update(FIXED_THREADS, TIERS_LIEU_STAGE=argv[0])  # phase.STAGE_VARIABLE: run by DVC
    start = time.monotonic()
    try:
        output = run_stage(argv[0])
    except pm.PapermillExecutionError as exc:
        print(f"{argv[0]}: {exc.ename}: {exc.evalue}", file=sys.stderr)
        return 1
    except RawDataChanged as exc:
        print(f"{argv[0]}: {exc}", file=sys.stderr)
        return 1
    tables = len(list(output.parent.glob("*.parquet")))
    print(f"{argv[0]}: {tables} tables in {output.parent.relative_to(ROOT)}/ "
          f"({time.monotonic() - start:.0f} s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
