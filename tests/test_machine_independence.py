"""The same bytes on any machine: the numeric stages, rerun as another CPU would run them (another
OpenBLAS kernel, another thread count, NumPy and the C library without AVX), write the same files."""

from __future__ import annotations

import base64
import hashlib
import shutil
from pathlib import Path

import nbformat
import numpy as np
import plotly.graph_objects as go
import pytest
from study import copy_project, run

from pipeline.core.run import PLOTLY, clean_notebook

# Stages whose results go through BLAS (03 model, 08 Huff, 09 NPVs), SIMD maths and the C
# library's (01 growth rates, 01-02 projected maps), in chain order; 04-07 and 10 compute
# nothing of the kind and were found stable.
STAGES = ["01_portrait", "02_mobility", "03_survey", "08_sites", "09_scenarios"]
THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "POLARS_MAX_THREADS",
           "RAYON_NUM_THREADS")  # fmt: skip


def without_avx() -> dict[str, str]:
    """A CPU without AVX, as far as NumPy's dispatched SIMD paths (only those this machine has,
    or NumPy warns into the notebook) and glibc's AVX/FMA variants of libm are concerned."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    off = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
    env = {"GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2,-FMA,-AVX512F,-AVX512DQ,-AVX512BW,-AVX512VL"}
    return env | ({"NPY_DISABLE_CPU_FEATURES": ",".join(off)} if off else {})


# Two other machines: the oldest OpenBLAS kernel on one thread, and an AVX2 kernel on three
# threads beside NumPy and libm without AVX. (This machine's own kernel is the default.)
MACHINES = {
    "Prescott kernel, 1 thread": {"OPENBLAS_CORETYPE": "Prescott", **dict.fromkeys(THREADS, "1")},
    "Haswell kernel, 3 threads, no AVX elsewhere": {
        "OPENBLAS_CORETYPE": "Haswell",
        **dict.fromkeys(THREADS, "3"),
        **without_avx(),
    },
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A study run up to 09_scenarios: a copy of the one test_e2e built in this session if any
    (copying takes a second, the chain a minute and a half), else a copy of the project."""
    copy = tmp_path_factory.mktemp("machine")
    done = sorted(tmp_path_factory.getbasetemp().glob("study*/data/processed/09_scenarios"))
    if done:
        shutil.copytree(done[0].parents[2], copy, symlinks=True, dirs_exist_ok=True)
    else:
        copy_project(copy)
    run(["dvc", "repro", "09_scenarios"], copy)  # nothing to do on test_e2e's finished study
    return copy


def hashes(folder: Path) -> dict[str, str]:
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(folder.iterdir())}


def test_executed_notebook_keeps_no_machine_dependent_bits():
    """Figures' floats are rounded as tables are, typed arrays included; other numbers are kept;
    the Python patch version, which differs between machines, is dropped."""
    x = np.array([13817.623876669584, 0.1 + 0.2])
    fig = go.Figure(go.Bar(x=x, y=np.array([1, 2], dtype="int8"), width=0.1 + 0.2, name="a"))
    nb = nbformat.v4.new_notebook(metadata={"language_info": {"name": "python", "version": "3"}})
    output = nbformat.v4.new_output("display_data", {PLOTLY: fig.to_plotly_json()})
    nb.cells = [nbformat.v4.new_code_cell("fig", outputs=[output])]
    nb = clean_notebook(nbformat.from_dict(nbformat.reads(nbformat.writes(nb), as_version=4)))
    trace = nb.cells[0].outputs[0].data[PLOTLY]["data"][0]
    assert np.frombuffer(base64.b64decode(trace["x"]["bdata"])).tolist() == [13817.62388, 0.3]
    assert trace["y"] == fig.to_plotly_json()["data"][0]["y"] and trace["width"] == 0.3
    assert nb.metadata["language_info"] == {"name": "python"}


@pytest.mark.e2e
@pytest.mark.parametrize("machine", MACHINES)
def test_numeric_stages_write_the_same_bytes_on_another_machine(built, machine, monkeypatch):
    for key in [*THREADS, "OPENBLAS_CORETYPE", "NPY_DISABLE_CPU_FEATURES", "GLIBC_TUNABLES"]:
        monkeypatch.delenv(key, raising=False)
    for key, value in MACHINES[machine].items():
        monkeypatch.setenv(key, value)
    for stage in STAGES:
        folder = built / "data" / "processed" / stage
        before = hashes(folder)
        run(["python", "-m", "pipeline.core.run", stage], built)
        after = hashes(folder)
        changed = sorted(name for name in before.keys() | after.keys()
                         if before.get(name) != after.get(name))  # fmt: skip
        assert changed == [], f"{machine}: {stage} wrote other bytes in {changed}"
