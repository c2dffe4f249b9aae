"""The `report` section of params.yaml."""

from __future__ import annotations

from pydantic import ConfigDict

from pipeline.core.settings.base import Section


class ReportSettings(Section):
    # Placeholder until every key is typed: unknown keys are let through.
    model_config = ConfigDict(extra="allow")
