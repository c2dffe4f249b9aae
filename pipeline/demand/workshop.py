"""Phase 07, co-design workshops: ideas and their votes, ranked and tied to the services.

Input: `atelier_idees.csv` (or a spreadsheet of the same name, .xlsx or .ods), one row per idea
put to the vote in a workshop (idee_id, atelier, idee, service, votes). Ideas are ranked by votes; each workshop's votes are also read as shares,
since workshops differ in size. Ideas are free text typed by participants: they are scrubbed of
personal data at ingestion (`interviews.coding.scrub`), as interview quotes are, since the most voted
are printed in the report. Services are those of phase 05 plus two a tiers-lieu adds
(meeting rooms, community life); most are tied to a demand unit of phase 07.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.core.sheets import input_file, read_checked_table
from pipeline.core.validate import (
    non_empty,
    number,
    one_of,
    to_numbers,
    warn_empty,
)
from pipeline.core.vocabulary import SERVICES as OFFER_SERVICES
from pipeline.interviews.coding import scrub

FILE = "atelier_idees.csv"
# The services of the existing offer (phase 05) and two a tiers-lieu adds.
SERVICES = {
    **OFFER_SERVICES,
    "meeting_rooms": "Salles de réunion et d'événements",
    "community": "Convivialité et animation locale",
}
# Service -> demand unit of phase 07 that measures it (none for support and community life).
SERVICE_UNITS = {
    "digital_mediation": "mediation_sessions",
    "admin_help": "mediation_sessions",
    "internet_access": "mediation_sessions",
    "coworking": "desk_days",
    "telework": "desk_days",
    "fablab": "fablab_hours",
    "meeting_rooms": "room_bookings",
}
COLUMNS = {"idee_id": "idea_id", "atelier": "workshop", "idee": "idea", "service": "service"}


def ideas_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "idee_id": pa.Column(
                checks=non_empty(), unique=True, report_duplicates="exclude_first"
            ),
            "atelier": pa.Column(checks=non_empty()),
            "idee": pa.Column(checks=non_empty()),
            "service": pa.Column(checks=one_of(list(SERVICES))),
            "votes": pa.Column(checks=number(0, integer=True)),
        },
        strict=True,
    )


def read_ideas(path: Path) -> pd.DataFrame:
    """The workshop ideas, checked: idea_id, workshop, idea (scrubbed), service, votes (int)."""
    path = input_file(path)
    table = read_checked_table(path, ideas_schema())
    table = to_numbers(warn_empty(table, path, "idea", "no workshop idea"), ["votes"])
    out = table[list(COLUMNS)].rename(columns=COLUMNS)
    out["idea"] = out["idea"].map(scrub)
    out["votes"] = table["votes"].astype(int)
    return out


def rank_ideas(ideas: pd.DataFrame) -> pd.DataFrame:
    """Ideas ranked by votes (ties share the better rank, then listed by id), with each idea's
    share of its workshop's votes and its service's French label."""
    out = ideas.copy()
    out["service_label"] = out["service"].map(SERVICES)
    totals = out.groupby("workshop")["votes"].transform("sum")
    out["vote_share"] = (out["votes"] / totals.where(totals > 0)).fillna(0.0)
    out["rank"] = out["votes"].rank(ascending=False, method="min").astype(int)
    columns = ["rank", "idea_id", "workshop", "idea", "service", "service_label", "votes"]
    return out.sort_values(["rank", "idea_id"], kind="stable")[
        [*columns, "vote_share"]
    ].reset_index(drop=True)


def by_service(ideas: pd.DataFrame, demand_by_unit: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every service: ideas, votes and share of all votes, its most voted idea, and the central
    yearly demand of the unit tied to it (phase 07), ranked by votes."""
    grouped = ideas.groupby("service")
    total = ideas["votes"].sum()
    top = ideas.sort_values(["votes", "idea_id"], ascending=[False, True], kind="stable")
    table = pd.DataFrame({"service": list(SERVICES), "service_label": list(SERVICES.values())})
    table["ideas"] = table["service"].map(grouped.size()).fillna(0).astype(int)
    table["votes"] = table["service"].map(grouped["votes"].sum()).fillna(0).astype(int)
    table["vote_share"] = table["votes"] / total if total > 0 else 0.0
    table["top_idea"] = (
        table["service"].map(top.drop_duplicates("service").set_index("service")["idea"]).fillna("")
    )
    table["unit"] = table["service"].map(SERVICE_UNITS).fillna("")
    central = (
        {}
        if demand_by_unit is None
        else dict(zip(demand_by_unit["unit"], demand_by_unit["central"]))
    )
    table["demand_central"] = table["unit"].map(central).astype(float)
    order = list(SERVICES)
    table["_o"] = table["service"].map(order.index)
    table = table.sort_values(["votes", "_o"], ascending=[False, True], kind="stable")
    table["rank"] = table["votes"].rank(ascending=False, method="min").astype(int)
    columns = [
        "rank",
        "service",
        "service_label",
        "ideas",
        "votes",
        "vote_share",
        "top_idea",
        "unit",
        "demand_central",
    ]
    return table[columns].reset_index(drop=True)
