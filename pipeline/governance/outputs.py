"""The processed tables of phase 10, as handles later phases read with `Phase.read`."""

from pipeline.core.phase import Table

STAGE = "10_governance"

FEASIBILITY = Table(STAGE, "feasibility")
GOVERNANCE_SCHEME = Table(STAGE, "governance_scheme")
INDICATORS = Table(STAGE, "indicators")
LAUNCH_PROGRAMME = Table(STAGE, "launch_programme")
LEGAL_FORMS = Table(STAGE, "legal_forms")
PRESENCE = Table(STAGE, "presence")
RAMP_PLAN = Table(STAGE, "ramp_plan")
SITE_FIT = Table(STAGE, "site_fit")
