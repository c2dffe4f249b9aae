"""Helpers of the tests that run the study in a copy of the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.core.config import ROOT

PHASES = [
    "01 · Portrait du territoire",
    "02 · Mobilités",
    "03 · Enquête population",
    "04 · Entretiens",
    "05 · Offre existante et concurrence",
    "06 · Benchmark",
    "07 · Demande",
    "08 · Sites d'implantation",
    "09 · Scénarios et business plans",
    "10 · Gouvernance et faisabilité",
]


def run(cmd: list[str], cwd: Path) -> str:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "DVC_NO_ANALYTICS": "1",
    }
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, (
        f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout + done.stderr


def project_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    return [f for f in listed if f and (ROOT / f).is_file()]


def copy_project(copy: Path) -> Path:
    """The project's files (tracked or not ignored) copied into `copy`, a new git repository."""
    for name in project_files():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    run(["git", "init", "-q"], copy)
    return copy
