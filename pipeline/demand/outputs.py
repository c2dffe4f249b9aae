"""The processed tables of phase 07, as handles later phases read with `Phase.read`."""

from pipeline.core.phase import Table

STAGE = "07_demand"

DEMAND = Table(STAGE, "demand")
DEMAND_BY_UNIT = Table(STAGE, "demand_by_unit")
SEGMENTS_BY_COMMUNE = Table(STAGE, "segments_by_commune")
WORKSHOP_IDEAS = Table(STAGE, "workshop_ideas")
WORKSHOP_SERVICES = Table(STAGE, "workshop_services")
