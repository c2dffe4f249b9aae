"""Phase 10, what the legal-form criteria read of each scenario: facts computed from its
accounts in phase 09 (`09_scenarios/pnl`, `pnl_lines`, `funding_plan`, `scenarios`).

Over the years of the business plan (`scenarios.plan_years`), resources are own revenue, public
funding and private funding (pnl):

- `public_share`, `own_revenue_share`: public funding, own revenue, as a share of resources;
- `business_revenue_share`: revenue of the units sold to businesses
  (`governance.legal_forms.business_units`) as a share of own revenue;
- `private_lines`, `public_funders`: funding lines with an amount, operating (pnl_lines) and
  investment (funding_plan, each line's `kind` in `scenarios.investment_funding`), a funder
  present in both flows counted once;
- `public_service`: 1 when a line of `public_service_lines` has an amount or the scenario offers
  a function of `public_service_functions`, else 0;
- `operating_budget`: the operating costs of a full year (`scenarios.opex_year`).
"""

from __future__ import annotations

import pandas as pd

from pipeline.core.settings.governance import LEGAL_FACTS

FACT_COLUMNS = ["scenario", *LEGAL_FACTS]
PUBLIC, PRIVATE = "public", "private"
OPERATING_KINDS = {"funding_public": PUBLIC, "funding_private": PRIVATE}  # pnl_lines `kind`


def share(part: float, whole: float) -> float:
    """`part / whole`, 0 when there is nothing to share."""
    return float(part) / float(whole) if whole else 0.0


def funded_lines(
    scenario: str,
    pnl_lines: pd.DataFrame,
    funding_plan: pd.DataFrame,
    investment_kinds: dict[str, str],
    plan_years: int,
) -> dict[str, str]:
    """The funding lines of `scenario` with an amount, operating over the plan's years and
    investment: line key -> public or private (a line is public unless its params say private)."""
    operating = pnl_lines.loc[
        (pnl_lines["scenario"] == scenario)
        & pnl_lines["kind"].isin(list(OPERATING_KINDS))
        & (pnl_lines["year"] <= plan_years)
    ]
    paid = operating.groupby(["item", "kind"])["amount"].sum()
    lines = {item: OPERATING_KINDS[kind] for (item, kind), v in paid.items() if v > 0}
    sources = funding_plan.loc[
        (funding_plan["scenario"] == scenario)
        & (funding_plan["kind"] == "sources")
        & (funding_plan["amount_eur"] > 0)
    ]
    for line in sources["line"]:
        lines.setdefault(line, investment_kinds.get(line, PUBLIC))
    return lines


def scenario_facts(
    scenario: pd.Series,
    pnl: pd.DataFrame,
    pnl_lines: pd.DataFrame,
    funding_plan: pd.DataFrame,
    investment_kinds: dict[str, str],
    plan_years: int,
    settings: dict,
) -> dict:
    """The facts of one scenario (a row of 09_scenarios/scenarios)."""
    name = scenario["scenario"]
    plan = pnl.loc[(pnl["scenario"] == name) & (pnl["year"] <= plan_years)]
    revenue = float(plan["revenue"].sum())
    resources = revenue + float(plan["public_funding"].sum() + plan["partner_funding"].sum())
    sold = pnl_lines.loc[
        (pnl_lines["scenario"] == name)
        & (pnl_lines["kind"] == "revenue")
        & (pnl_lines["year"] <= plan_years)
        & pnl_lines["item"].isin(list(settings["business_units"]))
    ]
    lines = funded_lines(name, pnl_lines, funding_plan, investment_kinds, plan_years)
    functions = set(str(scenario["functions"]).split("|"))
    public_service = bool(set(settings["public_service_lines"]) & set(lines)) or bool(
        set(settings["public_service_functions"]) & functions
    )
    return {
        "scenario": name,
        "public_share": share(plan["public_funding"].sum(), resources),
        "own_revenue_share": share(revenue, resources),
        "business_revenue_share": share(sold["amount"].sum(), revenue),
        "private_lines": float(sum(kind == PRIVATE for kind in lines.values())),
        "public_funders": float(sum(kind == PUBLIC for kind in lines.values())),
        "public_service": float(public_service),
        "operating_budget": float(scenario["opex_year"]),
    }


def facts(
    scenarios: pd.DataFrame,
    pnl: pd.DataFrame,
    pnl_lines: pd.DataFrame,
    funding_plan: pd.DataFrame,
    investment_funding: dict,
    plan_years: int,
    settings: dict,
) -> pd.DataFrame:
    """One row per scenario (in phase 09's order), one column per fact.

    `investment_funding`: params `scenarios.investment_funding` (each line's `kind`);
    `settings`: params `governance.legal_forms`."""
    kinds = {key: spec.get("kind", PUBLIC) for key, spec in investment_funding.items()}
    rows = [
        scenario_facts(s, pnl, pnl_lines, funding_plan, kinds, plan_years, settings)
        for _, s in scenarios.iterrows()
    ]
    return pd.DataFrame(rows, columns=FACT_COLUMNS)
