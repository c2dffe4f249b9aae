"""Phase 09 funding: operating grants within their caps, the investment funding plan (sources
equal to uses to the cent) and the schedule of its payments."""

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


def staffed(scenario: dict, minimum: dict[str, float]) -> bool:
    """Whether the scenario has at least `minimum` FTE of each post (a label's required agents)."""
    staff = scenario.get("staff_fte") or {}
    return all(float(staff.get(post, 0.0)) >= float(fte) - 1e-9 for post, fte in minimum.items())


def operating_funding(scenario: dict, lines: dict, years: int) -> dict[str, np.ndarray]:
    """Yearly operating grants of each line the scenario is eligible to (one of the line's
    `functions`, its `min_fte` staff), within the caps; a line `per_fte` of a post grants its
    amounts for each FTE of that post the scenario has (a State grant per mediator)."""
    overrides = scenario.get("operating_funding") or {}
    out = {}
    for key, spec in lines.items():
        if not serves(scenario, spec.get("functions") or []):
            continue
        if not staffed(scenario, spec.get("min_fte") or {}):
            continue
        amounts = yearly(overrides.get(key, spec["eur"]), years, spec.get("after", "zero"))
        if spec.get("per_fte"):
            amounts = amounts * float((scenario.get("staff_fte") or {}).get(spec["per_fte"], 0.0))
        out[key] = apply_caps(
            amounts, spec.get("cap_year_eur"), spec.get("cap_total_eur"), spec.get("max_years")
        )
    return out


def to_cents(x: float) -> int:
    return round(x * 100)


def grants(total: int, lines: dict, min_own_share: float) -> dict[str, int]:
    """Each line's grant in cents of an investment of `total` cents, before the balance line.

    A line gets its share, rounded to the cent and capped at `cap_eur`. When the public lines
    would leave the balance line (the EPCI) less than `min_own_share` of the public funding
    (its own included), they are scaled down pro rata to leave it exactly that share of what
    the private lines do not pay (CGCT art. L1111-10 III).
    """
    sources = {}
    for key, spec in lines.items():
        if not spec.get("balance"):
            amount = round(total * float(spec["share"]))
            if spec.get("cap_eur") is not None:
                amount = min(amount, to_cents(float(spec["cap_eur"])))
            sources[key] = amount
    public = [k for k in sources if lines[k].get("kind", "public") == "public"]
    private = sum(v for k, v in sources.items() if k not in public)
    granted = sum(sources[k] for k in public)
    own = total - private - granted
    if granted and own < min_own_share * (granted + own):
        factor = (1 - min_own_share) * (total - private) / granted
        sources.update({k: round(sources[k] * factor) for k in public})
    return sources


def balance_line(lines: dict) -> str:
    """The line that takes the rest of the investment: the EPCI's own funding."""
    return next(key for key, spec in lines.items() if spec.get("balance"))


def funding_plan(
    name: str, uses: dict[str, float], lines: dict, min_own_share: float = 0.0
) -> pd.DataFrame:
    """Uses (investment items) and sources (funding lines, see `grants`), equal to the cent:
    the line marked `balance` takes the rest, which must not be negative."""
    cents = {item: to_cents(v) for item, v in uses.items()}
    total = sum(cents.values())
    sources = grants(total, lines, min_own_share)
    balance = balance_line(lines)
    sources[balance] = total - sum(sources.values())
    if sources[balance] < 0:
        raise ValueError(
            f"params.yaml: scenarios.investment_funding: the private lines exceed the investment "
            f"of scenario {name!r}; the balance line {balance!r} would be {sources[balance] / 100}"
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


def investment_sources(
    plan: pd.DataFrame, lines: dict, without: list[str], min_own_share: float
) -> pd.Series:
    """Each line's funding of a scenario's investment (its `funding_plan`) when the lines in
    `without` are not obtained (0 for them): the balance line takes their share."""
    uses = plan.loc[plan["kind"] == "uses"].set_index("line")["amount_eur"].to_dict()
    kept = {key: spec for key, spec in lines.items() if key not in without}
    sources = funding_plan(plan["scenario"].iloc[0], uses, kept, min_own_share)
    amounts = sources.loc[sources["kind"] == "sources"].set_index("line")["amount_eur"]
    return amounts.reindex(list(lines), fill_value=0.0)


def paid_by_year(amount: float, payment: list[float], delay: int, years: int) -> np.ndarray:
    """An investment line's amount as paid, years 0 to `years`: its `payment` shares from year
    `delay` on."""
    if delay + len(payment) > years + 1:
        raise ValueError(
            f"params.yaml: scenarios.investment_funding: a payment over {len(payment)} years "
            f"after a delay of {delay} ends beyond the horizon (scenarios.years: {years})"
        )
    paid = np.zeros(years + 1)
    paid[delay : delay + len(payment)] = amount * np.asarray(payment, dtype=float)
    return paid


def investment_schedule(sources: pd.Series, lines: dict, years: int) -> pd.DataFrame:
    """Each investment line's payments (`investment_sources`) by year, 0 to `years`: the one
    schedule behind the funders' table, the EPCI's bill and the cash curve."""
    rows = [
        (key, spec["label"], year, paid)
        for key, spec in lines.items()
        for year, paid in enumerate(
            paid_by_year(float(sources[key]), spec.get("payment", [1.0]),
                         int(spec.get("delay_years", 0)), years)
        )
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["funder", "label", "year", "amount_eur"])


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
