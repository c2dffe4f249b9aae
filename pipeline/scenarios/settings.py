"""Phase 09 settings: the `scenarios` section of params.yaml, checked.

Every error names the params key at fault, what was expected and what was found, so that a
typo in params.yaml is fixed without reading the code.
"""

from __future__ import annotations

from numbers import Real

from pipeline.core.config import ConfigError

# The five functions of a tiers-lieu named by calls for projects (seed 003).
FUNCTIONS = {
    "fablab": "Atelier fablab ou makerspace",
    "coworking": "Espace de coworking",
    "occasional_telework": "Espace de télétravail ponctuel",
    "project_support": "Appui et conseil aux porteurs de projets",
    "digital_mediation": "Médiation aux outils et pratiques numériques",
}
SPACES = (*FUNCTIONS, "common")
RENOVATION_LEVELS = ("light", "medium", "heavy")
SHARE_ITEMS = ("it", "furniture", "studies", "contingency")
COST_KEYS = (
    "utilities_eur_m2",
    "insurance_eur_m2",
    "maintenance_share",
    "communication_eur",
    "subscriptions_eur",
)
# Criteria a weight may name, +1 when more is better, -1 when less is better.
CRITERIA = {
    "npv": 1,
    "own_revenue_share": 1,
    "functions_covered": 1,
    "deficit_probability": -1,
}
RISK_MULTIPLIERS = ("price", "services", "costs", "subsidies", "partners", "investment")
REQUIRED_KEYS = (
    "years",
    "plan_years",
    "discount_rate",
    "required_functions",
    "works_eur_m2",
    "equipment_eur",
    "investment_shares",
    "staff_posts",
    "operating_costs",
    "units",
    "ramp_up",
    "operating_funding",
    "investment_funding",
    "scenarios",
    "criteria",
    "risk",
)
SCENARIO_KEYS = ("label", "functions", "renovation", "surface_m2", "staff_fte", "demand_share")


def fail(key: str, expected: str, found) -> ConfigError:
    """An error naming the params key, what was expected and what was found."""
    return ConfigError(f"params.yaml: scenarios.{key}: expected {expected}, found {found!r}")


def is_number(x) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool)


def number(value, key: str, low: float | None = 0, high: float | None = None) -> float:
    """A number within [low, high], or an error naming its key."""
    bounds = (
        f" from {low:g} to {high:g}"
        if low is not None and high is not None
        else f" of at least {low:g}"
        if low is not None
        else ""
    )
    ok = is_number(value) and (low is None or value >= low) and (high is None or value <= high)
    if not ok:
        raise fail(key, "a number" + bounds, value)
    return float(value)


def mapping(value, key: str) -> dict:
    if not isinstance(value, dict) or not value:
        raise fail(key, "a non-empty mapping", value)
    return value


def among(values, allowed, key: str) -> None:
    """Every item of `values` is in `allowed`."""
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise fail(key, f"values among {', '.join(map(str, allowed))}", unknown[0])


def numbers(values, key: str) -> list[float]:
    if not isinstance(values, list) or not values:
        raise fail(key, "a non-empty list of numbers", values)
    return [number(v, f"{key}[{i}]") for i, v in enumerate(values)]


def triangular_spec(value, key: str) -> list[float]:
    """[low, mode, high] multipliers, increasing, non-negative."""
    ok = isinstance(value, list) and len(value) == 3 and all(is_number(v) for v in value)
    if not ok or not (0 <= value[0] <= value[1] <= value[2]):
        raise fail(key, "[low, mode, high] non-negative numbers in increasing order", value)
    return [float(v) for v in value]


def check_weights(weights: dict, key: str) -> None:
    """Non-negative weights summing to 1."""
    if not isinstance(weights, dict) or not weights:
        raise fail(key, "a non-empty mapping of weights", weights)
    for name, w in weights.items():
        number(w, f"{key}.{name}")
    total = sum(float(w) for w in weights.values())
    if abs(total - 1) > 1e-6:
        raise fail(key, "weights summing to 1", round(total, 6))


def check_scenario(name: str, scenario: dict, settings: dict) -> None:
    key = f"scenarios.{name}"
    mapping(scenario, key)
    absent = [k for k in SCENARIO_KEYS if k not in scenario]
    if absent:
        raise fail(key, f"keys {', '.join(SCENARIO_KEYS)}", f"missing {', '.join(absent)}")
    functions = scenario["functions"]
    if not isinstance(functions, list):
        raise fail(f"{key}.functions", "a list of functions", functions)
    among(functions, FUNCTIONS, f"{key}.functions")
    if scenario["renovation"] not in RENOVATION_LEVELS:
        raise fail(
            f"{key}.renovation", f"one of {', '.join(RENOVATION_LEVELS)}", scenario["renovation"]
        )
    surfaces = mapping(scenario["surface_m2"], f"{key}.surface_m2")
    among(surfaces, SPACES, f"{key}.surface_m2")
    for space, m2 in surfaces.items():
        number(m2, f"{key}.surface_m2.{space}")
    staff = mapping(scenario["staff_fte"], f"{key}.staff_fte")
    among(staff, settings["staff_posts"], f"{key}.staff_fte")
    for post, fte in staff.items():
        number(fte, f"{key}.staff_fte.{post}")
    number(scenario["demand_share"], f"{key}.demand_share", 0, 1)
    activity = scenario.get("activity", {}) or {}
    among(activity, settings["units"], f"{key}.activity")
    for unit, volume in activity.items():
        number(volume, f"{key}.activity.{unit}")
    for label, amount in (scenario.get("extra_costs_eur") or {}).items():
        number(amount, f"{key}.extra_costs_eur.{label}")
    overrides = scenario.get("operating_funding") or {}
    among(overrides, settings["operating_funding"], f"{key}.operating_funding")
    for line, amounts in overrides.items():
        numbers(amounts, f"{key}.operating_funding.{line}")


def strategy_names(value, key: str) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(key, "a list of the funder's names in the territory's strategy", value)


def check_operating_funding(lines: dict) -> None:
    mapping(lines, "operating_funding")
    cut = [name for name, spec in lines.items() if spec.get("cut_risk")]
    if len(cut) > 1:
        raise fail("operating_funding", "at most one line with cut_risk: true", cut)
    for name, spec in lines.items():
        key = f"operating_funding.{name}"
        mapping(spec, key)
        if not isinstance(spec.get("label"), str):
            raise fail(f"{key}.label", "a label", spec.get("label"))
        numbers(spec.get("eur"), f"{key}.eur")
        if spec.get("after", "zero") not in ("zero", "repeat"):
            raise fail(f"{key}.after", "zero or repeat", spec.get("after"))
        if spec.get("kind") not in ("public", "private"):
            raise fail(f"{key}.kind", "public or private", spec.get("kind"))
        if spec.get("cut_risk") and spec["kind"] != "public":
            raise fail(f"{key}.cut_risk", "a public line (kind: public)", spec["kind"])
        for cap in ("cap_year_eur", "cap_total_eur", "max_years"):
            if spec.get(cap) is not None:
                number(spec[cap], f"{key}.{cap}")
        among(spec.get("functions") or [], FUNCTIONS, f"{key}.functions")
        strategy_names(spec.get("strategy", []), f"{key}.strategy")


def check_investment_funding(lines: dict) -> None:
    mapping(lines, "investment_funding")
    balance = [name for name, spec in lines.items() if spec.get("balance")]
    if len(balance) != 1:
        raise fail("investment_funding", "exactly one line with balance: true", balance)
    total = 0.0
    for name, spec in lines.items():
        key = f"investment_funding.{name}"
        mapping(spec, key)
        if not isinstance(spec.get("label"), str):
            raise fail(f"{key}.label", "a label", spec.get("label"))
        if not spec.get("balance"):
            total += number(spec.get("share"), f"{key}.share", 0, 1)
            if spec.get("cap_eur") is not None:
                number(spec["cap_eur"], f"{key}.cap_eur")
        strategy_names(spec.get("strategy", []), f"{key}.strategy")
        payment = spec.get("payment", [1.0])
        shares = numbers(payment, f"{key}.payment")
        if abs(sum(shares) - 1) > 1e-6:
            raise fail(f"{key}.payment", "yearly shares summing to 1", payment)
    if total > 1 + 1e-9:
        raise fail("investment_funding", "shares of the other lines summing to at most 1", total)


def check_risk(risk: dict) -> None:
    mapping(risk, "risk")
    seed = risk.get("seed")
    if not (isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0):
        raise fail("risk.seed", "a non-negative integer", seed)
    draws = risk.get("draws")
    if not (isinstance(draws, int) and not isinstance(draws, bool) and draws >= 1):
        raise fail("risk.draws", "a positive integer", draws)
    for name in RISK_MULTIPLIERS:
        triangular_spec(risk.get(name), f"risk.{name}")
    number(risk.get("cut_probability"), "risk.cut_probability", 0, 1)
    number(risk.get("cut_from_year", 1), "risk.cut_from_year", 1)
    bins = risk.get("bins", 40)
    if not (isinstance(bins, int) and bins >= 2):
        raise fail("risk.bins", "an integer of at least 2", bins)


def check_settings(settings: dict) -> dict:
    """The `scenarios` params section, checked; errors name the params key at fault."""
    missing = [k for k in REQUIRED_KEYS if k not in settings]
    if missing:
        raise ConfigError(f"params.yaml: scenarios.{', scenarios.'.join(missing)} missing")
    years = number(settings["years"], "years", 1)
    plan_years = number(settings["plan_years"], "plan_years", 1, years)
    if years != int(years) or plan_years != int(plan_years):
        raise fail("years", "whole numbers of years", (settings["years"], settings["plan_years"]))
    number(settings["discount_rate"], "discount_rate", -0.99, 1)
    number(settings["required_functions"], "required_functions", 0, len(FUNCTIONS))
    works = mapping(settings["works_eur_m2"], "works_eur_m2")
    absent = [level for level in RENOVATION_LEVELS if level not in works]
    if absent:
        raise fail("works_eur_m2", f"€/m² for {', '.join(RENOVATION_LEVELS)}", sorted(works))
    for level, rate in works.items():
        number(rate, f"works_eur_m2.{level}")
    equipment = mapping(settings["equipment_eur"], "equipment_eur")
    among(equipment, FUNCTIONS, "equipment_eur")
    for function, amount in equipment.items():
        number(amount, f"equipment_eur.{function}")
    shares = mapping(settings["investment_shares"], "investment_shares")
    for item in SHARE_ITEMS:
        number(shares.get(item), f"investment_shares.{item}", 0, 1)
    for post, spec in mapping(settings["staff_posts"], "staff_posts").items():
        if not isinstance(spec, dict) or not isinstance(spec.get("label"), str):
            raise fail(f"staff_posts.{post}", "{label: …, salary_eur: …}", spec)
        number(spec.get("salary_eur"), f"staff_posts.{post}.salary_eur")
    costs = mapping(settings["operating_costs"], "operating_costs")
    for item in COST_KEYS:
        number(costs.get(item), f"operating_costs.{item}")
    for unit, spec in mapping(settings["units"], "units").items():
        mapping(spec, f"units.{unit}")
        number(spec.get("price"), f"units.{unit}.price")
        if not isinstance(spec.get("functions"), list):
            raise fail(f"units.{unit}.functions", "a list of functions ([] for any)", spec)
        among(spec["functions"], FUNCTIONS, f"units.{unit}.functions")
    for i, r in enumerate(numbers(settings["ramp_up"], "ramp_up")):
        number(r, f"ramp_up[{i}]", 0, 1)
    check_operating_funding(settings["operating_funding"])
    check_investment_funding(settings["investment_funding"])
    for name, scenario in mapping(settings["scenarios"], "scenarios").items():
        check_scenario(name, scenario, settings)
    check_weights(settings["criteria"], "criteria")
    among(settings["criteria"], CRITERIA, "criteria")
    check_risk(settings["risk"])
    return settings
