"""Phase 09 risk: Monte Carlo of the operating results and one-at-a-time sensitivities.

One vectorised function, `results`, turns a scenario's `Model` and a set of multipliers
("shocks", one row per draw) into yearly results: the deterministic plan (every multiplier 1,
no cut), the Monte Carlo (`risk.draws` rows drawn with the seed `risk.seed`) and the tornado
(one input at its low or high value per row) all go through it, with no loop over draws.

Uncertain inputs, as multipliers of the central plan:
- attendance: for each unit of the demand of phase 07, triangular between its low/central
  and high/central ratios (phase 07's own hypotheses), independent between units;
- price, services (volumes the scenario sets itself: business days, events…), costs,
  subsidies (public operating grants), partners (private), investment: triangular laws
  [low, mode, high] of params;
- the cut of the operating line marked `cut_risk` (ANCT Fabrique de territoire: the 2025 draft
  budget proposed cutting it, see the design reference), with probability `cut_probability`,
  from year `cut_from_year` on.
The same draws serve every scenario (common random numbers), so that differences between
scenarios are not noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.core.vocabulary import RISK_MULTIPLIERS
from pipeline.scenarios.funding import yearly

INPUT_LABELS = {
    "attendance": "Fréquentation (hypothèses basse et haute de la phase 07)",
    "price": "Prix pratiqués",
    "services": "Volume des prestations et événements",
    "costs": "Charges d'exploitation",
    "subsidies": "Subventions publiques de fonctionnement",
    "partners": "Apports des partenaires privés",
    "investment": "Coût d'investissement",
    "cut": "Suppression de la ligne {label}",
}


@dataclass(frozen=True)
class Model:
    """A scenario's plan as arrays: full-ramp revenue from each unit of phase 07 (in the order
    of `units`), from the volumes the scenario sets, the ramp-up, yearly costs and grants."""

    units: tuple[str, ...]
    demand_revenue: np.ndarray  # (k,)
    own_revenue: float
    ramp: np.ndarray  # (T,)
    costs: float
    public: np.ndarray  # (T,) public grants not at risk of a cut
    cut: np.ndarray  # (T,) the line at risk of a cut
    partners: np.ndarray  # (T,)
    investment: float
    rate: float
    cut_from: int  # first year (1-based) without the cut line, in a draw where it is cut
    cut_label: str = ""


def base_shocks(k: int, n: int = 1) -> dict[str, np.ndarray]:
    """Every multiplier at 1, no cut: the central plan."""
    shocks = {name: np.ones(n) for name in RISK_MULTIPLIERS}
    shocks["attendance"] = np.ones((n, k))
    shocks["cut"] = np.zeros(n, dtype=bool)
    return shocks


def scenario_model(tables: dict, settings: dict, units: list[str]) -> Model:
    """A scenario's plan as the arrays of the Monte Carlo; `units`: priced units of phase 07."""
    activity = tables["activity"].set_index("unit")
    revenue = activity["volume_demand"] * activity["price"]
    years = int(settings["years"])
    lines = settings["operating_funding"]
    public, cut, partners = np.zeros(years), np.zeros(years), np.zeros(years)
    cut_label = ""
    for key, amounts in tables["funding"].items():
        if lines[key].get("cut_risk"):
            cut, cut_label = cut + amounts, lines[key]["label"]
        elif lines[key]["kind"] == "public":
            public = public + amounts
        else:
            partners = partners + amounts
    return Model(
        units=tuple(units),
        demand_revenue=np.array([float(revenue.get(u, 0.0)) for u in units]),
        own_revenue=float((activity["volume_scenario"] * activity["price"]).sum()),
        ramp=yearly(settings["ramp_up"], years, after="repeat"),
        costs=float(tables["budget"]["amount"].sum()),
        public=public,
        cut=cut,
        partners=partners,
        investment=float(tables["investment"]["amount_ht"].sum()),
        rate=float(settings["discount_rate"]),
        cut_from=int(settings["risk"].get("cut_from_year", 1)),
        cut_label=cut_label,
    )


def results(model: Model, shocks: dict[str, np.ndarray]) -> np.ndarray:
    """Yearly operating results, one row per draw: (n, T).

    Revenue + public grants + partners − costs, summed in place into one array (a single
    temporary besides), which keeps 100 000 draws fast."""
    years = np.arange(1, len(model.ramp) + 1)
    # Row sums by NumPy, not `@`: a BLAS matrix-vector product sums rows in an order that depends
    # on the row's position and the CPU's kernel, so a draw equal to the central plan could differ
    # from it in the last bits (a tornado bar of 1e-10 € instead of 0) and the bytes by machine.
    attendance = (shocks["attendance"] * model.demand_revenue).sum(axis=1)
    revenue_full = shocks["price"] * (attendance + shocks["services"] * model.own_revenue)
    out = revenue_full[:, None] * model.ramp[None, :]
    # Public grants of each year: every line, or without the cut line from `cut_from` on.
    with_cut_line = model.public + model.cut
    without = model.public + model.cut * (years < model.cut_from)
    grants = np.where(shocks["cut"][:, None], without[None, :], with_cut_line[None, :])
    out += np.multiply(shocks["subsidies"][:, None], grants, out=grants)
    out += np.multiply(shocks["partners"][:, None], model.partners[None, :], out=grants)
    out -= (shocks["costs"] * model.costs)[:, None]
    return out


def npvs(model: Model, shocks: dict[str, np.ndarray], yearly: np.ndarray) -> np.ndarray:
    """Net present value of each draw: investment at t = 0, then the yearly results."""
    discount = (1 + model.rate) ** -np.arange(1, yearly.shape[1] + 1)
    return -model.investment * shocks["investment"] + (yearly * discount).sum(axis=1)  # not `@`


def triangular(u: np.ndarray, low, mode, high) -> np.ndarray:
    """Inverse CDF of the triangular law at the uniforms `u` (arrays broadcast; a law whose
    low equals its high is that constant)."""
    low, mode, high = (np.asarray(x, dtype=float) for x in (low, mode, high))
    span = high - low
    safe = np.where(span > 0, span, 1.0)
    cut = np.where(span > 0, (mode - low) / safe, 0.5)
    left = low + np.sqrt(u * span * (mode - low))
    right = high - np.sqrt((1 - u) * span * (high - mode))
    return np.where(u < cut, left, right)


def attendance_ratios(volumes: pd.DataFrame, units) -> tuple[np.ndarray, np.ndarray]:
    """Low/central and high/central of each unit of phase 07 (1 when the central is 0)."""
    rows = volumes.reindex(list(units))
    central = rows["central"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(central > 0, rows["low"].to_numpy(dtype=float) / central, 1.0)
        high = np.where(central > 0, rows["high"].to_numpy(dtype=float) / central, 1.0)
    return low, high


def draw(spec: dict, low: np.ndarray, high: np.ndarray) -> dict[str, np.ndarray]:
    """`spec["draws"]` draws of every uncertain input, reproducible with `spec["seed"]`."""
    rng = np.random.default_rng(int(spec["seed"]))
    n, k = int(spec["draws"]), len(low)
    shocks = {"attendance": triangular(rng.random((n, k)), low, 1.0, high)}
    for name in RISK_MULTIPLIERS:
        shocks[name] = triangular(rng.random(n), *spec[name])
    shocks["cut"] = rng.random(n) < float(spec["cut_probability"])
    return shocks


def monte_carlo(models: dict[str, Model], volumes: pd.DataFrame, settings: dict) -> dict:
    """Yearly results of every draw, by scenario: {name: (n, T) array}."""
    units = next(iter(models.values())).units
    shocks = draw(settings["risk"], *attendance_ratios(volumes, units))
    return {name: results(model, shocks) for name, model in models.items()}


def cumulative_deficit_probability(draws: dict, plan_years: int) -> dict[str, float]:
    """Probability that the cumulative result after `plan_years` is negative, by scenario."""
    return {name: float((r[:, :plan_years].sum(axis=1) < 0).mean()) for name, r in draws.items()}


def yearly_risk(draws: dict) -> pd.DataFrame:
    """By scenario and year: probability of a deficit that year and of a cumulative deficit,
    and the 10th, 50th and 90th percentiles of the result and of the cumulative result."""
    frames = []
    for name, r in draws.items():
        cumulative = r.cumsum(axis=1)
        q = np.percentile(r, [10, 50, 90], axis=0)
        qc = np.percentile(cumulative, [10, 50, 90], axis=0)
        frames.append(
            pd.DataFrame(
                {
                    "scenario": name,
                    "year": np.arange(1, r.shape[1] + 1),
                    "deficit_probability": (r < 0).mean(axis=0),
                    "cumulative_deficit_probability": (cumulative < 0).mean(axis=0),
                    "result_p10": q[0],
                    "result_p50": q[1],
                    "result_p90": q[2],
                    "cumulative_p10": qc[0],
                    "cumulative_p50": qc[1],
                    "cumulative_p90": qc[2],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def histogram(draws: dict, plan_years: int, spec: dict) -> pd.DataFrame:
    """Distribution of the cumulative result after `plan_years`: share of the draws in each
    bin, the same bins for every scenario."""
    totals = {name: r[:, :plan_years].sum(axis=1) for name, r in draws.items()}
    edges = np.histogram_bin_edges(np.concatenate(list(totals.values())), int(spec.get("bins", 40)))
    frames = [
        pd.DataFrame(
            {
                "scenario": name,
                "bin_low": edges[:-1],
                "bin_high": edges[1:],
                "share": np.histogram(values, edges)[0] / len(values),
            }
        )
        for name, values in totals.items()
    ]
    return pd.concat(frames, ignore_index=True)


def one_at_a_time(spec: dict, low: np.ndarray, high: np.ndarray) -> tuple[list, dict]:
    """Shocks with one input at its low then its high value per row, the others central.

    Row 0 is the central plan; then (input, side) pairs in the order of the returned list.
    """
    cases = [("attendance", "low"), ("attendance", "high")]
    cases += [(name, side) for name in RISK_MULTIPLIERS for side in ("low", "high")]
    cases += [("cut", "low"), ("cut", "high")]
    shocks = base_shocks(len(low), 1 + len(cases))
    for i, (name, side) in enumerate(cases, start=1):
        if name == "attendance":
            shocks["attendance"][i] = low if side == "low" else high
        elif name == "cut":
            shocks["cut"][i] = side == "low"  # the low case is the cut
        else:
            shocks[name][i] = spec[name][0] if side == "low" else spec[name][2]
    return cases, shocks


def sensitivities(models: dict[str, Model], volumes: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """Tornado data: the cumulative result over the plan years and the NPV, with each input at
    its low and high value in turn, and their change from the central plan."""
    plan_years = int(settings["plan_years"])
    units = next(iter(models.values())).units
    cases, shocks = one_at_a_time(settings["risk"], *attendance_ratios(volumes, units))
    frames = []
    for name, model in models.items():
        yearly = results(model, shocks)
        cumulative = yearly[:, :plan_years].sum(axis=1)
        values = npvs(model, shocks, yearly)
        label = f"« {model.cut_label} »" if model.cut_label else "menacée"
        frames.append(
            pd.DataFrame(
                {
                    "scenario": name,
                    "input": [c[0] for c in cases],
                    "label": [INPUT_LABELS[c[0]].format(label=label) for c in cases],
                    "side": [c[1] for c in cases],
                    "cumulative_result": cumulative[1:],
                    "npv": values[1:],
                    "delta_cumulative": cumulative[1:] - cumulative[0],
                    "delta_npv": values[1:] - values[0],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
