"""Phase 10, outcome indicators of the recommended scenario: what each measures, its unit, its
data source and its owner (`data/raw/indicateurs_suivi.csv`), its situation at the start (from
the earlier phases where they measured it) and its target for each year of the business plan
(from the scenario's activity in phase 09, which follows the ramp-up).

How an indicator is computed (`calcul`):

- `attendance`: visits a year, activity × visits per unit (`governance.feasibility.usage`);
- `regular_users`: the regular users of phase 07 (people coming at least
  `demand.regular_users.min_visits_per_month` times a month, the definition the report's
  synthesis uses) that the scenario serves: by unit, its activity of the year × the unit's
  regular users ÷ the unit's central demand (phase 07);
- `per_person`: people counted, activity ÷ units per person (`governance.indicators.per_person`
  of the indicator's key);
- `segment`: people of the phase-07 segment named in `parametre` reached: the volume of the
  segment's unit × the segment's share of that unit's demand ÷ its units per person a year;
  start: the segment's base (phase 07);
- `creations`: the `per_person` indicator named in `parametre` × `creation_rate`;
- `co2_avoided`: the desk days of the segment named in `parametre` × the round trip avoided (the
  mean distance of commuters leaving their commune, phase 02, less `place_trip_km`) × the car
  share (phase 02) × `co2_kg_per_km`, in tonnes;
- `own_revenue_share`: own revenue ÷ resources (phase 09).

An indicator counting an activity the scenario does not have is left out.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.core.validate import InputFileError, non_empty, one_of, read_checked_csv

INDICATORS_FILE = "data/raw/indicateurs_suivi.csv"
CALCULATIONS = (
    "attendance", "regular_users", "per_person", "segment", "creations", "co2_avoided",
    "own_revenue_share",
)  # fmt: skip
WITH_SEGMENT = ("segment", "co2_avoided")
TEXT = ["libelle", "unite", "source", "responsable", "methode"]
TARGET_COLUMNS = ["indicator", "label", "unit", "year", "target"]
DEFINITION_COLUMNS = [
    "indicator", "label", "unit", "baseline", "public", "baseline_source", "source", "owner",
    "method",
]  # fmt: skip
NEW_PLACE = "lieu à créer : aucune activité avant l'ouverture"  # French: shown to readers
NOT_MEASURED = "à relever avant l'ouverture"


def read_definitions(path: Path, per_person: list[str]) -> pd.DataFrame:
    """The indicators, checked: a known `calcul`; a `per_person` indicator has units per person
    in params; `segment` and `co2_avoided` name a segment in `parametre`; `creations` names a
    `per_person` indicator of the file. Errors name the file, line and column."""
    schema = pa.DataFrameSchema(
        {
            "indicateur": pa.Column(
                str, non_empty(), unique=True, report_duplicates="exclude_first"
            ),
            "calcul": pa.Column(str, one_of(CALCULATIONS)),
            "parametre": pa.Column(str),
            **{column: pa.Column(str, non_empty()) for column in TEXT},
        },
        strict=True,
    )
    table = read_checked_csv(path, schema)
    base = [k for k, c in zip(table["indicateur"], table["calcul"]) if c == "per_person"]
    for line, row in zip(table.attrs["lines"], table.itertuples()):
        problem = (
            f"column 'indicateur': expected a key of params.yaml governance.indicators.per_person "
            f"({', '.join(per_person)}), found {row.indicateur!r}"
            if row.calcul == "per_person" and row.indicateur not in per_person
            else "column 'parametre': expected a segment of phase 07, found nothing"
            if row.calcul in WITH_SEGMENT and not row.parametre
            else f"column 'parametre': expected an indicator computed per_person "
            f"({', '.join(base)}), found {row.parametre!r}"
            if row.calcul == "creations" and row.parametre not in base
            else ""
        )
        if problem:
            raise InputFileError(f"{path}: line {line}, {problem}")
    return table


def _by_year(values: pd.Series, years: pd.Series, all_years: list[int]) -> pd.Series:
    return values.groupby(years).sum().reindex(all_years, fill_value=0.0).astype(float)


def segment_share(demand: pd.DataFrame, segment: str) -> tuple[pd.Series, float]:
    """The segment's row of phase 07 and its share of its unit's central demand."""
    if segment not in set(demand["segment"]):
        raise ValueError(
            f"{INDICATORS_FILE}: column 'parametre': segment {segment!r} is not a segment of "
            f"phase 07 ({', '.join(demand['segment'])})"
        )
    row = demand.set_index("segment").loc[segment]
    unit_total = float(demand.loc[demand["unit"] == row["unit"], "central"].sum())
    return row, float(row["central"]) / unit_total if unit_total else 0.0


def served_regular_users(demand: pd.DataFrame, activity: pd.DataFrame, years: list[int]):
    """Phase 07's regular users the scenario serves each year (None if none): by unit, its
    activity × the unit's regular users ÷ the unit's central demand."""
    by_unit = demand.groupby("unit")[["regular_users", "central"]].sum()
    per_unit = (by_unit["regular_users"] / by_unit["central"].where(by_unit["central"] > 0)).fillna(
        0.0
    )
    rows = activity.loc[activity["unit"].isin(list(per_unit.index))]
    people = _by_year(rows["volume"] * rows["unit"].map(per_unit), rows["year"], years)
    return people if (people > 0).any() else None


def series(definition, inputs: dict) -> pd.Series | None:
    """One indicator's yearly targets, or None when the scenario has none of its activity."""
    activity, years = inputs["activity_years"], inputs["years"]
    calcul, settings = definition["calcul"], inputs["settings"]

    def volume(units) -> pd.Series:
        rows = activity.loc[activity["unit"].isin(list(units))]
        return _by_year(rows["volume"], rows["year"], years)

    if calcul == "attendance":
        usage = inputs["usage"]
        visits = activity["unit"].map(lambda u: float(usage.get(u, {}).get("visits", 0.0)))
        return _by_year(activity["volume"] * visits, activity["year"], years)
    if calcul == "regular_users":
        return served_regular_users(inputs["demand"], activity, years)
    if calcul == "own_revenue_share":
        plan = inputs["pnl"].set_index("year").reindex(years)
        resources = plan["revenue"] + plan["public_funding"] + plan["partner_funding"]
        return (plan["revenue"] / resources.where(resources != 0)).astype(float)
    if calcul in ("per_person", "creations"):
        key = definition["indicateur"] if calcul == "per_person" else definition["parametre"]
        per = settings["per_person"][key]
        rows = activity.loc[activity["unit"].isin(list(per))]
        people = _by_year(rows["volume"] / rows["unit"].map(per), rows["year"], years)
        rate = 1.0 if calcul == "per_person" else float(settings["creation_rate"])
        return None if not (people > 0).any() else people * rate
    row, share = segment_share(inputs["demand"], definition["parametre"])
    days = volume([row["unit"]]) * share
    if not (days > 0).any():
        return None
    if calcul == "segment":
        return days / float(row["frequency_central"])
    mobility = inputs["mobility"].set_index("key")["value"]
    trip_km = 2 * max(float(mobility["mean_km"]) - float(settings["place_trip_km"]), 0.0)
    kg = trip_km * float(mobility["car_share"]) * float(settings["co2_kg_per_km"])
    return days * kg / 1000


def targets(definitions: pd.DataFrame, inputs: dict) -> pd.DataFrame:
    """Yearly targets of every indicator the scenario has the activity of (long table).

    `inputs`: the scenario's `activity_years` and `pnl` (phase 09), `demand` (phase 07),
    `mobility` (02_mobility/summary), `usage` (governance.feasibility.usage), `settings`
    (governance.indicators) and `years`, the plan's years."""
    rows = []
    for _, d in definitions.iterrows():
        values = series(d, inputs)
        if values is not None:
            rows += [
                (d["indicateur"], d["libelle"], d["unite"], int(y), float(v))
                for y, v in values.items()
            ]
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def baseline(definition, demand: pd.DataFrame) -> tuple[float, float, str]:
    """The situation at the start, the public concerned and where they come from: for the
    people of a segment (phase 07), none served yet among the segment's base; nothing yet for
    what only the place will do (visits, users, projects, CO2 avoided); to be measured
    otherwise (no public)."""
    calcul = definition["calcul"]
    if calcul == "segment":
        row, _ = segment_share(demand, definition["parametre"])
        return 0.0, float(row["base"]), f"phase 07 : {row['label']} ({row['base_source']})"
    if calcul == "co2_avoided":
        return 0.0, float("nan"), "aucun trajet évité avant l'ouverture"
    if calcul in ("attendance", "regular_users", "per_person"):
        return 0.0, float("nan"), NEW_PLACE
    if calcul == "own_revenue_share":
        return float("nan"), float("nan"), NEW_PLACE
    return float("nan"), float("nan"), f"{NOT_MEASURED} : {definition['source']}"


def definitions_table(definitions: pd.DataFrame, kept, demand: pd.DataFrame) -> pd.DataFrame:
    """The indicators of `kept` (keys, in their order) with their situation at the start,
    their data source, owner and method."""
    rows = []
    for _, d in definitions.loc[definitions["indicateur"].isin(list(kept))].iterrows():
        value, public, origin = baseline(d, demand)
        rows.append((d["indicateur"], d["libelle"], d["unite"], value, public, origin, d["source"],
                     d["responsable"], d["methode"]))  # fmt: skip
    return pd.DataFrame(rows, columns=DEFINITION_COLUMNS)
