"""Shared fixtures: the default territory's settings and base; hand-written MOBPRO and census
base-cc files (sources, portrait and mobility tests); the default study built once in a copy of
the project, shared by the end-to-end tests; one batch of territories on DVC's queue, shared by
the batch's tests and those of any territory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from study import BATCH, batch_territories, copy_project, run

from pipeline.core.config import ROOT, load_params, load_territory
from pipeline.sources import census
from pipeline.sources.communes import territory_base


@pytest.fixture(scope="session")
def study(tmp_path_factory) -> Path:
    """The default study, `dvc repro` run once in a copy of the project (tests that change it
    do so in a way the others tolerate: test_e2e's last stages rerun it with another rate)."""
    copy = copy_project(tmp_path_factory.mktemp("study"))
    run(["dvc", "repro"], copy)
    return copy


@pytest.fixture(scope="session")
def batch(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess, dict[str, str]]:
    """`python -m pipeline.batch` run once in a committed copy of the project (tests/study.py,
    `BATCH`); the copy, the run, and the EPCI of each territory file it wrote."""
    copy = copy_project(tmp_path_factory.mktemp("batch"))
    epcis = batch_territories(copy)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "DVC_NO_ANALYTICS": "1"}  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "pipeline.batch", "--jobs", "2", "--poll", "2",
                           *BATCH], cwd=copy, env=env, capture_output=True, text=True)  # fmt: skip
    return copy, done, epcis


@pytest.fixture(scope="session")
def any_territory(batch, tmp_path_factory) -> tuple[Path, str]:
    """The batch's first small EPCI (`essai`, from a file holding only `name` and `epci`) in a
    copy of the batch's project, brought into its workspace by `dvc exp apply study-essai`; the
    copy and the EPCI."""
    copy, _, epcis = batch
    applied = tmp_path_factory.mktemp("any_territory") / "study"
    # Not DVC's temporary files (the queue's workers, their logs): the repository and its cache.
    skip = lambda folder, names: ["tmp"] if Path(folder).name == ".dvc" else []  # noqa: E731
    shutil.copytree(copy, applied, symlinks=True, ignore=skip)
    run(["dvc", "exp", "apply", "study-essai"], applied)
    return applied, epcis["essai"]


@pytest.fixture(scope="session")
def params():
    return load_params()


@pytest.fixture(scope="session")
def default_territory(params):
    return load_territory(params["territory"], params)


@pytest.fixture(scope="session")
def default_base(params, default_territory):
    return territory_base(
        default_territory,
        ROOT / params["inputs"]["populations"],
        params["inputs"]["population_vintage"],
    )


class MobproSample:
    """A MOBPRO detail file in INSEE's layout, written by hand (sources and mobility tests).

    Territory: communes A=10001 and B=10002 (the EPCI); C=10003 is a neighbour outside it;
    99999 is a workplace without coordinates (abroad). 20001 lives outside the territory.
    """

    header = "COMMUNE;ARM;DCLT;DCFLT;IPONDI;TRANS;SEXE;AGEREVQ;TP;GS"
    rows = [
        "10001;ZZZZZ;10001;99999;2.0;2;1;030;1;3",  # A→A cadre, walks: no commute
        "10001;ZZZZZ;10002;99999;1.5;5;2;040;1;3",  # A→B cadre, long
        "20001;ZZZZZ;10001;99999;7.0;5;1;035;1;3",  # not a resident of the territory
        "10001;ZZZZZ;10002;99999;2.0;5;1;045;1;6",  # A→B ouvrier, long
        "10001;ZZZZZ;10002;99999;1.0;1;2;050;2;4",  # A→B no transport (works at home)
        "10001;ZZZZZ;10003;99999;3.0;5;1;025;1;3",  # A→C cadre, short (8.34 km)
        "10002;ZZZZZ;10001;99999;4.0;Z;2;035;1;5",  # B→A employé, mode "sans objet", long
        "10002;ZZZZZ;99999;10000;1.0;6;1;055;1;3",  # B→abroad cadre: unknown distance
        "10002;ZZZZZ;10002;99999;0.5;1;2;060;2;2",  # B→B artisan at home
    ]
    territory = ["10001", "10002"]

    @staticmethod
    def write(folder: Path, header: str = header, rows: list[str] = rows,
              name: str = "FD_MOBPRO_2022.csv", encoding: str = "utf-8") -> Path:  # fmt: skip
        path = Path(folder) / name
        path.write_bytes((header + "\n" + "\n".join(rows) + "\n").encode(encoding))
        return path


@pytest.fixture(scope="session")
def mobpro_sample():
    return MobproSample


class CensusSample:
    """A two-commune extract of the three census base-cc themes, with the columns INSEE
    publishes (PCS 2020 groups from RP2022, CS groups before)."""

    codes = ["01001", "2A004"]

    @classmethod
    def themes(cls, vintage: int) -> dict[str, pd.DataFrame]:
        codes, y = cls.codes, census.yy(vintage)
        pop = pd.DataFrame({"CODGEO": codes, f"P{y}_POP": [100.0, 300.0], f"P{int(y) - 6:02d}_POP": [110.0, 300.0],
                            f"P{y}_POPH": [48.0, 150.0], f"P{y}_POPF": [52.0, 150.0]})  # fmt: skip
        for band in census.AGE_BANDS:
            pop[f"P{y}_POP{band}"] = pop[f"P{y}_POP"] / len(census.AGE_BANDS)
        for parts in census.SEX_AGE_COLUMNS.values():
            for part in parts:
                pop[f"P{y}_H{part}"] = pop[f"P{y}_POPH"] / len(census.SEX_BANDS) / len(parts)
                pop[f"P{y}_F{part}"] = pop[f"P{y}_POPF"] / len(census.SEX_BANDS) / len(parts)
        groups = ["11_21", "12_22", "13_23", "14_24", "15_25", "16_26", "32", "40"]
        names = (
            [f"STAT_GSEC{c}" for c in groups]
            if vintage >= 2022
            else [f"CS{i}" for i in range(1, 9)]
        )
        for i, name in enumerate(names):
            pop[f"C{y}_POP15P_{name}"] = [10.0 * (i + 1), 20.0 * (i + 1)]
        emp = pd.DataFrame({"CODGEO": codes, f"P{y}_POP1564": [60.0, 200.0], f"P{y}_ACT1564": [40.0, 150.0],
                            f"P{y}_ACTOCC1564": [30.0, 135.0], f"P{y}_CHOM1564": [10.0, 15.0],
                            f"P{y}_ETUD1564": [5.0, 10.0], f"P{y}_ACTOCC15P": [31.0, 140.0]})  # fmt: skip
        for mode in census.MODES:
            emp[f"C{y}_ACTOCC15P_{mode}"] = emp[f"P{y}_ACTOCC15P"] / len(census.MODES)
        dip = pd.DataFrame({"CODGEO": codes, f"P{y}_NSCOL15P": [70.0, 250.0]})
        for key in census.DIPLOMAS:
            dip[f"P{y}_NSCOL15P_{key}"] = dip[f"P{y}_NSCOL15P"] / len(census.DIPLOMAS)
        return {"population": pop, "employment": emp, "diplomas": dip}

    @classmethod
    def write(cls, folder: Path, vintage: int) -> dict[str, Path]:
        """Zip each theme as INSEE does: `base-cc-<theme>-<year>_csv.zip` holding the data CSV."""
        paths = {}
        for theme, table in cls.themes(vintage).items():
            name = census.census_file(theme, vintage)
            with zipfile.ZipFile(Path(folder) / name, "w") as zf:
                zf.writestr(census.data_member(theme, vintage), table.to_csv(sep=";", index=False))
            paths[theme] = Path(folder) / name
        return paths


@pytest.fixture(scope="session")
def census_sample():
    return CensusSample
