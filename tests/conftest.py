"""Shared fixtures: the default territory's settings and base."""

from __future__ import annotations

import pytest

from pipeline.core.config import ROOT, load_params, load_territory
from pipeline.sources.communes import territory_base


@pytest.fixture(scope="session")
def params():
    return load_params()


@pytest.fixture(scope="session")
def default_territory(params):
    return load_territory(params["territory"], params)


@pytest.fixture(scope="session")
def default_base(params, default_territory):
    return territory_base(
        default_territory,
        ROOT / params["inputs"]["populations"],
        params["inputs"]["population_vintage"],
    )
