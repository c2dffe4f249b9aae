"""One run at a time: a lock on the study folder.

`make study` holds it around set-territory, the demo generator and `dvc repro`, so that no other
run, territory switch or demo generation can happen meanwhile (DVC's own lock covers only
`dvc repro`). `pipeline.core.config set-territory` and `pipeline.demo` take it too when run alone.
The lock is an advisory `flock` on `.dvc/tmp/study.lock`: the system releases it when its holder
ends, even on a crash, so it never goes stale.

Usage: python -m pipeline.core.lock <command> [args...]   (runs the command holding the lock)
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from pipeline.core.paths import ROOT

LOCK = Path(".dvc") / "tmp" / "study.lock"
# Set for the holder's child processes, so that their own `hold` does not wait for their parent.
HELD = "PIPELINE_STUDY_LOCK"


class Busy(RuntimeError):
    """Another run holds the study folder."""


@contextmanager
def hold(root: Path = ROOT, what: str = ""):
    """Hold the study's lock for the block, or raise Busy at once if another run holds it."""
    path = (Path(root) / LOCK).resolve()
    if os.environ.get(HELD) == str(path):
        yield path  # taken by this process or its parent
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 1000, 0).decode("utf-8", "replace").strip() or "unknown"
            raise Busy(
                f"{Path(root).resolve()}: another run holds this study ({holder}); wait for it "
                f"to finish, then run again (lock file: {path})"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}: {what or 'run'}\n".encode(), 0)
        previous = os.environ.get(HELD)
        os.environ[HELD] = str(path)
        try:
            yield path
        finally:
            if previous is None:
                os.environ.pop(HELD, None)
            else:
                os.environ[HELD] = previous
    finally:
        os.close(fd)  # releases the lock


def run(argv: list[str], root: Path = ROOT) -> int:
    """Run a command holding the lock; its exit status (1 when the lock is taken)."""
    try:
        with hold(root, " ".join(argv)):
            child = subprocess.Popen(argv)
            while True:
                try:
                    return child.wait()
                except KeyboardInterrupt:  # the child got it too: keep the lock until it ends
                    continue
    except Busy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python -m pipeline.core.lock <command> [args...]")
    sys.exit(run(sys.argv[1:]))
