"""Deterministic demo inputs, in the official formats, for any territory.

Every file is calibrated on the territory's real communes and legal populations, and the
same territory and seed always give byte-identical files. User files are never overwritten:
`sources.csv` logs what the generator wrote, with its sha256 (pipeline/demo/manifest.py).

Usage: python -m pipeline.demo [territory_key] [--out DIR] [--if-missing]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import os
import pkgutil
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.core import checksums
from pipeline.core.config import (
    ROOT,
    ConfigError,
    check_key,
    load_params,
    load_territory,
    study_params,
)
from pipeline.core.lock import Busy, hold
from pipeline.core.sheets import SHEET_SUFFIXES, saved_as
from pipeline.demo import manifest
from pipeline.demo.manifest import MANIFEST
from pipeline.sources.communes import territory_base

# Each module of this package but `codebook`, `formats` and `manifest` is a generator:
# `write(ctx, rng)` writes its files and returns their paths, `files(demo_params)` gives their
# names; its `FORMAT` says what official shape they follow, its `LABEL` what the data are (the
# report's banner).
GENERATORS = sorted(
    m.name
    for m in pkgutil.iter_modules(__path__)
    if m.name not in {"codebook", "formats", "manifest", "__main__"}
)


@dataclass(frozen=True)
class DemoContext:
    """What every part of the generator may read."""

    communes: pd.DataFrame  # territory base: code, nom, population, mairie_lon/lat, ...
    territory: dict
    params: dict
    root: Path
    out_dir: Path

    @property
    def demo(self) -> dict:
        return self.params["demo"]


def rng_for(territory_key: str, seed: int, part: str) -> np.random.Generator:
    """A generator seeded by territory and part, so parts do not shift one another."""
    digest = hashlib.sha256(f"{seed}:{territory_key}:{part}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def plan(params: dict) -> dict[str, object]:
    """Every file the generator writes, with the module that writes it."""
    modules = [importlib.import_module(f"pipeline.demo.{part}") for part in GENERATORS]
    return {name: module for module in modules for name in module.files(params["demo"])}


def generate(
    territory_key: str, out_dir: Path | None = None, root: Path = ROOT, if_missing: bool = False
) -> list[Path]:
    """Write the demo inputs of a territory into `out_dir` (default data/raw/<key>/), never
    over a user file; with `if_missing`, only the missing ones. Returns the paths written."""
    params = study_params(root, territory_key)
    out_dir = Path(out_dir or root / "data" / "raw" / territory_key)
    files, log = plan(params), manifest.read(out_dir)
    # A spreadsheet saved in place of an input (sites_candidats.xlsx for sites_candidats.csv)
    # is a user file: the input is not missing.
    sheets = {n: found[0] for n in files if (found := saved_as(out_dir / n, SHEET_SUFFIXES))}
    users = {n: why for n in files if (out_dir / n).exists()
             and (why := manifest.why_user_file(log, out_dir / n))}  # fmt: skip
    users |= {n: f"saved as {sheet.name}" for n, sheet in sheets.items()}
    if if_missing:
        todo = [n for n in files if not (out_dir / n).exists() and n not in sheets]
        if not todo and (out_dir / MANIFEST).exists():
            return []
    elif users:
        raise UserFiles(out_dir, users)
    else:
        todo = list(files)
    written = _write_parts(territory_key, params, root, out_dir, todo)
    rows = {}
    for name, module in files.items():
        if name in todo:
            rows[name] = manifest.demo_row(name, module, checksums.sha256(out_dir / name))
        elif name in users:
            print(f"demo: kept {out_dir / name}, not written by the generator ({users[name]})")
            if log.loc[log["file"] == name, "kind"].eq("demo").all():  # else the user's own row
                rows[name] = manifest.user_row(name, module)
    written.append(manifest.write(out_dir, log, rows))
    checksums.update(out_dir, [p.name for p in written])
    return written


def _write_parts(key: str, params: dict, root: Path, out_dir: Path, todo: list[str]) -> list[Path]:
    """Generate every part in a staging folder, then move the files of `todo` into `out_dir`."""
    if not todo:
        return []
    territory = load_territory(key, params, root)
    communes = territory_base(
        territory, root / params["inputs"]["populations"], params["inputs"]["population_vintage"]
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".demo-", dir=out_dir))
    try:
        context = DemoContext(communes, territory, params, root, staging)
        for part in GENERATORS:
            module = importlib.import_module(f"pipeline.demo.{part}")
            module.write(context, rng_for(key, params["demo"]["seed"], part))
        written = []
        for name in sorted(todo):
            os.replace(staging / name, out_dir / name)
            print(f"demo: {out_dir / name}")
            written.append(out_dir / name)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


class UserFiles(RuntimeError):
    """Regenerating the demo inputs would overwrite files the generator did not write."""

    def __init__(self, folder: Path, users: dict[str, str]):
        lines = [f"{Path(folder) / name}: not written by the demo generator ({why})"
                 for name, why in sorted(users.items())]  # fmt: skip
        super().__init__(
            "\n".join(lines) + "\nThe demo generator never overwrites a user file: keep it and "
            "run `make study` (it generates only missing files), or move it away to regenerate it."
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.demo", description=__doc__)
    parser.add_argument("territory", nargs="?", help="territory key (default: params.yaml)")
    parser.add_argument("--out", type=Path, help="output folder (default: data/raw/<key>/)")
    parser.add_argument(
        "--if-missing",
        action="store_true",
        help="write only the missing files (existing ones, demo or not, are kept)",
    )
    args = parser.parse_args(argv)
    try:
        key = check_key(args.territory or load_params()["territory"])
        with hold(ROOT, "pipeline.demo"):
            generate(key, args.out or ROOT / "data" / "raw" / key, if_missing=args.if_missing)
    except (ConfigError, UserFiles, Busy) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
