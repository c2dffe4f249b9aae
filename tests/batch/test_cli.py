"""`python -m pipeline.batch`: clear errors for a bad command line; gathering a territory that
has no experiment, or no file, gives a page listing each as failed with its reason."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from study import copy_project, run

from pipeline.batch.__main__ import main


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "give territory keys or --departement"),
        (["a", "--departement", "972"], "give territory keys or --departement"),
        (["a", "--jobs", "0"], "--jobs: expected a whole number"),
        (["a", "--poll", "0"], "--poll: expected a number of seconds"),
    ],
)
def test_a_bad_command_line_is_refused(argv, message, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


def test_collect_lists_what_it_cannot_find_as_failed(tmp_path):
    copy = copy_project(tmp_path)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    run([*git, "add", "-A"], copy)
    run([*git, "commit", "-qm", "x"], copy)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.batch", "--collect", "nord_caraibe", "inconnu"],
        cwd=copy, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "2 failed: nord_caraibe, inconnu" in done.stdout
    html = (copy / "reports" / "index.html").read_text(encoding="utf-8")
    reasons = dict(re.findall(r'<tr data-key="([^"]+)".*?class="reason"[^>]*>(.*?)</td>', html, re.S))
    assert reasons["nord_caraibe"].startswith("no experiment study-nord_caraibe on this commit")
    assert "inconnu.yaml: file not found" in reasons["inconnu"]
