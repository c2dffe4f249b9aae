"""The processed tables of phase 03, as handles later phases read with `Phase.read`."""

from pipeline.core.phase import Table

STAGE = "03_survey"

DISTRIBUTIONS = Table(STAGE, "distributions")
ESTIMATES = Table(STAGE, "estimates")
ESTIMATES_BY_GROUP = Table(STAGE, "estimates_by_group")
ISSUES = Table(STAGE, "issues")
MARGINS = Table(STAGE, "margins")
MODEL = Table(STAGE, "model")
NON_RESPONSE = Table(STAGE, "non_response")
PRICE_DISTRIBUTION = Table(STAGE, "price_distribution")
PRICES = Table(STAGE, "prices")
SUMMARY = Table(STAGE, "summary")
