"""Shared data of the phase 03 tests: a few communes and their census indicators."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

COMMUNES = pd.DataFrame(
    {
        "code": ["97225", "97204", "97222", "97228"],
        "nom": ["Saint-Pierre", "Le Carbet", "Le Robert", "Sainte-Marie"],
        "population": [4000, 3700, 21000, 15000],
        "in_study_zone": [True, True, False, False],
    }
)
SEX_BANDS = {"0014": 0.16, "1529": 0.15, "3044": 0.16, "4559": 0.22, "6074": 0.19, "75P": 0.12}


def census_indicators(communes=COMMUNES, crossed=True):
    """Census indicators of the shape phase 01 writes, for a few communes."""
    pop = communes["population"].to_numpy(float)
    out = pd.DataFrame({"code": communes["code"], "population": pop})
    women = np.array([0.52, 0.53, 0.54, 0.55])[: len(pop)]
    for band, share in SEX_BANDS.items():
        if band == "75P":
            out["age_7589"], out["age_90P"] = pop * share * 0.9, pop * share * 0.1
        else:
            out[f"age_{band}"] = pop * share
        if crossed:  # women more numerous among the old, as in the census
            w = women + (0.06 if band == "75P" else 0.0)
            out[f"women_{band}"] = pop * share * w
            out[f"men_{band}"] = pop * share * (1 - w)
    out["women"] = pop * women + pop * SEX_BANDS["75P"] * (0.06 if crossed else 0)
    out["men"] = pop - out["women"]
    out["employed_15p"] = pop * 0.38
    out["unemployed_1564"] = pop * 0.07
    return out


@pytest.fixture(scope="session")
def communes() -> pd.DataFrame:
    """Four communes, two of them in the study zone."""
    return COMMUNES.copy()


@pytest.fixture(scope="session")
def census():
    """`census(communes=..., crossed=True)`: census indicators of those communes."""
    return census_indicators


@pytest.fixture(scope="session")
def sex_bands() -> dict[str, float]:
    """Share of the population in each age band of the census indicators."""
    return dict(SEX_BANDS)
