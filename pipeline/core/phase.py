"""What a phase notebook needs to start: its params, its territory, its paths."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.core import figures
from pipeline.core.config import (
    ROOT,
    load_params,
    load_territory,
    merge_settings,
    stage_params,
)
from pipeline.core.io import read_table, write_table
from pipeline.core.provenance import demo_labels, stage_inputs
from pipeline.core.settings import Settings, check

# Set by pipeline/core/run.py to the stage it runs; papermill's kernel inherits the environment.
# A notebook that finds another value (or none) is run by hand.
STAGE_VARIABLE = "TIERS_LIEU_STAGE"
DEMO_INPUTS = (
    "Données de démonstration en entrée de cette étape : {labels}. Ses résultats illustrent la "
    "méthode et ne décrivent pas le territoire (data/raw/{key}/sources.csv)."
)
MANUAL_RUN = (
    "Exécution manuelle : les tables sont écrites dans {folder}, "
    "pas dans les sorties suivies par DVC."
)


@dataclass(frozen=True)
class Table:
    """A processed table of a phase, named once (in that phase's `outputs` module) and read by
    later phases through `Phase.read`."""

    stage: str
    name: str

    def path(self, root: Path) -> Path:
        """Where the table lies in the study folder `root`."""
        return Path(root) / "data" / "processed" / self.stage / f"{self.name}.parquet"


@dataclass(frozen=True)
class Phase:
    stage: str
    params: dict
    territory: dict
    root: Path = ROOT
    settings: Settings | None = None  # `params`, checked and typed
    manual: bool = False  # run by hand: its tables go to data/scratch/, not to DVC's outputs

    @property
    def out_dir(self) -> Path:
        """Where this phase writes its tables: data/processed/<stage>/, or data/scratch/<stage>/
        when run by hand."""
        return self.root / "data" / ("scratch" if self.manual else "processed") / self.stage

    @property
    def raw_dir(self) -> Path:
        """Where this territory's raw inputs live."""
        return self.root / "data" / "raw" / self.territory["key"]

    def write(self, df: pd.DataFrame, name: str) -> Path:
        return write_table(df, self.out_dir / f"{name}.parquet")

    def read(self, table: Table) -> pd.DataFrame:
        """A table named by its handle in its phase's outputs: an earlier phase's from
        data/processed/, this phase's from where it writes them."""
        if table.stage == self.stage:
            return read_table(self.out_dir / f"{table.name}.parquet")
        return read_table(table.path(self.root))


def open_phase(stage: str, params: dict | None = None, root: Path = ROOT) -> Phase:
    """The params dvc.yaml declares for the stage, with `params` merged over them: papermill
    injects them all; an analyst may set only what they change, e.g.
    `{"scenarios": {"units": {"desk_days": {"price": 20}}}}` (an unknown key is refused).
    Unless pipeline/core/run.py runs the stage, its tables go to data/scratch/<stage>/, and
    the first output of the notebook says so."""
    manual = os.environ.get(STAGE_VARIABLE) != stage
    if manual:  # before anything else, so that it is the notebook's first output
        print(MANUAL_RUN.format(folder=f"data/scratch/{stage}/"))
    params = merge_settings(stage_params(stage, root), params or {}, "the parameters cell")
    study = load_params(root)
    territory = load_territory(params.get("territory") or study["territory"], study, root)
    figures.setup()
    if (Path(root) / "dvc.yaml").exists():
        inputs = stage_inputs(Path(root), study, territory).get(stage)
        if inputs is not None and (labels := demo_labels(inputs)):
            print(DEMO_INPUTS.format(labels=", ".join(labels), key=territory["key"]))
    where = territory.get("path", "")
    settings = check(params, territory.get("params", {}), where)
    return Phase(stage, params, territory, Path(root), settings, manual)
