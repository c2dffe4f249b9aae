"""Phase 10, what readers see of the legal forms: each criterion as the fact of the scenario it
reads and its situation, the notes of the forms for the recommended scenario, every scenario's
scores, the justification of the recommended form, what would change it, and the governance
scheme, in French."""

from __future__ import annotations

import pandas as pd

from pipeline.core import fmt
from pipeline.core.mdtext import Md, join, md
from pipeline.governance.legal_form import YES


def _percent(value: float) -> str:
    return fmt.percent(value, 0)


def _yes_no(value: float) -> str:
    return "oui" if value >= 1 else "non"


# Each fact a criterion reads: its name opening a table row, its name inside a sentence, and
# its value in French.
FACTS = {
    "public_share": ("Part des financements publics dans les ressources",
                     "la part des financements publics dans les ressources", _percent),
    "own_revenue_share": ("Part des recettes propres dans les ressources",
                          "la part des recettes propres dans les ressources", _percent),
    "business_revenue_share": ("Part des prestations aux entreprises dans les recettes propres",
                               "la part des prestations aux entreprises dans les recettes propres",
                               _percent),
    "private_lines": ("Lignes de financement privées", "le nombre de lignes de financement privées",
                      fmt.number),
    "public_funders": ("Financeurs publics (investissement et fonctionnement)",
                       "le nombre de financeurs publics", fmt.number),
    "public_service": ("Service public accueilli (label France Services…)",
                       "un service public accueilli", _yes_no),
    "operating_budget": ("Budget de fonctionnement d'une année pleine",
                         "le budget de fonctionnement d'une année pleine", fmt.euros),
}  # fmt: skip


def fact_value(fact: str, value: float) -> str:
    return FACTS[fact][2](value)


def threshold(row) -> str:
    """From which value a criterion says « oui »: « dès 50 % » (nothing for a yes/no fact)."""
    if row["fact"] == "public_service":
        return ""
    return f"dès {fact_value(row['fact'], row['at_least'])}"


def situation_text(row) -> str:
    """« oui (dès 50 %) » or « non (dès 50 %) »: the situation and the threshold it follows."""
    limit = threshold(row)
    return f"{row['situation']} ({limit})" if limit else row["situation"]


def legal_forms_table(forms: pd.DataFrame, facts: pd.DataFrame, criteria: dict) -> pd.DataFrame:
    """For the recommended scenario: each criterion (rows) with the fact it reads, the value
    found, the situation and the weight, then each form's note (columns, best first); last
    rows, the weighted score and the rank."""
    mine = facts.set_index("criterion").loc[[c for c in criteria if c in set(facts["criterion"])]]
    by_form = forms.set_index("forme")
    notes = by_form[list(mine.index)].T.map(fmt.number).astype(object)
    table = pd.DataFrame(
        {
            "Critère": [FACTS[f][0] for f in mine["fact"]],
            "Constat": [fact_value(f, v) for f, v in zip(mine["fact"], mine["value"])],
            "Situation": [situation_text(r) for _, r in mine.reset_index().iterrows()],
            "Pondération": [fmt.percent(criteria[c]["weight"], 0) for c in mine.index],
        }
    )
    table = pd.concat([table, notes.reset_index(drop=True)], axis=1)
    blank = {"Constat": "", "Situation": "", "Pondération": ""}
    score = {"Critère": "Score pondéré (sur 5)", **blank,
             **{f: fmt.number(s, 2) for f, s in by_form["score"].items()}}  # fmt: skip
    rank = {"Critère": "Rang", **blank, **{f: fmt.number(r) for f, r in by_form["rank"].items()}}
    return pd.concat([table, pd.DataFrame([score, rank])], ignore_index=True)


def scenarios_table(by_scenario: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """Every scenario (rows, phase 09's order) with each form's score (columns) and the form
    recommended for it."""
    labels = dict(zip(scenarios["scenario"], scenarios["label"]))
    marks = dict(zip(scenarios["scenario"], scenarios["recommended"].astype(bool)))
    wide = by_scenario.pivot(index="scenario", columns="forme", values="score")
    wide = wide.reindex(index=list(dict.fromkeys(by_scenario["scenario"])))
    best = by_scenario.loc[by_scenario["recommended"]].set_index("scenario")["forme"]
    shown = wide.map(lambda s: fmt.number(s, 2)).astype(object)
    shown.insert(0, "Forme la mieux adaptée", [best[s] for s in wide.index])
    shown.insert(0, "Scénario", [labels.get(s, s) + (" (recommandé)" if marks.get(s) else "")
                                 for s in wide.index])  # fmt: skip
    return shown.reset_index(drop=True).rename_axis(columns=None)


def facts_table(facts: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """What each criterion reads (rows) of each scenario (columns): the value, and the
    situation it puts the scenario in after the threshold."""
    labels = dict(zip(scenarios["scenario"], scenarios["label"]))
    cells = facts.assign(
        cell=[
            fact_value(r["fact"], r["value"])
            + ("" if r["fact"] == "public_service" else f" ({r['situation']})")
            for _, r in facts.iterrows()
        ]  # fmt: skip
    )
    wide = cells.pivot(index="criterion", columns="scenario", values="cell")
    wide = wide.reindex(index=list(dict.fromkeys(facts["criterion"])),
                        columns=list(dict.fromkeys(facts["scenario"])))  # fmt: skip
    first = facts.drop_duplicates("criterion").set_index("criterion")
    wide.insert(0, "« Oui »", [threshold(first.loc[c]) or "oui" for c in wide.index])
    wide.insert(0, "Critère", [FACTS[first.loc[c, "fact"]][0] for c in wide.index])
    return wide.rename(columns=labels).reset_index(drop=True).rename_axis(columns=None)


def reasons_table(reasons: pd.DataFrame) -> pd.DataFrame:
    """Why the recommended form suits the recommended scenario: each criterion, the scenario's
    situation, the form's note and its justification."""
    return pd.DataFrame(
        {
            "Critère": [FACTS[f][0] for f in reasons["fact"]],
            "Constat": [fact_value(f, v) for f, v in zip(reasons["fact"], reasons["value"])],
            "Situation": [situation_text(r) for _, r in reasons.iterrows()],
            "Note": reasons["note"].map(fmt.number),
            "Justification": reasons["justification"],
        }
    )


def condition(row) -> Md:
    """The change of one situation, in words: « la part … atteignait 50 % »."""
    fact, turned = row["fact"], row["turned"]
    if fact == "public_service":
        return Md("le lieu accueillait un service public (label France Services…)"
                  if turned == YES else "le lieu n'accueillait plus de service public")  # fmt: skip
    verb = "atteignait" if turned == YES else "passait sous"
    return md("{} {} {}", FACTS[fact][1], verb, fact_value(fact, row["at_least"]))


def form_text(forms: pd.DataFrame, switches: pd.DataFrame, label: str) -> Md:
    """The form recommended for the recommended scenario, and what would change it."""
    best = forms.loc[forms["recommended"]].iloc[0]
    changed = switches.loc[switches["changes"].astype(bool)]
    tail = (
        md(" Elle changerait si {}.", join(" ; si ", (
            md("{} (forme la mieux notée : {})", condition(r), r["forme"])
            for _, r in changed.iterrows())))
        if len(changed)
        else Md(" Aucun critère ne la change à lui seul.")
    )  # fmt: skip
    return md(
        "Pour le scénario recommandé, *{}*, la forme juridique la mieux adaptée à sa structure "
        "de financement, à son activité et à ses partenaires est **{}** (score {} sur 5).{}",
        label, best["forme"], fmt.number(best["score"], 2), tail,
    )  # fmt: skip


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
