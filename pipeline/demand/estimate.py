"""Phase 07, demand: target segments of the study zone and their yearly volumes by scenario.

Each segment's volume = head count x capture rate x yearly frequency, at three levels (low,
central, high). Head counts come from the census (phase 01), the telework pool (phase 02), the
survey (phase 03) or params; capture rates come from the survey when it publishes the indicator
a segment names (its weighted share and confidence interval, times a realisation rate: stated
wishes overstate actual use), else from params. Every row says where each figure came from.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from pipeline.core.mdtext import Md, md
from pipeline.core.phase import Phase
from pipeline.core.validate import require_columns

SEGMENT_LABELS = {
    "teleworkers": "Actifs pouvant télétravailler près de chez eux",
    "independents": "Indépendants, artisans, commerçants et chefs d'entreprise",
    "job_seekers": "Demandeurs d'emploi",
    "students": "Étudiants et jeunes en formation",
    "digital_help": "Personnes ayant besoin d'aide avec le numérique",
    "organisations": "Entreprises et associations locales",
    "visitors": "Visiteurs (touristes, travailleurs de passage)",
}
UNIT_LABELS = {
    "desk_days": "journées de poste de travail",
    "mediation_sessions": "séances de médiation numérique",
    "fablab_hours": "heures de fablab",
    "room_bookings": "réservations de salle",
}
# What one "week" of each unit reads as, for the equivalents shown to readers.
UNIT_WEEKLY = {
    "mediation_sessions": "séances par semaine",
    "fablab_hours": "heures d'ouverture utilisées par semaine",
    "room_bookings": "réservations par semaine",
}
LEVELS = ["low", "central", "high"]
LEVEL_LABELS = {"low": "Basse", "central": "Centrale", "high": "Haute"}
PARAMS_SOURCE = "paramètres (hypothèse d'étude)"
BASE_SOURCES = {
    "teleworkers": "phase 02 : actifs dont l'emploi est télétravaillable et le trajet long",
    "independents": "recensement : artisans, commerçants et chefs d'entreprise",
    "job_seekers": "recensement : chômeurs de 15 à 64 ans",
    "students": "recensement : élèves et étudiants de 15 à 64 ans",
    "organisations": (
        "recensement (artisans, commerçants, chefs d'entreprise) + associations "
        "(paramètre par habitant)"
    ),
    "visitors": PARAMS_SOURCE,
}
CENSUS_COLUMNS = [
    "code",
    "population",
    "age_0014",
    "group_craftsmen",
    "unemployed_1564",
    "students_1564",
]
ESTIMATE_COLUMNS = ["indicator", "label", "n", "weighted", "ci_low", "ci_high"]


def study_zone_codes(communes: pd.DataFrame) -> list[str]:
    return list(communes.loc[communes["in_study_zone"], "code"])


# ---------------------------------------------------------------------------------------
# Rates: from the survey when published, else from params
# ---------------------------------------------------------------------------------------


def survey_rate(estimates: pd.DataFrame | None, indicator: str | None) -> dict | None:
    """Weighted share and confidence interval of a survey indicator (low, central, high, n,
    label), or None when the survey does not publish it (absent, or suppressed as NaN)."""
    if estimates is None or not indicator:
        return None
    rows = estimates[estimates["indicator"] == indicator]
    if rows.empty or rows[["weighted", "ci_low", "ci_high"]].iloc[0].isna().any():
        return None
    if "suppressed" in rows and bool(rows["suppressed"].iloc[0]):
        return None
    row = rows.iloc[0]
    return {
        "low": float(row["ci_low"]),
        "central": float(row["weighted"]),
        "high": float(row["ci_high"]),
        "n": int(row["n"]),
        "label": str(row["label"]),
    }


def _percents(values) -> str:
    from pipeline.core import fmt

    return " – ".join(fmt.percent(v, 1) for v in values)


def survey_source(rate: dict, indicator: str) -> str:
    from pipeline.core import fmt

    return (
        f"enquête (phase 03) : « {rate['label']} » ({indicator}), "
        f"{fmt.percent(rate['central'], 1)}, intervalle de confiance "
        f"{fmt.percent(rate['low'], 1)} – {fmt.percent(rate['high'], 1)}, n = {rate['n']}"
    )


def digital_help_rate(estimates: pd.DataFrame | None, settings: dict) -> dict:
    """Share of people aged 15+ who need help with digital tools: the survey's indicator named
    by `digital_help_survey` when published, else `digital_help_share` (low = central = high)."""
    indicator = settings.get("digital_help_survey")
    rate = survey_rate(estimates, indicator)
    if rate is not None:
        return {**{k: rate[k] for k in LEVELS}, "source": survey_source(rate, indicator)}
    share = float(settings["digital_help_share"])
    return {"low": share, "central": share, "high": share, "source": PARAMS_SOURCE}


def capture_rates(
    spec: dict, estimates: pd.DataFrame | None, realisation
) -> dict[str, float | str]:
    """Capture rate of a segment at each level, and its source.

    With a published survey indicator: its confidence interval bounds and weighted share times
    the realisation rates (low, central, high); otherwise the params' capture rates.
    """
    rate = survey_rate(estimates, spec.get("survey"))
    if rate is None:
        out = dict(zip(LEVELS, map(float, spec["capture"])))
        note = f" (indicateur {spec['survey']} absent de l'enquête)" if spec.get("survey") else ""
        return {**out, "source": PARAMS_SOURCE + note}
    factors = [float(r) for r in realisation]
    out = {level: rate[level] * f for level, f in zip(LEVELS, factors)}
    source = survey_source(rate, spec["survey"]) + (
        f" × taux de concrétisation {_percents(factors)}"
    )
    return {**out, "source": source}


def frequencies(
    spec: dict, estimates: pd.DataFrame | None, survey_days: dict | None
) -> dict[str, float | str]:
    """Uses a year per person of a segment at each level, and its source.

    With `frequency_survey` published (share of future users who would come every week): that
    share's interval bounds and weighted value weigh `survey_days` weekly against occasional
    days (p x weekly + (1 - p) x occasional); otherwise `days_per_year` at every level.
    """
    rate = survey_rate(estimates, spec.get("frequency_survey")) if survey_days else None
    if rate is None:
        days = float(spec["days_per_year"])
        note = (
            f" (indicateur {spec['frequency_survey']} absent de l'enquête)"
            if spec.get("frequency_survey")
            else ""
        )
        return {**dict.fromkeys(LEVELS, days), "source": PARAMS_SOURCE + note}
    weekly, occasional = float(survey_days["weekly"]), float(survey_days["occasional"])
    out = {level: rate[level] * weekly + (1 - rate[level]) * occasional for level in LEVELS}
    source = survey_source(rate, spec["frequency_survey"]) + (
        f" : {weekly:g} par an pour un usager hebdomadaire, {occasional:g} sinon"
    )
    return {**out, "source": source}


def check_survey_days(survey_days) -> dict | None:
    where = "params.yaml: demand.survey_frequency_days"
    if survey_days is None:
        return None
    if not (
        isinstance(survey_days, dict)
        and {"weekly", "occasional"} <= set(survey_days)
        and float(survey_days["weekly"]) >= float(survey_days["occasional"]) >= 0
    ):
        raise ValueError(
            f"{where}: expected {{weekly: days, occasional: days}} with weekly >= occasional "
            f">= 0, found {survey_days!r}"
        )
    return survey_days


def check_realisation(realisation) -> list[float]:
    where = "params.yaml: demand.survey_realisation"
    if not (isinstance(realisation, list) and len(realisation) == 3):
        raise ValueError(f"{where}: expected [low, central, high], found {realisation!r}")
    values = [float(r) for r in realisation]
    if not all(0 <= r <= 1 for r in values) or sorted(values) != values:
        raise ValueError(
            f"{where}: expected rates between 0 and 1 in increasing order, found {realisation!r}"
        )
    return values


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
        raise ValueError(
            f"{where}.days_per_year: expected a positive number, found {spec.get('days_per_year')!r}"
        )
    if spec.get("unit") not in UNIT_LABELS:
        raise ValueError(
            f"{where}.unit: expected one of {', '.join(UNIT_LABELS)}, found {spec.get('unit')!r}"
        )


# ---------------------------------------------------------------------------------------
# Head counts
# ---------------------------------------------------------------------------------------


def commune_bases(
    indicators: pd.DataFrame,
    telework_pool: pd.DataFrame,
    digital_rate: dict,
    associations_per_1000: float,
) -> pd.DataFrame:
    """Head count of each segment in each commune (long table: code, segment, base_low, base,
    base_high); only the digital-help share carries a range (the survey's interval)."""
    require_columns(indicators, CENSUS_COLUMNS, "01_portrait/indicators")
    require_columns(telework_pool, ["code", "telework_pool"], "02_mobility/telework_pool")
    census = indicators.set_index("code")
    pool = telework_pool.set_index("code")["telework_pool"].reindex(census.index).fillna(0.0)
    adults = census["population"] - census["age_0014"]
    counts = {
        "teleworkers": pool,
        "independents": census["group_craftsmen"],
        "job_seekers": census["unemployed_1564"],
        "students": census["students_1564"],
        "organisations": census["group_craftsmen"]
        + census["population"] * float(associations_per_1000) / 1000,
    }
    frames = [
        pd.DataFrame(
            {"code": census.index, "segment": name, "base_low": v, "base": v, "base_high": v}
        )
        for name, v in counts.items()
    ]
    frames.append(
        pd.DataFrame(
            {
                "code": census.index,
                "segment": "digital_help",
                **{
                    column: adults.to_numpy() * digital_rate[level]
                    for column, level in zip(["base_low", "base", "base_high"], LEVELS)
                },
            }
        )
    )
    table = pd.concat(frames, ignore_index=True)
    order = {name: i for i, name in enumerate(SEGMENT_LABELS)}
    table = table.assign(_o=table["segment"].map(order)).sort_values(["_o", "code"], kind="stable")
    return table.drop(columns="_o").reset_index(drop=True)


def zone_bases(
    by_commune: pd.DataFrame, codes, visitors_per_year: float, digital_source: str
) -> pd.DataFrame:
    """Head counts summed over the communes `codes`, plus the visitors (params), with the
    source of each (segment, base_low, base, base_high, base_source)."""
    zone = by_commune[by_commune["code"].isin(list(codes))]
    sums = zone.groupby("segment", sort=False)[["base_low", "base", "base_high"]].sum()
    sums.loc["visitors"] = [float(visitors_per_year)] * 3
    sources = {**BASE_SOURCES, "digital_help": f"recensement (15 ans ou plus) × {digital_source}"}
    sums["base_source"] = [sources.get(s, "") for s in sums.index]
    return sums.rename_axis("segment").reset_index()


# ---------------------------------------------------------------------------------------
# Volumes
# ---------------------------------------------------------------------------------------

DEMAND_COLUMNS = [
    "segment",
    "label",
    "unit",
    "base",
    *LEVELS,
    "base_low",
    "base_high",
    "base_source",
    "capture_low",
    "capture_central",
    "capture_high",
    "capture_source",
    "frequency_low",
    "frequency_central",
    "frequency_high",
    "frequency_source",
    "users",
]


def volumes(
    bases: pd.DataFrame,
    segments: dict,
    estimates: pd.DataFrame | None = None,
    realisation=None,
    survey_days: dict | None = None,
) -> pd.DataFrame:
    """One row per segment of params: head count, capture rate and frequency at each level,
    their sources, the yearly volumes low / central / high in the segment's unit
    (level by level: low = low head count x low capture x low frequency) and the regular
    users of the central hypothesis (head count x capture rate)."""
    known = dict(zip(bases["segment"], bases.to_dict("records")))
    unknown = sorted(set(segments) - set(known))
    if unknown:
        raise ValueError(
            f"params.yaml: demand.segments {', '.join(unknown)} unknown; "
            f"known segments: {', '.join(known)}"
        )
    factors = check_realisation(realisation) if realisation is not None else [1.0, 1.0, 1.0]
    survey_days = check_survey_days(survey_days)
    rows = []
    for name, spec in segments.items():
        check_segment(name, spec)
        base = known[name]
        capture = capture_rates(spec, estimates, factors)
        frequency = frequencies(spec, estimates, survey_days)
        heads = dict(zip(LEVELS, [base["base_low"], base["base"], base["base_high"]]))
        rows.append(
            {
                "segment": name,
                "label": SEGMENT_LABELS.get(name, name),
                "unit": spec["unit"],
                "base": float(base["base"]),
                **{level: heads[level] * capture[level] * frequency[level] for level in LEVELS},
                "base_low": float(base["base_low"]),
                "base_high": float(base["base_high"]),
                "base_source": base.get("base_source", ""),
                **{f"capture_{level}": capture[level] for level in LEVELS},
                "capture_source": capture["source"],
                **{f"frequency_{level}": frequency[level] for level in LEVELS},
                "frequency_source": frequency["source"],
                "users": heads["central"] * capture["central"],
            }
        )
    return pd.DataFrame(rows, columns=DEMAND_COLUMNS)


def by_unit(demand: pd.DataFrame) -> pd.DataFrame:
    """Volumes summed by unit (a sum of lows is a prudent low: segments move together)."""
    return demand.groupby("unit", sort=False)[LEVELS].sum().reset_index()


def segments_by_commune(
    by_commune: pd.DataFrame, communes: pd.DataFrame, segments: dict
) -> pd.DataFrame:
    """Central head count of each segment of params in each commune of the territory (phase 08
    counts them around each site): code, nom, in_study_zone, segment, label, base."""
    table = by_commune[by_commune["segment"].isin(list(segments))]
    names = communes.set_index("code")
    out = pd.DataFrame(
        {
            "code": table["code"].to_numpy(),
            "nom": table["code"].map(names["nom"]).to_numpy(),
            "in_study_zone": table["code"].map(names["in_study_zone"]).astype(bool).to_numpy(),
            "segment": table["segment"].to_numpy(),
            "label": table["segment"].map(SEGMENT_LABELS).to_numpy(),
            "base": table["base"].to_numpy(dtype=float),
        }
    )
    return out


def read_estimates(phase: Phase) -> pd.DataFrame:
    """The survey's published estimates (phase 03), checked for the columns used here."""
    table = phase.read("03_survey", "estimates")
    return require_columns(table, ESTIMATE_COLUMNS, "03_survey/estimates")


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Demand by segment and by unit, head counts by commune, and the workshop synthesis."""
    from pipeline.demand import workshop

    settings = phase.params["demand"]
    communes = phase.read("01_portrait", "communes")
    estimates = read_estimates(phase)
    digital = digital_help_rate(estimates, settings)
    by_commune = commune_bases(
        phase.read("01_portrait", "indicators"),
        phase.read("02_mobility", "telework_pool"),
        digital,
        float(settings["associations_per_1000"]),
    )
    bases = zone_bases(
        by_commune,
        study_zone_codes(communes),
        float(settings["visitors_per_year"]),
        digital["source"],
    )
    demand = volumes(
        bases,
        settings["segments"],
        estimates,
        settings["survey_realisation"],
        settings.get("survey_frequency_days"),
    )
    totals = by_unit(demand)
    ideas = workshop.rank_ideas(workshop.read_ideas(phase.raw_dir / workshop.FILE))
    return {
        "demand": demand,
        "demand_by_unit": totals,
        "segments_by_commune": segments_by_commune(by_commune, communes, settings["segments"]),
        "workshop_ideas": ideas,
        "workshop_services": workshop.by_service(ideas, totals),
    }


# ---------------------------------------------------------------------------------------
# What readers see
# ---------------------------------------------------------------------------------------


def demand_table(demand: pd.DataFrame) -> pd.DataFrame:
    from pipeline.core import fmt

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


def assumptions_table(demand: pd.DataFrame) -> pd.DataFrame:
    """Each segment's head count, capture rate and frequency, with where each comes from."""
    from pipeline.core import fmt

    def heads(row) -> str:
        if row["base_low"] == row["base_high"]:
            return fmt.number(row["base"])
        return (
            f"{fmt.number(row['base'])} ({fmt.number(row['base_low'])} à "
            f"{fmt.number(row['base_high'])})"
        )

    return pd.DataFrame(
        {
            "Public cible": demand["label"],
            "Effectif": [heads(r) for _, r in demand.iterrows()],
            "Source de l'effectif": demand["base_source"],
            "Taux de captation (bas – central – haut)": [
                _percents(r[[f"capture_{level}" for level in LEVELS]]) for _, r in demand.iterrows()
            ],
            "Source du taux": demand["capture_source"],
            "Fréquence par personne et par an (basse – centrale – haute)": [
                " – ".join(fmt.number(r[f"frequency_{lv}"], 1) for lv in LEVELS)
                + f" {UNIT_LABELS.get(r['unit'], r['unit'])}"
                for _, r in demand.iterrows()
            ],
            "Source de la fréquence": demand["frequency_source"],
        }
    )


def equivalents(demand_by_unit: pd.DataFrame, working_days: float) -> pd.DataFrame:
    """Each unit's volumes as something officials picture: desks occupied all year for desk
    days, else volume per opening week (working days / 5)."""
    weeks = float(working_days) / 5
    rows = []
    for _, row in demand_by_unit.iterrows():
        per = float(working_days) if row["unit"] == "desk_days" else weeks
        what = (
            "postes occupés à temps plein"
            if row["unit"] == "desk_days"
            else UNIT_WEEKLY.get(row["unit"], "par semaine")
        )
        rows.append({"unit": row["unit"], "what": what, **{lv: row[lv] / per for lv in LEVELS}})
    return pd.DataFrame(rows, columns=["unit", "what", *LEVELS])


def units_table(demand_by_unit: pd.DataFrame, working_days: float) -> pd.DataFrame:
    from pipeline.core import fmt

    eq = equivalents(demand_by_unit, working_days)
    table = pd.DataFrame({"Unité": demand_by_unit["unit"].map(lambda u: UNIT_LABELS.get(u, u))})
    for level in LEVELS:
        table[f"Par an, hypothèse {LEVEL_LABELS[level].lower()}"] = demand_by_unit[level].map(
            fmt.number
        )
    table["Soit, en hypothèse centrale"] = [
        f"{fmt.number(v, 1)} {w}" for v, w in zip(eq["central"], eq["what"])
    ]
    return table


def desk_equivalent(demand_by_unit: pd.DataFrame, working_days: float) -> pd.Series:
    """Full-time desks that the desk-day volumes would fill (low, central, high)."""
    desks = demand_by_unit.loc[demand_by_unit["unit"] == "desk_days", LEVELS].sum()
    return desks / float(working_days)


def desk_text(demand_by_unit: pd.DataFrame, working_days: float) -> str:
    """One French sentence: the desk-day volumes as full-time desks."""
    from pipeline.core import fmt

    desks = desk_equivalent(demand_by_unit, working_days)
    return (
        f"En hypothèse centrale, les journées de poste de travail équivalent à "
        f"**{fmt.number(desks['central'], 1)} postes** occupés toute l'année "
        f"({fmt.number(working_days)} jours ouvrés), entre {fmt.number(desks['low'], 1)} "
        f"et {fmt.number(desks['high'], 1)} selon les hypothèses."
    )


def answer_text(demand_by_unit: pd.DataFrame, working_days: float, estimates: pd.DataFrame) -> str:
    """The phase's answer in French: stated interest (survey) and the central demand, unit by
    unit, as weekly or full-time equivalents with their range."""
    from pipeline.core import fmt

    eq = equivalents(demand_by_unit, working_days)
    parts = [
        md("{} {} ({} à {})", fmt.number(r["central"], 1), r["what"], fmt.number(r["low"], 1),
           fmt.number(r["high"], 1))  # fmt: skip
        for _, r in eq.iterrows()
    ]
    interest = survey_rate(estimates, "interet_tiers_lieu")
    opening = (
        md("{} des habitants interrogés se disent intéressés par un tiers-lieu (intervalle de "
           "confiance {} à {}). ", fmt.percent(interest["central"], 0),
           fmt.percent(interest["low"], 0), fmt.percent(interest["high"], 0))
        if interest
        else Md("")
    )  # fmt: skip
    return md(
        "**Y a-t-il une demande ?** {}En hypothèse centrale, la demande potentielle de la zone "
        "d'étude représente : {}.", opening, Md(" ; ".join(parts)),
    )  # fmt: skip


def demand_figure(demand: pd.DataFrame):
    """Central yearly volume of each segment, with the low-high range as an error bar; one
    panel per unit, since desk days, sessions, hours and bookings do not add up."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from pipeline.core import figures

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
                    "array": np.asarray(group["high"] - group["central"]),
                    "arrayminus": np.asarray(group["central"] - group["low"]),
                },
            ),
            row=1,
            col=i + 1,
        )
    fig.update_layout(
        title="Demande annuelle potentielle par public (hypothèse centrale, "
        "barres : basse à haute)",
        height=520,
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
    )
    fig.update_xaxes(tickangle=0)
    return fig
