"""Deterministic demo inputs, in the official formats, for any territory.

Every file is calibrated on the territory's real communes and legal populations, and the
same territory and seed always give byte-identical files.

Usage: python -m pipeline.demo [territory_key] [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import checksums
from pipeline.config import ROOT, load_params, load_territory, study_params
from pipeline.io import write_csv_atomic
from pipeline.territory import territory_base

# Each module of this package but `formats` is a generator: `write(ctx, rng)` writes its
# files and returns their paths; its `FORMAT` says what official shape they follow, its
# `LABEL` what the data are, in the words of the report's demo banner.
GENERATORS = sorted(
    m.name for m in pkgutil.iter_modules(__path__) if m.name not in {"formats", "__main__"}
)
MANIFEST = "sources.csv"


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


def generate(territory_key: str, out_dir: Path | None = None, root: Path = ROOT) -> list[Path]:
    """Write every demo input of a territory into `out_dir` (default data/raw/<key>/)."""
    params = study_params(root, territory_key)
    territory = load_territory(territory_key, params, root)
    communes = territory_base(
        territory, root / params["inputs"]["populations"], params["inputs"]["population_vintage"]
    )
    out_dir = Path(out_dir or root / "data" / "raw" / territory_key)
    out_dir.mkdir(parents=True, exist_ok=True)
    context = DemoContext(communes, territory, params, root, out_dir)
    written, rows = [], []
    for part in GENERATORS:
        module = importlib.import_module(f"pipeline.demo.{part}")
        for path in module.write(context, rng_for(territory_key, params["demo"]["seed"], part)):
            print(f"demo: {path}")
            written.append(path)
            rows.append(
                {
                    "file": path.name,
                    "kind": "demo",
                    "format": module.FORMAT,
                    "source": "pipeline.demo (générateur déterministe)",
                    "licence": "MIT",
                    "label": module.LABEL,
                }
            )
    manifest = pd.DataFrame(rows).sort_values("file", kind="stable")
    written.append(write_csv_atomic(manifest, out_dir / MANIFEST))
    checksums.record(out_dir)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.demo", description=__doc__)
    parser.add_argument("territory", nargs="?", help="territory key (default: params.yaml)")
    parser.add_argument("--out", type=Path, help="output folder (default: data/raw/<key>/)")
    parser.add_argument(
        "--if-missing",
        action="store_true",
        help="do nothing when the folder already has its demo manifest",
    )
    args = parser.parse_args(argv)
    key = args.territory or load_params()["territory"]
    out = args.out or ROOT / "data" / "raw" / key
    if args.if_missing and (out / MANIFEST).exists():
        return 0
    generate(key, out)
    return 0
