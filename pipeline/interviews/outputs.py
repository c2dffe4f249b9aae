"""The processed tables of phase 04, as handles later phases read with `Phase.read`."""

from pipeline.core.phase import Table

STAGE = "04_interviews"

ACTORS = Table(STAGE, "actors")
NEEDS = Table(STAGE, "needs")
QUOTES = Table(STAGE, "quotes")
STANCE = Table(STAGE, "stance")
SUPPORT = Table(STAGE, "support")
THEMES = Table(STAGE, "themes")
THEMES_BY_ACTOR = Table(STAGE, "themes_by_actor")
