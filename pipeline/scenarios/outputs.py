"""The processed tables of phase 09, as handles later phases read with `Phase.read`."""

from pipeline.core.phase import Table

STAGE = "09_scenarios"

ACTIVITY = Table(STAGE, "activity")
ACTIVITY_YEARS = Table(STAGE, "activity_years")
BUDGET = Table(STAGE, "budget")
CASH = Table(STAGE, "cash")
EPCI_COST = Table(STAGE, "epci_cost")
EPCI_SUMMARY = Table(STAGE, "epci_summary")
FUNDERS = Table(STAGE, "funders")
FUNDING_CASES = Table(STAGE, "funding_cases")
FUNDING_PLAN = Table(STAGE, "funding_plan")
INVESTMENT = Table(STAGE, "investment")
NEEDS = Table(STAGE, "needs")
NEEDS_FIT = Table(STAGE, "needs_fit")
PNL = Table(STAGE, "pnl")
PNL_LINES = Table(STAGE, "pnl_lines")
PRICE_GRID = Table(STAGE, "price_grid")
PRICES = Table(STAGE, "prices")
PROGRAMME = Table(STAGE, "programme")
RANKING_ROBUSTNESS = Table(STAGE, "ranking_robustness")
RISK_ASSUMPTIONS = Table(STAGE, "risk_assumptions")
RISK_HISTOGRAM = Table(STAGE, "risk_histogram")
RISK_YEARS = Table(STAGE, "risk_years")
SCENARIOS = Table(STAGE, "scenarios")
SENSITIVITY = Table(STAGE, "sensitivity")
SIZING = Table(STAGE, "sizing")
STRATEGY_CHECK = Table(STAGE, "strategy_check")
UNPRICED_UNITS = Table(STAGE, "unpriced_units")
