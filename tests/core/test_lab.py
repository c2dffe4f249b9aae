"""JupyterLab beside the pipeline (issue 18): saving strips the notebook, a run by hand writes
to data/scratch/, the parameters cell shows a partial override."""

import ast
import asyncio
import json
import os
import shutil
import subprocess

import nbformat
import pandas as pd
import pytest
from jupyter_server.services.contents.filemanager import FileContentsManager
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from traitlets.config import JSONFileConfigLoader

from pipeline.core import run
from pipeline.core.config import ROOT, merge_settings, read_yaml, stage_params
from pipeline.core.notebooks import problems
from pipeline.core.phase import STAGE_VARIABLE, Table, open_phase

STAGES = [s for s in read_yaml(ROOT / "dvc.yaml")["stages"] if s != "report"]
LAB_CONFIG = ROOT / "pipeline" / "lab"


def as_jupyterlab_sends_it(nb: nbformat.NotebookNode) -> dict:
    """The notebook after a run in JupyterLab: outputs, counts, ids, another kernel name."""
    nb.nbformat_minor = 5
    nb.metadata.kernelspec.display_name = "Python 3 (ipykernel)"
    nb.metadata.language_info = {"name": "python", "version": "3.11.2", "mimetype": "text/x-python"}
    for i, cell in enumerate(nb.cells):
        cell.id = f"c{i}"
        cell.metadata.update({"trusted": True, "scrolled": True})
        if cell.cell_type == "code":
            cell.execution_count = i + 1
            cell.outputs = [
                nbformat.v4.new_output("stream", name="stdout", text="Exécution manuelle\n"),
                nbformat.v4.new_output("display_data", data={"text/plain": "figure"}),
            ]
    return json.loads(json.dumps(nb))


@pytest.mark.parametrize("manager", [FileContentsManager, AsyncLargeFileManager])
def test_saving_in_jupyterlab_writes_the_notebook_as_committed(tmp_path, manager):
    """The contents manager `make lab` configures (the async one is JupyterLab's default)
    writes every notebook byte for byte as committed, whatever outputs it was sent with."""
    config = JSONFileConfigLoader("jupyter_server_config.json", str(LAB_CONFIG)).load_config()
    config.NotebookNotary.db_file = ":memory:"  # trust signatures: not in the user's folder
    contents = manager(root_dir=str(tmp_path), config=config)

    def done(result):  # the async manager's methods are coroutines
        return asyncio.run(result) if asyncio.iscoroutine(result) else result

    for stage in STAGES:
        name = f"{stage}.ipynb"
        committed = (ROOT / "notebooks" / name).read_bytes()
        (tmp_path / name).write_bytes(committed)
        sent = as_jupyterlab_sends_it(done(contents.get(name))["content"])
        done(contents.save({"type": "notebook", "format": "json", "content": sent}, name))
        assert (tmp_path / name).read_bytes() == committed, name


def test_check_refuses_what_saving_would_change():
    """`make strip`'s check compares the file with what the hook would save: a stray cell id,
    as a script writing a notebook may leave, is reported."""
    name = ROOT / "notebooks" / f"{STAGES[0]}.ipynb"
    text = name.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    assert problems(nb, text) == []
    nb.cells[0]["id"] = "stray"
    assert problems(nb, nbformat.writes(nb) + "\n") == [
        "cell ids, metadata or layout differ from what `make strip` writes"
    ]


@pytest.mark.parametrize(("uid", "flags"), [(0, ["--allow-root"]), (1000, [])])
def test_make_lab_puts_the_hook_on_jupyters_config_path(tmp_path, uid, flags):
    """As root and as a user: pipeline/lab/ first on Jupyter's config path, the user's own
    kept; --allow-root for root only (fake `jupyter` and `id` on the PATH make gives)."""
    for name, script in [
        ("jupyter", 'echo "$JUPYTER_CONFIG_PATH"; echo "$@"'),
        ("id", f"echo {uid}"),
    ]:
        (tmp_path / name).write_text(f"#!/bin/sh\n{script}\n")
        (tmp_path / name).chmod(0o755)
    made = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "lab", f"BIN={tmp_path}"],
        cwd=ROOT,
        env={**os.environ, "JUPYTER_CONFIG_PATH": "/theirs"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert made[-2:] == [
        f"{LAB_CONFIG}{os.pathsep}/theirs",
        " ".join(["lab", "notebooks/", *flags]),
    ]


def test_jupyterlab_started_with_that_path_has_the_hook(tmp_path):
    shown = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "jupyter"), "lab", "--show-config-json"],
        env={**os.environ, "JUPYTER_CONFIG_PATH": str(LAB_CONFIG)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    hook = json.loads(shown)["ContentsManager"]["pre_save_hook"]
    assert hook == "pipeline.core.notebooks.strip_on_save"


@pytest.fixture
def study_root(tmp_path):
    """A study folder with the project's settings and phase 03's table the demand reads."""
    for name in ("params.yaml", "dvc.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "territories", tmp_path / "territories")
    upstream = Table("03_survey", "estimates").path(tmp_path)
    upstream.parent.mkdir(parents=True)
    pd.DataFrame({"x": [1]}).to_parquet(upstream)
    return tmp_path


def test_a_notebook_run_by_hand_writes_to_scratch_and_says_so(study_root, monkeypatch, capsys):
    monkeypatch.delenv(STAGE_VARIABLE, raising=False)
    phase = open_phase("07_demand", {}, study_root)
    assert capsys.readouterr().out.splitlines()[0] == (
        "Exécution manuelle : les tables sont écrites dans data/scratch/07_demand/, "
        "pas dans les sorties suivies par DVC."
    )
    written = phase.write(pd.DataFrame({"y": [2]}), "demand")
    assert written == study_root / "data" / "scratch" / "07_demand" / "demand.parquet"
    assert not (study_root / "data" / "processed" / "07_demand").exists()
    assert phase.read(Table("07_demand", "demand"))["y"].tolist() == [2]
    assert phase.read(Table("03_survey", "estimates"))["x"].tolist() == [1]  # still processed


def test_a_stage_run_by_dvc_writes_to_processed(study_root, monkeypatch, capsys):
    monkeypatch.setenv(STAGE_VARIABLE, "07_demand")
    phase = open_phase("07_demand", {}, study_root)
    assert capsys.readouterr().out == ""
    written = phase.write(pd.DataFrame({"y": [2]}), "demand")
    assert written == Table("07_demand", "demand").path(study_root)
    assert not (study_root / "data" / "scratch").exists()


def test_the_stage_runner_tells_the_notebook_it_runs_it(monkeypatch):
    """pipeline/core/run.py sets the variable papermill's kernel inherits, to its stage."""

    class Ran(Exception):
        pass

    def run_stage(stage, *args):
        raise Ran(os.environ.get(STAGE_VARIABLE))

    monkeypatch.setattr(os, "environ", dict(os.environ))  # main's changes stay in this test
    monkeypatch.setattr(run, "run_stage", run_stage)
    with pytest.raises(Ran, match="^09_scenarios$"):
        run.main(["09_scenarios"])


@pytest.mark.parametrize("stage", STAGES)
def test_the_parameters_cell_shows_a_partial_override_that_holds(stage, monkeypatch):
    """`params = {}`, then a commented example that, uncommented, opens the phase with only
    the keys it gives changed."""
    nb = nbformat.read(ROOT / "notebooks" / f"{stage}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    code, example = cell.source.splitlines()
    assert code == "params = {}"
    assert example.startswith("# params = {")
    assert example.endswith("}  # seules les clés données changent")
    override = ast.literal_eval(example.removeprefix("# params = ").split("  #")[0])
    monkeypatch.setenv(STAGE_VARIABLE, stage)
    changed = open_phase(stage, override).params
    assert changed != stage_params(stage)
    assert changed == merge_settings(stage_params(stage), override, "example")
