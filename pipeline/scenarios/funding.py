"""Phase 09 funding: operating grants within their caps, the investment funding plan (sources
equal to uses to the cent) and the cash flow of the investment and its funding."""

from __future__ import annotations

import numpy as np
import pandas as pd

INVESTMENT_ITEMS = {
    "works": "Travaux d'aménagement",
    "equipment": "Équipement des fonctions",
    "it": "Informatique et réseau",
    "furniture": "Mobilier",
    "studies": "Études et maîtrise d'œuvre",
    "contingency": "Aléas et imprévus",
}


def serves(scenario: dict, functions: list[str]) -> bool:
    """Whether a scenario offers one of `functions` (an empty list: any scenario)."""
    return not functions or bool(set(scenario["functions"]) & set(functions))


def yearly(values: list[float], years: int, after: str) -> np.ndarray:
    """A list spread over `years`: after its end, repeat the last value or put 0."""
    values = [float(v) for v in values]
    tail = values[-1] if (after == "repeat" and values) else 0.0
    return np.array([values[i] if i < len(values) else tail for i in range(years)])


def apply_caps(
    amounts: np.ndarray,
    cap_year: float | None = None,
    cap_total: float | None = None,
    max_years: float | None = None,
) -> np.ndarray:
    """A funding line within its caps: at most `cap_year` a year, `cap_total` in all, and
    nothing after `max_years` (ANCT Fabrique de territoire: 50 000 €, 150 000 €, 3 years)."""
    out = np.asarray(amounts, dtype=float).copy()
    if max_years is not None:
        out[int(max_years) :] = 0.0
    if cap_year is not None:
        out = np.minimum(out, float(cap_year))
    if cap_total is not None:
        out = np.diff(np.minimum(np.cumsum(out), float(cap_total)), prepend=0.0)
    return out


def operating_funding(scenario: dict, lines: dict, years: int) -> dict[str, np.ndarray]:
    """Yearly operating grants of each line the scenario is eligible to, within the caps."""
    overrides = scenario.get("operating_funding") or {}
    out = {}
    for key, spec in lines.items():
        if not serves(scenario, spec.get("functions") or []):
            continue
        amounts = yearly(overrides.get(key, spec["eur"]), years, spec.get("after", "zero"))
        out[key] = apply_caps(
            amounts, spec.get("cap_year_eur"), spec.get("cap_total_eur"), spec.get("max_years")
        )
    return out


def to_cents(x: float) -> int:
    return round(x * 100)


def funding_plan(name: str, uses: dict[str, float], lines: dict) -> pd.DataFrame:
    """Uses (investment items) and sources (funding lines), equal to the cent.

    Each line gets its share of the total, rounded to the cent and capped at `cap_eur`; the
    line marked `balance` takes the rest, which must not be negative.
    """
    cents = {item: to_cents(v) for item, v in uses.items()}
    total = sum(cents.values())
    sources = {}
    for key, spec in lines.items():
        if not spec.get("balance"):
            amount = round(total * float(spec["share"]))
            if spec.get("cap_eur") is not None:
                amount = min(amount, to_cents(float(spec["cap_eur"])))
            sources[key] = amount
    balance = next(k for k, spec in lines.items() if spec.get("balance"))
    sources[balance] = total - sum(sources.values())
    if sources[balance] < 0:
        raise ValueError(
            f"params.yaml: scenarios.investment_funding: the shares exceed the investment of "
            f"scenario {name!r}; the balance line {balance!r} would be {sources[balance] / 100}"
        )
    rows = [("uses", item, INVESTMENT_ITEMS.get(item, item), c) for item, c in cents.items()]
    rows += [("sources", key, lines[key]["label"], sources[key]) for key in lines]
    return pd.DataFrame(
        {
            "scenario": name,
            "kind": [r[0] for r in rows],
            "line": [r[1] for r in rows],
            "item": [r[2] for r in rows],
            "amount_eur": [r[3] / 100 for r in rows],
        }
    )


def epci_investment(plan: pd.DataFrame, lines: dict, without: list[str]) -> float:
    """The balance line's share of a scenario's investment (its `funding_plan`) when the lines
    in `without` are not obtained: the balance line takes their share."""
    uses = plan.loc[plan["kind"] == "uses"].set_index("line")["amount_eur"]
    kept = {key: spec for key, spec in lines.items() if key not in without}
    sources = funding_plan(plan["scenario"].iloc[0], uses.to_dict(), kept)
    balance = next(key for key, spec in kept.items() if spec.get("balance"))
    return float(sources.query("kind == 'sources'").set_index("line").loc[balance, "amount_eur"])


def cash_flow(name: str, plan: pd.DataFrame, funding: pd.DataFrame, lines: dict) -> pd.DataFrame:
    """Year 0 to the horizon: investment, its funding as paid (`payment` shares by year from
    year 0), operating result, net cash flow and cumulative cash position."""
    years = int(plan["year"].max())
    invest = np.zeros(years + 1)
    invest[0] = -funding.loc[funding["kind"] == "uses", "amount_eur"].sum()
    received = np.zeros(years + 1)
    for _, s in funding.loc[funding["kind"] == "sources"].iterrows():
        payment = [float(p) for p in lines[s["line"]].get("payment", [1.0])]
        received[: len(payment)] += s["amount_eur"] * np.array(payment)[: years + 1]
    result = np.concatenate([[0.0], plan["result"].to_numpy()])
    flow = invest + received + result
    return pd.DataFrame(
        {
            "scenario": name,
            "year": np.arange(years + 1),
            "investment": invest,
            "investment_funding": received,
            "operating_result": result,
            "cash_flow": flow,
            "cumulative_cash": flow.cumsum(),
        }
    )


STRATEGY_COLUMNS = ["financeur", "plan", "strategie", "actions", "cout_keur", "statut"]
# `statut` of a line of the strategy check
ASKED, ABSENT, NOT_ASKED = (
    "Financeur de la stratégie",
    "Absent de la stratégie",
    "Non sollicité par le plan",
)


def strategy_check(settings: dict, funders: pd.DataFrame) -> pd.DataFrame:
    """Each funding line of the plan (investment and operating) against the funders of the
    territory's digital strategy (phase 01): those a line names in its `strategy` list, the
    actions they fund and their cost; then the strategy's funders no line asks. Empty when
    the territory has no strategy."""
    if funders.empty:
        return pd.DataFrame(columns=STRATEGY_COLUMNS)
    by_funder = funders.set_index("funder")
    plans = {"investment_funding": "investissement", "operating_funding": "fonctionnement"}
    lines: dict[str, dict] = {}
    for section, plan in plans.items():
        for key, spec in settings[section].items():
            line = lines.setdefault(key, {"label": spec["label"], "plan": [], "names": []})
            line["plan"].append(plan)
            line["names"] += [n for n in spec.get("strategy", []) if n not in line["names"]]
    rows, asked = [], set()
    for line in lines.values():
        named = [n for n in line["names"] if n in by_funder.index]
        asked.update(named)
        rows.append(
            [line["label"], " et ".join(line["plan"]), ", ".join(named) or "—",
             int(by_funder.loc[named, "actions"].sum()), float(by_funder.loc[named, "cost_keur"].sum()),
             ASKED if named else ABSENT]
        )  # fmt: skip
    for funder, row in by_funder.drop(index=sorted(asked)).iterrows():
        rows.append([funder, "—", funder, int(row["actions"]), float(row["cost_keur"]),
                     NOT_ASKED])  # fmt: skip
    return pd.DataFrame(rows, columns=STRATEGY_COLUMNS)
