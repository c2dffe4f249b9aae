"""One run at a time (issue 13): a run refuses to start while another holds the study."""

import fcntl
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager

import pytest

from pipeline.core.config import ROOT, load_params
from pipeline.core.lock import HELD, LOCK, Busy, hold


def study_copy(folder):
    """A study folder holding what the commands below read: settings, territories, package."""
    for name in ("params.yaml", "dvc.yaml", "Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy(ROOT / name, folder / name)
    shutil.copytree(ROOT / "territories", folder / "territories")
    shutil.copytree(ROOT / "pipeline", folder / "pipeline",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    return folder


def env() -> dict:
    """The environment of another run: no lock inherited from this test process."""
    return {k: v for k, v in os.environ.items() if k != HELD and not k.startswith("MAKE")}


@contextmanager
def another_run(root):
    """The lock held as another process would hold it (its own open file)."""
    path = root / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fh.truncate(0)
        fh.write("pid 4242: make study\n")
        fh.flush()
        yield


def run(args, cwd):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env(), timeout=120)


def test_hold_refuses_at_once_while_another_run_holds_the_study(tmp_path):
    with another_run(tmp_path), pytest.raises(Busy, match=r"another run holds this study "
                                              r"\(pid 4242: make study\); wait for it"):  # fmt: skip
        with hold(tmp_path, "second"):
            pass
    with hold(tmp_path, "third") as path:  # released with its holder
        assert path.read_text() == f"pid {os.getpid()}: third\n"
        with hold(tmp_path, "nested"):  # the holder's own commands do not wait for it
            pass
    assert HELD not in os.environ


def test_the_runner_refuses_while_another_run_holds_the_study(tmp_path):
    study_copy(tmp_path)
    with another_run(tmp_path):
        done = run([sys.executable, "-m", "pipeline.core.lock", "touch", "ran"], tmp_path)
    assert done.returncode == 1
    assert "another run holds this study (pid 4242: make study)" in done.stderr
    assert not (tmp_path / "ran").exists()


def test_the_runners_children_share_its_lock(tmp_path):
    study_copy(tmp_path)
    cmd = [sys.executable, "-m", "pipeline.core.config", "set-territory", "bethune"]
    done = run([sys.executable, "-m", "pipeline.core.lock", *cmd], tmp_path)
    assert done.returncode == 0, done.stderr
    assert load_params(tmp_path)["territory"] == "bethune"


@pytest.mark.parametrize(
    "command",
    [["pipeline.core.config", "set-territory", "bethune"], ["pipeline.demo", "--if-missing"]],
)
def test_a_territory_switch_or_demo_cannot_happen_during_a_run(tmp_path, command):
    study_copy(tmp_path)
    with another_run(tmp_path):
        done = run([sys.executable, "-m", *command], tmp_path)
    assert done.returncode != 0
    assert "another run holds this study" in done.stderr
    assert load_params(tmp_path)["territory"] == "nord_caraibe"
    assert not (tmp_path / "data").exists()


def test_make_study_runs_under_the_lock(tmp_path):
    """`make -n` prints the study's commands (recursive make still runs, under the lock)."""
    study_copy(tmp_path)
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    with another_run(tmp_path):
        busy = run(["make", "-n", "study", "TERRITORY=bethune"], tmp_path)
    assert busy.returncode != 0
    assert "another run holds this study" in busy.stderr
    free = run(["make", "-n", "study", "TERRITORY=bethune"], tmp_path)
    assert free.returncode == 0, free.stderr
    for step in ("pipeline.core.config set-territory", "pipeline.demo --if-missing", "dvc repro"):
        assert step in free.stdout
