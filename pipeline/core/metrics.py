"""A stage's results as DVC compares them between variants: metrics and the data of key charts.

After a stage's notebook has run, `write_stage` calls the phase's `metrics` module
(`pipeline/<phase>/metrics.py`, the stage's name without its number), whose `build(root)` reads
the stage's processed tables and returns its `Results`; they go to `reports/metrics/<stage>.json` and
`reports/plots/<stage>/<name>.csv`, outside the stage's `data/processed/<stage>` (DVC refuses outputs
inside another). dvc.yaml declares them as the stage's `metrics:` and `plots:`, so that
`dvc metrics diff`, `dvc plots diff` and `dvc exp show` compare two variants. Numbers are rounded
as processed tables are (`pipeline.core.io`) and keys sorted: the same inputs, the same bytes.
"""

from __future__ import annotations

import importlib
import json
import math
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd

from pipeline.core.io import round_significant, rounded, write_csv_atomic, write_text_atomic


@dataclass(frozen=True)
class Results:
    """What a stage shows DVC: `metrics`, a nested dict of numbers (and a few names); `plots`,
    tables by file name (without `.csv`; a `/` makes a subfolder: one chart per file)."""

    metrics: dict
    plots: dict[str, pd.DataFrame] = field(default_factory=dict)


def metrics_path(root: Path, stage: str) -> Path:
    return Path(root) / "reports" / "metrics" / f"{stage}.json"


def plots_dir(root: Path, stage: str) -> Path:
    return Path(root) / "reports" / "plots" / stage


def file_name(key: str) -> str:
    """A key of the study (a scenario's, set in params) as a file name: characters other than
    letters, digits and `_.-~` percent-encoded (`/` too), so no key can leave its folder."""
    return quote(str(key), safe="")


def plain(value):
    """`value` for JSON: floats rounded to the tables' precision, NaN and NA as null, NumPy
    scalars as Python ones."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(round_significant(float(value)))
    return str(value)


def write_metrics(metrics: dict, path: Path) -> Path:
    text = json.dumps(plain(metrics), sort_keys=True, indent=2, ensure_ascii=False)
    return write_text_atomic(text + "\n", path)


def write_plots(plots: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Each table as `<folder>/<name>.csv`, floats rounded; an earlier run's files go first."""
    shutil.rmtree(folder, ignore_errors=True)
    return [
        write_csv_atomic(rounded(table), folder / f"{name}.csv") for name, table in plots.items()
    ]


def write_results(results: Results, root: Path, stage: str) -> list[Path]:
    paths = [write_metrics(results.metrics, metrics_path(root, stage))]
    return paths + write_plots(results.plots, plots_dir(root, stage))


def phase_metrics(stage: str):
    """The `metrics` module of the stage's phase, or None when the phase has none."""
    name = f"pipeline.{stage.split('_', 1)[-1]}.metrics"
    try:
        # Imported by name, as run.py finds a stage's notebook: core imports no phase (the
        # import contracts of pyproject.toml), the phase's module imports core.
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name in (name, name.rsplit(".", 1)[0]):
            return None
        raise


def write_stage(stage: str, root: Path) -> list[Path]:
    """Build and write the stage's metrics and plot data, from its processed tables."""
    module = phase_metrics(stage)
    return write_results(module.build(Path(root)), root, stage) if module else []
