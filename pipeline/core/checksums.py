"""Raw data are immutable: their sha256 are recorded per folder and checked before each stage.

Each folder of data/raw/ holds a `SHA256SUMS` file (the format of `sha256sum`). A stage refuses
to run on a raw file that changed since it was recorded; after a deliberate change (real data
replacing demo data, a new fetch), `python -m pipeline.core.checksums record` records it again.

Usage: python -m pipeline.core.checksums record|verify
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from pipeline.core.config import ROOT, ConfigError, check_key, load_params
from pipeline.core.io import write_text_atomic

SUMS = "SHA256SUMS"
NOT_DATA = {SUMS, "README.md"}


class RawDataChanged(RuntimeError):
    """A raw file differs from its recorded hash, or is missing or unrecorded."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def compute(folder: Path) -> dict[str, str]:
    files = sorted(p for p in Path(folder).iterdir() if p.is_file() and p.name not in NOT_DATA)
    return {p.name: sha256(p) for p in files}


def record(folder: Path) -> Path:
    lines = [f"{digest}  {name}\n" for name, digest in compute(folder).items()]
    return write_text_atomic("".join(lines), Path(folder) / SUMS)


def update(folder: Path, names: list[str]) -> Path:
    """Record the hashes of the files `names` (just written) and of files not recorded yet;
    the other records are kept, so a file changed since it was recorded is still refused."""
    path = Path(folder) / SUMS
    sums = recorded(folder) if path.exists() else {}
    for name, digest in compute(folder).items():
        if name in names or name not in sums:
            sums[name] = digest
    return write_text_atomic("".join(f"{sums[n]}  {n}\n" for n in sorted(sums)), path)


def recorded(folder: Path) -> dict[str, str]:
    path = Path(folder) / SUMS
    if not path.exists():
        raise RawDataChanged(
            f"{path}: no recorded hashes; run `python -m pipeline.core.checksums record`"
        )
    pairs = (
        line.split(maxsplit=1) for line in path.read_text(encoding="utf-8").splitlines() if line
    )
    return {name.strip(): digest for digest, name in pairs}


def verify(folder: Path) -> None:
    """Raise if any file of `folder` differs from, or is missing from, its recorded hashes."""
    expected, found = recorded(folder), compute(folder)
    problems = [f"{name}: changed since recorded" for name in sorted(expected.keys() & found.keys())
                if expected[name] != found[name]]  # fmt: skip
    problems += [f"{name}: recorded but missing" for name in sorted(expected.keys() - found.keys())]
    problems += [f"{name}: not recorded" for name in sorted(found.keys() - expected.keys())]
    if problems:
        raise RawDataChanged(
            f"{folder}: raw data differ from {SUMS}:\n  "
            + "\n  ".join(problems)
            + "\nRaw files are never edited by hand; if this change is deliberate (real data, a fetch), "
            "record it with `python -m pipeline.core.checksums record`."
        )


def raw_folders(root: Path, territory_key: str) -> list[Path]:
    """The raw folders a study reads: shared files, strategies, the territory's inputs."""
    raw = Path(root) / "data" / "raw"
    return [raw, raw / "strategies", raw / territory_key]


def main(argv: list[str]) -> int:
    if argv not in (["record"], ["verify"]):
        print("usage: python -m pipeline.core.checksums record|verify", file=sys.stderr)
        return 2
    try:
        key = check_key(load_params()["territory"], "params.yaml: key 'territory'")
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for folder in raw_folders(ROOT, key):
        if argv[0] == "record":
            print(f"recorded: {record(folder)}")
            continue
        try:
            verify(folder)
        except RawDataChanged as exc:
            print(exc, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
