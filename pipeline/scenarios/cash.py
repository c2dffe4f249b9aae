"""Phase 09, cash: the cash curve of each scenario over the horizon in the central funding
case and the year-0 cash need (the works are paid before the grants arrive).

Cash comes in from the investment funding as paid (each line's `payment` shares after its
`delay_years`, the EPCI's own share included), own revenue and the operating grants; it goes
out for the investment (year 0) and the operating costs. The deficits the EPCI would cover are
not counted in: the curve shows what must be covered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def cash_curve(funders: pd.DataFrame, pnl: pd.DataFrame, investment: float) -> pd.DataFrame:
    """One scenario's cash per year, 0 to the horizon, from its `funders` in one funding case
    and its accounts: cash in, cash out, balance and cumulative position."""
    cash_in = funders.groupby("year")["amount_eur"].sum()
    years = cash_in.index.to_numpy()
    planned = pnl.set_index("year")[["revenue", "costs"]].reindex(years, fill_value=0.0)
    cash_in = cash_in + planned["revenue"]
    cash_out = planned["costs"] + np.where(years == 0, float(investment), 0.0)
    out = pd.DataFrame(
        {"year": years, "cash_in": cash_in.to_numpy(), "cash_out": cash_out.to_numpy()}
    )
    out["balance"] = out["cash_in"] - out["cash_out"]
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
    out = pd.concat(rows, ignore_index=True)
    return out[["scenario", "year", "cash_in", "cash_out", "balance", "cumulative"]]


def cash_need_year0(cash: pd.DataFrame) -> pd.Series:
    """By scenario: the investment paid in year 0 less the funding received in year 0 (0 when
    the funding received covers it)."""
    first = cash.loc[cash["year"] == 0].set_index("scenario")
    return (first["cash_out"] - first["cash_in"]).clip(lower=0.0).rename("cash_need_year0")
