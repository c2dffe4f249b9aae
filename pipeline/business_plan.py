"""Phase 09, scenarios and business plans: programme, investment, P&L, NPV, funding plan.

Every amount is in euros excluding VAT (HT) unless its name says `ttc`. Operating costs are
held constant over the plan (no inflation), and the investment is discounted at t = 0.
"""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pandas as pd
import plotly.graph_objects as go

from pipeline.config import ConfigError
from pipeline.phase import Phase

# The five functions of a tiers-lieu named by the call for projects (seed 003).
FUNCTIONS = {
    "fablab": "Atelier fablab ou makerspace",
    "coworking": "Espace de coworking",
    "occasional_telework": "Espace de télétravail ponctuel",
    "project_support": "Appui et conseil aux porteurs de projets",
    "digital_mediation": "Médiation aux outils et pratiques numériques",
}
SPACE_LABELS = {**FUNCTIONS, "common": "Espaces communs (accueil, convivialité, sanitaires)"}

# Demand unit (07_demand) -> price key (params) and the functions able to serve it.
UNITS = {
    "desk_days": {"price": "desk_day", "functions": {"coworking", "occasional_telework"}},
    "mediation_sessions": {"price": "mediation_session", "functions": {"digital_mediation"}},
    "fablab_hours": {"price": "fablab_hour", "functions": {"fablab"}},
}

# Investment items: params key of their share of the works cost, and their French label.
INVESTMENT_ITEMS = {
    "works": "Travaux d'aménagement",
    "equipment": "Équipement et mobilier",
    "studies": "Études et maîtrise d'œuvre",
    "contingency": "Aléas et imprévus",
}

REQUIRED_KEYS = (
    "years",
    "plan_years",
    "discount_rate",
    "required_functions",
    "works_eur_m2",
    "equipment_share",
    "studies_share",
    "contingency_share",
    "loaded_salary_eur",
    "overhead_eur_m2_year",
    "prices",
    "ramp_up",
    "public_funding_year_eur",
    "scenarios",
    "criteria",
    "funding_shares",
)
CRITERIA = ("npv", "own_revenue_share", "functions_covered")  # columns a weight may name
SCENARIO_KEYS = ("label", "functions", "surface_m2", "staff_fte", "demand_share")
TOLERANCE = 1e-9


# --- settings -------------------------------------------------------------------------------


def check_settings(settings: dict) -> dict:
    """The `scenarios` params section, checked; errors name the params key at fault."""
    missing = [k for k in REQUIRED_KEYS if k not in settings]
    if missing:
        raise ConfigError(f"params.yaml: scenarios.{', scenarios.'.join(missing)} missing")
    for name, scenario in settings["scenarios"].items():
        absent = [k for k in SCENARIO_KEYS if k not in scenario]
        if absent:
            raise ConfigError(f"params.yaml: scenarios.scenarios.{name} lacks {', '.join(absent)}")
        unknown = sorted(set(scenario["functions"]) - set(FUNCTIONS))
        if unknown:
            raise ConfigError(
                f"params.yaml: scenarios.scenarios.{name}.functions: unknown "
                f"{', '.join(unknown)}; known: {', '.join(FUNCTIONS)}"
            )
    for key in ("criteria", "funding_shares"):
        check_weights(settings[key], f"scenarios.{key}")
    unknown = sorted(set(settings["criteria"]) - set(CRITERIA))
    if unknown:
        raise ConfigError(
            f"params.yaml: scenarios.criteria: unknown {', '.join(unknown)}; "
            f"known: {', '.join(CRITERIA)}"
        )
    missing_prices = sorted({u["price"] for u in UNITS.values()} - set(settings["prices"]))
    if missing_prices:
        raise ConfigError(f"params.yaml: scenarios.prices lacks {', '.join(missing_prices)}")
    return settings


def check_weights(weights: dict, key: str) -> None:
    """Non-negative weights (or shares) summing to 1."""
    if not weights or any(float(w) < 0 for w in weights.values()):
        raise ConfigError(f"params.yaml: {key} must be non-empty and non-negative")
    total = sum(float(w) for w in weights.values())
    if abs(total - 1) > 1e-6:
        raise ConfigError(f"params.yaml: {key} must sum to 1, found {total:g}")


# --- building blocks ------------------------------------------------------------------------


def functions_covered(functions: list[str]) -> int:
    """How many of the five call-for-projects functions a scenario offers."""
    return len(set(functions) & set(FUNCTIONS))


def programme(name: str, scenario: dict) -> pd.DataFrame:
    """Space programme: m² by function (common areas included)."""
    surfaces = scenario["surface_m2"]
    return pd.DataFrame(
        {
            "scenario": name,
            "function": list(surfaces),
            "label": [SPACE_LABELS.get(f, f) for f in surfaces],
            "surface_m2": [float(s) for s in surfaces.values()],
        }
    )


def investment(surface_m2: float, settings: dict) -> dict[str, float]:
    """Investment items HT: works from the surface, the rest as shares of the works."""
    works = surface_m2 * settings["works_eur_m2"]
    return {
        "works": works,
        "equipment": works * settings["equipment_share"],
        "studies": works * settings["studies_share"],
        "contingency": works * settings["contingency_share"],
    }


def operating_costs(
    surface_m2: float, staff_fte: float, cost_per_m2_year: float, settings: dict
) -> dict[str, float]:
    """Yearly operating costs HT: staff, rent at the best site's cost per m², overheads."""
    return {
        "staff": staff_fte * settings["loaded_salary_eur"],
        "rent": surface_m2 * cost_per_m2_year,
        "overhead": surface_m2 * settings["overhead_eur_m2_year"],
    }


def demand_volumes(demand: pd.DataFrame) -> pd.Series:
    """Central demand by unit (desk_days, mediation_sessions, fablab_hours)."""
    unknown = sorted(set(demand["unit"]) - set(UNITS))
    if unknown:
        raise ValueError(
            f"07_demand/demand: unknown unit(s) {', '.join(unknown)}; known: {', '.join(UNITS)}"
        )
    return demand.groupby("unit")["central"].sum().reindex(list(UNITS), fill_value=0.0)


def full_revenue(volumes: pd.Series, scenario: dict, prices: dict) -> float:
    """Own revenue once ramped up: the demand the scenario's functions can serve, priced."""
    offered = set(scenario["functions"])
    return sum(
        float(volumes[unit]) * scenario["demand_share"] * prices[spec["price"]]
        for unit, spec in UNITS.items()
        if offered & spec["functions"]
    )


def yearly(values: list[float], years: int, after: str) -> np.ndarray:
    """A list spread over `years`: after its end, repeat the last value or put 0."""
    values = [float(v) for v in values]
    tail = values[-1] if (after == "repeat" and values) else 0.0
    return np.array([values[i] if i < len(values) else tail for i in range(years)])


def pnl(name: str, revenue_full: float, opex: float, settings: dict) -> pd.DataFrame:
    """The yearly P&L: own revenue ramped up, public operating funding, constant costs."""
    years = int(settings["years"])
    revenue = revenue_full * yearly(settings["ramp_up"], years, after="repeat")
    funding = yearly(settings["public_funding_year_eur"], years, after="zero")
    result = revenue + funding - opex
    return pd.DataFrame(
        {
            "scenario": name,
            "year": np.arange(1, years + 1),
            "revenue": revenue,
            "public_funding": funding,
            "costs": float(opex),
            "result": result,
            "cumulative": result.cumsum(),
        }
    )


def break_even_year(plan: pd.DataFrame) -> int | None:
    """First year when own revenue plus public funding covers the costs; None if never."""
    covered = plan.loc[plan["revenue"] + plan["public_funding"] >= plan["costs"] - TOLERANCE]
    return int(covered["year"].iloc[0]) if len(covered) else None


def own_revenue_share(plan: pd.DataFrame, plan_years: int) -> float:
    """Share of own revenue in all resources (own revenue + public funding), first years."""
    first = plan.loc[plan["year"] <= plan_years]
    total = first["revenue"].sum() + first["public_funding"].sum()
    return float(first["revenue"].sum() / total) if total else float("nan")


def cash_flows(investment_ht: float, results) -> np.ndarray:
    """Investment at t = 0, then one result per year."""
    return np.concatenate([[-float(investment_ht)], np.asarray(results, dtype=float)])


def npv(rate: float, flows: np.ndarray) -> float:
    """Net present value; numpy-financial takes the first flow at t = 0."""
    return float(npf.npv(rate, flows))


def irr(flows: np.ndarray) -> float:
    """Internal rate of return; NaN when the flows never change sign (no rate exists)."""
    flows = np.asarray(flows, dtype=float)
    if not ((flows > 0).any() and (flows < 0).any()):
        return float("nan")
    return float(npf.irr(flows))


def to_cents(x: float) -> int:
    return round(x * 100)


def funding_plan(name: str, items: dict[str, float], shares: dict[str, float]) -> pd.DataFrame:
    """Uses (investment items) and sources (public lines by share), equal to the cent.

    Each amount is rounded to the cent; the last source takes the remainder.
    """
    uses = {INVESTMENT_ITEMS[k]: to_cents(v) for k, v in items.items()}
    total = sum(uses.values())
    lines = list(shares)
    sources = {line: round(total * float(shares[line])) for line in lines[:-1]}
    sources[lines[-1]] = total - sum(sources.values())
    rows = [("uses", *kv) for kv in uses.items()] + [("sources", *kv) for kv in sources.items()]
    return pd.DataFrame(
        {
            "scenario": name,
            "kind": [r[0] for r in rows],
            "item": [r[1] for r in rows],
            "amount_eur": [r[2] / 100 for r in rows],
        }
    )


# --- recommendation -------------------------------------------------------------------------


def min_max(values: pd.Series) -> pd.Series:
    """Scale to [0, 1]; a criterion equal for all scenarios gives 1 to all (no preference)."""
    span = values.max() - values.min()
    if not span or math.isnan(span):
        return pd.Series(1.0, index=values.index)
    return (values - values.min()) / span


def recommend(table: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Score = weighted sum of min-max normalised criteria; best eligible scenario recommended.

    Only scenarios passing the functions check are eligible; ties go to the first listed.
    """
    check_weights(weights, "scenarios.criteria")
    score = sum(float(w) * min_max(table[c].astype(float)) for c, w in weights.items())
    out = table.assign(score=score.astype(float), recommended=False)
    eligible = out.loc[out["functions_ok"], "score"]
    if len(eligible):
        out.loc[eligible.idxmax(), "recommended"] = True
    return out


def recommended(scenarios: pd.DataFrame) -> pd.Series:
    """The recommended scenario's row; an error when no scenario passes the functions check."""
    chosen = scenarios.loc[scenarios["recommended"]]
    if chosen.empty:
        raise ValueError("09_scenarios: no scenario covers enough functions to be recommended")
    return chosen.iloc[0]


# --- the phase ------------------------------------------------------------------------------


def best_site(sites: pd.DataFrame) -> pd.Series:
    """The site ranked first by phase 08."""
    best = sites.loc[sites["rank"] == sites["rank"].min()]
    if best.empty:
        raise ValueError("08_sites/sites: no ranked site")
    return best.iloc[0]


def evaluate(
    settings: dict, vat_rate: float, demand: pd.DataFrame, site: pd.Series
) -> dict[str, pd.DataFrame]:
    """Every table of the phase from its settings, the demand and the chosen site."""
    settings = check_settings(settings)
    volumes = demand_volumes(demand)
    rows, plans, funding, programmes = [], [], [], []
    for name, scenario in settings["scenarios"].items():
        space = programme(name, scenario)
        surface = float(space["surface_m2"].sum())
        items = investment(surface, settings)
        invest_ht = sum(items.values())
        opex = sum(
            operating_costs(
                surface, scenario["staff_fte"], float(site["cost_per_m2_year"]), settings
            ).values()
        )
        plan = pnl(name, full_revenue(volumes, scenario, settings["prices"]), opex, settings)
        flows = cash_flows(invest_ht, plan["result"])
        covered = functions_covered(scenario["functions"])
        rows.append(
            {
                "scenario": name,
                "label": scenario["label"],
                "functions_covered": covered,
                "functions_ok": covered >= int(settings["required_functions"]),
                "surface_m2": surface,
                "investment_ht": invest_ht,
                "investment_ttc": invest_ht * (1 + float(vat_rate)),
                "opex_year": opex,
                "break_even_year": break_even_year(plan),
                "own_revenue_share": own_revenue_share(plan, int(settings["plan_years"])),
                "npv": npv(float(settings["discount_rate"]), flows),
                "irr": irr(flows),
            }
        )
        plans.append(plan)
        funding.append(funding_plan(name, items, settings["funding_shares"]))
        programmes.append(space)
    table = pd.DataFrame(rows).astype({"break_even_year": "Int64"})
    return {
        "scenarios": recommend(table, settings["criteria"]),
        "pnl": pd.concat(plans, ignore_index=True),
        "funding_plan": pd.concat(funding, ignore_index=True),
        "programme": pd.concat(programmes, ignore_index=True),
    }


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Read the central demand (07) and the best site (08), then evaluate the scenarios."""
    demand = phase.read("07_demand", "demand")
    site = best_site(phase.read("08_sites", "sites"))
    return evaluate(phase.params["scenarios"], float(phase.territory["vat_rate"]), demand, site)


# --- what readers see -----------------------------------------------------------------------


def site_text(sites: pd.DataFrame, settings: dict) -> str:
    """One French sentence on the site whose rent the business plans use."""
    from pipeline import fmt

    site = best_site(sites)
    return (
        f"Les loyers sont calculés sur le site classé premier en phase 08 : **{site['nom']}** "
        f"({site['nom_commune']}), soit {fmt.euros(site['cost_per_m2_year'], 2)} HT par m² et "
        f"par an. Actualisation au taux de {fmt.percent(settings['discount_rate'])} sur "
        f"{settings['years']} ans, investissement HT en année 0."
    )


def recommendation_text(scenarios: pd.DataFrame) -> str:
    """The computed recommendation, in French."""
    from pipeline import fmt

    chosen = scenarios.loc[scenarios["recommended"]]
    if chosen.empty:
        return "**Aucun scénario** ne couvre le nombre de fonctions requis : pas de recommandation."
    row = chosen.iloc[0]
    year = row["break_even_year"]
    balance = (
        "équilibre d'exploitation non atteint sur la période"
        if pd.isna(year)
        else f"première année à l'équilibre d'exploitation : année {int(year)}"
    )
    score = fmt.number(row["score"], 2)
    return (
        f"Scénario recommandé : **{row['label']}** (score {score} sur 1). "
        f"Investissement de {fmt.euros(row['investment_ht'])} HT, {balance}, "
        f"part de recettes propres de {fmt.percent(row['own_revenue_share'])} "
        f"sur les premières années."
    )


def scenarios_table(scenarios: pd.DataFrame) -> pd.DataFrame:
    """The comparison of scenarios shown to readers, formatted in French."""
    from pipeline import fmt

    def year(y):
        return "non atteint" if pd.isna(y) else f"année {int(y)}"

    def rate(r):
        return "sans objet" if pd.isna(r) else fmt.percent(r)

    return pd.DataFrame(
        {
            "Scénario": scenarios["label"],
            "Fonctions couvertes": scenarios["functions_covered"].map(fmt.number),
            "Surface (m²)": scenarios["surface_m2"].map(fmt.number),
            "Investissement HT": scenarios["investment_ht"].map(fmt.euros),
            "Investissement TTC": scenarios["investment_ttc"].map(fmt.euros),
            "Charges annuelles HT": scenarios["opex_year"].map(fmt.euros),
            "Première année à l'équilibre": scenarios["break_even_year"].map(year),
            "Part de recettes propres": scenarios["own_revenue_share"].map(fmt.percent),
            "VAN": scenarios["npv"].map(fmt.euros),
            "TRI": scenarios["irr"].map(rate),
            "Score": scenarios["score"].map(lambda s: fmt.number(s, 2)),
            "Recommandé": scenarios["recommended"].map({True: "oui", False: "non"}),
        }
    )


def programme_table(programme_df: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """Space programme: one row per space, one column per scenario (m²)."""
    from pipeline import fmt

    labels = scenarios.set_index("scenario")["label"]
    wide = programme_df.pivot_table(
        index="label", columns="scenario", values="surface_m2", aggfunc="sum", sort=False
    )
    wide = wide.reindex(columns=list(labels.index))
    wide.loc["Total"] = wide.sum()
    return (
        wide.map(lambda v: "—" if pd.isna(v) else fmt.number(v))
        .rename(columns=labels)
        .rename_axis(index="Espace", columns=None)
        .reset_index()
    )


def pnl_table(plan: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """The recommended scenario's P&L, formatted in French."""
    from pipeline import fmt

    rows = plan.loc[plan["scenario"] == recommended(scenarios)["scenario"]]
    return pd.DataFrame(
        {
            "Année": rows["year"].map(fmt.number),
            "Recettes propres": rows["revenue"].map(fmt.euros),
            "Subventions de fonctionnement": rows["public_funding"].map(fmt.euros),
            "Charges": rows["costs"].map(fmt.euros),
            "Résultat": rows["result"].map(fmt.euros),
            "Résultat cumulé": rows["cumulative"].map(fmt.euros),
        }
    ).reset_index(drop=True)


def funding_plan_table(plan: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """The recommended scenario's investment funding plan, uses beside sources."""
    from pipeline import fmt

    rows = plan.loc[plan["scenario"] == recommended(scenarios)["scenario"]]
    total = rows.groupby("kind")["amount_eur"].transform("sum")
    return pd.DataFrame(
        {
            "Nature": rows["kind"].map({"uses": "Emplois", "sources": "Ressources"}),
            "Poste": rows["item"],
            "Montant HT": rows["amount_eur"].map(lambda v: fmt.euros(v, 2)),
            "Part": (rows["amount_eur"] / total).map(fmt.percent),
        }
    ).reset_index(drop=True)


def investment_chart_data(plan: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """Investment items by scenario, for a stacked bar chart."""
    uses = plan.loc[plan["kind"] == "uses"]
    return uses.assign(label=uses["scenario"].map(scenarios.set_index("scenario")["label"]))


def cumulative_figure(plan: pd.DataFrame, scenarios: pd.DataFrame) -> go.Figure:
    """Cumulative operating result by year, one line per scenario."""
    import plotly.express as px

    data = plan.assign(label=plan["scenario"].map(scenarios.set_index("scenario")["label"]))
    fig = px.line(
        data,
        x="year",
        y="cumulative",
        color="label",
        markers=True,
        title="Résultat d'exploitation cumulé par scénario",
        labels={"year": "Année", "cumulative": "Résultat cumulé (€ HT)", "label": ""},
    )
    fig.add_hline(y=0, line={"color": "black", "width": 1})
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 60, "b": 10}, legend={"orientation": "h", "y": -0.2}
    )
    return fig
