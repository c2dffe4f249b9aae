"""The processed tables of phase 08, as handles later phases read with `Phase.read`."""

from pipeline.core.phase import Table

STAGE = "08_sites"

ACCESSIBILITY = Table(STAGE, "accessibility")
DECISION_MATRIX = Table(STAGE, "decision_matrix")
HUFF = Table(STAGE, "huff")
LOCATION_MODELS = Table(STAGE, "location_models")
MONTE_CARLO = Table(STAGE, "monte_carlo")
RANK_SENSITIVITY = Table(STAGE, "rank_sensitivity")
SITES = Table(STAGE, "sites")
WEIGHT_STABILITY = Table(STAGE, "weight_stability")
