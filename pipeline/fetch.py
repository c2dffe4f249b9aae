"""Explicit fetch commands for real public data (the only code that uses the network).

Usage: python -m pipeline.fetch populations
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pandas as pd

from pipeline.config import ROOT
from pipeline.io import write_csv_atomic

# Etalab's "découpage administratif" 2026 edition: INSEE legal populations 2023 and the
# DGCL 2026 EPCI composition (data under Licence Ouverte). It is published as a package
# of the npm registry, so it is fetched with the ordinary npm client by name and version.
POPULATIONS_PACKAGE = "@etalab/decoupage-administratif@6.0.0"
POPULATIONS_SHA256 = "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"


class FetchError(RuntimeError):
    """A download failed or gave an unexpected file."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def npm_pack(package: str, expected_sha256: str, dest: Path) -> Path:
    """Download an npm package tarball into `dest` and check its pinned hash."""
    try:
        done = subprocess.run(
            ["npm", "pack", package, "--silent", "--pack-destination", str(dest)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except FileNotFoundError as exc:
        raise FetchError("npm is not installed: it is needed to fetch " + package) from exc
    if done.returncode != 0:
        raise FetchError(f"could not download {package} (offline?): {done.stderr.strip()[-400:]}")
    tarball = dest / done.stdout.strip().splitlines()[-1]
    found = sha256(tarball)
    if found != expected_sha256:
        raise FetchError(f"{tarball.name}: sha256 {found}, expected {expected_sha256}")
    return tarball


def populations_table(communes: list[dict], epcis: list[dict]) -> pd.DataFrame:
    """One row per current commune: code, name, legal population, EPCI, postal code."""
    epci_of = {m["code"]: e["code"] for e in epcis for m in e.get("membres", [])}
    rows = [
        {
            "code": c["code"],
            "nom": c["nom"],
            "population_municipale": c.get("population"),
            "epci": epci_of.get(c["code"], ""),
            "code_postal": (c.get("codesPostaux") or [""])[0],
        }
        for c in communes
        if c.get("type") == "commune-actuelle"
    ]
    table = pd.DataFrame(rows).sort_values("code", kind="stable").reset_index(drop=True)
    table["population_municipale"] = table["population_municipale"].astype("Int64")
    return table


def fetch_populations(out: Path = ROOT / "data/raw/populations_legales.csv") -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        tarball = npm_pack(POPULATIONS_PACKAGE, POPULATIONS_SHA256, Path(tmp))
        with tarfile.open(tarball) as tar:
            communes = json.load(tar.extractfile("package/data/communes.json"))
            epcis = json.load(tar.extractfile("package/data/epci.json"))
    write_csv_atomic(populations_table(communes, epcis), out)
    return out


FETCHERS = {"populations": fetch_populations}


def main(argv: list[str]) -> int:
    names = argv or list(FETCHERS)
    unknown = [n for n in names if n not in FETCHERS]
    if unknown:
        print(
            f"unknown dataset(s): {', '.join(unknown)}; known: {', '.join(FETCHERS)}",
            file=sys.stderr,
        )
        return 2
    for name in names:
        try:
            print(f"{name}: {FETCHERS[name]()}")
        except FetchError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
