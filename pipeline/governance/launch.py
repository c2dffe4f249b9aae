"""Phase 10, launch: the three-year ramp-up plan (Gantt), the launch programme of the first
months, and the monitoring indicators with yearly targets from the business plan.

Both plans are data (`data/raw/plan_montee_en_charge.csv`, `data/raw/programme_lancement.csv`),
one row per step or action; a row naming functions (`|`-separated) is kept only when the
recommended scenario offers one of them. Month 1 is the month of opening (params
`governance.launch.opening`); preparation steps have months 0 and below.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pa

from pipeline.core import fmt
from pipeline.core.config import ConfigError
from pipeline.core.mdtext import Md, md
from pipeline.core.validate import (
    list_of,
    non_empty,
    number,
    one_of,
    read_checked_csv,
    to_integers,
)
from pipeline.scenarios.settings import FUNCTIONS

PLAN_FILE = "data/raw/plan_montee_en_charge.csv"
PROGRAMME_FILE = "data/raw/programme_lancement.csv"
ACTION_TYPES = ["portes ouvertes", "événement", "atelier", "formation", "permanence"]
ALL_PUBLICS = "tous"
PLAN_MONTHS = (-36, 36)  # preparation up to three years ahead; the plan covers three years
RAMP_AXIS = "Montée en charge"
SHORT_FUNCTIONS = {
    "fablab": "fablab",
    "coworking": "coworking",
    "occasional_telework": "télétravail ponctuel",
    "project_support": "appui aux porteurs de projets",
    "digital_mediation": "médiation numérique",
}


def check_settings(settings: dict) -> dict:
    """`governance.launch`: opening date (YYYY-MM-DD) and months of the launch programme."""
    key = "params.yaml: governance.launch"
    if not isinstance(settings, dict):
        raise ConfigError(f"{key}: expected a mapping, found {settings!r}")
    try:
        opening = dt.date.fromisoformat(str(settings.get("opening")))
    except ValueError:
        raise ConfigError(
            f"{key}.opening: expected a date written YYYY-MM-DD, found {settings.get('opening')!r}"
        ) from None
    months = settings.get("programme_months")
    if not (isinstance(months, int) and 1 <= months <= 36):
        raise ConfigError(f"{key}.programme_months: expected 1 to 36 months, found {months!r}")
    return {**settings, "opening": opening}


def offered(functions_text: str, functions) -> bool:
    """Whether a row naming `functions_text` (`|`-separated, empty: any) is for this scenario."""
    wanted = [f.strip() for f in str(functions_text).split("|") if f.strip()]
    return not wanted or bool(set(wanted) & set(functions))


# --- ramp-up plan ---------------------------------------------------------------------------


def read_plan(path) -> pd.DataFrame:
    """The ramp-up plan, checked; errors name the file, line, column, expected and found."""
    low, high = PLAN_MONTHS
    schema = pa.DataFrameSchema(
        {
            "etape": pa.Column(str, non_empty()),
            "axe": pa.Column(str, non_empty()),
            "debut_mois": pa.Column(str, number(low, high, integer=True)),
            "duree_mois": pa.Column(str, number(1, high - low, integer=True)),
            "fonctions": pa.Column(str, list_of(list(FUNCTIONS))),
        },
        strict=True,
    )
    table = read_checked_csv(path, schema)
    return to_integers(table, ["debut_mois", "duree_mois"])


def month_start(opening: dt.date, month: int) -> pd.Timestamp:
    """First day of plan month `month` (1 = the month of opening)."""
    return pd.Timestamp(opening) + pd.DateOffset(months=int(month) - 1)


def ramp_plan(
    plan: pd.DataFrame, functions, opening: dt.date, activity_years: pd.DataFrame
) -> pd.DataFrame:
    """The steps for this scenario with their dates, plus one bar per year of ramp-up giving
    the share of full activity that the business plan expects (phase 09)."""
    kept = plan.loc[plan["fonctions"].map(lambda f: offered(f, functions))].copy()
    ramp = activity_years.groupby("year")["ramp"].first()
    full = ramp.index[ramp >= 1]
    if len(full):  # the years of ramp-up, up to the first at full activity
        ramp = ramp[ramp.index <= full[0]]
    years = pd.DataFrame(
        {
            "etape": [
                f"Année {y} : {fmt.percent(r, 0)} de l'activité d'année pleine"
                for y, r in ramp.items()
            ],
            "axe": RAMP_AXIS,
            "debut_mois": [12 * (y - 1) + 1 for y in ramp.index],
            "duree_mois": 12,
            "fonctions": "",
        }
    )
    out = pd.concat([kept, years], ignore_index=True)
    out["start"] = [month_start(opening, m) for m in out["debut_mois"]]
    out["end"] = [month_start(opening, m + d) for m, d in zip(out["debut_mois"], out["duree_mois"])]
    return out.sort_values(["debut_mois", "duree_mois"], kind="stable").reset_index(drop=True)


def gantt_figure(plan: pd.DataFrame, opening: dt.date):
    """The ramp-up plan as a Gantt chart, coloured by workstream, the opening marked."""
    import plotly.express as px

    fig = px.timeline(
        plan,
        x_start="start",
        x_end="end",
        y="etape",
        color="axe",
        title="Plan de préfiguration et de montée en charge",
        labels={"etape": "", "axe": "Axe"},
        category_orders={"etape": list(dict.fromkeys(plan["etape"]))},  # first on top
    )
    opening_ts = pd.Timestamp(opening).to_pydatetime()
    fig.add_shape(
        type="line",
        x0=opening_ts,
        x1=opening_ts,
        y0=0,
        y1=1,
        yref="paper",
        line={"color": "black", "width": 1, "dash": "dash"},
    )
    fig.add_annotation(
        x=opening_ts, y=1, yref="paper", text="Ouverture", showarrow=False, yanchor="bottom"
    )
    fig.update_layout(
        height=140 + 28 * len(plan),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "y": -0.08},
        xaxis_tickformat="%m/%Y",
    )
    return fig


# --- launch programme -----------------------------------------------------------------------


def read_programme(path, segments: list[str], months: int) -> pd.DataFrame:
    """The launch programme, checked against the target segments of phase 07 (or `tous`)."""
    schema = pa.DataFrameSchema(
        {
            "mois": pa.Column(str, number(1, months, integer=True)),
            "action": pa.Column(str, non_empty()),
            "type": pa.Column(str, one_of(ACTION_TYPES)),
            "publics": pa.Column(str, list_of([*segments, ALL_PUBLICS], optional=False)),
            "fonctions": pa.Column(str, list_of(list(FUNCTIONS))),
            "seances": pa.Column(str, number(1, integer=True)),
            "participants": pa.Column(str, number(1, integer=True)),
        },
        strict=True,
    )
    table = read_checked_csv(path, schema)
    return to_integers(table, ["mois", "seances", "participants"])


def launch_programme(programme: pd.DataFrame, functions) -> pd.DataFrame:
    """The actions for this scenario's functions, with the attendance they expect."""
    kept = programme.loc[programme["fonctions"].map(lambda f: offered(f, functions))].copy()
    kept["attendance"] = kept["seances"] * kept["participants"]
    return kept.sort_values("mois", kind="stable").reset_index(drop=True)


def unreached_segments(programme: pd.DataFrame, segments: list[str]) -> list[str]:
    """Target segments of phase 07 that no action names specifically (`tous` does not count)."""
    named = {s.strip() for text in programme["publics"] for s in text.split("|")}
    return [s for s in segments if s not in named]


def programme_table(programme: pd.DataFrame, segment_labels: dict[str, str]) -> pd.DataFrame:
    from pipeline.core import fmt

    def publics(text: str) -> str:
        return ", ".join(
            "tous publics" if s == ALL_PUBLICS else segment_labels.get(s, s).lower()
            for s in text.split("|")
        )

    def functions(text: str) -> str:
        named = [SHORT_FUNCTIONS.get(f, f) for f in text.split("|") if f]
        return ", ".join(named) if named else "toutes"

    return pd.DataFrame(
        {
            "Mois": programme["mois"].map(fmt.number),
            "Action": programme["action"],
            "Type": programme["type"],
            "Publics visés": programme["publics"].map(publics),
            "Fonctions": programme["fonctions"].map(functions),
            "Séances": programme["seances"].map(fmt.number),
            "Participants attendus": programme["attendance"].map(fmt.number),
        }
    )


def programme_text(programme: pd.DataFrame, segments: list[str], labels: dict[str, str]) -> str:
    from pipeline.core import fmt

    unreached = unreached_segments(programme, segments)
    tail = (
        Md(" Chaque public cible de la phase 07 est visé par au moins une action.")
        if not unreached
        else md(" Publics cibles sans action dédiée : {}.",
                ", ".join(labels.get(s, s).lower() for s in unreached))
    )  # fmt: skip
    return md(
        "{} actions sur les premiers mois, pour {} participations attendues.{}",
        len(programme), fmt.number(programme["attendance"].sum()), tail,
    )  # fmt: skip


# --- indicators -----------------------------------------------------------------------------


def indicators(
    activity_years: pd.DataFrame, pnl: pd.DataFrame, usage: dict, spec: dict
) -> pd.DataFrame:
    """Yearly targets of one scenario: attendance (visits), the indicators of params (people
    counted from activity, units per person; left out when the scenario has none of their
    activity) and the share of own revenue."""
    check_indicators(spec)
    visits = activity_years["unit"].map(lambda u: float(usage.get(u, {}).get("visits", 0.0)))
    rows = [
        ("attendance", "Fréquentation (visites par an)", y, float(v))
        for y, v in (activity_years["volume"] * visits)
        .groupby(activity_years["year"])
        .sum()
        .items()
    ]
    for key, indicator in spec.items():
        per = indicator["per_person"]
        counted = activity_years.loc[activity_years["unit"].isin(list(per))]
        if not (counted["volume"] > 0).any():
            continue  # the scenario has no activity this indicator counts
        people = counted["volume"] / counted["unit"].map({u: float(v) for u, v in per.items()})
        by_year = (
            people.groupby(counted["year"])
            .sum()
            .reindex(sorted(activity_years["year"].unique()), fill_value=0.0)
        )
        rows += [(key, indicator["label"], y, float(v)) for y, v in by_year.items()]
    plan = pnl.loc[pnl["year"].isin(activity_years["year"].unique())]
    resources = plan["revenue"] + plan["public_funding"] + plan["partner_funding"]
    share = plan["revenue"] / resources.where(resources != 0)
    rows += [
        ("own_revenue_share", "Part de recettes propres", int(y), float(v))
        for y, v in zip(plan["year"], share)
    ]
    return pd.DataFrame(rows, columns=["indicator", "label", "year", "target"])


def check_indicators(spec: dict) -> None:
    for key, indicator in (spec or {}).items():
        where = f"params.yaml: governance.indicators.{key}"
        per = indicator.get("per_person") if isinstance(indicator, dict) else None
        if not isinstance(indicator, dict) or not isinstance(indicator.get("label"), str):
            raise ConfigError(f"{where}: expected {{label, per_person}}, found {indicator!r}")
        if (
            not isinstance(per, dict)
            or not per
            or any(not isinstance(v, (int, float)) or v <= 0 for v in per.values())
        ):
            raise ConfigError(
                f"{where}.per_person: expected positive units per person by unit, found {per!r}"
            )


def indicators_table(table: pd.DataFrame) -> pd.DataFrame:
    """Indicators (rows) by year (columns), in French."""
    from pipeline.core import fmt

    order = list(dict.fromkeys(table["label"]))
    wide = table.pivot(index="label", columns="year", values="target").reindex(order)
    shares = wide.index == "Part de recettes propres"
    shown = wide.astype(object)
    for i, label in enumerate(wide.index):
        shown.loc[label] = [
            "—" if pd.isna(v) else fmt.percent(v, 0) if shares[i] else fmt.number(round(v))
            for v in wide.loc[label]
        ]
    shown.columns = [f"Année {y}" for y in wide.columns]
    return shown.rename_axis(index="Indicateur", columns=None).reset_index()
