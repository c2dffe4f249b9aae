"""The processed tables of phase 05, as handles later phases read with `Phase.read`."""

from pipeline.core.phase import Table

STAGE = "05_offer"

COVERAGE = Table(STAGE, "coverage")
COVERAGE_BY_BAND = Table(STAGE, "coverage_by_band")
INVENTORY = Table(STAGE, "inventory")
PLACES = Table(STAGE, "places")
SERVICES_MATRIX = Table(STAGE, "services_matrix")
WHITE_ZONES = Table(STAGE, "white_zones")
