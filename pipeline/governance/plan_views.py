"""Phase 10, what readers see of the business model: the strategy actions each scenario serves,
the grant applications of the recommended scenario, its outcome indicators, and the public
funding each scenario needs to break even, as French tables and sentences."""

from __future__ import annotations

import pandas as pd

from pipeline.core import fmt
from pipeline.core.mdtext import Md, join, md
from pipeline.core.vocabulary import FUNCTIONS_SHORT
from pipeline.governance.dossiers import UNDOCUMENTED


def _recommended_label(table: pd.DataFrame) -> pd.Series:
    marks = table["recommended"].astype(bool).map({True: " (recommandé)", False: ""})
    return table["label"] + marks


def _functions(text: str) -> str:
    return ", ".join(FUNCTIONS_SHORT.get(f, f) for f in str(text).split("|") if f)


# --- the territory's strategy ---------------------------------------------------------------


def strategy_fit_table(fit: pd.DataFrame) -> pd.DataFrame:
    """Each scenario: the strategy's actions it serves (out of those a tiers-lieu function is
    mapped to), their cost and their funders."""
    return pd.DataFrame(
        {
            "Scénario": _recommended_label(fit),
            "Actions servies": [
                f"{fmt.number(s)} sur {fmt.number(m)}" for s, m in zip(fit["served"], fit["mapped"])
            ],  # fmt: skip
            "Coût de ces actions (k€)": fit["cost_keur"].map(fmt.number),
            "Financeurs de ces actions": fit["funders"].replace("", "—"),
        }
    )


def strategy_text(fit: pd.DataFrame, served: pd.DataFrame) -> Md:
    """The strategy's actions the recommended scenario serves, with a Markdown table of them
    (empty when the territory has no strategy)."""
    if fit.empty or int(fit["actions"].iloc[0]) == 0:
        return Md("Aucune stratégie numérique territoriale n'est renseignée pour ce territoire.\n")
    chosen = fit.loc[fit["recommended"].astype(bool)].iloc[0]
    rows = served.loc[served["scenario"] == chosen["scenario"]]
    lines = [
        md("La stratégie numérique du territoire compte {} actions ; les fonctions d'un tiers-lieu "
           "contribuent à {} d'entre elles (correspondance action – fonctions, hypothèse "
           "d'étude). Le scénario recommandé, « {} », par les fonctions qu'il propose, en sert "
           "{}, pour un coût de {} k€ :\n", fmt.number(chosen["actions"]),
           fmt.number(chosen["mapped"]), chosen["label"], fmt.number(chosen["served"]),
           fmt.number(chosen["cost_keur"])),
        "| N° | Action | Coût (k€) | Financeurs | Fonctions du scénario |",
        "|---|---|---|---|---|",
    ]  # fmt: skip
    lines += [
        md(
            "| {} | {} | {} | {} | {} |",
            r.numero,
            r.action,
            fmt.number(r.cout_keur) if pd.notna(r.cout_keur) else "—",
            r.financeurs.replace("|", ", ") or "—",
            _functions(r.functions),
        )  # fmt: skip
        for r in rows.itertuples()
    ]
    if chosen["funders"]:
        lines.append(md("\nFinanceurs de ces actions : {}.", chosen["funders"]))
    return Md("\n".join(lines) + "\n")


# --- grant applications ---------------------------------------------------------------------


def asked_text(row) -> str:
    """What the plan asks of one line: investment, and operating over how many years."""
    parts = []
    if row["investment_eur"] > 0:
        parts.append(f"{fmt.euros(row['investment_eur'])} d'investissement")
    if row["operating_eur"] > 0:
        years = int(row["operating_years"])
        parts.append(
            f"{fmt.euros(row['operating_eur'])} de fonctionnement sur {years} an"
            + ("s" if years > 1 else "")
        )
    return " ; ".join(parts)


def checklist_table(checklist: pd.DataFrame) -> pd.DataFrame:
    """Each funding line of the recommended scenario's plan: the funder and its scheme, what
    the plan asks, eligibility, rate and ceiling, documents to supply, calendar and source."""
    return pd.DataFrame(
        {
            "Financeur et dispositif": checklist["label"] + " — " + checklist["dispositif"],
            "Montant demandé": checklist.apply(asked_text, axis=1),
            "Éligibilité": checklist["eligibilite"],
            "Taux et plafond": checklist["taux"] + " ; plafond : " + checklist["plafond"],
            "Pièces à fournir": checklist["pieces"].str.replace("|", " ; ", regex=False),
            "Calendrier": checklist["calendrier"],
            "Source": checklist["source"],
        }
    )


def checklist_text(checklist: pd.DataFrame, label: str) -> Md:
    """How many applications the recommended scenario's plan calls for, and for how much."""
    undocumented = checklist.loc[~checklist["documented"].astype(bool), "label"]
    tail = (
        md(" Exigences {} pour : {}.", UNDOCUMENTED, join(", ", undocumented))
        if len(undocumented)
        else Md("")
    )
    years = int(checklist["operating_years"].max()) if len(checklist) else 0
    return md(
        "Le plan de financement du scénario recommandé, *{}*, compte {} lignes de financement "
        "(l'EPCI compris) : {} pour l'investissement et {} pour le fonctionnement sur {} ans. "
        "Pour chacune, le tableau dit ce que le financeur exige jusqu'au dépôt du dossier ; "
        "montants et calendriers sont à confirmer auprès de lui l'année du dépôt.{}",
        label, fmt.number(len(checklist)), fmt.euros(checklist["investment_eur"].sum()),
        fmt.euros(checklist["operating_eur"].sum()), fmt.number(years), tail,
    )  # fmt: skip


# --- outcome indicators ---------------------------------------------------------------------

SHARE_UNIT = "part des ressources"
PEOPLE_UNIT = "personnes"  # counted in whole people
BASELINE_COLUMN = "Situation de départ"
PUBLIC_COLUMN = "Public concerné"


def _value(value: float, unit: str, decimals: int) -> str:
    if pd.isna(value):
        return "—"
    if unit == SHARE_UNIT:
        return fmt.percent(value, 0)
    return fmt.number(value, decimals)


def indicators_table(targets: pd.DataFrame, definitions: pd.DataFrame) -> pd.DataFrame:
    """Indicators (rows): unit, situation at the start, the public the indicator counts in
    (people of a target segment of phase 07), then the target of each year (people in
    whole numbers; one decimal for another indicator whose targets stay under 10)."""
    order = list(dict.fromkeys(targets["indicator"]))
    wide = targets.pivot(index="indicator", columns="year", values="target").reindex(order)
    info = definitions.set_index("indicator").reindex(order)
    decimals = [
        0 if unit == PEOPLE_UNIT or wide.loc[k].abs().max() >= 10 else 1
        for k, unit in zip(order, info["unit"])
    ]
    shown = pd.DataFrame(
        {
            "Indicateur": info["label"].to_numpy(),
            "Unité": info["unit"].to_numpy(),
            BASELINE_COLUMN: [_value(v, u, 0) for v, u in zip(info["baseline"], info["unit"])],
            PUBLIC_COLUMN: info["public"].map(lambda v: _value(v, PEOPLE_UNIT, 0)).to_numpy(),
        }
    )
    for year in wide.columns:
        shown[f"Année {year}"] = [
            _value(v, u, d) for v, u, d in zip(wide[year], info["unit"], decimals)
        ]
    return shown


def definitions_table(definitions: pd.DataFrame) -> pd.DataFrame:
    """How each indicator is measured, by whom, and where its situation at the start comes from."""
    return pd.DataFrame(
        {
            "Indicateur": definitions["label"],
            "Source des données": definitions["source"],
            "Responsable": definitions["owner"],
            "Mode de calcul": definitions["method"],
            "Situation de départ : origine": definitions["baseline_source"],
        }
    )


# --- viability ------------------------------------------------------------------------------


def viability_table(yearly: pd.DataFrame) -> pd.DataFrame:
    """The recommended scenario, year by year: costs, own revenue, private funding, the public
    funding needed to break even, the public funding planned and the gap."""
    rows = yearly.loc[yearly["recommended"].astype(bool)]
    euros = {
        "costs": "Charges (budget de fonctionnement)",
        "revenue": "Recettes propres",
        "private_funding": "Financements privés",
        "public_needed": "Financement public nécessaire à l'équilibre",
        "public_planned": "Financement public prévu au plan",
        "gap": "Reste à trouver (+) ou marge (−)",
    }
    table = pd.DataFrame({"Année": rows["year"].map(fmt.number)})
    for column, label in euros.items():
        table[label] = rows[column].map(fmt.euros).to_numpy()
    return table.reset_index(drop=True)


def viability_text(summary: pd.DataFrame, scenarios: pd.DataFrame) -> Md:
    """The smallest budget of the recommended scenario and the public funding it needs."""
    s = summary.loc[summary["recommended"].astype(bool)].iloc[0]
    label = scenarios.set_index("scenario").loc[s["scenario"], "label"]
    years = [int(y) for y in str(s["short_years"]).split("|") if y]
    gap = (
        md("le plan en prévoit {} en année pleine : il manque jusqu'à {} par an ({} {}).",
           fmt.euros(s["public_planned_full_year"]), fmt.euros(s["max_gap"]),
           "année" if len(years) == 1 else "années",
           join(", ", (fmt.number(y) for y in years)))
        if years
        else md("le plan les couvre chaque année ({} prévus en année pleine).",
                fmt.euros(s["public_planned_full_year"]))
    )  # fmt: skip
    return md(
        "Budget minimal de fonctionnement du scénario recommandé, *{}* : **{} par an** (ses "
        "charges d'année pleine, personnel et surfaces dimensionnés à sa demande en phase 09). "
        "Pour l'équilibrer, il lui faut **{} de financements publics par an** en année pleine "
        "({} de ses charges), et jusqu'à {} pendant la montée en charge ; {}",
        label, fmt.euros(s["budget"]), fmt.euros(s["public_needed_full_year"]),
        fmt.percent(s["public_share_needed"], 0), fmt.euros(s["public_needed_max"]), gap,
    )  # fmt: skip


def viability_scenarios_table(summary: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """Every scenario: its yearly budget, the public funding it needs in a full year and the
    public funding its plan counts on."""
    labels = scenarios.set_index("scenario")["label"]
    return pd.DataFrame(
        {
            "Scénario": _recommended_label(summary.assign(label=summary["scenario"].map(labels))),
            "Budget annuel (année pleine)": summary["budget"].map(fmt.euros),
            "Financement public nécessaire": summary["public_needed_full_year"].map(fmt.euros),
            "Part des charges": summary["public_share_needed"].map(lambda v: fmt.percent(v, 0)),
            "Financement public prévu": summary["public_planned_full_year"].map(fmt.euros),
        }
    )
