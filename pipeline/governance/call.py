"""Phase 10, the call for tenders answered mission by mission: each ask of a territory's
`call.missions` names the part of the study that answers it (pipeline/core/vocabulary.py,
CALL_ANSWERS), and each answer is a sentence computed from the tables of phases 06 to 10.

Answers are plain text (views and the report escape them). A territory without a call gets
no row.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from pipeline.core import fmt
from pipeline.core.vocabulary import CALL_ANSWERS, COLLEGES, FUNCTIONS_SHORT, PLACE_KINDS
from pipeline.governance.launch import TEAM

COLUMNS = ["mission", "ask", "answer_key", "topic", "answer"]
PLURALS = {"incubateur": "incubateurs", "laboratoire d'innovation": "laboratoires d'innovation"}


def _of(table: pd.DataFrame, scenario: str) -> pd.DataFrame:
    return table.loc[table["scenario"] == scenario]


def _listing(items) -> str:
    items = [str(i) for i in items]
    return ", ".join(items[:-1]) + " et " + items[-1] if len(items) > 1 else "".join(items)


def _lower_first(text: str) -> str:
    """« Collectivités et État » -> « collectivités et État », inside a sentence."""
    return text[:1].lower() + text[1:]


def benchmark(t: dict) -> str:
    bench = t["benchmark"]
    kinds = bench["kind"].value_counts()
    asked = [k for k in t["call"].get("benchmark_kinds", []) if k in PLACE_KINDS]
    counted = _listing(
        f"{int(kinds.get(k, 0))} {PLURALS.get(k, k) if kinds.get(k, 0) > 1 else k}" for k in asked
    )
    return (
        f"{len(bench)} lieux comparables" + (f", dont {counted}" if asked else "")
        + f" ; part médiane des financements publics : {fmt.percent(bench['public_share'].median(), 0)}"
        + f", des financements privés : {fmt.percent(bench['private_share'].median(), 0)}"
        + " (benchmark, phase 06)."
    )  # fmt: skip


def stakeholders(t: dict) -> str:
    people = t["stakeholders"]
    if people.empty:
        return "Le cahier des charges ne nomme pas de partie prenante."
    by = people["college"].value_counts()
    colleges = _listing(f"{_lower_first(COLLEGES[c])} ({by[c]})" for c in COLLEGES if c in by)
    return (
        f"{len(people)} parties prenantes : {colleges} ; chacune avec ce qu'elle apporte, ce "
        f"qu'elle vient chercher et sa place dans la forme recommandée ({t['form']})."
    )


def minimum_budget(t: dict) -> str:
    row = _of(t["viability_summary"], t["scenario"]).iloc[0]
    return (
        f"Budget de fonctionnement d'une année pleine : {fmt.euros(row['budget'])} ; "
        f"financement public nécessaire à l'équilibre : {fmt.euros(row['public_needed_full_year'])}"
        f" par an ({fmt.percent(row['public_share_needed'], 0)} du budget), pour "
        f"{fmt.euros(row['public_planned_full_year'])} prévus."
    )


def grant_checklist(t: dict) -> str:
    asks = t["grant_checklist"]
    return (
        f"{len(asks)} dossiers pour le scénario recommandé, {fmt.euros(asks['total_eur'].sum())} "
        f"demandés au total : {_listing(asks['label'])} ; pour chacun, l'éligibilité, le taux, "
        "le plafond, les pièces et le calendrier."
    )


def private_funding(t: dict) -> str:
    kind = t["funder_kinds"]
    money = _of(t["funders"], t["scenario"])
    money = money.loc[(money["case"] == money["case"].iloc[0]) & (money["year"] <= t["plan_years"])]
    private = money.loc[money["funder"].map(kind) == "private"]
    total = float(money["amount_eur"].sum())
    if private.empty or total <= 0:
        return "Aucun financement privé n'est prévu au plan de financement."
    lines = private.groupby("label", sort=False)["amount_eur"].sum()
    return (
        f"{_listing(lines.index)} : {fmt.euros(lines.sum())} sur {t['plan_years']} ans, soit "
        f"{fmt.percent(lines.sum() / total, 0)} des financements du lieu (médiane des lieux "
        f"comparables : {fmt.percent(t['benchmark']['private_share'].median(), 0)})."
    )


def themes(t: dict) -> str:
    names = t["call"].get("themes", [])
    if not names:
        return "Le cahier des charges ne nomme pas de thématique."
    return (
        f"{len(names)} thématiques ({_listing(names)}), chacune ouverte par un atelier "
        "d'innovation ouverte dans les premiers mois."
    )


def methods(t: dict) -> str:
    names = [m["name"] for m in t["call"].get("methods", [])]
    if not names:
        return "Le cahier des charges ne nomme pas de méthode."
    trained = t["launch_programme"]["publics"].eq(TEAM)  # the team's own trainings
    return (
        f"{_listing(names)} : {int(trained.sum())} formations de l'équipe d'animation au "
        "premier mois, puis chaque atelier thématique applique l'une d'elles (leurs principes "
        "suivent ce tableau)."
    )


def needs_fit(t: dict) -> str:
    row = t["scenario_row"]
    fit = _of(t["needs_fit"], t["scenario"]).set_index("source")["served"]
    served = fit.get("call")
    asked = (
        f" ; il sert {fmt.percent(served, 0)} du poids des fonctions demandées par le cahier "
        "des charges"
        if served is not None and pd.notna(served)
        else ""
    )
    functions = _listing(FUNCTIONS_SHORT[f] for f in str(row["functions"]).split("|"))
    return (
        f"Scénario recommandé : {row['label']} ({functions}) ; score d'adéquation aux besoins "
        f"mesurés : {fmt.number(row['needs_fit'], 2)} sur 1{asked}."
    )


def legal_form(t: dict) -> str:
    forms = t["legal_forms"]
    best = forms.loc[forms["recommended"]].iloc[0]
    return (
        f"Forme recommandée : {best['forme']} (note {fmt.number(best['score'], 1)} sur 5), "
        f"calculée à partir de la structure de financement du scénario ; statuts et instances "
        "au schéma de gouvernance."
    )


def resources(t: dict) -> str:
    row = t["scenario_row"]
    return (
        f"Équipe de {fmt.number(row['staff_fte'], 1)} ETP, investissement de "
        f"{fmt.euros(row['investment_ht'])} HT, budget de fonctionnement de "
        f"{fmt.euros(row['opex_year'])} par an, trésorerie à réunir à l'ouverture : "
        f"{fmt.euros(row['cash_need_start'])}."
    )


def governance(t: dict) -> str:
    bodies = t["governance_scheme"]
    listed = " ; ".join(f"{b.instance}, {_lower_first(b.frequence)}" for b in bodies.itertuples())
    return f"{len(bodies)} instances de la forme recommandée ({t['form']}) : {listed}."


def spaces(t: dict) -> str:
    rows = _of(t["programme"], t["scenario"])
    listed = _listing(f"{r.label.lower()} {fmt.number(r.surface_m2)} m²" for r in rows.itertuples())
    return f"{fmt.number(rows['surface_m2'].sum())} m² au total : {listed}."


def site(t: dict) -> str:
    name = t["call"].get("site")
    sites = t["sites"]
    if not name:
        return "Le cahier des charges ne désigne pas de lieu."
    found = sites.loc[sites["nom"] == name]
    if found.empty:
        return f"{name} ne figure pas parmi les sites candidats."
    place = found.iloc[0]
    fit = t["site_fit"]
    fit = fit.loc[(fit["site"] == place["site_id"]) & (fit["scenario"] == t["scenario"])].iloc[0]
    gaps = f" : {fit['gaps']}" if str(fit["gaps"]).strip() else ""
    return (
        f"{name} : rang {int(place['rank'])} sur {len(sites)} sites candidats ; pour le scénario "
        f"recommandé, {fit['status']}{gaps}."
    )


def launch_programme(t: dict) -> str:
    programme = t["launch_programme"]
    return (
        f"{len(programme)} actions sur {t['months']} mois, "
        f"{fmt.number(programme['attendance'].sum())} participations attendues "
        f"({int(programme['type'].eq('atelier').sum())} ateliers, "
        f"{int(programme['type'].eq('événement').sum())} événements, "
        f"{int(programme['type'].eq('formation').sum())} formations)."
    )


def communication(t: dict) -> str:
    rows = t["communication"]
    served = rows.loc[rows["services"] != ""]
    return (
        f"{len(rows)} publics cibles, dont {len(served)} servis par le scénario recommandé ; "
        "pour chacun, le nombre de personnes, les services, le tarif et la première action du "
        "lancement."
    )


ANSWERS: dict[str, Callable[[dict], str]] = {
    "benchmark": benchmark,
    "stakeholders": stakeholders,
    "minimum_budget": minimum_budget,
    "grant_checklist": grant_checklist,
    "private_funding": private_funding,
    "themes": themes,
    "methods": methods,
    "needs_fit": needs_fit,
    "legal_form": legal_form,
    "resources": resources,
    "governance": governance,
    "spaces": spaces,
    "site": site,
    "launch_programme": launch_programme,
    "communication": communication,
}


def answers(tables: dict) -> pd.DataFrame:
    """Every ask of the call (`tables["call"]`), mission by mission, with its answer."""
    rows = [
        [mission["title"], ask["ask"], ask["answer"], CALL_ANSWERS[ask["answer"]],
         ANSWERS[ask["answer"]](tables)]
        for mission in (tables["call"] or {}).get("missions", [])
        for ask in mission["asks"]
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS).astype("str")
