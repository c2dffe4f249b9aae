"""The processed tables of phase 10, as handles later phases read with `Phase.read`."""

from pipeline.core.phase import Table

STAGE = "10_governance"

CALL_ANSWERS = Table(STAGE, "call_answers")
COMMUNICATION = Table(STAGE, "communication")
FEASIBILITY = Table(STAGE, "feasibility")
GOVERNANCE_SCHEME = Table(STAGE, "governance_scheme")
GRANT_CHECKLIST = Table(STAGE, "grant_checklist")
INDICATOR_DEFINITIONS = Table(STAGE, "indicator_definitions")
INDICATORS = Table(STAGE, "indicators")
LAUNCH_PROGRAMME = Table(STAGE, "launch_programme")
LEGAL_FACTS = Table(STAGE, "legal_facts")
LEGAL_FORM_REASONS = Table(STAGE, "legal_form_reasons")
LEGAL_FORMS = Table(STAGE, "legal_forms")  # the recommended scenario's, best first
LEGAL_FORMS_BY_SCENARIO = Table(STAGE, "legal_forms_by_scenario")
LEGAL_FORM_SWITCHES = Table(STAGE, "legal_form_switches")
PRESENCE = Table(STAGE, "presence")
RAMP_PLAN = Table(STAGE, "ramp_plan")
SITE_FIT = Table(STAGE, "site_fit")
STAKEHOLDERS = Table(STAGE, "stakeholders")
STRATEGY_FIT = Table(STAGE, "strategy_fit")
STRATEGY_SERVED = Table(STAGE, "strategy_served")
VIABILITY = Table(STAGE, "viability")
VIABILITY_SUMMARY = Table(STAGE, "viability_summary")
