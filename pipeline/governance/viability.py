"""Phase 10, what makes each scenario viable, from its accounts in phase 09 (`pnl`): its
operating budget is its yearly costs, sized to its demand in phase 09 (the smallest programme
that serves it); the public funding that budget needs each year to break even is what the
costs leave after own revenue and private funding; beside it, the public funding the plan
counts on, and the gap (need − plan: above 0, public money still to find; below 0, a surplus)."""

from __future__ import annotations

import pandas as pd

VIABILITY_COLUMNS = [
    "scenario", "year", "costs", "revenue", "private_funding", "public_needed",
    "public_planned", "gap", "public_share_needed", "recommended",
]  # fmt: skip


def viability(pnl: pd.DataFrame, scenarios: pd.DataFrame, plan_years: int) -> pd.DataFrame:
    """One row per scenario and year of the plan: costs, own revenue, private funding, the
    public funding needed to break even (0 when revenue and private funding cover the costs),
    the public funding planned, the gap, and the share of the costs public money must pay."""
    plan = pnl.loc[pnl["year"] <= plan_years].copy()
    plan["private_funding"] = plan["partner_funding"]
    plan["public_needed"] = (plan["costs"] - plan["revenue"] - plan["private_funding"]).clip(
        lower=0.0
    )
    plan["public_planned"] = plan["public_funding"]
    plan["gap"] = plan["public_needed"] - plan["public_planned"]
    plan["public_share_needed"] = plan["public_needed"] / plan["costs"].where(plan["costs"] > 0)
    recommended = dict(zip(scenarios["scenario"], scenarios["recommended"].astype(bool)))
    plan["recommended"] = plan["scenario"].map(recommended).fillna(False).astype(bool)
    order = list(scenarios["scenario"])
    plan["order"] = plan["scenario"].map(order.index)
    plan = plan.sort_values(["order", "year"], kind="stable").reset_index(drop=True)
    return plan[VIABILITY_COLUMNS]


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per scenario: the yearly budget (costs of the last year of the plan, at full
    activity), the public funding it needs that year and at most over the plan, the years the
    plan's public funding falls short (the first, and all `|`-separated), and the largest
    yearly gap."""
    rows = []
    for name, rows_of in table.groupby("scenario", sort=False):
        last = rows_of.iloc[-1]
        short = rows_of.loc[rows_of["gap"] > 0, "year"]
        rows.append({
            "scenario": name, "budget": float(last["costs"]),
            "public_needed_full_year": float(last["public_needed"]),
            "public_share_needed": float(last["public_share_needed"]),
            "public_needed_max": float(rows_of["public_needed"].max()),
            "public_planned_full_year": float(last["public_planned"]),
            "first_short_year": int(short.iloc[0]) if len(short) else pd.NA,
            "short_years": "|".join(str(int(y)) for y in short),
            "max_gap": float(rows_of["gap"].max()),
            "recommended": bool(last["recommended"]),
        })  # fmt: skip
    out = pd.DataFrame(rows)
    out["first_short_year"] = out["first_short_year"].astype("Int64")
    return out
