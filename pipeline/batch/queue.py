"""The batch on DVC's experiment queue: one experiment per territory, `-S territory=<key>`.

DVC schedules, isolates (each experiment runs in its own copy of the project, under
.dvc/tmp/exps/) and caches (a stage whose inputs did not change is restored, not rerun). This
module only queues, starts the workers, reads their state from `dvc exp show --json` and, for a
failed experiment, the reason from its log.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

PREFIX = "study-"  # experiment names: study-<key>
REPORT = "reports/rapport.html"
SUMMARY = "reports/metrics/report.json"
DONE = {"success", "failed"}
POLL_SECONDS = 10.0  # `dvc exp show` takes a second or two of CPU: not much more often
RETRY_SECONDS = 3.0
# A stage's own lines in an experiment's log lie between DVC's « > <command> » and its ERROR.
STAGE_START = re.compile(r"^Running stage '([^']+)':", re.M)
TEMP_WORKSPACE = re.compile(r"\S*/\.dvc/tmp/exps/tmp[^/\s]+/")


class QueueError(RuntimeError):
    """A DVC command of the batch failed."""


@dataclass
class Experiment:
    """What `dvc exp show` says of one experiment of the batch."""

    name: str
    state: str  # queued, running, success or failed
    rev: str = ""
    log: str = ""  # path of the run's log
    summary: dict | None = None  # reports/metrics/report.json of a finished study


def dvc(args: list[str], root: Path, quiet: bool = False) -> str:
    """Run `dvc <args>` in the study folder; its output, or QueueError with DVC's message."""
    env = {**os.environ, "DVC_NO_ANALYTICS": "1"}
    # `queue start` leaves daemon workers holding the pipes it was given: not ours, then.
    out = subprocess.DEVNULL if quiet else subprocess.PIPE
    done = subprocess.run(["dvc", *args], cwd=root, env=env, stdout=out, stderr=out, text=True)
    if done.returncode:
        message = (done.stderr or "").strip() or (done.stdout or "").strip()
        raise QueueError(f"dvc {' '.join(args[:2])}: {message or f'exit {done.returncode}'}")
    return done.stdout or ""


def name(key: str) -> str:
    return PREFIX + key


def untracked(paths: list[str], root: Path) -> list[str]:
    """Those of `paths` git does not track, for `dvc exp run -C` to copy into the experiment's
    workspace (DVC takes only tracked files from the workspace); a folder of which git tracks
    some files is given file by file."""
    out = []
    for path in paths:
        listed = subprocess.run(
            ["git", "ls-files", "--others", "--", path], cwd=root, capture_output=True, text=True
        ).stdout.split()
        tracked = subprocess.run(
            ["git", "ls-files", "--", path], cwd=root, capture_output=True, text=True
        ).stdout.split()
        if not listed:
            continue
        out.extend(listed if tracked else [path])
    return out


def queue(key: str, root: Path, known: dict[str, Experiment]) -> None:
    """Queue the territory's experiment, replacing an earlier one of the same name on this
    commit, done or failed (`known`: the experiments before the batch); refused while one is
    queued or running."""
    earlier = known.get(name(key))
    if earlier and earlier.state not in DONE:
        raise QueueError(f"{name(key)} is already {earlier.state} in DVC's queue (dvc queue status)")
    if earlier:  # a failed one is a queue entry; a finished one, an experiment of this commit
        dvc(["queue" if earlier.state == "failed" else "exp", "remove", name(key)], root)
    copy = untracked([f"territories/{key}.yaml", f"data/raw/{key}"], root)
    args = ["exp", "run", "--queue", "-S", f"territory={key}", "-n", name(key)]
    dvc(args + [arg for path in copy for arg in ("-C", path)], root)


def check_identity(root: Path) -> None:
    """DVC records each experiment as a git commit: git must know who makes it."""
    for key in ("user.name", "user.email"):
        found = subprocess.run(["git", "config", key], cwd=root, capture_output=True, text=True)
        if not found.stdout.strip():
            raise QueueError(
                f"git has no {key}, which DVC needs to record each experiment as a commit: "
                f"set it (git config --global {key} \"…\"), then run again"
            )


def start(jobs: int, root: Path) -> None:
    dvc(["queue", "start", "--jobs", str(jobs)], root, quiet=True)


def experiments(root: Path, tries: int = 6) -> dict[str, Experiment]:
    """The experiments on the current commit, by name, with the study's summary when present.

    `dvc exp show` fails now and then while a worker sets up or removes an experiment's copy
    of the project (« directory … does not exist »): asked again a few seconds later.
    """
    for attempt in range(tries):
        try:
            shown = json.loads(dvc(["exp", "show", "--json"], root))
            break
        except QueueError:
            if attempt == tries - 1:
                raise
            time.sleep(RETRY_SECONDS)
    found = {}
    for baseline in shown:
        for exp in baseline.get("experiments") or []:
            rev = (exp.get("revs") or [{}])[0]
            executor = exp.get("executor") or {}
            metrics = ((rev.get("data") or {}).get("metrics") or {}).get(SUMMARY) or {}
            found[exp["name"]] = Experiment(
                name=exp["name"],
                state=executor.get("state") or ("success" if rev.get("rev") else "queued"),
                rev=rev.get("rev") or "",
                log=(executor.get("local") or {}).get("log") or "",
                summary=metrics.get("data"),
            )
    return found


def follow(
    names: list[str], root: Path, poll: float = POLL_SECONDS, clock: Callable = time.monotonic
) -> Iterator[tuple[Experiment, float | None]]:
    """Each experiment of `names` as it finishes, with the seconds since it was first seen
    running (since the call, if it was never seen running; None if it had ended before)."""
    began = clock()
    running: dict[str, float] = {}
    left, first = list(names), True
    while left:
        seen = experiments(root)
        for exp_name in list(left):
            exp = seen.get(exp_name)
            if exp is None:  # not in the queue any more, no result: lost (a worker killed)
                exp = Experiment(exp_name, "failed")
            if exp.state == "running":
                running.setdefault(exp_name, clock())
            if exp.state in DONE:
                left.remove(exp_name)
                yield exp, None if first else clock() - running.get(exp_name, began)
        first = False
        if left:
            time.sleep(poll)


def failure(exp: Experiment) -> str:
    """Why an experiment failed: the failed stage's own messages, from the run's log."""
    try:
        log = Path(exp.log).read_text(encoding="utf-8", errors="replace") if exp.log else ""
    except OSError:
        log = ""
    if not log:
        return "the DVC experiment ended without a log (its worker was stopped?)"
    stages = list(STAGE_START.finditer(log))
    part = log[stages[-1].start():] if stages else log
    lines = [line for line in part.splitlines()[1:] if line.strip() and not line.startswith(">")]
    errors = [line for line in lines if line.startswith("ERROR")]
    own = [line for line in lines if not line.startswith("ERROR")]
    text = TEMP_WORKSPACE.sub("", "\n".join(own[-12:] or errors[:1] or lines[-5:]))
    stage = stages[-1][1] if stages else ""
    return text if not stage or text.startswith(stage) else f"{stage} : {text}"


def read_report(exp: Experiment, root: Path) -> bytes:
    """The experiment's rapport.html, from DVC's cache."""
    import dvc.api  # heavy: only when reports are gathered

    with dvc.api.open(REPORT, repo=str(root), rev=exp.rev, mode="rb") as fh:
        return fh.read()
