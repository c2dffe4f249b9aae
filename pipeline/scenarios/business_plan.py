"""Phase 09, the business plan of one scenario: programme, investment, operating budget,
activity, P&L, NPV and IRR, and its row in the comparison of scenarios.

Every amount is in euros excluding VAT (HT) unless its name says `ttc`, in constant euros (no
inflation; the discount rate is a real rate). The investment is spent at t = 0 and fully funded
by the funding plan, as investment grants and the EPCI's own contribution: depreciation is then
offset by the release of those grants to the P&L, so the yearly result shown is the operating
result that the partners must balance. The grants and funding plan are in
`pipeline.scenarios.funding`, the cash in `pipeline.scenarios.cash`, the Monte Carlo and the sensitivities in `pipeline.scenarios.risk`,
the choice of a scenario in `pipeline.scenarios.recommendation`, the whole phase in
`pipeline.scenarios.build`.
"""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pandas as pd

from pipeline.core.vocabulary import FUNCTIONS, unit_label
from pipeline.scenarios.capacity import DESK_SPACES, cap, unit_capacities
from pipeline.scenarios.funding import funding_plan, operating_funding, serves, yearly
from pipeline.scenarios.sizing import size

SPACE_LABELS = {
    **FUNCTIONS,
    "common": "Espaces communs (accueil, convivialité, sanitaires)",
    "desks": "Postes de travail",  # equipment per desk of the coworking and telework spaces
}
COST_ITEMS = {
    "staff": "Personnel",
    "rent": "Loyer",
    "utilities": "Énergie, eau, climatisation",
    "insurance": "Assurances",
    "maintenance": "Entretien et renouvellement du matériel",
    "communication": "Communication",
    "subscriptions": "Abonnements (internet, logiciels, réseaux)",
    "other": "Autres charges",
}
DEMAND_COLUMNS = ("unit", "low", "central", "high")
TOLERANCE = 1e-9


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


def investment(name: str, surface_m2: float, scenario: dict, settings: dict) -> pd.DataFrame:
    """Investment items HT: works at the scenario's level of renovation, equipment of each
    function offered and of each desk, IT, furniture and studies as shares of the works,
    contingencies as a share of all the other items. `detail` names the level, the function
    or `desks`."""
    level = scenario["renovation"]
    works = surface_m2 * float(settings["works_eur_m2"][level])
    equipment = [(f, float(settings["equipment_eur"].get(f, 0.0))) for f in scenario["functions"]]
    desks_m2 = sum(float(scenario["surface_m2"].get(s, 0.0)) for s in DESK_SPACES)
    desks = math.floor(desks_m2 / float(settings["capacity"]["desk_m2"]) + 1e-9)
    if desks * float(settings["equipment_eur_per_desk"]):
        equipment.append(("desks", desks * float(settings["equipment_eur_per_desk"])))
    shares = settings["investment_shares"]
    rows = [("works", level, works)]
    rows += [("equipment", f, amount) for f, amount in equipment]
    rows += [(item, "", works * float(shares[item])) for item in ("it", "furniture", "studies")]
    rows.append(("contingency", "", sum(r[2] for r in rows) * float(shares["contingency"])))
    return pd.DataFrame(
        {
            "scenario": name,
            "item": [r[0] for r in rows],
            "detail": [r[1] for r in rows],
            "amount_ht": [r[2] for r in rows],
        }
    )


def operating_budget(
    name: str, surface_m2: float, scenario: dict, invest: pd.DataFrame, rent_m2: float, settings
) -> pd.DataFrame:
    """Yearly operating costs HT, itemised: staff by post (FTE × loaded salary), rent at the
    chosen site's cost per m², utilities and insurance per m², maintenance as a share of the
    equipment, IT and furniture, communication, subscriptions and the scenario's extra costs."""
    costs = settings["operating_costs"]
    posts = settings["staff_posts"]
    movable = invest.loc[invest["item"].isin(["equipment", "it", "furniture"]), "amount_ht"].sum()
    rows = [
        ("staff", post, float(fte), float(fte) * float(posts[post]["salary_eur"]))
        for post, fte in scenario["staff_fte"].items()
    ]
    rows += [
        ("rent", "", surface_m2, surface_m2 * float(rent_m2)),
        ("utilities", "", surface_m2, surface_m2 * float(costs["utilities_eur_m2"])),
        ("insurance", "", surface_m2, surface_m2 * float(costs["insurance_eur_m2"])),
        ("maintenance", "", movable, movable * float(costs["maintenance_share"])),
        ("communication", "", 1.0, float(costs["communication_eur"])),
        ("subscriptions", "", 1.0, float(costs["subscriptions_eur"])),
    ]
    rows += [
        ("other", label, 1.0, float(amount))
        for label, amount in (scenario.get("extra_costs_eur") or {}).items()
    ]
    return pd.DataFrame(
        {
            "scenario": name,
            "item": [r[0] for r in rows],
            "detail": [r[1] for r in rows],
            "quantity": [r[2] for r in rows],
            "amount": [r[3] for r in rows],
        }
    )


def cost_label(item: str, detail: str, settings: dict) -> str:
    """French label of an operating cost line."""
    if item == "staff":
        return f"Personnel : {settings['staff_posts'][detail]['label']}"
    if item == "other":
        return str(detail)
    return COST_ITEMS[item]


def demand_volumes(demand: pd.DataFrame) -> pd.DataFrame:
    """Phase 07 volumes summed by unit (low, central, high), checked."""
    missing = [c for c in DEMAND_COLUMNS if c not in demand.columns]
    if missing:
        raise ValueError(
            f"07_demand/demand: missing column(s) {', '.join(missing)}; "
            f"expected {', '.join(DEMAND_COLUMNS)}"
        )
    by_unit = demand.groupby("unit", sort=False)[["low", "central", "high"]].sum()
    bad = by_unit.loc[
        ~((by_unit["low"] <= by_unit["central"]) & (by_unit["central"] <= by_unit["high"]))
    ]
    if len(bad) or (by_unit < 0).any().any():
        unit = bad.index[0] if len(bad) else by_unit.index[(by_unit < 0).any(axis=1)][0]
        raise ValueError(
            f"07_demand/demand: unit {unit!r}: expected 0 <= low <= central <= high, found "
            f"{by_unit.loc[unit].round(1).to_dict()}"
        )
    return by_unit


def unpriced_units(volumes: pd.DataFrame, units: dict) -> list[str]:
    """Units of phase 07 that params do not price: they earn nothing (and are listed)."""
    return [u for u in volumes.index if u not in units]


def wanted_volumes(scenario: dict, volumes: pd.DataFrame, settings: dict, paying=None) -> dict:
    """By unit: the volumes a scenario would sell with no limit of capacity, once ramped up,
    as (from phase 07's demand, its share of the part that pays the price, `paying` by unit,
    1 when absent: see `pipeline.scenarios.pricing`; set by the scenario itself), 0 where none
    of its functions serves the unit."""
    own = scenario.get("activity") or {}
    paying = paying or {}
    out = {}
    for unit, spec in settings["units"].items():
        served = serves(scenario, spec["functions"])
        from_demand = (
            float(volumes["central"].get(unit, 0.0))
            * float(scenario["demand_share"])
            * float(paying.get(unit, 1.0))
        )
        out[unit] = (from_demand, float(own.get(unit, 0.0))) if served else (0.0, 0.0)
    return out


def activity_full(
    name: str, scenario: dict, wanted: dict, settings: dict, prices=None
) -> pd.DataFrame:
    """Yearly activity once ramped up, by unit: the volumes `wanted` (`wanted_volumes`) within
    the scenario's capacity (`capacity`, NaN: no limit; `capped`: the volumes wanted exceed
    it); priced at the unit's average price over its user types (`prices` by unit, else the
    price of `scenarios.units`)."""
    rows, units, prices = [], settings["units"], prices or {}
    capacities = unit_capacities(scenario, settings)
    for unit, spec in units.items():
        limit = capacities.get(unit, math.inf)
        kept = cap(*wanted[unit], limit)
        rows.append(
            {
                "scenario": name,
                "unit": unit,
                "label": unit_label(unit),
                "served": serves(scenario, spec["functions"]),
                "volume_demand": kept[0],
                "volume_scenario": kept[1],
                "price": float(prices.get(unit, spec["price"])),
                "volume_wanted": sum(wanted[unit]),
                "capacity": limit if math.isfinite(limit) else math.nan,
                "capped": sum(wanted[unit]) > limit,
            }
        )
    table = pd.DataFrame(rows)
    table["volume"] = table["volume_demand"] + table["volume_scenario"]
    table["revenue"] = table["volume"] * table["price"]
    return table


def activity_by_year(activity: pd.DataFrame, ramp: np.ndarray) -> pd.DataFrame:
    """Activity of each year of the plan: the full-year volumes and revenue times the ramp-up."""
    years = pd.DataFrame({"year": np.arange(1, len(ramp) + 1), "ramp": ramp})
    out = activity[["scenario", "unit", "label", "volume", "revenue"]].merge(years, how="cross")
    out["volume"] *= out["ramp"]
    out["revenue"] *= out["ramp"]
    return out[["scenario", "year", "ramp", "unit", "label", "volume", "revenue"]]


def pnl_lines(
    name: str, activity: pd.DataFrame, budget: pd.DataFrame, funding: dict, settings: dict
) -> pd.DataFrame:
    """The itemised yearly P&L: own revenue by unit (ramped up), grants by line, costs."""
    years = int(settings["years"])
    ramp = yearly(settings["ramp_up"], years, after="repeat")
    lines = settings["operating_funding"]
    rows = []
    for _, a in activity.loc[activity["revenue"] > 0].iterrows():
        rows += [("revenue", a["unit"], a["label"], ramp * a["revenue"])]
    for key, amounts in funding.items():
        rows += [(f"funding_{lines[key]['kind']}", key, lines[key]["label"], amounts)]
    for _, c in budget.iterrows():
        label = cost_label(c["item"], c["detail"], settings)
        rows += [("cost", c["item"], label, np.full(years, c["amount"]))]
    return pd.DataFrame(
        [
            {
                "scenario": name,
                "year": t + 1,
                "kind": kind,
                "item": item,
                "label": label,
                "amount": float(values[t]),
            }  # fmt: skip
            for kind, item, label, values in rows
            for t in range(years)
        ]
    )


def pnl(lines: pd.DataFrame) -> pd.DataFrame:
    """The yearly P&L from its lines: result = revenue + grants + partners − costs."""
    wide = lines.pivot_table(
        index=["scenario", "year"], columns="kind", values="amount", aggfunc="sum", fill_value=0.0
    )
    wide = wide.reindex(
        columns=["revenue", "funding_public", "funding_private", "cost"], fill_value=0.0
    )
    plan = pd.DataFrame(
        {
            "revenue": wide["revenue"],
            "public_funding": wide["funding_public"],
            "partner_funding": wide["funding_private"],
            "costs": wide["cost"],
        }
    ).reset_index()
    plan["result"] = (
        plan["revenue"] + plan["public_funding"] + plan["partner_funding"] - plan["costs"]
    )
    plan["cumulative"] = plan.groupby("scenario")["result"].cumsum()
    return plan


def break_even_year(plan: pd.DataFrame) -> int | None:
    """First year from which the result stays at or above zero to the end of the horizon
    (a surplus in the years of the ANCT grant alone is not a break-even); None if never."""
    ok = (plan["result"] >= -TOLERANCE).to_numpy()[::-1]
    sustained = np.logical_and.accumulate(ok)[::-1]
    years = plan["year"].to_numpy()[sustained]
    return int(years[0]) if len(years) else None


def own_revenue_share(plan: pd.DataFrame, plan_years: int) -> float:
    """Share of own revenue in all resources (own revenue, grants, partners), plan years."""
    first = plan.loc[plan["year"] <= plan_years]
    own = first["revenue"].sum()
    total = own + first["public_funding"].sum() + first["partner_funding"].sum()
    return float(own / total) if total else float("nan")


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


# --- one scenario ---------------------------------------------------------------------------


def plan_scenario(
    name: str, scenario: dict, settings: dict, volumes, rent_m2: float, pricing=None
) -> dict:
    """Every deterministic table of one scenario, its surfaces and staff sized to the volumes
    it would sell (`pipeline.scenarios.sizing`); `pricing`: by unit, the average `price` and
    the `paying_share` of the demand (`pricing.unit_prices`), else the full price for all."""
    pricing = pricing.set_index("unit") if pricing is not None else pd.DataFrame()
    paying = pricing["paying_share"].to_dict() if len(pricing) else {}
    wanted = wanted_volumes(scenario, volumes, settings, paying)
    scenario, sized = size(name, scenario, {u: sum(v) for u, v in wanted.items()}, settings)
    space = programme(name, scenario)
    surface = float(space["surface_m2"].sum())
    invest = investment(name, surface, scenario, settings)
    budget = operating_budget(name, surface, scenario, invest, rent_m2, settings)
    prices = pricing["price"].to_dict() if len(pricing) else {}
    activity = activity_full(name, scenario, wanted, settings, prices)
    funding = operating_funding(scenario, settings["operating_funding"], int(settings["years"]))
    lines = pnl_lines(name, activity, budget, funding, settings)
    uses = invest.groupby("item", sort=False)["amount_ht"].sum().to_dict()
    plan_df = funding_plan(
        name, uses, settings["investment_funding"], float(settings["min_own_share"])
    )
    accounts = pnl(lines)
    ramp = yearly(settings["ramp_up"], int(settings["plan_years"]), after="repeat")
    return {
        "scenario": scenario,
        "wanted": wanted,
        "sizing": sized,
        "activity_years": activity_by_year(activity, ramp),
        "programme": space,
        "investment": invest,
        "budget": budget,
        "activity": activity,
        "funding": funding,
        "pnl_lines": lines,
        "pnl": accounts,
        "funding_plan": plan_df,
    }


def summary_row(name: str, scenario: dict, tables: dict, settings: dict, vat_rate: float):
    """One row of the comparison of scenarios (risk columns are added later)."""
    accounts, invest_ht = tables["pnl"], float(tables["investment"]["amount_ht"].sum())
    flows = cash_flows(invest_ht, accounts["result"])
    covered = functions_covered(scenario["functions"])
    plan_years = int(settings["plan_years"])
    return {
        "scenario": name,
        "label": scenario["label"],
        "functions_covered": covered,
        "functions_ok": covered >= int(settings["required_functions"]),
        "surface_m2": float(tables["programme"]["surface_m2"].sum()),
        "investment_ht": invest_ht,
        "investment_ttc": invest_ht * (1 + float(vat_rate)),
        "opex_year": float(tables["budget"]["amount"].sum()),
        "break_even_year": break_even_year(accounts),
        "own_revenue_share": own_revenue_share(accounts, plan_years),
        "npv": npv(float(settings["discount_rate"]), flows),
        "irr": irr(flows),
        "functions": "|".join(f for f in FUNCTIONS if f in scenario["functions"]),
        "renovation": scenario["renovation"],
        "staff_fte": float(sum(scenario["staff_fte"].values())),
        "revenue_full": float(tables["activity"]["revenue"].sum()),
        "cumulative_result_plan": float(
            accounts.loc[accounts["year"] <= plan_years, "result"].sum()
        ),
    }
