"""The log of a territory's input folder, `sources.csv`: which file is demo data, which is real.

A `demo` row records in `demo_sha256` the sha256 of the file as the generator wrote it. A file
that exists without such a row matching its current bytes is a user file: the generator keeps
it, logs it as `real` (the report's demo banner and sources appendix then say so) and never
writes over it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.core.checksums import SUMS, recorded, sha256
from pipeline.core.io import write_csv_atomic

MANIFEST = "sources.csv"
COLUMNS = ["file", "kind", "format", "source", "licence", "label", "demo_sha256"]
DEMO_SOURCE = "pipeline.demo (générateur déterministe)"
USER_SOURCE = "Fichier fourni par l'utilisateur, conservé par le générateur de démonstration"
USER_LICENCE = "à préciser"


def read(folder: Path) -> pd.DataFrame:
    """The folder's log (every column as text), empty when there is none."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        return pd.DataFrame(columns=COLUMNS, dtype=str)
    log = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in COLUMNS:
        if column not in log:
            log[column] = ""
    return log


def why_user_file(log: pd.DataFrame, path: Path) -> str | None:
    """Why the existing file `path` is a user file, or None if the generator wrote it as is."""
    path = Path(path)
    rows = log[log["file"] == path.name]
    if rows.empty:
        return f"{MANIFEST} has no row for it"
    demo = rows[rows["kind"] == "demo"]
    if demo.empty:
        return f"{MANIFEST} marks it {rows['kind'].iloc[0]!r}"
    expected = set(demo["demo_sha256"])
    if "" in expected:  # logged by an older generator, which recorded its hash in SHA256SUMS only
        sums = Path(path).with_name(SUMS)
        expected.add(recorded(path.parent).get(path.name) if sums.exists() else None)
    if sha256(path) not in expected:
        return "its bytes differ from those the generator recorded"
    return None


def demo_row(name: str, module, digest: str) -> dict:
    return {"file": name, "kind": "demo", "format": module.FORMAT, "source": DEMO_SOURCE,
            "licence": "MIT", "label": module.LABEL, "demo_sha256": digest}  # fmt: skip


def user_row(name: str, module) -> dict:
    return {"file": name, "kind": "real", "format": module.FORMAT, "source": USER_SOURCE,
            "licence": USER_LICENCE, "label": module.LABEL, "demo_sha256": ""}  # fmt: skip


def write(folder: Path, log: pd.DataFrame, rows: dict[str, dict]) -> Path:
    """Write the log: `rows` (by file name) replace or add rows, the others are kept."""
    kept = log[~log["file"].isin(rows)]
    table = pd.concat([kept, pd.DataFrame(list(rows.values()), columns=COLUMNS)])
    extra = [c for c in table.columns if c not in COLUMNS]
    table = table[COLUMNS + extra].sort_values("file", kind="stable")
    return write_csv_atomic(table, Path(folder) / MANIFEST)
