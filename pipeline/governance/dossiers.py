"""Phase 10, the grant applications of the recommended scenario: for each funding line its plan
asks money of, what the funder requires (eligibility, rate, ceiling, documents, calendar), from
`data/raw/dossiers_financement.csv`, one row per funding line key of params
(`scenarios.investment_funding`, `scenarios.operating_funding`), and what the plan asks: the
investment line of `09_scenarios/funding_plan` and the operating line of `09_scenarios/pnl_lines`
summed over the plan's years. A line the file does not describe is listed « à documenter »."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.core.validate import non_empty, read_checked_csv

DOSSIERS_FILE = "data/raw/dossiers_financement.csv"
TEXT_COLUMNS = [
    "financeur", "dispositif", "eligibilite", "taux", "plafond", "pieces", "calendrier", "source",
]  # fmt: skip
OPERATING_KINDS = ("funding_public", "funding_private")  # pnl_lines `kind` of funding lines
UNDOCUMENTED = "à documenter"
CHECKLIST_COLUMNS = [
    "line", "label", "investment_eur", "operating_eur", "operating_years", "total_eur",
    "documented", *TEXT_COLUMNS,
]  # fmt: skip


def read_dossiers(path: Path) -> pd.DataFrame:
    """The funders' requirements, one row per funding line key, every cell filled; `pieces`
    lists the documents to supply, `|`-separated."""
    text = pa.Column(str, non_empty())
    schema = pa.DataFrameSchema(
        {
            "ligne": pa.Column(str, non_empty(), unique=True, report_duplicates="exclude_first"),
            **{column: text for column in TEXT_COLUMNS},
        },
        strict=True,
    )
    return read_checked_csv(path, schema)


def asked(
    scenario: str, funding_plan: pd.DataFrame, pnl_lines: pd.DataFrame, plan_years: int
) -> pd.DataFrame:
    """What the plan of `scenario` asks of each funding line with an amount: investment (€),
    operating over the plan's years (€) and how many of those years it pays, by line key (the
    investment lines first, in the plan's order, then the operating ones)."""
    invest = funding_plan.loc[
        (funding_plan["scenario"] == scenario)
        & (funding_plan["kind"] == "sources")
        & (funding_plan["amount_eur"] > 0)
    ]
    operating = pnl_lines.loc[
        (pnl_lines["scenario"] == scenario)
        & pnl_lines["kind"].isin(OPERATING_KINDS)
        & (pnl_lines["year"] <= plan_years)
        & (pnl_lines["amount"] > 0)
    ]
    labels = dict(zip(operating["item"], operating["label"])) | dict(
        zip(invest["line"], invest["item"])
    )
    lines = list(dict.fromkeys([*invest["line"], *operating["item"]]))
    by_line = operating.groupby("item")
    table = pd.DataFrame(
        {
            "line": lines,
            "label": [labels[line] for line in lines],
            "investment_eur": [
                float(invest.loc[invest["line"] == line, "amount_eur"].sum()) for line in lines
            ],
            "operating_eur": [float(by_line["amount"].sum().get(line, 0.0)) for line in lines],
            "operating_years": [int(by_line["year"].nunique().get(line, 0)) for line in lines],
        }
    )
    table["total_eur"] = table["investment_eur"] + table["operating_eur"]
    return table


def checklist(asks: pd.DataFrame, dossiers: pd.DataFrame) -> pd.DataFrame:
    """Each line the plan asks money of, with its funder's requirements; a line the file does
    not describe is kept, marked « à documenter » (with a warning naming it)."""
    known = dossiers.rename(columns={"ligne": "line"})
    table = asks.merge(known, on="line", how="left", validate="one_to_one")
    table["documented"] = table["line"].isin(set(known["line"]))
    absent = table.loc[~table["documented"], "line"].tolist()
    if absent:
        warnings.warn(
            f"{DOSSIERS_FILE}: no requirements for the funding line(s) {', '.join(absent)}: "
            f"listed « {UNDOCUMENTED} »",
            stacklevel=2,
        )
    table[TEXT_COLUMNS] = table[TEXT_COLUMNS].fillna(UNDOCUMENTED)
    return table[CHECKLIST_COLUMNS]
