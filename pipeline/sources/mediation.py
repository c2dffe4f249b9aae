"""The national file of digital mediation places (LaMednum standard-mediation-num 1.x).

The raw file is checked with the pandera schema below (see pipeline/core/validate.py); a file
holding a header alone reads as no place, with a warning.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from pipeline.core.validate import (
    INSEE_CODE,
    iso_date,
    list_of,
    matches,
    non_empty,
    number,
    read_checked_csv,
    row_check,
    to_numbers,
    warn_empty,
)
from pipeline.core.vocabulary import MEDIATION_SERVICES, SERVICES

MEDIATION_FILE = "lieux_mediation_numerique.csv"
# Every mediation place offers digital mediation; two LaMednum services are analysed apart.
MEDIATION_TO_SERVICE = {
    "Aide aux démarches administratives": "admin_help",
    "Accès internet et matériel informatique": "internet_access",
}


def text_column(df: pd.DataFrame, column: str) -> pd.Series:
    """The column, or empty text where the file has no such column."""
    return df[column] if column in df else pd.Series("", index=df.index)


def _located(df: pd.DataFrame) -> pd.Series:
    """Coordinates given together (or not at all), and some way to place the row."""
    lat, lon = text_column(df, "latitude"), text_column(df, "longitude")
    code = text_column(df, "code_insee")
    return ((lat == "") == (lon == "")) & ((lat != "") | (code != ""))


# A check shared by the place files: each place can be put on the map.
LOCATED = row_check(
    ["latitude", "longitude", "code_insee"],
    _located,
    "both latitude and longitude, or a code_insee to place it",
)


def mediation_schema() -> pa.DataFrameSchema:
    """LaMednum standard-mediation-num 1.x: required fields, and the optional ones used here."""
    return pa.DataFrameSchema(
        {
            "id": pa.Column(checks=non_empty(), unique=True, report_duplicates="exclude_first"),
            "pivot": pa.Column(
                checks=matches(
                    r"[0-9A-Za-z]{9,14}", "a SIRET or RNA number (9 to 14 letters or digits)"
                )
            ),
            "nom": pa.Column(checks=non_empty()),
            "commune": pa.Column(checks=non_empty()),
            "code_postal": pa.Column(checks=matches(r"\d{5}", "5 digits")),
            "adresse": pa.Column(checks=non_empty()),
            "date_maj": pa.Column(checks=iso_date()),
            "code_insee": pa.Column(
                checks=matches(INSEE_CODE, "an INSEE commune code", True), required=False
            ),
            "latitude": pa.Column(checks=number(-90, 90, optional=True), required=False),
            "longitude": pa.Column(checks=number(-180, 180, optional=True), required=False),
            "services": pa.Column(checks=list_of(MEDIATION_SERVICES), required=False),
        },
        checks=LOCATED,
    )


def mediation_services(text: str) -> list[str]:
    """Analysed services of a LaMednum place, from its `services` field."""
    items = {item.strip() for item in text.split("|") if item.strip()}
    specific = {MEDIATION_TO_SERVICE[i] for i in items if i in MEDIATION_TO_SERVICE}
    return [s for s in SERVICES if s == "digital_mediation" or s in specific]


def mediation_category(nom: str, typologie: str, programmes: str) -> str:
    """France Services, cyber-base or other mediation place, from a LaMednum record: the national
    programme (`dispositif_programmes_nationaux`), else the typology or the name."""
    programmes = {p.strip().lower() for p in programmes.split("|")}
    typologies = {t.strip().upper() for t in typologie.split("|")}
    name = nom.lower()
    if "france services" in programmes or name.startswith("france services"):
        return "france_services"
    if "TIERS_LIEUX" in typologies:
        return "tiers_lieu"
    if "cyber" in name.replace("-", "").replace(" ", ""):
        return "cyber_base"
    return "mediation"


def read_checked_places(path: Path, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """A place file checked against `schema`, coordinates as numbers; a header alone reads as
    no place, with a warning."""
    table = warn_empty(read_checked_csv(path, schema), path, "place", "no place")
    return to_numbers(table, ["latitude", "longitude"])


def read_mediation(path: Path) -> pd.DataFrame:
    """The mediation places, checked: place_id, nom, kind ('mediation'), category, type,
    code_insee, commune, lon, lat (NaN when not given), services ('|'-separated analysed
    services), source, and `line`, the file line of the place (for messages)."""
    med = read_checked_places(path, mediation_schema())
    categories = [
        mediation_category(n, t, p)
        for n, t, p in zip(
            med["nom"],
            text_column(med, "typologie"),
            text_column(med, "dispositif_programmes_nationaux"),
        )
    ]
    return pd.DataFrame(
        {
            "place_id": med["id"],
            "nom": med["nom"],
            "kind": "mediation",
            "category": categories,
            "type": text_column(med, "typologie"),
            "code_insee": text_column(med, "code_insee"),
            "commune": med["commune"],
            "lon": med.get("longitude", np.nan),
            "lat": med.get("latitude", np.nan),
            "services": text_column(med, "services").map(lambda t: "|".join(mediation_services(t))),
            "source": text_column(med, "source"),
            "line": med.attrs.get("lines", med.index + 2),
        }
    )
