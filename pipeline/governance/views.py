"""Phase 10, what readers see: French tables, sentences and the Gantt chart of the feasibility
checklist, every scenario on every candidate site and the launch (the legal forms and the
scheme are in `form_views`; the strategy, grants, indicators and viability in `plan_views`)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.express as px

from pipeline.core import fmt
from pipeline.core.mdtext import Md, join, md
from pipeline.core.vocabulary import FUNCTIONS_SHORT
from pipeline.governance.feasibility import CHECK, OK
from pipeline.governance.launch import ALL_PUBLICS, PARTNERS, TEAM, unreached_segments
from pipeline.governance.site_fit import ADAPT, COMPATIBLE
from pipeline.scenarios.recommendation import recommended
from pipeline.sites.outputs import recommended_site


def segment_labels(demand: pd.DataFrame) -> dict[str, str]:
    """The French label of each target segment of phase 07 (07_demand/demand), in its order."""
    return dict(zip(demand["segment"], demand["label"]))


# --- recommendations ------------------------------------------------------------------------


def recommendation_text(
    legal_forms: pd.DataFrame, scenarios: pd.DataFrame, sites: pd.DataFrame, checklist: pd.DataFrame
) -> str:
    """The computed recommendations of the phase, in French."""
    form = legal_forms.loc[legal_forms["recommended"]].iloc[0]
    scenario = recommended(scenarios)
    site = recommended_site(sites)
    gaps = int((checklist["status"] != OK).sum())
    return md(
        "Le scénario recommandé, *{}*, serait porté par une structure de type **{}** (score {} "
        "sur 5) et est confronté au site **{}** ({}) : {} point(s) sur {} à traiter ou à "
        "vérifier.", scenario["label"], form["forme"], fmt.number(form["score"], 2), site["nom"],
        site["nom_commune"], gaps, len(checklist),
    )  # fmt: skip


# --- feasibility ----------------------------------------------------------------------------


def feasibility_table(checklist: pd.DataFrame) -> pd.DataFrame:
    return checklist.rename(
        columns={
            "criterion": "Critère",
            "value": "Constat",
            "status": "Statut",
            "action": "Action à engager",
        }
    )


# Short words of a table cell for each check: when failed, and when unknown (« à vérifier »).
FIT_WORDS = {
    "fibre_ok": ("pas de fibre", "fibre"),
    "accessible_ok": ("non accessible PMR", "accès PMR"),
    "transit_ok": ("sans transports collectifs", "transports collectifs à vérifier"),
}


def site_fit_cell(row: pd.Series) -> str:
    """The short status of one scenario on one site: « Compatible », « À adapter : … » or
    « À vérifier : … » (what fails, then what is unknown), and public transport in brackets
    when the site lacks it (reported, not required)."""
    missing_m2 = row["surface_needed_m2"] - row["surface_available_m2"]
    words = {"surface_ok": (f"manque {fmt.number(missing_m2)} m²", "surface"), **FIT_WORDS}
    failed, unknown, note = [], [], ""
    for column, (fails, verify) in words.items():
        value = row[column]
        if pd.notna(value) and value:
            continue
        text = verify if pd.isna(value) else fails
        if column == "transit_ok":
            note = f" ({text})"
        else:
            (unknown if pd.isna(value) else failed).append(text)
    if failed:
        checks = f" ; {CHECK} : {', '.join(unknown)}" if unknown else ""
        return f"À adapter : {', '.join(failed)}{checks}{note}"
    if unknown:
        return f"{CHECK.capitalize()} : {', '.join(unknown)}{note}"
    return f"Compatible{note}"


def site_fit_table(fit: pd.DataFrame) -> pd.DataFrame:
    """Scenarios (rows, with their programmed surface) on candidate sites (columns, by rank,
    with their surface), each cell a short status in French. Names are plain text here:
    `figures.table` escapes every cell and header before HTML."""
    cells = fit.assign(cell=fit.apply(site_fit_cell, axis=1))
    sites = cells.drop_duplicates("site").sort_values("site_rank", kind="stable")
    headers = {
        s["site"]: f"{s['site']} · {s['site_name']} ({s['site_commune']}, "
        f"{fmt.number(s['surface_available_m2'])} m²)"
        + (" — site retenu" if s["recommended_site"] else "")
        for _, s in sites.iterrows()
    }
    scenarios = cells.drop_duplicates("scenario")
    wide = cells.pivot(index="scenario", columns="site", values="cell")
    wide = wide.reindex(index=scenarios["scenario"], columns=list(headers)).rename(columns=headers)
    marks = scenarios["recommended_scenario"].map({True: " (recommandé)", False: ""})
    surfaces = scenarios["surface_needed_m2"].map(lambda m2: f"{fmt.number(m2)} m²")
    wide.insert(0, "Surface programmée", surfaces.to_numpy())
    wide.insert(0, "Scénario", (scenarios["scenario_label"] + marks).to_numpy())
    return wide.reset_index(drop=True).rename_axis(columns=None)


def recommended_pair_text(row: pd.Series) -> Md:
    """The recommended scenario on the retained site, in one sentence (leading space)."""
    if row["status"] == COMPATIBLE:
        return md(
            " Le scénario recommandé, *{}*, est compatible en l'état avec le site retenu, **{}**.",
            row["scenario_label"], row["site_name"],
        )  # fmt: skip
    if row["status"] == ADAPT:
        checks = f" ; {CHECK} : {row['to_check']}" if row["to_check"] else ""
        return md(
            " Le scénario recommandé, *{}*, demande des adaptations sur le site retenu, **{}** : "
            "{}.", row["scenario_label"], row["site_name"], row["gaps"] + checks,
        )  # fmt: skip
    return md(
        " Le scénario recommandé, *{}*, reste à vérifier sur le site retenu, **{}** : {}.",
        row["scenario_label"], row["site_name"], row["to_check"],
    )  # fmt: skip


def site_fit_text(fit: pd.DataFrame) -> Md:
    """How many scenario-site pairs fit, whether the recommended pair does, and which scenarios
    fit no candidate site as it stands."""
    met = fit["fits"].astype("boolean").fillna(False).astype(bool)
    unknown = int(fit["fits"].isna().sum())
    counted = md(
        "Sur {} couples scénario-site, {} sont compatibles en l'état (surface, fibre, "
        "accessibilité aux personnes à mobilité réduite){}.",
        len(fit), int(met.sum()), md(" et {} restent à vérifier", unknown) if unknown else Md(""),
    )  # fmt: skip
    chosen = fit.loc[fit["recommended"].astype(bool)]
    verdict = Md("")
    if len(chosen) == 1:
        verdict = recommended_pair_text(chosen.iloc[0])
    unfit = fit.loc[~fit["scenario"].isin(fit.loc[met, "scenario"])]
    labels = unfit.drop_duplicates("scenario")["scenario_label"]
    tail = (
        Md(" Chaque scénario trouve au moins un site compatible en l'état.")
        if labels.empty
        else md(
            " Aucun site candidat n'accueille en l'état {} « {} ».",
            "le scénario" if len(labels) == 1 else "les scénarios",
            join(" », « ", labels),
        )
    )
    return Md(counted + verdict + tail)


# --- launch ---------------------------------------------------------------------------------


def gantt_figure(plan: pd.DataFrame, opening: dt.date):
    """The ramp-up plan as a Gantt chart, coloured by workstream, the opening marked."""
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


def programme_table(programme: pd.DataFrame, segment_labels: dict[str, str]) -> pd.DataFrame:
    own = {ALL_PUBLICS: "tous publics", TEAM: "équipe du lieu", PARTNERS: "parties prenantes"}

    def publics(text: str) -> str:
        return ", ".join(own.get(s) or segment_labels.get(s, s).lower() for s in text.split("|"))

    def functions(text: str) -> str:
        named = [FUNCTIONS_SHORT.get(f, f) for f in text.split("|") if f]
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
