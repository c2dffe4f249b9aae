"""DVC stages run with the study's Python however DVC was started (pipeline/core/stage.sh)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.core.config import ROOT

SYSTEM_PATH = "/usr/bin:/bin"


def bare_env(**extra: str) -> dict[str, str]:
    """The environment of a shell where the study's environment is not activated."""
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "CONDA_PREFIX"}}
    return {**env, "PATH": SYSTEM_PATH, **extra}


def test_a_python_without_the_packages_stops_before_touching_any_output(tmp_path):
    shutil.copytree(ROOT / "pipeline", tmp_path / "pipeline")
    kept = tmp_path / "data/processed/03_survey/responses.parquet"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"earlier run")
    bare = tmp_path / "bare"  # an activated environment without the study's packages
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(bare)], check=True)
    done = subprocess.run(
        ["sh", "pipeline/core/stage.sh", "03_survey"],
        cwd=tmp_path,
        env=bare_env(VIRTUAL_ENV=str(bare)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "03_survey:" in done.stderr and "lacks tiers-lieu-etude" in done.stderr
    assert "source .venv/bin/activate" in done.stderr and "nothing was written" in done.stderr
    assert kept.read_bytes() == b"earlier run"


def test_every_stage_runs_through_the_interpreter_check():
    import yaml

    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
    for name, stage in stages.items():
        assert stage["cmd"] == f"sh pipeline/core/stage.sh {name}", name
        for out in stage["outs"]:  # DVC must not delete them before the check has run
            assert isinstance(out, dict) and next(iter(out.values())) == {"persist": True}, name


def test_dvc_repro_with_the_environment_not_activated(study):
    """`.venv/bin/dvc repro` from a shell whose `python` is the system's: the stage finds the
    project's .venv, and rebuilds exactly what `make study` built."""
    venv = Path(sys.executable).parent.parent
    link = study / ".venv"
    link.symlink_to(venv, target_is_directory=True)
    try:
        done = subprocess.run(
            [str(link / "bin" / "dvc"), "repro", "--force", "--single-item", "06_benchmark"],
            cwd=study,
            env=bare_env(DVC_NO_ANALYTICS="1"),
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert "without encryption" not in done.stdout + done.stderr  # the kernel's noise
        assert "06_benchmark: " in done.stdout and " tables in data/processed/06_benchmark/" in done.stdout
        status = subprocess.run(
            [str(link / "bin" / "dvc"), "status", "06_benchmark"],
            cwd=study,
            env=bare_env(DVC_NO_ANALYTICS="1"),
            capture_output=True,
            text=True,
            check=True,
        )
        assert "changed" not in status.stdout, status.stdout
    finally:
        link.unlink()
