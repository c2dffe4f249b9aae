"""The batch's reading of DVC's queue: why an experiment failed, from its log; which files must
be copied into an experiment's workspace; experiments reported as they end."""

from __future__ import annotations

import subprocess

import pytest

from pipeline.batch import queue
from pipeline.batch.queue import Experiment, failure, follow, untracked

LOG = """Reproducing experiment 'study-x'
Running stage '01_portrait':
> sh pipeline/core/stage.sh 01_portrait
01_portrait: 12 tables in data/processed/01_portrait (9 s)
Updating lock file 'dvc.lock'

Running stage '02_mobility':
> sh pipeline/core/stage.sh 02_mobility
02_mobility: /work/x/.dvc/tmp/exps/tmpab12cd/data/raw/x: raw data differ from SHA256SUMS:
  FD_MOBPRO_2022.csv: changed since recorded
ERROR: failed to reproduce '02_mobility': failed to run: sh pipeline/core/stage.sh 02_mobility, exited with 1
"""


def test_the_reason_is_the_failed_stage_s_own_message(tmp_path):
    log = tmp_path / "x.out"
    log.write_text(LOG, encoding="utf-8")
    reason = failure(Experiment("study-x", "failed", log=str(log)))
    assert reason == (
        "02_mobility: data/raw/x: raw data differ from SHA256SUMS:\n"
        "  FD_MOBPRO_2022.csv: changed since recorded"
    )


def test_a_stage_that_says_nothing_is_named_with_dvc_s_error(tmp_path):
    log = tmp_path / "x.out"
    log.write_text(LOG.replace("02_mobility: /work", "").split("  FD_MOBPRO")[0].rsplit("\n", 1)[0]
                   + "\nERROR: failed to reproduce '02_mobility': exited with 1\n")  # fmt: skip
    assert failure(Experiment("study-x", "failed", log=str(log))).startswith("02_mobility : ")


def test_no_log_says_so():
    assert "without a log" in failure(Experiment("study-x", "failed", log="/nonexistent/x.out"))


def test_only_files_git_does_not_track_are_copied(tmp_path):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    for path in ("territories/a.yaml", "territories/b.yaml", "data/raw/a/x.csv", "data/raw/b/x.csv",
                 "data/raw/b/y.csv", "data/raw/c/x.csv"):  # fmt: skip
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("1\n")
    (tmp_path / ".gitignore").write_text("/data/raw/a/\n")
    subprocess.run([*git, "add", "territories/a.yaml", "data/raw/b/x.csv", "data/raw/c"],
                   cwd=tmp_path, check=True)  # fmt: skip
    subprocess.run([*git, "commit", "-qm", "x"], cwd=tmp_path, check=True)
    paths = ["territories/a.yaml", "territories/b.yaml", "data/raw/a", "data/raw/b", "data/raw/c"]
    # An ignored folder whole; a folder git partly tracks, file by file; tracked files not at all.
    assert untracked(paths, tmp_path) == ["territories/b.yaml", "data/raw/a", "data/raw/b/y.csv"]


def test_experiments_are_reported_as_they_end(monkeypatch):
    readings = iter([
        {"a": Experiment("a", "success"), "b": Experiment("b", "queued")},
        {"a": Experiment("a", "success"), "b": Experiment("b", "running")},
        {"a": Experiment("a", "success"), "b": Experiment("b", "running")},
        {"a": Experiment("a", "success")},  # b gone from the queue without a result
    ])  # fmt: skip
    monkeypatch.setattr(queue, "experiments", lambda root: next(readings))
    monkeypatch.setattr(queue.time, "sleep", lambda seconds: None)
    ticks = iter(range(100))
    ended = list(follow(["a", "b"], root=None, clock=lambda: next(ticks) * 10.0))
    assert [(exp.name, exp.state) for exp, _ in ended] == [("a", "success"), ("b", "failed")]
    assert ended[0][1] is None  # over before the batch looked: no time to give
    assert ended[1][1] == 20.0  # from the first reading that saw it running


def test_without_a_git_identity_the_batch_says_what_to_set(tmp_path, monkeypatch):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "none"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    with pytest.raises(queue.QueueError, match=r"git has no user.name.*git config --global"):
        queue.check_identity(tmp_path)
    subprocess.run(["git", "config", "user.name", "A"], cwd=tmp_path, check=True)
    subprocess.run(["git", "config", "user.email", "a@b"], cwd=tmp_path, check=True)
    queue.check_identity(tmp_path)
