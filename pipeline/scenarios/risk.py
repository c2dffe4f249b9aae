"""Phase 09 risk: Monte Carlo of the operating results, funding cases and one-at-a-time
sensitivities.

One vectorised function, `results`, turns a scenario's `Model` and a set of multipliers
("shocks", one row per draw) into yearly results: the deterministic plan (every multiplier at
its mode, every funding line obtained), the Monte Carlo (`risk.draws` rows drawn with the seed
`risk.seed`), the funding cases and the tornado (one input at its low or high value per row) all
go through it, with no loop over draws.

Uncertain inputs, as multipliers of the central plan:
- attendance: for each unit of the demand of phase 07, triangular between its low/central
  and high/central ratios (phase 07's own hypotheses), independent between units;
- price, services (volumes the scenario sets itself: business days, events…), costs,
  subsidies (public operating grants), partners (private), investment: triangular laws
  `risk.<input>.range` [low, mode, high] of params, each with its `reason`;
- each operating funding line, obtained with its `probability` (1: certain), independently
  of the others; a line not obtained brings nothing. Investment lines do not enter the
  operating result, nor the project's NPV (the whole investment counts, whoever pays it): a
  missing one moves the EPCI's share, shown by the funding cases (`epci_investment`, from `funding.investment_sources`).
The same draws serve every scenario and every funding case (common random numbers), so that
differences between them are not noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.core.settings.scenarios import symmetric
from pipeline.core.vocabulary import RISK_MULTIPLIERS
from pipeline.scenarios.funding import balance_line, investment_sources, yearly

INPUT_LABELS = {
    "attendance": "Fréquentation (hypothèses basse et haute de la phase 07)",
    "price": "Prix pratiqués",
    "services": "Volume des prestations et événements",
    "costs": "Charges d'exploitation",
    "subsidies": "Subventions publiques de fonctionnement",
    "partners": "Apports des partenaires privés",
    "investment": "Coût d'investissement",
}
ATTENDANCE_REASON = (
    "La demande estimée en phase 07 a ses propres hypothèses basse et haute, unité par unité "
    "(les bornes indiquées sont les plus larges)."
)
LINE_LABEL = "Obtention de la ligne « {} »"
CASE_LABEL = "Cas de financement : {}"
ASSUMPTION_COLUMNS = [
    "input", "label", "low", "mode", "high", "one_sided", "probability", "reason",
]  # fmt: skip
CASE_COLUMNS = [
    "scenario", "case", "label", "cumulative_result", "npv", "epci_investment",
    "deficit_probability",
]  # fmt: skip


@dataclass(frozen=True)
class Model:
    """A scenario's plan as arrays: by unit of activity (in the order of `units`), the
    full-ramp volumes from phase 07's demand and set by the scenario, with no limit, the
    price and the capacity (inf: none); the ramp-up, yearly costs, and the grants of each
    operating line (in the order of `lines`, 0 for a line the scenario cannot have)."""

    units: tuple[str, ...]
    demand_volume: np.ndarray  # (k,)
    own_volume: np.ndarray  # (k,)
    price: np.ndarray  # (k,)
    capacity: np.ndarray  # (k,)
    ramp: np.ndarray  # (T,)
    costs: float
    lines: tuple[str, ...]  # keys of scenarios.operating_funding
    grants: np.ndarray  # (L, T)
    private: np.ndarray  # (L,) True for a private line (shocked by `partners`)
    investment: float
    rate: float


def base_shocks(k: int, lines: int, n: int = 1) -> dict[str, np.ndarray]:
    """Every multiplier at 1, every funding line obtained: the central plan."""
    shocks = {name: np.ones(n) for name in RISK_MULTIPLIERS}
    shocks["attendance"] = np.ones((n, k))
    shocks["obtained"] = np.ones((n, lines), dtype=bool)
    return shocks


def scenario_model(tables: dict, settings: dict) -> Model:
    """A scenario's plan as the arrays of the Monte Carlo, over every unit of
    `scenarios.units`."""
    activity = tables["activity"].set_index("unit").reindex(list(settings["units"]))
    wanted = tables["wanted"]
    years = int(settings["years"])
    lines = settings["operating_funding"]
    none = np.zeros(years)
    return Model(
        units=tuple(activity.index),
        demand_volume=np.array([wanted[u][0] for u in activity.index]),
        own_volume=np.array([wanted[u][1] for u in activity.index]),
        price=activity["price"].to_numpy(dtype=float),
        capacity=activity["capacity"].fillna(np.inf).to_numpy(dtype=float),
        ramp=yearly(settings["ramp_up"], years, after="repeat"),
        costs=float(tables["budget"]["amount"].sum()),
        lines=tuple(lines),
        grants=np.array([tables["funding"].get(key, none) for key in lines]).reshape(-1, years),
        private=np.array([spec["kind"] == "private" for spec in lines.values()], dtype=bool),
        investment=float(tables["investment"]["amount_ht"].sum()),
        rate=float(settings["discount_rate"]),
    )


def results(model: Model, shocks: dict[str, np.ndarray]) -> np.ndarray:
    """Yearly operating results, one row per draw: (n, T).

    Revenue (each unit's volumes drawn, the scenario's own first, within its capacity, as in
    `capacity.cap`) + the public grants obtained + the partners' − costs, summed in place into
    one array, one funding line at a time (a handful), which keeps 100 000 draws fast."""
    # Row sums by NumPy, not `@`: a BLAS matrix-vector product sums rows in an order that depends
    # on the row's position and the CPU's kernel, so a draw equal to the central plan could differ
    # from it in the last bits (a tornado bar of 1e-10 € instead of 0) and the bytes by machine.
    own = np.minimum(shocks["services"][:, None] * model.own_volume, model.capacity)
    demand = np.minimum(shocks["attendance"] * model.demand_volume, model.capacity - own)
    revenue_full = shocks["price"] * ((own + demand) * model.price).sum(axis=1)
    out = revenue_full[:, None] * model.ramp[None, :]
    for i, private in enumerate(model.private):
        multiplier = shocks["partners"] if private else shocks["subsidies"]
        kept = multiplier * shocks["obtained"][:, i]
        out += kept[:, None] * model.grants[i][None, :]
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


def probabilities(settings: dict) -> np.ndarray:
    """Each operating line's probability of being obtained, in the order of the settings."""
    return np.array(
        [float(spec.get("probability", 1.0)) for spec in settings["operating_funding"].values()]
    )


def draw(
    spec: dict, low: np.ndarray, high: np.ndarray, obtained: np.ndarray
) -> dict[str, np.ndarray]:
    """`spec["draws"]` draws of every uncertain input, reproducible with `spec["seed"]`;
    `obtained`: each funding line's probability of being obtained."""
    rng = np.random.default_rng(int(spec["seed"]))
    n, k = int(spec["draws"]), len(low)
    shocks = {"attendance": triangular(rng.random((n, k)), low, 1.0, high)}
    for name in RISK_MULTIPLIERS:
        shocks[name] = triangular(rng.random(n), *spec[name]["range"])
    shocks["obtained"] = rng.random((n, len(obtained))) < obtained
    return shocks


def draws_for(models: dict[str, Model], volumes: pd.DataFrame, settings: dict) -> dict:
    """The shocks of the Monte Carlo, shared by every scenario and funding case."""
    units = next(iter(models.values())).units
    ratios = attendance_ratios(volumes, units)
    return draw(settings["risk"], *ratios, probabilities(settings))


def monte_carlo(models: dict[str, Model], volumes: pd.DataFrame, settings: dict) -> dict:
    """Yearly results of every draw, by scenario: {name: (n, T) array}."""
    shocks = draws_for(models, volumes, settings)
    return {name: results(model, shocks) for name, model in models.items()}


def in_case(shocks: dict, lines: tuple[str, ...], without: list[str]) -> dict:
    """The shocks of a funding case: every line obtained but those in `without`."""
    obtained = np.broadcast_to([key not in without for key in lines], shocks["obtained"].shape)
    return {**shocks, "obtained": obtained}


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


def one_at_a_time(settings: dict, low: np.ndarray, high: np.ndarray) -> tuple[list, dict]:
    """Shocks with one input at its low then its high value per row, the others central; then
    each funding case but the central one (low: the case, high: the central plan).

    Row 0 is the central plan; then (input, side) pairs in the order of the returned list.
    """
    spec, lines = settings["risk"], tuple(settings["operating_funding"])
    cases = [("attendance", "low"), ("attendance", "high")]
    cases += [(name, side) for name in RISK_MULTIPLIERS for side in ("low", "high")]
    funding = {key: c["without"] for key, c in settings["funding_cases"].items() if c["without"]}
    cases += [(key, side) for key in funding for side in ("low", "high")]
    shocks = base_shocks(len(low), len(lines), 1 + len(cases))
    for i, (name, side) in enumerate(cases, start=1):
        if name == "attendance":
            shocks["attendance"][i] = low if side == "low" else high
        elif name in funding:
            if side == "low":
                shocks["obtained"][i] = [key not in funding[name] for key in lines]
        else:
            shocks[name][i] = spec[name]["range"][0 if side == "low" else 2]
    return cases, shocks


def sensitivities(models: dict[str, Model], volumes: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """Tornado data: the cumulative result over the plan years and the NPV, with each input at
    its low and high value in turn, and their change from the central plan."""
    plan_years = int(settings["plan_years"])
    units = next(iter(models.values())).units
    cases, shocks = one_at_a_time(settings, *attendance_ratios(volumes, units))
    labels = {**INPUT_LABELS, **{key: CASE_LABEL.format(c["label"])
                                 for key, c in settings["funding_cases"].items()}}  # fmt: skip
    frames = []
    for name, model in models.items():
        yearly = results(model, shocks)
        cumulative = yearly[:, :plan_years].sum(axis=1)
        values = npvs(model, shocks, yearly)
        frames.append(
            pd.DataFrame(
                {
                    "scenario": name,
                    "input": [c[0] for c in cases],
                    "label": [labels[c[0]] for c in cases],
                    "side": [c[1] for c in cases],
                    "cumulative_result": cumulative[1:],
                    "npv": values[1:],
                    "delta_cumulative": cumulative[1:] - cumulative[0],
                    "delta_npv": values[1:] - values[0],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def funding_cases(
    models: dict[str, Model], plans: dict[str, pd.DataFrame], volumes: pd.DataFrame, settings: dict
) -> pd.DataFrame:
    """Each scenario in each funding case, at the central value of every other input: the
    cumulative result over the plan years, the NPV, the EPCI's share of the investment (from the
    scenario's funding plan in `plans`), and the probability of a cumulative deficit when only
    the multipliers vary (the same draws as the Monte Carlo)."""
    plan_years = int(settings["plan_years"])
    shocks = draws_for(models, volumes, settings)
    lines = settings["investment_funding"]
    rows = []
    for name, model in models.items():
        central = base_shocks(len(model.units), len(model.lines))
        for key, case in settings["funding_cases"].items():
            one = in_case(central, model.lines, case["without"])
            yearly = results(model, one)
            drawn = results(model, in_case(shocks, model.lines, case["without"]))
            rows.append({
                "scenario": name,
                "case": key,
                "label": case["label"],
                "cumulative_result": float(yearly[0, :plan_years].sum()),
                "npv": float(npvs(model, one, yearly)[0]),
                "epci_investment": float(investment_sources(
                    plans[name], lines, case["without"], float(settings["min_own_share"])
                )[balance_line(lines)]),
                "deficit_probability": float((drawn[:, :plan_years].sum(axis=1) < 0).mean()),
            })  # fmt: skip
    return pd.DataFrame(rows, columns=CASE_COLUMNS)


def risk_assumptions(settings: dict, volumes: pd.DataFrame, units) -> pd.DataFrame:
    """Each uncertain input in words: its range as multipliers of the central plan, whether it
    is one-sided (mode ≠ mean) and why; then each funding line that may not be obtained."""
    low, high = attendance_ratios(volumes, units)
    attendance = [float(low.min(initial=1.0)), 1.0, float(high.max(initial=1.0))]
    ranges = {"attendance": (attendance, ATTENDANCE_REASON)}
    ranges |= {name: (settings["risk"][name]["range"], settings["risk"][name]["reason"])
               for name in RISK_MULTIPLIERS}  # fmt: skip
    rows = [
        [name, INPUT_LABELS[name], *spec, not symmetric(spec), float("nan"), reason]
        for name, (spec, reason) in ranges.items()
    ]
    rows += [
        [key, LINE_LABEL.format(line["label"]), 0.0, 1.0, 1.0, True, float(line["probability"]),
         line["probability_reason"]]
        for section in ("operating_funding", "investment_funding")
        for key, line in settings[section].items()
        if line.get("probability", 1.0) < 1
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=ASSUMPTION_COLUMNS)
