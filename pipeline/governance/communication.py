"""Phase 10, communication: what the teams in charge of communication need for each target
public of phase 07 (seed 003, mission 3): how many people, the services the recommended
scenario offers them, their price, and the first launch action aimed at them."""

from __future__ import annotations

import pandas as pd

from pipeline.core.vocabulary import FUNCTIONS, FUNCTIONS_SHORT
from pipeline.governance.launch import ALL_PUBLICS

COLUMNS = ["segment", "label", "users", "services", "price_low", "price_high", "unit",
           "first_month", "first_action"]  # fmt: skip


def _services(unit: str, units: dict, offered: list[str]) -> str:
    """The functions of the scenario able to sell `unit` (the vocabulary's short forms)."""
    spec = units.get(unit)
    able = (spec["functions"] or list(FUNCTIONS)) if spec else []
    return ", ".join(FUNCTIONS_SHORT[f] for f in FUNCTIONS if f in able and f in offered)


def _first(programme: pd.DataFrame, segment: str) -> tuple[int | None, str]:
    """The first action naming `segment` (else the first for all publics)."""
    for wanted in (segment, ALL_PUBLICS):
        named = programme.loc[programme["publics"].map(lambda p, w=wanted: w in p.split("|"))]
        if len(named):
            row = named.sort_values("mois", kind="stable").iloc[0]
            return int(row["mois"]), str(row["action"])
    return None, ""


def communication(
    demand: pd.DataFrame, grid: pd.DataFrame, programme: pd.DataFrame, offered: list[str],
    settings: dict,
) -> pd.DataFrame:  # fmt: skip
    """One row per target public of phase 07: potential users, services offered, the range
    of their prices by user type (params scenarios.pricing.segments) and the first action of
    the launch programme for them. `settings`: params' `scenarios` section."""
    rows = []
    for seg in demand.itertuples():
        services = _services(seg.unit, settings["units"], offered)
        types = list(settings["pricing"]["segments"].get(seg.segment, {}))
        prices = grid.loc[(grid["unit"] == seg.unit) & grid["user_type"].isin(types), "price"]
        if prices.empty:  # a unit without a grid: its one price for all
            prices = grid.loc[grid["unit"] == seg.unit, "price"]
        prices = prices if services else prices.iloc[:0]  # nothing offered, nothing priced
        month, action = _first(programme, seg.segment)
        rows.append([
            seg.segment, seg.label, float(seg.users), services,
            float(prices.min()) if len(prices) else float("nan"),
            float(prices.max()) if len(prices) else float("nan"),
            seg.unit, month, action,
        ])  # fmt: skip
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype({"first_month": "Int64"})
