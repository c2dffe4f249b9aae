"""Phase 10, governance and feasibility: legal forms scored on weighted criteria, the
governance scheme of the recommended form, the feasibility of the chosen site
(`pipeline.governance.feasibility`) and the launch plan (`pipeline.governance.launch`).

Every criterion of `data/raw/formes_juridiques.csv` is scored from 1 to 5, 5 being the most
favourable to the project (for `governance_cost`, 5 means the lightest governance). The bodies
of each form (who sits, their role, how often they meet) are data, in
`data/raw/gouvernance_instances.csv`: the scheme shown is the recommended form's rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.core.config import ConfigError
from pipeline.core.mdtext import md
from pipeline.core.phase import Phase
from pipeline.core.validate import (
    InputFileError,
    non_empty,
    number,
    one_of,
    read_checked_csv,
    to_integers,
)
from pipeline.governance import feasibility as feas
from pipeline.governance import launch
from pipeline.scenarios.business_plan import best_site, recommended
from pipeline.sources.census import ZONE_LEVEL

LEGAL_FORMS_FILE = "data/raw/formes_juridiques.csv"
SCHEME_FILE = "data/raw/gouvernance_instances.csv"
SCORE_RANGE = (1, 5)
CRITERIA_LABELS = {
    "public_control": "Maîtrise publique",
    "partner_openness": "Ouverture aux partenaires",
    "funding_access": "Accès aux financements",
    "vat_recovery": "Récupération de la TVA",
    "flexibility": "Souplesse de gestion",
    "governance_cost": "Légèreté de la gouvernance",
}
SCHEME_COLUMNS = ["forme", "ordre", "instance", "composition", "role", "frequence"]


# --- legal forms ----------------------------------------------------------------------------


def check_weights(weights: dict[str, float]) -> None:
    if not weights or any(float(w) < 0 for w in weights.values()):
        raise ConfigError("params.yaml: governance.criteria must be non-empty and non-negative")
    total = sum(float(w) for w in weights.values())
    if abs(total - 1) > 1e-6:
        raise ConfigError(
            f"params.yaml: governance.criteria weights must sum to 1, found {total:g}"
        )


def legal_forms_schema(criteria: list[str]) -> pa.DataFrameSchema:
    low, high = SCORE_RANGE
    return pa.DataFrameSchema(
        {
            "forme": pa.Column(str, non_empty(), unique=True, report_duplicates="exclude_first"),
            **{c: pa.Column(str, number(low, high, integer=True)) for c in criteria},
        }
    )


def read_legal_forms(path: Path, criteria: list[str]) -> pd.DataFrame:
    """The legal forms grid, checked: every criterion present, every score an integer 1-5.

    Errors name the file, the line (header = line 1) and the column at fault.
    """
    forms = read_checked_csv(path, legal_forms_schema(criteria))
    return to_integers(forms, criteria)


def score_forms(forms: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Weighted sum of the criteria, rank 1 = best; the best form is recommended."""
    check_weights(weights)
    criteria = list(weights)
    score = sum(float(w) * forms[c] for c, w in weights.items())
    table = forms.assign(score=score.astype(float))
    table["rank"] = table["score"].rank(ascending=False, method="min").astype(int)
    table = table.sort_values(["rank", "forme"], kind="stable").reset_index(drop=True)
    table["recommended"] = table.index == 0
    extra = [c for c in ("description", "source") if c in table.columns]
    return table[["forme", "score", "rank", "recommended", *criteria, *extra]]


# --- governance scheme ----------------------------------------------------------------------


def read_scheme(path: Path, forms: list[str]) -> pd.DataFrame:
    """Bodies of each legal form, checked: every form of the grid has at least one body, and
    each (form, order) pair appears once. Errors name the file, line, column and value."""
    text = pa.Column(str, non_empty())
    schema = pa.DataFrameSchema(
        {
            "forme": pa.Column(str, one_of(forms)),
            "ordre": pa.Column(str, number(1, integer=True)),
            "instance": text,
            "composition": text,
            "role": text,
            "frequence": text,
        },
        strict=True,
        unique=["forme", "ordre"],
        report_duplicates="exclude_first",
    )
    table = read_checked_csv(path, schema)
    absent = [f for f in forms if f not in set(table["forme"])]
    if absent:
        raise InputFileError(
            f"{path}: column 'forme': expected at least one body for every form of "
            f"{LEGAL_FORMS_FILE}, found none for {', '.join(absent)}"
        )
    return to_integers(table, ["ordre"])[SCHEME_COLUMNS]


def governance_scheme(scheme: pd.DataFrame, form: str) -> pd.DataFrame:
    """The bodies of `form`, in their order."""
    rows = scheme.loc[scheme["forme"] == form].sort_values("ordre", kind="stable")
    if rows.empty:
        raise ValueError(f"{SCHEME_FILE}: no body for the recommended form {form!r}")
    return rows.reset_index(drop=True)


def of_scenario(table: pd.DataFrame, name: str) -> pd.DataFrame:
    return table.loc[table["scenario"] == name].reset_index(drop=True)


# --- the phase ------------------------------------------------------------------------------


def zone_car_share(summary: pd.DataFrame) -> float:
    """Share of the study zone's employed residents who drive to work (census, phase 01): the
    share of users expected to come by car."""
    zone = summary.loc[summary["level"] == ZONE_LEVEL, "car_share"]
    if zone.empty or pd.isna(zone.iloc[0]):
        raise ValueError("01_portrait/summary: no car share for the study zone")
    return float(zone.iloc[0])


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Legal forms and governance scheme, feasibility of the best site, ramp-up plan, launch
    programme and monitoring indicators of the recommended scenario."""
    settings = phase.params["governance"]
    weights = settings["criteria"]
    forms = read_legal_forms(phase.root / LEGAL_FORMS_FILE, list(weights))
    legal_forms = score_forms(forms, weights)
    scheme = read_scheme(phase.root / SCHEME_FILE, list(forms["forme"]))
    form = legal_forms.loc[legal_forms["recommended"], "forme"].iloc[0]

    scenario = recommended(phase.read("09_scenarios", "scenarios"))
    activity, activity_years, pnl = (
        of_scenario(phase.read("09_scenarios", table), scenario["scenario"])
        for table in ("activity", "activity_years", "pnl")
    )
    segments = phase.read("07_demand", "demand")["segment"].tolist()
    offered = str(scenario["functions"]).split("|")

    launch_settings = launch.check_settings(settings["launch"])
    programme = launch.launch_programme(
        launch.read_programme(
            phase.root / launch.PROGRAMME_FILE, segments, int(launch_settings["programme_months"])
        ),
        offered,
    )
    plan = launch.ramp_plan(
        launch.read_plan(phase.root / launch.PLAN_FILE),
        offered,
        launch_settings["opening"],
        activity_years,
    )
    feasibility_settings = feas.check_settings(settings["feasibility"])
    load = {
        **feas.presence(activity, feasibility_settings),
        "largest_event": int(programme["participants"].max()) if len(programme) else 0,
        "staff_fte": float(scenario["staff_fte"]),
        "car_share": zone_car_share(phase.read("01_portrait", "summary")),
    }
    site = feas.site_profile(
        phase.read("08_sites", "sites"), phase.read("08_sites", "decision_matrix")
    )
    return {
        "legal_forms": legal_forms,
        "governance_scheme": governance_scheme(scheme, form),
        "feasibility": feas.feasibility(
            site, float(scenario["surface_m2"]), load, feasibility_settings
        ),
        "presence": pd.DataFrame([load]),
        "ramp_plan": plan,
        "launch_programme": programme,
        "indicators": launch.indicators(
            activity_years, pnl, feasibility_settings["usage"], settings["indicators"]
        ),
    }


# --- what readers see -----------------------------------------------------------------------


def recommendation_text(
    legal_forms: pd.DataFrame, scenarios: pd.DataFrame, sites: pd.DataFrame, checklist: pd.DataFrame
) -> str:
    """The computed recommendations of the phase, in French."""
    from pipeline.core import fmt

    form = legal_forms.loc[legal_forms["recommended"]].iloc[0]
    scenario = recommended(scenarios)
    site = best_site(sites)
    gaps = int((checklist["status"] != feas.OK).sum())
    return md(
        "Forme juridique la mieux notée : **{}** (score {} sur 5). Le scénario recommandé, *{}*, "
        "est confronté au site **{}** ({}) : {} point(s) sur {} à traiter ou à vérifier.",
        form["forme"], fmt.number(form["score"], 2), scenario["label"], site["nom"],
        site["nom_commune"], gaps, len(checklist),
    )  # fmt: skip


def legal_forms_table(legal_forms: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Scores of each legal form (columns, best first) on each criterion (rows, with its
    weight), then the weighted score and the rank, in French."""
    from pipeline.core import fmt

    criteria = [c for c in weights if c in legal_forms.columns]
    forms = legal_forms.set_index("forme")
    table = forms[criteria].T.map(fmt.number).astype(object)
    table.loc["Score pondéré (sur 5)"] = forms["score"].map(lambda s: fmt.number(s, 2))
    table.loc["Rang"] = forms["rank"].map(fmt.number)
    table.insert(
        0,
        "Pondération",
        [fmt.percent(weights[c], 0) for c in criteria]
        + [fmt.percent(sum(weights[c] for c in criteria), 0), ""],
    )
    table.index = [CRITERIA_LABELS.get(c, c) for c in criteria] + list(table.index[-2:])
    return table.rename_axis(index="Critère", columns=None).reset_index()


def weights_table(weights: dict[str, float]) -> pd.DataFrame:
    from pipeline.core import fmt

    return pd.DataFrame(
        {
            "Critère": [CRITERIA_LABELS.get(c, c) for c in weights],
            "Pondération": [fmt.percent(w, 0) for w in weights.values()],
        }
    )


def scheme_text(scheme: pd.DataFrame) -> str:
    return md(
        "Schéma de gouvernance proposé pour la forme recommandée, **{}** : {} instances, de la "
        "plus large à la plus opérationnelle.", scheme["forme"].iloc[0], len(scheme),
    )  # fmt: skip


def scheme_table(scheme: pd.DataFrame) -> pd.DataFrame:
    return scheme.rename(
        columns={
            "instance": "Instance",
            "composition": "Qui siège",
            "role": "Rôle",
            "frequence": "Réunions",
        }
    )[["Instance", "Qui siège", "Rôle", "Réunions"]]


def feasibility_table(checklist: pd.DataFrame) -> pd.DataFrame:
    return feas.feasibility_table(checklist)
