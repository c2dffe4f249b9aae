"""What a phase notebook needs to start: its params, its territory, its paths."""

from __future__ import annotations

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
from pipeline.core.settings import Settings, check


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

    @property
    def out_dir(self) -> Path:
        return self.root / "data" / "processed" / self.stage

    @property
    def raw_dir(self) -> Path:
        """Where this territory's raw inputs live."""
        return self.root / "data" / "raw" / self.territory["key"]

    def write(self, df: pd.DataFrame, name: str) -> Path:
        return write_table(df, Table(self.stage, name).path(self.root))

    def read(self, table: Table) -> pd.DataFrame:
        """A table written by an earlier phase, named by its handle in that phase's outputs."""
        return read_table(table.path(self.root))


def open_phase(stage: str, params: dict | None = None, root: Path = ROOT) -> Phase:
    """The params dvc.yaml declares for the stage, with `params` merged over them: papermill
    injects them all; an analyst may set only what they change, e.g.
    `{"scenarios": {"units": {"desk_days": {"price": 20}}}}` (an unknown key is refused)."""
    params = merge_settings(stage_params(stage, root), params or {}, "the parameters cell")
    key = params.get("territory") or load_params(root)["territory"]
    territory = load_territory(key, load_params(root), root)
    figures.setup()
    where = territory.get("path", "")
    settings = check(params, territory.get("params", {}), where)
    return Phase(stage, params, territory, Path(root), settings)
