"""Study many territories at once, each as a DVC experiment, and compare them.

Usage:
  python -m pipeline.batch [--jobs N] KEY [KEY ...]        territories/<key>.yaml
  python -m pipeline.batch [--jobs N] --departement CODE   every EPCI of the département
  python -m pipeline.batch --collect KEY [KEY ...]         gather experiments already run
                                                           (here, or pulled with dvc exp pull)

Each territory's demo inputs are generated if missing, then it is queued
(`dvc exp run --queue -S territory=<key>`) and DVC's workers run the queue (`dvc queue start
--jobs N`). As each finishes, its report is copied to reports/<key>/rapport.html; at the end,
reports/index.html compares them. A territory that fails is reported with its reason and does
not stop the others; the exit status is 1 if any failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from pipeline.batch import queue
from pipeline.batch.index import Study, page
from pipeline.batch.territories import Territory, by_departement, by_keys
from pipeline.core.config import ROOT, ConfigError, read_yaml
from pipeline.core.io import write_bytes_atomic, write_text_atomic
from pipeline.core.lock import Busy, hold
from pipeline.demo import generate


def duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def territory_name(key: str, root: Path) -> str:
    try:
        return str(read_yaml(root / "territories" / f"{key}.yaml").get("name") or key)
    except ConfigError:
        return key


def prepare(territories: list[Territory], root: Path) -> tuple[list[str], list[Study]]:
    """Generate the missing demo inputs and queue each territory; the keys queued, and the
    studies that failed before they could be."""
    queued, failed = [], []
    known = queue.experiments(root)
    for territory in territories:
        error = territory.error
        if not error:
            try:
                generate(territory.key, root=root, if_missing=True)
                queue.queue(territory.key, root, known)
                queued.append(territory.key)
                print(f"studies: queued {territory.key}")
            # One territory's problem, whatever it is, must not stop the others: it is reported.
            except Exception as exc:  # noqa: BLE001
                error = f"{type(exc).__name__}: {exc}"
        if error:
            print(f"studies: {territory.key} cannot be studied: {error}", file=sys.stderr)
            failed.append(Study(territory.key, territory_name(territory.key, root), error=error))
    return queued, failed


def gather(keys: list[str], root: Path, poll: float) -> list[Study]:
    """Wait for the experiments of `keys`, printing each as it ends; copy each report."""
    studies = []
    known = queue.experiments(root)
    present = [k for k in keys if queue.name(k) in known]
    for key in keys:
        if key not in present:
            studies.append(Study(key, territory_name(key, root),
                                 error=f"no experiment {queue.name(key)} on this commit "
                                       "(run the batch, or `dvc exp pull` it)"))  # fmt: skip
    for i, (exp, seconds) in enumerate(queue.follow([queue.name(k) for k in present], root, poll), 1):
        key = exp.name.removeprefix(queue.PREFIX)
        target = root / "reports" / key / "rapport.html"
        study = Study(key, territory_name(key, root))
        took = "" if seconds is None else f" in {duration(seconds)}"
        try:
            if exp.state != "success" or not exp.summary:
                raise RuntimeError(queue.failure(exp))
            write_bytes_atomic(queue.read_report(exp, root), target)
            study.summary = exp.summary
            status = f"done{took}: {exp.summary['verdict']}"
        except Exception as exc:  # noqa: BLE001 (reported on the page, the others go on)
            study.error = str(exc)
            target.unlink(missing_ok=True)  # no report of an earlier run beside a failure
            status = f"FAILED{took}: {study.error.splitlines()[0]}"
        print(f"studies: [{i}/{len(present)}] {key} {status}", flush=True)
        studies.append(study)
    return studies


def commit(root: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()


def run(args: argparse.Namespace, root: Path = ROOT) -> int:
    with hold(root, "pipeline.batch"):  # DVC stashes and restores the workspace to queue
        if args.departement:
            territories = by_departement(args.departement, root)
        else:
            territories = by_keys(args.keys, root)
        if args.collect:
            queued = [t.key for t in territories if not t.error]
            failed = [Study(t.key, territory_name(t.key, root), error=t.error)
                      for t in territories if t.error]  # fmt: skip
        else:
            queue.check_identity(root)
            queued, failed = prepare(territories, root)
            if queued:
                queue.start(args.jobs, root)
                print(f"studies: {len(queued)} in DVC's queue, {args.jobs} at a time "
                      "(`dvc queue status` in another terminal)", flush=True)  # fmt: skip
    done = {s.key: s for s in failed + gather(queued, root, args.poll)}
    studies = [done[t.key] for t in territories]
    index = write_text_atomic(page(studies, commit(root)), root / "reports" / "index.html")
    failures = [s.key for s in studies if s.error]
    print(f"studies: {index} ({len(studies) - len(failures)} done, {len(failures)} failed"
          + (f": {', '.join(failures)})" if failures else ")"))  # fmt: skip
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.batch", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("keys", nargs="*", help="territory keys (territories/<key>.yaml)")
    parser.add_argument("--departement", help="INSEE code of a département (972, 62, 2A…)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="experiments run at a time (default: the number of cores)")  # fmt: skip
    parser.add_argument("--poll", type=float, default=queue.POLL_SECONDS,
                        help="seconds between two readings of the queue (default: %(default)s)")  # fmt: skip
    parser.add_argument("--collect", action="store_true",
                        help="queue nothing: gather the territories' experiments")  # fmt: skip
    args = parser.parse_args(argv)
    if bool(args.keys) == bool(args.departement):
        parser.error("give territory keys or --departement, not both nor neither")
    if args.jobs < 1:
        parser.error("--jobs: expected a whole number of experiments, 1 or more")
    if args.poll <= 0:
        parser.error("--poll: expected a number of seconds above 0")
    try:
        return run(args)
    except (ConfigError, Busy, queue.QueueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        keys = " ".join(args.keys) or f"--departement {args.departement}"
        print(f"\nstudies: stopped waiting; the experiments go on in DVC's queue (`dvc queue "
              f"status`, `dvc queue kill`); gather them with `python -m pipeline.batch --collect "
              f"{keys}`", file=sys.stderr)  # fmt: skip
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
