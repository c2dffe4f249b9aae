"""The simple inventory of other third places (tiers-lieux, coworkings, fablabs), and both place
files read as one table.

The raw file is checked with the pandera schema below (see pipeline/core/validate.py); a file
holding a header alone reads as no place, with a warning.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.core.validate import INSEE_CODE, list_of, matches, non_empty, number, row_check
from pipeline.core.vocabulary import SERVICES
from pipeline.sources.mediation import read_checked_places, read_mediation, text_column

OTHER_FILE = "autres_lieux.csv"
OTHER_SERVICES = ["coworking", "telework", "fablab", "digital_mediation", "project_support"]
# `type` of the simple inventory (lower case, accents kept) -> category.
OTHER_TYPES = {
    "tiers-lieu": "tiers_lieu",
    "tiers lieu": "tiers_lieu",
    "coworking": "coworking",
    "espace de coworking": "coworking",
    "fablab": "fablab",
    "makerspace": "fablab",
    "france services": "france_services",
    "cyber-base": "cyber_base",
    "cyberbase": "cyber_base",
    "médiation numérique": "mediation",
}


def _located(df: pd.DataFrame) -> pd.Series:
    """Coordinates given together (or not at all), and some way to place the row."""
    lat, lon = text_column(df, "latitude"), text_column(df, "longitude")
    code = text_column(df, "code_insee")
    return ((lat == "") == (lon == "")) & ((lat != "") | (code != ""))


# Each place of the simple inventory can be put on the map.
LOCATED = row_check(
    ["latitude", "longitude", "code_insee"],
    _located,
    "both latitude and longitude, or a code_insee to place it",
)


def other_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": pa.Column(checks=non_empty(), unique=True, report_duplicates="exclude_first"),
            "nom": pa.Column(checks=non_empty()),
            "type": pa.Column(checks=non_empty()),
            "code_insee": pa.Column(checks=matches(INSEE_CODE, "an INSEE commune code", True)),
            "latitude": pa.Column(checks=number(-90, 90, optional=True)),
            "longitude": pa.Column(checks=number(-180, 180, optional=True)),
            "services": pa.Column(checks=list_of(OTHER_SERVICES, optional=False)),
            "commune": pa.Column(required=False),
            "source": pa.Column(required=False),
        },
        checks=LOCATED,
        strict=True,
    )


def other_category(kind: str) -> str:
    """Category of a place of the simple inventory, from its free-text `type`."""
    return OTHER_TYPES.get(" ".join(kind.lower().split()), "other")


def read_other(path: Path) -> pd.DataFrame:
    """The other places, checked, with the columns of `read_mediation` (kind 'other')."""
    other = read_checked_places(path, other_schema())
    return pd.DataFrame(
        {
            "place_id": other["id"],
            "nom": other["nom"],
            "kind": "other",
            "category": other["type"].map(other_category),
            "type": other["type"],
            "code_insee": other["code_insee"],
            "commune": text_column(other, "commune"),
            "lon": other["longitude"],
            "lat": other["latitude"],
            "services": other["services"].map(
                lambda t: "|".join(s for s in SERVICES if s in {i.strip() for i in t.split("|")})
            ),
            "source": text_column(other, "source"),
            "line": other["line"],
        }
    )


def read_places(mediation_path: Path, other_path: Path) -> pd.DataFrame:
    """Both place files, checked, as one table (mediation places first): see `read_mediation`."""
    return pd.concat([read_mediation(mediation_path), read_other(other_path)], ignore_index=True)
