"""Phase 09, what readers see of the scenarios' grounding: their fit to the needs measured in
phases 02 to 07 (`pipeline.scenarios.needs`) and the robustness of their ranking to its weights
(`pipeline.scenarios.recommendation.ranking_robustness`), as French tables and sentences."""

from __future__ import annotations

import pandas as pd

from pipeline.core import fmt
from pipeline.core.mdtext import Md, md
from pipeline.core.vocabulary import FUNCTIONS_SHORT
from pipeline.scenarios.needs import SOURCES
from pipeline.scenarios.views import labels

# How each source's measure reads, after its value.
MEASURES = {
    "survey": ("percent", "des répondants"),
    "interviews": ("percent", "des entretiens"),
    "demand": ("number", "usagers"),
    "white_zones": ("number", "habitants"),
    "telework_pool": ("number", "actifs"),
    "call": ("number", "(poids dans le cahier des charges)"),
}


# Each criterion of the comparison of scenarios, as read in a sentence.
CRITERIA = {
    "npv": "la valeur actuelle nette par habitant",
    "own_revenue_share": "la part de recettes propres",
    "functions_covered": "le nombre de fonctions couvertes sur cinq",
    "needs_fit": "l'adéquation aux besoins mesurés",
    "deficit_probability": "la probabilité de déficit cumulé",
    "epci_net_cost_per_inhabitant": "le reste à charge de l'EPCI par habitant et par an",
}


def criteria_text(weights: dict[str, float]) -> str:
    """The criteria of the comparison and their weights, in French."""
    parts = [md("{} ({})", CRITERIA[c], fmt.percent(w, 0)) for c, w in weights.items() if w > 0]
    return md("Critères et pondérations retenus : {}.", Md(", ".join(parts)))


def share(v) -> str:
    return "—" if pd.isna(v) else fmt.percent(v, 0)


def measure_text(source: str, value: float) -> str:
    """A need's measure in words: « 34 % des répondants », « 1 479 habitants »."""
    kind, unit = MEASURES[source]
    shown = fmt.percent(value, 0) if kind == "percent" else fmt.number(value)
    return f"{shown} {unit}"


def functions_text(functions: str) -> str:
    names = [FUNCTIONS_SHORT[f] for f in functions.split("|") if f]
    return ", ".join(names) if names else "aucune"


def needs_table(needs: pd.DataFrame) -> pd.DataFrame:
    """Every measured need: its source, its measure, its weight within the source and the
    functions that serve it."""
    return pd.DataFrame(
        {
            "Source": needs["source"].map(SOURCES),
            "Besoin mesuré": needs["label"],
            "Mesure": [measure_text(s, v) for s, v in zip(needs["source"], needs["measure"])],
            "Poids dans la source": needs["share"].map(share),
            "Fonctions qui y répondent": needs["functions"].map(functions_text),
        }
    ).reset_index(drop=True)


def needs_fit_table(fit: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """By source (rows): its weight in the score and the share of its need weight each
    scenario serves (columns); then each scenario's score from 0 to 1."""
    names = labels(scenarios)
    wide = fit.pivot_table(index="source", columns="scenario", values="served", sort=False)
    wide = wide.reindex(index=list(SOURCES), columns=list(names.index))
    weights = fit.groupby("source", sort=False)["weight"].first().reindex(list(SOURCES))
    out = pd.DataFrame({"Source": [SOURCES[s] for s in SOURCES]})
    out["Poids dans le score"] = weights.map(share).to_numpy()
    for name, label in names.items():
        out[label] = wide[name].map(share).to_numpy()
    score = {label: fmt.number(v, 2) for label, v in zip(names, scenarios["needs_fit"])}
    total = {"Source": "Score d'adéquation aux besoins (0 à 1)", "Poids dans le score": share(1.0)}
    out = out.loc[[s != "call" or weights["call"] > 0 for s in SOURCES]]  # no call, no row
    return pd.concat([out, pd.DataFrame([{**total, **score}])], ignore_index=True)


def needs_fit_text(scenarios: pd.DataFrame, needs: pd.DataFrame) -> str:
    """Which scenario serves the measured needs best, and, for the recommended one, the most
    weighty need of each source it leaves out."""
    if scenarios["needs_fit"].isna().all():
        return "Aucune phase n'a mesuré de besoin : l'adéquation des scénarios n'est pas notée."
    best = scenarios.loc[scenarios["needs_fit"].idxmax()]
    text = md(
        "Le scénario qui répond le mieux aux besoins mesurés est **{}** (score {} sur 1).",
        best["label"], fmt.number(best["needs_fit"], 2),
    )  # fmt: skip
    chosen = scenarios.loc[scenarios["recommended"]]
    if chosen.empty:
        return text
    row = chosen.iloc[0]
    offered = set(str(row["functions"]).split("|"))
    left = needs.loc[
        (needs["share"] > 0)
        & ~needs["functions"].map(lambda f: bool(set(filter(None, f.split("|"))) & offered))
    ]
    top = left.sort_values("share", ascending=False).groupby("source", sort=False).head(1)
    if top.empty:
        return text + md(" Le scénario recommandé, **{}**, répond à tous.", row["label"])
    parts = [
        md("« {} » ({} de la source « {} »)", r["label"], share(r["share"]), SOURCES[r["source"]])
        for _, r in top.iterrows()
    ]
    return text + md(
        " Le scénario recommandé, **{}** (score {}), laisse de côté en premier lieu : {}.",
        row["label"], fmt.number(row["needs_fit"], 2), Md(" ; ".join(parts)),
    )  # fmt: skip


def robustness_table(robustness: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """Each scenario's score and recommendation with the params' weights, then how often it is
    recommended and its mean rank over the draws of the weights."""
    table = robustness.merge(scenarios[["scenario", "score", "recommended"]], on="scenario")
    table = table.sort_values(["p_first", "score"], ascending=False)
    return pd.DataFrame(
        {
            "Scénario": table["label"].to_numpy(),
            "Score (pondération retenue)": table["score"].map(lambda v: fmt.number(v, 2)),
            "Recommandé": table["recommended"].map({True: "oui", False: "non"}),
            "Part des tirages où il est recommandé": table["p_first"].map(share),
            "Rang moyen": table["mean_rank"].map(lambda v: fmt.number(v, 1)),
        }
    ).reset_index(drop=True)


def robustness_text(robustness: pd.DataFrame, scenarios: pd.DataFrame, spec: dict) -> str:
    """How robust the recommendation is to the weights of the criteria, in French."""
    chosen = scenarios.loc[scenarios["recommended"]]
    draws = int(robustness["draws"].iloc[0]) if len(robustness) else 0
    if chosen.empty or not draws:
        return "Aucun scénario n'est recommandé : la robustesse du choix n'est pas évaluée."
    p_first = robustness.set_index("scenario")["p_first"]
    row = chosen.iloc[0]
    text = md(
        "Quand on fait varier au hasard les poids des critères autour de ceux retenus ({} "
        "tirages d'une loi de Dirichlet, concentration {}), le scénario **{}** reste recommandé "
        "dans {} des cas", fmt.number(draws), fmt.number(spec["concentration"]), row["label"],
        share(p_first[row["scenario"]]),
    )  # fmt: skip
    leader = p_first.idxmax()
    if leader != row["scenario"]:
        text += md(" ; **{}** l'est plus souvent ({})", labels(scenarios)[leader],
                   share(p_first[leader]))  # fmt: skip
    return text + Md(".")
