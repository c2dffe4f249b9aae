"""The `scenarios` section of params.yaml: the business plans of phase 09."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from pipeline.core.settings.base import (
    Amount,
    Section,
    Share,
    names_among,
    refuse,
    unknown,
    weights_sum_to_one,
)
from pipeline.core.settings.scenarios_fit import NeedsFit, Pricing, RankingRobustness
from pipeline.core.settings.whatif import WhatIfSettings
from pipeline.core.vocabulary import FUNCTIONS, UNITS

# A business plan or an NPV horizon beyond 50 years says nothing about a third place.
MAX_HORIZON_YEARS = 50
# A real discount rate of -99 % or more than 100 % a year is a typo.
MIN_RATE, MAX_RATE = -0.99, 1.0
# Investment shares may not exceed the investment by more than a rounding error.
SHARE_TOLERANCE = 1e-9
# A risk range is symmetric when its two sides differ by less than a rounding error.
SYMMETRY_TOLERANCE = 1e-9

Function = Literal[tuple(FUNCTIONS)]
SPACES = (*FUNCTIONS, "common")
CRITERIA = (
    "npv", "own_revenue_share", "functions_covered", "needs_fit", "deficit_probability",
    "epci_net_cost_per_inhabitant",
)  # fmt: skip


def _increasing(spec: list[float]) -> list[float]:
    if not spec[0] <= spec[1] <= spec[2]:
        raise ValueError("[low, mode, high] multipliers, 0 or more, in increasing order")
    return spec


Triangular = Annotated[
    list[Amount],
    Field(min_length=3, max_length=3, description="[low, mode, high] multipliers, 0 or more, "
          "in increasing order"),
    AfterValidator(_increasing),
]  # fmt: skip


def _sum_to_one(shares: list[float]) -> list[float]:
    weights_sum_to_one(dict(enumerate(shares)))
    return shares


class WorksRates(Section):
    light: Amount = Field(description="€ HT per m² of a light renovation, 0 or more")
    medium: Amount = Field(description="€ HT per m² of a medium renovation, 0 or more")
    heavy: Amount = Field(description="€ HT per m² of a heavy renovation, 0 or more")


class InvestmentShares(Section):
    it: Share = Field(description="IT as a share of the works, from 0 to 1")
    furniture: Share = Field(description="furniture as a share of the works, from 0 to 1")
    studies: Share = Field(description="studies as a share of the works, from 0 to 1")
    contingency: Share = Field(description="contingencies as a share of the other items, 0 to 1")


class StaffPost(Section):
    label: str = Field(description="the post's name shown to readers")
    salary_eur: Amount = Field(description="the loaded yearly cost of one FTE, € 0 or more")


class OperatingCosts(Section):
    utilities_eur_m2: Amount = Field(description="€ HT per m² a year, 0 or more")
    insurance_eur_m2: Amount = Field(description="€ HT per m² a year, 0 or more")
    maintenance_share: Amount = Field(
        description="a share of equipment, IT and furniture, 0 or more"
    )
    communication_eur: Amount = Field(description="€ HT a year, 0 or more")
    subscriptions_eur: Amount = Field(description="€ HT a year, 0 or more")


class UnitPrice(Section):
    price: Amount = Field(description="the price of one unit, € HT, 0 or more")
    functions: list[Function] = Field(
        description=f"the functions able to serve the unit, among {', '.join(FUNCTIONS)} "
        "([] for any scenario)"
    )


def symmetric(spec: list[float]) -> bool:
    """Whether a [low, mode, high] range is symmetric around its mode (mode = mean)."""
    low, mode, high = spec
    return abs((mode - low) - (high - mode)) <= SYMMETRY_TOLERANCE


class Uncertain(Section):
    """A funding line's chance of being obtained, drawn by the risk simulation."""

    probability: Share = Field(
        1.0, description="the probability of obtaining the line, from 0 to 1 (1: certain)"
    )
    probability_reason: str = Field(
        "", description="why the line may not be obtained, in French (required below 1)"
    )

    @model_validator(mode="after")
    def _reason(self) -> Uncertain:
        if self.probability < 1 and not self.probability_reason.strip():
            raise ValueError("a probability_reason (French) for a probability below 1")
        return self


class OperatingLine(Uncertain):
    label: str = Field(description="the funder's name shown to readers")
    kind: Literal["public", "private"] = Field(description="public or private")
    eur: list[Amount] = Field(
        min_length=1, description="a non-empty list of yearly amounts, € 0 or more"
    )
    after: Literal["zero", "repeat"] = Field("zero", description="zero or repeat")
    cap_year_eur: Amount | None = Field(None, description="a yearly cap, € 0 or more")
    cap_total_eur: Amount | None = Field(None, description="a cap over all years, € 0 or more")
    max_years: int | None = Field(None, ge=0, description="a whole number of years, 0 or more")
    functions: list[Function] = Field(
        [], description=f"functions among {', '.join(FUNCTIONS)} (only scenarios offering one)"
    )
    strategy: list[str] = Field(
        [], description="a list of the funder's names in the territory's strategy"
    )
    per_fte: str | None = Field(
        None, description="a post of scenarios.staff_posts: `eur` is then by FTE of that post"
    )
    min_fte: dict[str, Amount] = Field(
        {}, description="FTE by post of scenarios.staff_posts the scenario needs for the line"
    )


class InvestmentLine(Uncertain):
    label: str = Field(description="the funder's name shown to readers")
    kind: Literal["public", "private"] = Field("public", description="public or private")
    share: Share | None = Field(None, description="a share of the investment HT, from 0 to 1")
    cap_eur: Amount | None = Field(None, description="a cap, € 0 or more")
    balance: bool = Field(False, description="true for the one line that takes the rest")
    payment: Annotated[list[Amount], AfterValidator(_sum_to_one)] = Field(
        [1.0], min_length=1, description="yearly shares from year 0, summing to 1"
    )
    delay_years: int = Field(
        0,
        ge=0,
        description="whole years between paying the works and receiving the grant, 0 or more",
    )
    strategy: list[str] = Field(
        [], description="a list of the funder's names in the territory's strategy"
    )

    @model_validator(mode="after")
    def _share_or_balance(self) -> InvestmentLine:
        if not self.balance and self.share is None:
            raise ValueError("a share from 0 to 1 (or balance: true)")
        if self.balance and self.probability < 1:
            raise ValueError("probability 1 for the balance line (it takes what others miss)")
        return self


class FundingCase(Section):
    label: str = Field(description="the case's name shown to readers")
    without: list[str] = Field(
        description="funding lines not obtained in this case (keys of scenarios.operating_funding "
        "and/or scenarios.investment_funding; [] for every line obtained)"
    )


class Shock(Section):
    """One input of the risk simulation: a triangular multiplier of the central plan."""

    range: Triangular
    reason: str = Field(
        min_length=1,
        description="what varies and why this range, in French (printed in the report)",
    )


class Scenario(Section):
    label: str = Field(description="the scenario's name shown to readers")
    functions: list[Function] = Field(
        description=f"a list of functions among {', '.join(FUNCTIONS)}"
    )
    renovation: Literal["light", "medium", "heavy"] = Field(description="light, medium or heavy")
    surface_m2: Annotated[
        dict[str, Amount], names_among(SPACES, "spaces")
    ] = Field(min_length=1, description="m² by space, 0 or more")  # fmt: skip
    staff_fte: dict[str, Amount] = Field(
        min_length=1, description="FTE by post of scenarios.staff_posts, 0 or more"
    )
    demand_share: Share = Field(description="a share of the demand of phase 07, from 0 to 1")
    activity: dict[str, Amount] = Field(
        {}, description="yearly volumes by unit of scenarios.units, 0 or more"
    )
    extra_costs_eur: dict[str, Amount] = Field(
        {}, description="yearly € HT by cost named for readers, 0 or more"
    )
    operating_funding: dict[str, list[Amount]] = Field(
        {}, description="yearly amounts (€ 0 or more) by line of scenarios.operating_funding"
    )


class Capacity(Section):
    """What a place can sell in a year, from its surfaces, opening and staff, and the rules
    sizing those to the demand."""

    opening_days: Amount = Field(description="days open a year, 0 or more")
    opening_hours: Amount = Field(description="hours open a day, 0 or more")
    desk_m2: float = Field(gt=0, description="m² of coworking or telework space per desk, above 0")
    fablab_m2_per_user: float = Field(
        gt=0, description="m² of fablab per user working at once, above 0"
    )
    mediation_sessions_per_fte: Amount = Field(
        description="mediation sessions a year per FTE of mediator, 0 or more"
    )
    room_bookings_per_day: Amount = Field(
        description="bookings a day of the meeting room, 0 or more"
    )
    target_occupancy: float = Field(
        gt=0, le=1, description="the share of desks and fablab places used that sizing aims at, "
        "above 0 to 1",
    )
    max_occupancy: float = Field(
        gt=0, le=1, description="the highest share of desks and fablab places used, above 0 to 1"
    )
    min_m2: Annotated[
        dict[str, Amount], names_among(SPACES, "spaces")
    ] = Field({}, description="the smallest m² by sized space, 0 or more")  # fmt: skip
    common_share: Amount = Field(description="m² of common areas per m² of other spaces, 0 or more")
    visits_per_facilitator_day: float = Field(
        gt=0, description="visits a day per FTE of facilitator, above 0"
    )
    fte_step: float = Field(gt=0, description="the step of sized posts in FTE, above 0")


class Ranking(Section):
    """Absolute scales of the criteria of the comparison: a value at the scale scores 0."""

    npv_per_inhabitant: float = Field(
        gt=0, description="€ of negative NPV per inhabitant scoring 0 (NPV 0 or more: 1), above 0"
    )
    epci_net_cost_per_inhabitant: float = Field(
        gt=0, description="€ a year of the EPCI's net cost per inhabitant scoring 0, above 0"
    )


class RiskSettings(Section):
    """The Monte Carlo: triangular multipliers of the central plan (see RISK_MULTIPLIERS), and
    the funding lines' probabilities of being obtained."""

    seed: int = Field(ge=0, description="a whole number, 0 or more")
    draws: int = Field(ge=1, description="a whole number of draws, 1 or more")
    price: Shock
    services: Shock
    costs: Shock
    subsidies: Shock
    partners: Shock
    investment: Shock
    bins: int = Field(40, ge=2, description="a whole number of bins, 2 or more")


class ScenariosSettings(Section):
    years: int = Field(
        ge=1, le=MAX_HORIZON_YEARS,
        description=f"a whole number of years from 1 to {MAX_HORIZON_YEARS}",
    )  # fmt: skip
    plan_years: int = Field(
        ge=1, le=MAX_HORIZON_YEARS, description="a whole number of years from 1 to scenarios.years"
    )
    discount_rate: float = Field(
        ge=MIN_RATE, le=MAX_RATE, description=f"a real rate from {MIN_RATE:g} to {MAX_RATE:g}"
    )
    required_functions: int = Field(
        ge=0, le=len(FUNCTIONS), description=f"a whole number from 0 to {len(FUNCTIONS)}"
    )
    works_eur_m2: WorksRates
    equipment_eur: Annotated[
        dict[str, Amount], names_among(FUNCTIONS, "functions")
    ] = Field(description="€ HT by function, 0 or more")  # fmt: skip
    equipment_eur_per_desk: Amount = Field(description="€ HT of equipment per desk, 0 or more")
    investment_shares: InvestmentShares
    staff_posts: dict[str, StaffPost] = Field(min_length=1, description="posts by key")
    operating_costs: OperatingCosts
    units: Annotated[
        dict[str, UnitPrice], names_among(UNITS, "units of activity")
    ] = Field(min_length=1, description="price and functions by unit of activity")  # fmt: skip
    ramp_up: list[Share] = Field(
        min_length=1, description="a non-empty list of shares of the full activity, 0 to 1"
    )
    operating_funding: dict[str, OperatingLine] = Field(
        min_length=1, description="operating grants by line"
    )
    investment_funding: dict[str, InvestmentLine] = Field(
        min_length=1, description="investment funding by line"
    )
    min_own_share: Share = Field(
        description="the EPCI's minimum share of the public funding of the investment, 0 to 1"
    )
    working_capital_months: float = Field(
        ge=0, le=12, description="months of the first year's operating costs, from 0 to 12"
    )
    scenarios: dict[str, Scenario] = Field(min_length=1, description="scenarios by key")
    funding_cases: dict[str, FundingCase] = Field(
        min_length=1,
        description="funding cases by key, exactly one with without: [] (the central case)",
    )
    criteria: Annotated[
        dict[str, float], names_among(CRITERIA, "criteria"), AfterValidator(weights_sum_to_one)
    ] = Field(min_length=1, description=f"weights of {', '.join(CRITERIA)}, summing to 1")
    ranking: Ranking
    ranking_robustness: RankingRobustness
    needs_fit: NeedsFit
    pricing: Pricing
    capacity: Capacity
    risk: RiskSettings
    whatif: WhatIfSettings

    @field_validator("plan_years")
    @classmethod
    def _within_years(cls, value: int, info: ValidationInfo) -> int:
        if value > info.data.get("years", MAX_HORIZON_YEARS):
            raise ValueError("a whole number of years from 1 to scenarios.years")
        return value

    @field_validator("funding_cases")
    @classmethod
    def _one_central(cls, cases: dict[str, FundingCase]) -> dict[str, FundingCase]:
        central = [name for name, case in cases.items() if not case.without]
        if len(central) != 1:
            raise ValueError(
                f"exactly one case with without: [] (the central one; found {', '.join(central) or 'none'})"
            )
        return cases

    @field_validator("investment_funding")
    @classmethod
    def _one_balance(cls, lines: dict[str, InvestmentLine]) -> dict[str, InvestmentLine]:
        balance = [name for name, line in lines.items() if line.balance]
        if len(balance) != 1:
            raise ValueError(
                f"exactly one line with balance: true (found {', '.join(balance) or 'none'})"
            )
        private = sum(
            line.share or 0.0 for line in lines.values() if line.kind == "private"
        )
        if private > 1 + SHARE_TOLERANCE:
            raise ValueError(
                f"shares of the private lines summing to at most 1 (they sum to {private:g})"
            )
        return lines

    @model_validator(mode="after")
    def _known_names(self) -> ScenariosSettings:
        """Each scenario names posts, units and funding lines this section defines."""
        errors = []
        for name, scenario in self.scenarios.items():
            where = ("scenarios", name)
            errors += unknown(scenario.staff_fte, self.staff_posts, (*where, "staff_fte"),
                              "posts of scenarios.staff_posts")  # fmt: skip
            errors += unknown(scenario.activity, self.units, (*where, "activity"),
                              "units of scenarios.units")  # fmt: skip
            errors += unknown(scenario.operating_funding, self.operating_funding,
                              (*where, "operating_funding"),
                              "lines of scenarios.operating_funding")  # fmt: skip
        for name, line in self.operating_funding.items():
            posts = [line.per_fte] if line.per_fte else []
            errors += unknown([*posts, *line.min_fte], self.staff_posts,
                              ("operating_funding", name), "posts of scenarios.staff_posts")  # fmt: skip
        lines = {*self.operating_funding, *self.investment_funding} - {
            name for name, line in self.investment_funding.items() if line.balance
        }
        for name, case in self.funding_cases.items():
            errors += unknown(case.without, sorted(lines), ("funding_cases", name, "without"),
                              "funding lines (not the balance line)")  # fmt: skip
        refuse(errors, "scenarios")
        return self
