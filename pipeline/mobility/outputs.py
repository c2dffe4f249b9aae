"""The processed tables of phase 02, as handles later phases read with `Phase.read`."""

from pipeline.core.phase import Table

STAGE = "02_mobility"

DESTINATIONS = Table(STAGE, "destinations")
FLOW_MAP = Table(STAGE, "flow_map")
FLOWS = Table(STAGE, "flows")
MODE_SHARES = Table(STAGE, "mode_shares")
MODE_SHARES_COMMUNE = Table(STAGE, "mode_shares_commune")
STAY_SHARE = Table(STAGE, "stay_share")
SUMMARY = Table(STAGE, "summary")
TELEWORK_ASSUMPTIONS = Table(STAGE, "telework_assumptions")
TELEWORK_GROUPS = Table(STAGE, "telework_groups")
TELEWORK_POOL = Table(STAGE, "telework_pool")
