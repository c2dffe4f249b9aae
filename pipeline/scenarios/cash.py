"""Phase 09, cash: the cash curve of each scenario over the horizon in the central funding
case, the year-0 cash need (the works are paid before the grants arrive) and the working
capital to set aside at opening.

Cash comes in from the investment funding as paid (`funding.investment_schedule`: each line's
`payment` shares after its `delay_years`, the EPCI's own share included), own revenue and the
operating grants; it goes out for the investment (year 0) and the operating costs. The deficits
the EPCI would cover are not counted in: the curve shows what must be covered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CASH_COLUMNS = [
    "scenario", "year", "investment", "investment_funding", "revenue", "operating_grants",
    "costs", "balance", "cumulative",
]  # fmt: skip


def cash_curve(funders: pd.DataFrame, pnl: pd.DataFrame, investment: float) -> pd.DataFrame:
    """One scenario's cash per year, 0 to the horizon, from its `funders` in one funding case
    and its accounts: each flow (outflows negative), the balance and the cumulative position."""
    by_flow = funders.pivot_table(
        index="year", columns="flow", values="amount_eur", aggfunc="sum", fill_value=0.0
    ).reindex(columns=["investment", "operation"], fill_value=0.0)
    years = by_flow.index.to_numpy()
    planned = pnl.set_index("year")[["revenue", "costs"]].reindex(years, fill_value=0.0)
    out = pd.DataFrame(
        {
            "year": years,
            "investment": np.where(years == 0, -float(investment), 0.0),
            "investment_funding": by_flow["investment"].to_numpy(),
            "revenue": planned["revenue"].to_numpy(),
            "operating_grants": by_flow["operation"].to_numpy(),
            "costs": -planned["costs"].to_numpy(),
        }
    )
    out["balance"] = out.drop(columns="year").sum(axis=1)
    out["cumulative"] = out["balance"].cumsum()
    return out


def cash_tables(funders: pd.DataFrame, pnl: pd.DataFrame, plan: pd.DataFrame, case: str):
    """The cash curve of every scenario in funding case `case` (table `cash`)."""
    invested = plan.loc[plan["kind"] == "uses"].groupby("scenario", sort=False)["amount_eur"].sum()
    rows = [
        cash_curve(
            funders.loc[(funders["scenario"] == name) & (funders["case"] == case)],
            pnl.loc[pnl["scenario"] == name],
            total,
        ).assign(scenario=name)
        for name, total in invested.items()
    ]
    return pd.concat(rows, ignore_index=True)[CASH_COLUMNS]


def cash_needs(cash: pd.DataFrame, pnl: pd.DataFrame, months: float) -> pd.DataFrame:
    """By scenario: the year-0 cash need (the investment paid in year 0 less the funding
    received in year 0, 0 when that funding covers it), the working capital (`months` of the
    first year's operating costs, paid before revenue and grants come in) and their sum, the
    cash to find at opening."""
    first = cash.loc[cash["year"] == 0].set_index("scenario")
    need = (-first["balance"]).clip(lower=0.0)
    year1 = pnl.loc[pnl["year"] == 1].set_index("scenario")["costs"]
    out = pd.DataFrame(
        {
            "cash_need_year0": need,
            "working_capital": year1.reindex(need.index) * float(months) / 12,
        }
    )
    out["cash_need_start"] = out["cash_need_year0"] + out["working_capital"]
    return out.rename_axis("scenario").reset_index()
