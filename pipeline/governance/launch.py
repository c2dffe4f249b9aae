"""Phase 10, launch: the three-year ramp-up plan (shown as a Gantt chart in `views`) and the
launch programme of the first months (the outcome indicators are in `outcomes`).

Both plans are data (`data/raw/plan_montee_en_charge.csv`, `data/raw/programme_lancement.csv`),
one row per step or action; a row naming functions (`|`-separated) is kept only when the
recommended scenario offers one of them. Month 1 is the month of opening (params
`governance.launch.opening`); preparation steps have months 0 and below.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pandera.pandas as pa

from pipeline.core import fmt
from pipeline.core.validate import (
    list_of,
    matches,
    non_empty,
    number,
    one_of,
    read_checked_csv,
    to_integers,
)
from pipeline.core.vocabulary import FUNCTIONS

PLAN_FILE = "data/raw/plan_montee_en_charge.csv"
PROGRAMME_FILE = "data/raw/programme_lancement.csv"
ACTION_TYPES = ["portes ouvertes", "événement", "atelier", "formation", "permanence"]
ALL_PUBLICS = "tous"
PLAN_MONTHS = (-36, 36)  # preparation up to three years ahead; the plan covers three years
RAMP_AXIS = "Montée en charge"


def offered(functions_text: str, functions) -> bool:
    """Whether a row naming `functions_text` (`|`-separated, empty: any) is for this scenario
    (its functions, or its funding lines)."""
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
            # optional: funding lines (params keys, `|`-separated) the step is about
            "financeurs": pa.Column(
                str, matches(r"[a-z0-9_]+(\|[a-z0-9_]+)*", "funding line keys", optional=True),
                required=False,
            ),  # fmt: skip
        },
        strict=True,
    )
    table = read_checked_csv(path, schema)
    if "financeurs" not in table:
        table["financeurs"] = ""
    return to_integers(table, ["debut_mois", "duree_mois"])


def month_start(opening: dt.date, month: int) -> pd.Timestamp:
    """First day of plan month `month` (1 = the month of opening)."""
    return pd.Timestamp(opening) + pd.DateOffset(months=int(month) - 1)


def ramp_plan(
    plan: pd.DataFrame,
    functions,
    opening: dt.date,
    activity_years: pd.DataFrame,
    funders: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The steps for this scenario with their dates, plus one bar per year of ramp-up giving
    the share of full activity that the business plan expects (phase 09). `funders`: the
    scenario's funding lines (key -> label); a step naming lines (`financeurs`) is kept when
    the scenario has one of them, and a step holding `{financeur}` is repeated for each line
    it concerns, with the line's label."""
    funders = funders or {}
    kept = plan.loc[
        plan["fonctions"].map(lambda f: offered(f, functions))
        & plan["financeurs"].map(lambda f: offered(f, funders))
    ]
    rows = []
    for row in kept.to_dict("records"):
        if "{financeur}" not in row["etape"]:
            rows.append(row)
            continue
        named = [k for k in row["financeurs"].split("|") if k] or list(funders)
        rows += [
            {**row, "etape": row["etape"].replace("{financeur}", funders[k])}
            for k in named
            if k in funders
        ]
    kept = pd.DataFrame(rows, columns=plan.columns)
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
            "financeurs": "",
        }
    )
    out = pd.concat([kept, years], ignore_index=True)
    out["start"] = [month_start(opening, m) for m in out["debut_mois"]]
    out["end"] = [month_start(opening, m + d) for m, d in zip(out["debut_mois"], out["duree_mois"])]
    return out.sort_values(["debut_mois", "duree_mois"], kind="stable").reset_index(drop=True)


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


def launch_programme(programme: pd.DataFrame, functions, added=None) -> pd.DataFrame:
    """The actions for this scenario's functions, and the `added` ones (a call's), with the
    attendance they expect."""
    kept = programme.loc[programme["fonctions"].map(lambda f: offered(f, functions))]
    kept = (
        pd.concat([kept, added], ignore_index=True)
        if added is not None and len(added)
        else kept.copy()
    )
    kept["attendance"] = kept["seances"] * kept["participants"]
    return kept.sort_values("mois", kind="stable").reset_index(drop=True)


TEAM = "equipe"  # publics: the place's own team, trained in the call's methods
PARTNERS = "partenaires"  # publics: the stakeholders the call names
PROGRAMME_COLUMNS = ["mois", "action", "type", "publics", "fonctions", "seances", "participants"]


def call_actions(call: dict | None, months: int, staff_fte: float, spec: dict) -> pd.DataFrame:
    """The actions a territory's call for tenders asks of the first months (`spec`: params
    governance.launch.call_actions): its methods taught to the team and its stakeholders met in
    month 1, one open-innovation workshop per theme from month 2 with the methods in turn, and
    a public review of the projects every `every_months` (no call: no action)."""
    call = call or {}
    methods = [m["name"] for m in call.get("methods", [])]
    rows = [
        [1, f"Formation de l'équipe d'animation : {m}", "formation", TEAM, "",
         spec["method_training"]["seances"], max(1, math.ceil(staff_fte))]
        for m in methods
    ]  # fmt: skip
    if call.get("stakeholders"):
        meeting = spec["stakeholders_meeting"]
        rows.append([1, "Rencontre des parties prenantes : ce que chacune apporte et vient chercher",
                     "événement", PARTNERS, "", meeting["seances"], meeting["participants"]])  # fmt: skip
    later = list(range(2, months + 1)) or [1]
    workshop = spec["theme_workshop"]
    for i, theme in enumerate(call.get("themes", [])):
        method = f" ({methods[i % len(methods)]})" if methods else ""
        rows.append([later[i % len(later)], f"Atelier d'innovation ouverte « {theme} »{method}",
                     "atelier", ALL_PUBLICS, "", workshop["seances"], workshop["participants"]])  # fmt: skip
    review = spec["project_review"]
    if call:
        rows += [
            [m, "Présentation publique de l'avancement des projets accompagnés", "événement",
             ALL_PUBLICS, "", 1, review["participants"]]
            for m in range(review["every_months"], months + 1, review["every_months"])
        ]  # fmt: skip
    return pd.DataFrame(rows, columns=PROGRAMME_COLUMNS)


def unreached_segments(programme: pd.DataFrame, segments: list[str]) -> list[str]:
    """Target segments of phase 07 that no action names specifically (`tous` does not count)."""
    named = {s.strip() for text in programme["publics"] for s in text.split("|")}
    return [s for s in segments if s not in named]
