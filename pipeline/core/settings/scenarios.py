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
from pipeline.core.vocabulary import FUNCTIONS, UNITS

# A business plan or an NPV horizon beyond 50 years says nothing about a third place.
MAX_HORIZON_YEARS = 50
# A real discount rate of -99 % or more than 100 % a year is a typo.
MIN_RATE, MAX_RATE = -0.99, 1.0
# Investment shares may not exceed the investment by more than a rounding error.
SHARE_TOLERANCE = 1e-9

Function = Literal[tuple(FUNCTIONS)]
SPACES = (*FUNCTIONS, "common")
CRITERIA = ("npv", "own_revenue_share", "functions_covered", "deficit_probability")


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


class OperatingLine(Section):
    label: str = Field(description="the funder's name shown to readers")
    kind: Literal["public", "private"] = Field(description="public or private")
    eur: list[Amount] = Field(
        min_length=1, description="a non-empty list of yearly amounts, € 0 or more"
    )
    after: Literal["zero", "repeat"] = Field("zero", description="zero or repeat")
    cap_year_eur: Amount | None = Field(None, description="a yearly cap, € 0 or more")
    cap_total_eur: Amount | None = Field(None, description="a cap over all years, € 0 or more")
    max_years: int | None = Field(None, ge=0, description="a whole number of years, 0 or more")
    cut_risk: bool = Field(False, description="true or false (only a public line may be cut)")
    functions: list[Function] = Field(
        [], description=f"functions among {', '.join(FUNCTIONS)} (only scenarios offering one)"
    )
    strategy: list[str] = Field(
        [], description="a list of the funder's names in the territory's strategy"
    )

    @field_validator("cut_risk")
    @classmethod
    def _public(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("kind") != "public":
            raise ValueError("a public line (kind: public) for cut_risk: true")
        return value


class InvestmentLine(Section):
    label: str = Field(description="the funder's name shown to readers")
    share: Share | None = Field(None, description="a share of the investment HT, from 0 to 1")
    cap_eur: Amount | None = Field(None, description="a cap, € 0 or more")
    balance: bool = Field(False, description="true for the one line that takes the rest")
    payment: Annotated[list[Amount], AfterValidator(_sum_to_one)] = Field(
        [1.0], min_length=1, description="yearly shares from year 0, summing to 1"
    )
    strategy: list[str] = Field(
        [], description="a list of the funder's names in the territory's strategy"
    )

    @model_validator(mode="after")
    def _share_or_balance(self) -> InvestmentLine:
        if not self.balance and self.share is None:
            raise ValueError("a share from 0 to 1 (or balance: true)")
        return self


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


class RiskSettings(Section):
    """The Monte Carlo: triangular multipliers of the central plan (see RISK_MULTIPLIERS)."""

    seed: int = Field(ge=0, description="a whole number, 0 or more")
    draws: int = Field(ge=1, description="a whole number of draws, 1 or more")
    price: Triangular
    services: Triangular
    costs: Triangular
    subsidies: Triangular
    partners: Triangular
    investment: Triangular
    cut_probability: Share = Field(description="a probability from 0 to 1")
    cut_from_year: int = Field(1, ge=1, description="a year of the plan, 1 or more")
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
    scenarios: dict[str, Scenario] = Field(min_length=1, description="scenarios by key")
    criteria: Annotated[
        dict[str, float], names_among(CRITERIA, "criteria"), AfterValidator(weights_sum_to_one)
    ] = Field(min_length=1, description=f"weights of {', '.join(CRITERIA)}, summing to 1")
    risk: RiskSettings

    @field_validator("plan_years")
    @classmethod
    def _within_years(cls, value: int, info: ValidationInfo) -> int:
        if value > info.data.get("years", MAX_HORIZON_YEARS):
            raise ValueError("a whole number of years from 1 to scenarios.years")
        return value

    @field_validator("operating_funding")
    @classmethod
    def _one_cut(cls, lines: dict[str, OperatingLine]) -> dict[str, OperatingLine]:
        cut = [name for name, line in lines.items() if line.cut_risk]
        if len(cut) > 1:
            raise ValueError(f"at most one line with cut_risk: true (found {', '.join(cut)})")
        return lines

    @field_validator("investment_funding")
    @classmethod
    def _one_balance(cls, lines: dict[str, InvestmentLine]) -> dict[str, InvestmentLine]:
        balance = [name for name, line in lines.items() if line.balance]
        if len(balance) != 1:
            raise ValueError(
                f"exactly one line with balance: true (found {', '.join(balance) or 'none'})"
            )
        total = sum(line.share or 0.0 for line in lines.values() if not line.balance)
        if total > 1 + SHARE_TOLERANCE:
            raise ValueError(
                f"shares of the other lines summing to at most 1 (they sum to {total:g})"
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
        refuse(errors, "scenarios")
        return self
