"""Phase 06, benchmark: comparable places (tiers-lieux, and incubators or innovation labs when
a call asks for them), their key ratios, how they compare with the national reference figures,
and how each kind of place differs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.benchmark.grid import FUNCTIONS, LEGAL_FORMS, REFERENCES_FILE
from pipeline.core.vocabulary import PLACE_KINDS

# A single reference value is "comparable" within this relative gap.
TOLERANCE = 0.15


def positioning(bench: pd.DataFrame) -> pd.DataFrame:
    """The benchmark rows with their ratios: functions count, revenue per m² and per FTE, own
    revenue share (what neither public nor private funding brings; a private share not given
    counts as none)."""
    out = bench.copy()
    out["opening_year"] = out["opening_year"].astype("Int64")
    out["n_functions"] = out["functions"].str.split("|").map(len)
    out["revenue_per_m2"] = out["revenue_eur"] / out["surface_m2"]
    out["revenue_per_fte"] = out["revenue_eur"] / out["fte"].where(out["fte"] > 0)
    out["m2_per_fte"] = out["surface_m2"] / out["fte"].where(out["fte"] > 0)
    out["own_share"] = 1 - out["public_share"] - out["private_share"].fillna(0)
    out["is_association"] = out["legal_form"] == "association"
    for function in FUNCTIONS:
        out[f"has_{function}"] = out["functions"].str.split("|").map(lambda f, x=function: x in f)
    return out


def indicators(price_day_unit: str) -> list[dict]:
    """What the summary measures, and which reference figures it is compared with."""
    return [
        {
            "indicator": "price_day",
            "label": "Prix d'une journée de coworking (médiane)",
            "unit": price_day_unit,
            "column": "price_day_eur",
            "stat": "median",
            "reference": ("prix_coworking_jour_min", "prix_coworking_jour_max"),
        },
        {
            "indicator": "price_month",
            "label": "Prix d'un abonnement mensuel (médiane)",
            "unit": "€ / mois",
            "column": "price_month_eur",
            "stat": "median",
            "reference": ("prix_coworking_mois_rural", "prix_coworking_mois_max"),
        },
        {
            "indicator": "revenue_mean",
            "label": "Chiffre d'affaires moyen",
            "unit": "€",
            "column": "revenue_eur",
            "stat": "mean",
            "reference": ("chiffre_affaires_moyen", "chiffre_affaires_moyen"),
        },
        {
            "indicator": "revenue_per_m2",
            "label": "Chiffre d'affaires par m² (médiane)",
            "unit": "€ / m²",
            "column": "revenue_per_m2",
            "stat": "median",
            "reference": None,
        },
        {
            "indicator": "revenue_per_fte",
            "label": "Chiffre d'affaires par ETP (médiane)",
            "unit": "€ / ETP",
            "column": "revenue_per_fte",
            "stat": "median",
            "reference": None,
        },
        {
            "indicator": "surface",
            "label": "Surface (médiane)",
            "unit": "m²",
            "column": "surface_m2",
            "stat": "median",
            "reference": None,
        },
        {
            "indicator": "fte",
            "label": "Équipe salariée (médiane)",
            "unit": "ETP",
            "column": "fte",
            "stat": "median",
            "reference": None,
        },
        {
            "indicator": "m2_per_fte",
            "label": "Surface par ETP (médiane)",
            "unit": "m² / ETP",
            "column": "m2_per_fte",
            "stat": "median",
            "reference": None,
        },
        {
            "indicator": "public_share",
            "label": "Part des financements publics (médiane)",
            "unit": "part",
            "column": "public_share",
            "stat": "median",
            "reference": ("part_subventions_publiques", "part_subventions_publiques"),
        },
        {
            "indicator": "private_share",
            "label": "Part des financements privés (médiane)",
            "unit": "part",
            "column": "private_share",
            "stat": "median",
            "reference": None,
        },
        {
            "indicator": "own_share",
            "label": "Part des recettes propres (médiane)",
            "unit": "part",
            "column": "own_share",
            "stat": "median",
            "reference": ("part_recettes_propres", "part_recettes_propres"),
        },
        {
            "indicator": "spaces_share",
            "label": "Part des recettes tirées de la location d'espaces (médiane)",
            "unit": "part",
            "column": "spaces_share",
            "stat": "median",
            "reference": None,
        },
        {
            "indicator": "services_share",
            "label": "Part des recettes tirées des prestations et formations (médiane)",
            "unit": "part",
            "column": "services_share",
            "stat": "median",
            "reference": None,
        },
        {
            "indicator": "events_share",
            "label": "Part des recettes tirées de l'animation et du café (médiane)",
            "unit": "part",
            "column": "events_share",
            "stat": "median",
            "reference": None,
        },
        {
            "indicator": "association_share",
            "label": "Part des lieux associatifs",
            "unit": "part",
            "column": "is_association",
            "stat": "mean",
            "reference": ("part_association", "part_association"),
        },
        {
            "indicator": "coworking_share",
            "label": "Part des lieux offrant des bureaux partagés",
            "unit": "part",
            "column": "has_coworking",
            "stat": "mean",
            "reference": ("part_bureaux_partages", "part_bureaux_partages"),
        },
        {
            "indicator": "fablab_share",
            "label": "Part des lieux équipés d'un fablab",
            "unit": "part",
            "column": "has_fablab",
            "stat": "mean",
            "reference": ("part_fablab", "part_fablab"),
        },
    ]


def position(value: float, low: float, high: float, tolerance: float = TOLERANCE) -> str:
    """Where a benchmark value sits against a reference value or range, in French."""
    if np.isnan(value) or np.isnan(low):
        return ""
    if low == high:
        gap = value / low - 1 if low else value
        if abs(gap) <= tolerance + 1e-9:
            return "comparable à la référence"
        return "supérieur à la référence" if gap > 0 else "inférieur à la référence"
    if value < low:
        return "inférieur à la référence"
    if value > high:
        return "supérieur à la référence"
    return "dans la fourchette de référence"


def summary(bench: pd.DataFrame, references: pd.DataFrame, price_day_unit: str) -> pd.DataFrame:
    """Benchmark indicators beside the national reference figures they compare with, over
    the tiers-lieux of the grid (the national figures are tiers-lieux'; incubators and labs
    are compared in `kinds`), or over every place when none is a tiers-lieu."""
    table = positioning(bench)
    places = table["kind"] == PLACE_KINDS[0]
    table = table.loc[places] if places.any() else table
    refs = references.set_index("indicator")
    rows = []
    for spec in indicators(price_day_unit):
        values = table[spec["column"]].astype(float).dropna()
        value = float(getattr(values, spec["stat"])()) if len(values) else np.nan
        keys = spec["reference"] or ()
        if keys and not set(keys) <= set(refs.index):
            missing = ", ".join(sorted(set(keys) - set(refs.index)))
            raise KeyError(f"{REFERENCES_FILE}: reference indicator(s) {missing} missing")
        low = float(refs.loc[keys[0], "value"]) if keys else np.nan
        high = float(refs.loc[keys[1], "value"]) if keys else np.nan
        rows.append(
            {
                "indicator": spec["indicator"],
                "label": spec["label"],
                "unit": spec["unit"],
                "value": value,
                "n": len(values),
                "reference_low": low,
                "reference_high": high,
                "reference_year": refs.loc[list(keys), "year"].max() if keys else np.nan,
                "reference_source": " ; ".join(dict.fromkeys(refs.loc[list(keys), "source"]))
                if keys
                else "",
                "position": position(value, low, high),
            }
        )
    return pd.DataFrame(rows)


# Per kind of place: column of the kinds table -> column of `positioning` whose median it is.
KIND_MEDIANS = {
    "surface_m2": "surface_m2",
    "fte": "fte",
    "revenue_eur": "revenue_eur",
    "public_share": "public_share",
    "private_share": "private_share",
    "own_share": "own_share",
}


def most_frequent(values: pd.Series) -> str:
    """The most frequent value; a tie goes to the first in LEGAL_FORMS' order, '' for none."""
    counts = values.value_counts()
    if counts.empty:
        return ""
    tied = set(counts[counts == counts.max()].index)
    return next(v for v in [*LEGAL_FORMS, *sorted(tied)] if v in tied)


def by_kind(bench: pd.DataFrame) -> pd.DataFrame:
    """Each kind of place of the grid, in PLACE_KINDS' order: how many places, the medians of
    their size, team, revenue and funding shares, their most frequent legal form."""
    table = positioning(bench)
    rows = []
    for kind in PLACE_KINDS:
        places = table[table["kind"] == kind]
        if places.empty:
            continue
        medians = {k: float(places[c].astype(float).median()) for k, c in KIND_MEDIANS.items()}
        rows.append(
            {
                "kind": kind,
                "places": len(places),
                **medians,
                "legal_form": most_frequent(places["legal_form"]),
            }
        )
    columns = ["kind", "places", *KIND_MEDIANS, "legal_form"]
    return pd.DataFrame(rows, columns=columns).astype({"places": int})
