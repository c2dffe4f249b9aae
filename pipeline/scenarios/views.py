"""Phase 09, what readers see: French tables and sentences of the business plans.

Everything here formats tables computed by `pipeline.scenarios.build`; nothing is computed that
a reader could not find in those tables. The figures are in `pipeline.scenarios.charts`.
"""

from __future__ import annotations

import pandas as pd

from pipeline.core import fmt
from pipeline.core.mdtext import Md, join, md
from pipeline.scenarios.business_plan import COST_ITEMS, SPACE_LABELS, cost_label
from pipeline.scenarios.funding import INVESTMENT_ITEMS
from pipeline.scenarios.recommendation import recommended
from pipeline.sites.outputs import recommended_site

RENOVATION_LABELS = {"light": "légère", "medium": "moyenne", "heavy": "lourde"}
KIND_LABELS = {
    "revenue": "Recettes propres",
    "funding_public": "Subventions publiques",
    "funding_private": "Partenaires privés",
    "cost": "Charges",
}


def labels(scenarios: pd.DataFrame) -> pd.Series:
    return scenarios.set_index("scenario")["label"]


def year_text(y) -> str:
    return "non atteint" if pd.isna(y) else f"année {int(y)}"


def euros_or_dash(v) -> str:
    return "—" if pd.isna(v) else fmt.euros(v)


# --- sentences ------------------------------------------------------------------------------


def site_text(sites: pd.DataFrame, settings: dict) -> str:
    """One French sentence on the site whose rent the business plans use."""
    site = recommended_site(sites)
    return md(
        "Les loyers sont calculés sur le site classé premier en phase 08 : **{}** ({}), soit {} HT "
        "par m² et par an. Actualisation au taux réel de {} sur {} ans, investissement HT en "
        "année 0, montants en euros constants.", site["nom"], site["nom_commune"],
        fmt.euros(site["cost_per_m2_year"], 2), fmt.percent(settings["discount_rate"]),
        settings["years"],
    )  # fmt: skip


def recommendation_text(scenarios: pd.DataFrame) -> str:
    """The computed recommendation, in French."""
    chosen = scenarios.loc[scenarios["recommended"]]
    if chosen.empty:
        return "**Aucun scénario** ne couvre le nombre de fonctions requis : pas de recommandation."
    row = chosen.iloc[0]
    year = row["break_even_year"]
    balance = (
        "équilibre d'exploitation durable non atteint sur la période"
        if pd.isna(year)
        else f"équilibre d'exploitation durable à partir de l'année {int(year)}"
    )
    return md(
        "Scénario recommandé : **{}** (score {} sur 1). Investissement de {} HT, {}, part de "
        "recettes propres de {} sur les premières années, probabilité d'un résultat cumulé "
        "déficitaire de {}.", row["label"], fmt.number(row["score"], 2),
        fmt.euros(row["investment_ht"]), balance, fmt.percent(row["own_revenue_share"]),
        fmt.percent(row["deficit_probability"], 0),
    )  # fmt: skip


def risk_text(scenarios: pd.DataFrame, settings: dict) -> str:
    """How the Monte Carlo was drawn and what it says, in French."""
    spec = settings["risk"]
    uncertain = [
        md(
            "« {} » ({} de chances de l'obtenir)",
            line["label"],
            fmt.percent(line["probability"], 0),
        )
        for line in settings["operating_funding"].values()
        if line.get("probability", 1.0) < 1
    ]
    cut_text = (
        md(" Chaque tirage décide aussi, ligne par ligne, si une subvention incertaine est "
           "obtenue : {}.", Md(" ; ".join(uncertain)))
        if uncertain
        else Md("")
    )  # fmt: skip
    parts = [
        md("{} : {}", r["label"], fmt.percent(r["deficit_probability"], 0))
        for _, r in scenarios.iterrows()
    ]
    return md(
        "{} tirages (graine {}) de la fréquentation (entre les hypothèses basse et haute de la "
        "phase 07), des prix, des prestations, des charges, des subventions et des apports "
        "privés, selon des lois triangulaires.{} Probabilité d'un résultat cumulé négatif "
        "après {} ans : {}.", fmt.number(spec["draws"]), spec["seed"], cut_text,
        settings["plan_years"], Md(" ; ".join(parts)),
    )  # fmt: skip


def unpriced_text(unpriced: pd.DataFrame) -> str:
    if unpriced.empty:
        return "Toutes les unités de demande de la phase 07 sont valorisées."
    return md(
        "Unités de demande de la phase 07 sans prix dans les paramètres (`scenarios.units`), "
        "donc sans recette : {}.", join(", ", unpriced["unit"]),
    )  # fmt: skip


# --- tables ---------------------------------------------------------------------------------


def scenarios_table(scenarios: pd.DataFrame) -> pd.DataFrame:
    """The comparison of scenarios shown to readers: one row per indicator, one column per
    scenario, formatted in French."""

    def rate(r):
        return "sans objet" if pd.isna(r) else fmt.percent(r)

    rows = {
        "Fonctions couvertes": scenarios["functions_covered"].map(fmt.number),
        "Adéquation aux besoins mesurés (0 à 1)": scenarios["needs_fit"].map(
            lambda v: fmt.number(v, 2)
        ),
        "Surface (m²)": scenarios["surface_m2"].map(fmt.number),
        "Investissement HT": scenarios["investment_ht"].map(fmt.euros),
        "Investissement TTC": scenarios["investment_ttc"].map(fmt.euros),
        "Charges annuelles HT": scenarios["opex_year"].map(fmt.euros),
        "Équilibre d'exploitation durable": scenarios["break_even_year"].map(year_text),
        "Part de recettes propres (plan)": scenarios["own_revenue_share"].map(fmt.percent),
        "Résultat cumulé (plan central)": scenarios["cumulative_result_plan"].map(fmt.euros),
        "Probabilité de déficit cumulé": scenarios["deficit_probability"].map(
            lambda p: fmt.percent(p, 0)
        ),
        "Valeur actuelle nette (10 ans)": scenarios["npv"].map(fmt.euros),
        "Besoin de trésorerie en année 0": scenarios["cash_need_year0"].map(fmt.euros),
        "Fonds de roulement de démarrage": scenarios["working_capital"].map(fmt.euros),
        "Trésorerie à réunir à l'ouverture": scenarios["cash_need_start"].map(fmt.euros),
        "Reste à charge de l'EPCI par an": scenarios["epci_net_cost_per_year"].map(fmt.euros),
        "… par habitant de la zone d'étude et par an": scenarios[
            "epci_net_cost_per_inhabitant"
        ].map(lambda v: fmt.euros(v, 2)),
        "Taux de rentabilité interne": scenarios["irr"].map(rate),
        "Score": scenarios["score"].map(lambda v: fmt.number(v, 2)),
        "Recommandé": scenarios["recommended"].map({True: "oui", False: "non"}),
    }
    table = pd.DataFrame({k: v.to_numpy() for k, v in rows.items()}, index=scenarios["label"]).T
    return table.rename_axis(index="Indicateur", columns=None).reset_index()


def programme_table(programme_df: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """Space programme: one row per space, one column per scenario (m²)."""
    names = labels(scenarios)
    wide = programme_df.pivot_table(
        index="label", columns="scenario", values="surface_m2", aggfunc="sum", sort=False
    )
    wide = wide.reindex(columns=list(names.index))
    wide.loc["Total"] = wide.sum()
    return (
        wide.map(lambda v: "—" if pd.isna(v) else fmt.number(v))
        .rename(columns=names)
        .rename_axis(index="Espace", columns=None)
        .reset_index()
    )


def _wide(rows: pd.DataFrame, scenarios: pd.DataFrame, value: str, first: str) -> pd.DataFrame:
    """Rows `label` × scenario columns of `value`, in order of appearance, as euros."""
    names = labels(scenarios)
    wide = rows.pivot_table(
        index="label", columns="scenario", values=value, aggfunc="sum", sort=False
    ).reindex(columns=list(names.index))
    return wide.rename(columns=names).rename_axis(index=first, columns=None)


def investment_table(invest: pd.DataFrame, scenarios: pd.DataFrame, vat_rate: float):
    """Investment by item and scenario, HT, then VAT and TTC totals."""
    names = labels(scenarios)
    rows = invest.assign(
        label=[
            f"Équipement : {SPACE_LABELS.get(d, d).lower()}"
            if i == "equipment"
            else INVESTMENT_ITEMS[i]
            for i, d in zip(invest["item"], invest["detail"])
        ],
        order=[
            (
                list(INVESTMENT_ITEMS).index(i),
                list(SPACE_LABELS).index(d) if i == "equipment" else 0,
            )
            for i, d in zip(invest["item"], invest["detail"])
        ],
    ).sort_values("order", kind="stable")
    wide = _wide(rows, scenarios, "amount_ht", "Poste")
    total = wide.sum()
    wide.loc["Total HT"] = total
    wide.loc[f"TVA ({fmt.percent(vat_rate)})"] = total * vat_rate
    wide.loc["Total TTC"] = total * (1 + vat_rate)
    shown = wide.map(euros_or_dash)
    levels = invest.loc[invest["item"] == "works"].set_index("scenario")["detail"]
    shown.loc["Niveau de rénovation"] = [
        RENOVATION_LABELS.get(levels.get(s), "—") for s in names.index
    ]
    order = ["Niveau de rénovation", *[i for i in shown.index if i != "Niveau de rénovation"]]
    return shown.loc[order].reset_index()


def budget_table(budget: pd.DataFrame, scenarios: pd.DataFrame, settings: dict):
    """Yearly operating budget by item and scenario, with the staff in FTE."""
    names = labels(scenarios)
    posts = list(settings["staff_posts"])
    rows = budget.assign(
        label=[cost_label(i, d, settings) for i, d in zip(budget["item"], budget["detail"])],
        order=[
            (list(COST_ITEMS).index(i), posts.index(d) if i == "staff" else 0)
            for i, d in zip(budget["item"], budget["detail"])
        ],
    ).sort_values("order", kind="stable")
    wide = _wide(rows, scenarios, "amount", "Charge annuelle (€ HT)")
    wide.loc["Total"] = wide.sum()
    shown = wide.map(euros_or_dash)
    fte = budget.loc[budget["item"] == "staff"].groupby("scenario")["quantity"].sum()
    shown.loc["Effectif (ETP)"] = [fmt.number(fte.get(s, 0.0), 1) for s in names.index]
    return shown.reset_index()


def activity_table(activity: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """Activity and own revenue once ramped up, by unit and scenario: volume (revenue)."""
    order = {u: i for i, u in enumerate(dict.fromkeys(activity["unit"]))}
    served = activity.loc[activity["volume"] > 0].sort_values(
        "unit", key=lambda u: u.map(order), kind="stable"
    )
    volume = _wide(served, scenarios, "volume", "Activité (année pleine)")
    revenue = _wide(served, scenarios, "revenue", "Activité (année pleine)")
    price = served.groupby("label", sort=False)["price"].first()
    out = pd.DataFrame({"Prix unitaire HT": price.map(lambda p: fmt.euros(p, 2))})
    for column in volume.columns:
        out[column] = [
            "—" if pd.isna(v) else f"{fmt.number(v)} ({fmt.euros(r)})"
            for v, r in zip(volume[column], revenue[column])
        ]
    return out.rename_axis(index="Activité (année pleine) : volume (recettes HT)").reset_index()


def funding_plan_table(plan: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """Investment funding plan of every scenario: uses, then sources, with totals; each cell
    gives the amount HT and its share of the total."""
    names = labels(scenarios)
    out = []
    for kind, nature, total_label in (
        ("uses", "Emplois", "Total des emplois"),
        ("sources", "Ressources", "Total des ressources"),
    ):
        rows = plan.loc[plan["kind"] == kind]
        wide = rows.pivot_table(
            index="item", columns="scenario", values="amount_eur", aggfunc="sum", sort=False
        ).reindex(columns=list(names.index))
        totals = wide.sum()
        wide.loc[total_label] = totals
        shares = wide / totals.where(totals != 0)
        cells = wide.copy().astype(object)
        for column in wide.columns:
            cells[column] = [
                "—" if pd.isna(v) else f"{fmt.euros(v, 2)} ({fmt.percent(0 if pd.isna(q) else q)})"
                for v, q in zip(wide[column], shares[column])
            ]
        cells.insert(0, "Nature", nature)
        out.append(cells.rename(columns=names).rename_axis(index="Poste", columns=None))
    return pd.concat(out).reset_index()[["Nature", "Poste", *names]]


def accounts_table(plan: pd.DataFrame, scenarios: pd.DataFrame, plan_years: int):
    """Five-year accounts of every scenario: resources, costs, result, cumulative result."""
    names = labels(scenarios)
    rows = plan.loc[plan["year"] <= plan_years]
    items = {
        "revenue": "Recettes propres",
        "public_funding": "Subventions publiques",
        "partner_funding": "Partenaires privés",
        "costs": "Charges",
        "result": "Résultat",
        "cumulative": "Résultat cumulé",
    }
    frames = []
    for scenario in names.index:
        one = rows.loc[rows["scenario"] == scenario].set_index("year")
        wide = pd.DataFrame(
            {f"Année {y}": [fmt.euros(one.loc[y, c]) for c in items] for y in one.index}
        )
        wide.insert(0, "Poste", list(items.values()))
        wide.insert(0, "Scénario", [names[scenario]] + [""] * (len(items) - 1))
        frames.append(wide)
    return pd.concat(frames, ignore_index=True)


def pnl_table(lines: pd.DataFrame, scenarios: pd.DataFrame, plan_years: int) -> pd.DataFrame:
    """The recommended scenario's itemised P&L over the plan years."""
    rows = lines.loc[
        (lines["scenario"] == recommended(scenarios)["scenario"]) & (lines["year"] <= plan_years)
    ]
    signed = rows.assign(
        nature=rows["kind"].map(KIND_LABELS),
        signed=rows["amount"].where(rows["kind"] != "cost", -rows["amount"]),
    )
    wide = signed.pivot_table(
        index=["nature", "label"], columns="year", values="amount", aggfunc="sum", sort=False
    )
    result = signed.groupby("year")["signed"].sum()
    wide.loc[("Résultat", "Résultat de l'exercice"), :] = result
    wide.loc[("Résultat", "Résultat cumulé"), :] = result.cumsum()
    shown = wide.map(fmt.euros)
    shown.columns = [f"Année {y}" for y in shown.columns]
    return shown.rename_axis(index=["Nature", "Poste"]).reset_index()


def risk_table(risk_years: pd.DataFrame, scenarios: pd.DataFrame, plan_years: int):
    """By scenario (columns): probability of a deficit each year and of a cumulative deficit at
    the end of the plan, and the spread of the cumulative result (rows)."""
    names = labels(scenarios)
    rows = risk_years.loc[risk_years["year"] <= plan_years]
    deficit = rows.pivot(index="year", columns="scenario", values="deficit_probability")
    deficit = deficit.reindex(columns=list(names.index)).map(lambda p: fmt.percent(p, 0))
    deficit.index = [f"Probabilité d'un exercice déficitaire, année {y}" for y in deficit.index]
    last = rows.loc[rows["year"] == plan_years].set_index("scenario").reindex(list(names.index))
    extra = pd.DataFrame(
        [
            last["cumulative_deficit_probability"].map(lambda p: fmt.percent(p, 0)),
            last["cumulative_p10"].map(fmt.euros),
            last["cumulative_p50"].map(fmt.euros),
            last["cumulative_p90"].map(fmt.euros),
        ],
        index=[
            f"Probabilité d'un résultat cumulé négatif à {plan_years} ans",
            f"Résultat cumulé à {plan_years} ans : 1 chance sur 10 d'être en dessous",
            f"Résultat cumulé à {plan_years} ans : médiane",
            f"Résultat cumulé à {plan_years} ans : 1 chance sur 10 d'être au-dessus",
        ],
    )
    table = pd.concat([deficit, extra]).rename(columns=names)
    return table.rename_axis(index="Indicateur", columns=None).reset_index()


def funding_lines_table(settings: dict) -> pd.DataFrame:
    """The operating grants assumed, with their caps, in French."""
    rows = []
    for spec in settings["operating_funding"].values():
        caps = []
        if spec.get("cap_year_eur") is not None:
            caps.append(f"{fmt.euros(spec['cap_year_eur'])} par an au plus")
        if spec.get("cap_total_eur") is not None:
            caps.append(f"{fmt.euros(spec['cap_total_eur'])} au total")
        if spec.get("max_years") is not None:
            caps.append(f"{int(spec['max_years'])} ans au plus")
        after = "puis montant constant" if spec.get("after") == "repeat" else "puis rien"
        posts = settings["staff_posts"]
        if spec.get("per_fte"):
            after += f", par ETP de « {posts[spec['per_fte']]['label']} »"
        caps += [f"{fmt.number(fte, 1)} ETP de « {posts[post]['label']} » au moins"
                 for post, fte in (spec.get("min_fte") or {}).items()]  # fmt: skip
        rows.append(
            {
                "Financeur": spec["label"],
                "Nature": "public" if spec["kind"] == "public" else "privé",
                "Montants annuels demandés": " ; ".join(fmt.euros(v) for v in spec["eur"])
                + f", {after}",
                "Plafonds et conditions": ", ".join(caps) or "—",
                "Probabilité d'obtention": fmt.percent(spec.get("probability", 1.0), 0),
            }
        )
    return pd.DataFrame(rows)


def strategy_check_table(check: pd.DataFrame) -> pd.DataFrame:
    """The funding lines against the territory's strategy, in French (a one-line note when
    the territory has none)."""
    if check.empty:
        return pd.DataFrame(
            {"Vérification": ["Aucune stratégie numérique territoriale renseignée."]}
        )
    return pd.DataFrame(
        {
            "Financeur": check["financeur"],
            "Plan de financement": check["plan"],
            "Nom dans la stratégie": check["strategie"],
            "Actions de la stratégie servies par le tiers-lieu": check["actions"].map(fmt.number),
            "Coût de ces actions (k€)": check["cout_keur"].map(fmt.number),
            "Vérification": check["statut"],
        }
    )
