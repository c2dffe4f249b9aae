"""Phase 07, demand: target segments of the study zone and their yearly volumes by scenario.

Each segment's base (people) comes from earlier phases; a capture rate (low, central, high)
times a yearly frequency gives the volume in the segment's unit.
"""

from __future__ import annotations

import textwrap

import pandas as pd

from pipeline.phase import Phase

SEGMENT_LABELS = {
    "teleworkers": "Actifs pouvant télétravailler près de chez eux",
    "independents": "Indépendants et créateurs d'activité",
    "job_seekers": "Demandeurs d'emploi",
    "digital_help": "Personnes éloignées du numérique",
    "students": "Étudiants et jeunes en formation",
}
UNIT_LABELS = {
    "desk_days": "journées de poste de travail",
    "mediation_sessions": "séances de médiation numérique",
    "fablab_hours": "heures de fablab",
}
LEVELS = ["low", "central", "high"]
LEVEL_LABELS = {"low": "Basse", "central": "Centrale", "high": "Haute"}


def study_zone_codes(communes: pd.DataFrame) -> list[str]:
    return list(communes.loc[communes["in_study_zone"], "code"])


def segment_bases(
    indicators: pd.DataFrame,
    telework_pool: pd.DataFrame,
    codes,
    independents_share: float,
    digital_help_share: float,
) -> dict[str, float]:
    """People in each segment, summed over the communes `codes`."""
    census = indicators[indicators["code"].isin(codes)]
    pool = telework_pool[telework_pool["code"].isin(codes)]
    return {
        "teleworkers": float(pool["telework_pool"].sum()),
        "independents": independents_share * float(census["employed_15p"].sum()),
        "job_seekers": float(census["unemployed_1564"].sum()),
        "students": float(census["students_1564"].sum()),
        "digital_help": digital_help_share * float(census["population"].sum()),
    }


def check_segment(name: str, spec: dict) -> None:
    where = f"params.yaml: demand.segments.{name}"
    capture = spec.get("capture")
    if not (isinstance(capture, list) and len(capture) == 3):
        raise ValueError(f"{where}.capture: expected [low, central, high], found {capture!r}")
    if not all(0 <= c <= 1 for c in capture) or sorted(capture) != list(capture):
        raise ValueError(
            f"{where}.capture: expected rates between 0 and 1 in increasing order, "
            f"found {capture!r}"
        )
    if not spec.get("days_per_year", 0) > 0:
        raise ValueError(f"{where}.days_per_year: expected a positive number")
    if not spec.get("unit"):
        raise ValueError(f"{where}.unit: missing")


def volumes(bases: dict[str, float], segments: dict) -> pd.DataFrame:
    """One row per segment: base, then low / central / high yearly volumes in its unit."""
    unknown = sorted(set(segments) - set(bases))
    if unknown:
        raise ValueError(
            f"params.yaml: demand.segments {', '.join(unknown)} unknown; "
            f"known segments: {', '.join(bases)}"
        )
    rows = []
    for name, spec in segments.items():
        check_segment(name, spec)
        row = {
            "segment": name,
            "label": SEGMENT_LABELS.get(name, name),
            "unit": spec["unit"],
            "base": bases[name],
        }
        for level, capture in zip(LEVELS, spec["capture"]):
            row[level] = bases[name] * float(capture) * float(spec["days_per_year"])
        rows.append(row)
    return pd.DataFrame(rows, columns=["segment", "label", "unit", "base", *LEVELS])


def by_unit(demand: pd.DataFrame) -> pd.DataFrame:
    """Volumes summed by unit (a sum of lows is a prudent low: segments move together)."""
    return demand.groupby("unit", sort=False)[LEVELS].sum().reset_index()


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    settings = phase.params["demand"]
    communes = phase.read("01_portrait", "communes")
    bases = segment_bases(
        phase.read("01_portrait", "indicators"),
        phase.read("02_mobility", "telework_pool"),
        study_zone_codes(communes),
        float(settings["independents_share"]),
        float(settings["digital_help_share"]),
    )
    demand = volumes(bases, settings["segments"])
    return {"demand": demand, "demand_by_unit": by_unit(demand)}


# ---------------------------------------------------------------------------------------
# What readers see
# ---------------------------------------------------------------------------------------


def demand_table(demand: pd.DataFrame) -> pd.DataFrame:
    from pipeline import fmt

    table = pd.DataFrame(
        {
            "Public cible": demand["label"],
            "Effectif (personnes)": demand["base"].map(fmt.number),
            "Unité": demand["unit"].map(lambda u: UNIT_LABELS.get(u, u)),
        }
    )
    for level in LEVELS:
        table[f"Hypothèse {LEVEL_LABELS[level].lower()}"] = demand[level].map(fmt.number)
    return table


def desk_equivalent(demand_by_unit: pd.DataFrame, working_days: float) -> pd.Series:
    """Full-time desks that the desk-day volumes would fill (low, central, high)."""
    desks = demand_by_unit.loc[demand_by_unit["unit"] == "desk_days", LEVELS].sum()
    return desks / float(working_days)


def desk_text(demand_by_unit: pd.DataFrame, working_days: float) -> str:
    """One French sentence: the desk-day volumes as full-time desks."""
    from pipeline import fmt

    desks = desk_equivalent(demand_by_unit, working_days)
    return (
        f"En hypothèse centrale, les journées de poste de travail équivalent à "
        f"**{fmt.number(desks['central'], 1)} postes** occupés toute l'année "
        f"({fmt.number(working_days)} jours ouvrés), entre {fmt.number(desks['low'], 1)} "
        f"et {fmt.number(desks['high'], 1)} selon les hypothèses."
    )


def demand_figure(demand: pd.DataFrame):
    """Central yearly volume of each segment, with the low-high range as an error bar; one
    panel per unit, since desk days, sessions and hours do not add up."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from pipeline import figures

    units = list(dict.fromkeys(demand["unit"]))
    fig = make_subplots(
        rows=1,
        cols=len(units),
        horizontal_spacing=0.06,
        subplot_titles=[UNIT_LABELS.get(u, u).capitalize() for u in units],
    )
    for i, unit in enumerate(units):
        group = demand[demand["unit"] == unit]
        fig.add_trace(
            go.Bar(
                x=[textwrap.fill(label, 18).replace("\n", "<br>") for label in group["label"]],
                y=group["central"],
                name=UNIT_LABELS.get(unit, unit),
                marker_color=figures.PALETTE[i % len(figures.PALETTE)],
                showlegend=False,
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": group["high"] - group["central"],
                    "arrayminus": group["central"] - group["low"],
                },
            ),
            row=1,
            col=i + 1,
        )
    fig.update_layout(
        title="Demande annuelle potentielle par public (hypothèse centrale, "
        "barres : basse à haute)",
        height=500,
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
    )
    fig.update_xaxes(tickangle=0)
    return fig
