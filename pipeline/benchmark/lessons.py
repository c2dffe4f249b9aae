"""Phase 06, what the benchmark teaches: French sentences computed from the summary table, and
the French form of its values."""

from __future__ import annotations

import pandas as pd

from pipeline.benchmark.comparison import positioning
from pipeline.core import fmt

# Theme of each indicator's lesson; lessons are listed theme by theme in this order.
THEMES = {
    "price_day": "Tarifs",
    "price_month": "Tarifs",
    "revenue_mean": "Modèle économique",
    "revenue_per_m2": "Modèle économique",
    "revenue_per_fte": "Modèle économique",
    "surface": "Dimensionnement",
    "fte": "Dimensionnement",
    "m2_per_fte": "Dimensionnement",
    "public_share": "Financement",
    "own_share": "Financement",
    "spaces_share": "Financement",
    "services_share": "Financement",
    "events_share": "Financement",
    "association_share": "Portage",
    "coworking_share": "Fonctions",
    "fablab_share": "Fonctions",
}
OTHER_THEME = "Autres"


def format_value(value: float, unit: str) -> str:
    """A value in French with its unit: shares as percentages, the rest as numbers."""
    if pd.isna(value):
        return "–"
    if unit.startswith("part"):
        return fmt.percent(value, 0)
    decimals = 1 if abs(value) < 100 and value != round(value) else 0
    return f"{fmt.number(value, decimals)}\u00a0{unit}"


def reference_range(row: pd.Series) -> str:
    """A summary row's reference, '10 à 26 € HT / jour' or '250 000 €', or '' without one."""
    if pd.isna(row["reference_low"]):
        return ""
    low = format_value(row["reference_low"], row["unit"])
    if row["reference_low"] == row["reference_high"]:
        return low
    high = format_value(row["reference_high"], row["unit"])
    return f"{low.removesuffix(row['unit']).strip()} à {high}"


def _reference_text(row: pd.Series) -> str:
    """'référence nationale : 10 à 26 € HT / jour (2016, zevillage.net …)', or '' without
    reference."""
    if pd.isna(row["reference_low"]):
        return ""
    year = "" if pd.isna(row["reference_year"]) else f"{int(row['reference_year'])}, "
    return f"référence nationale : {reference_range(row)} ({year}{row['reference_source']})"


def lessons(summary_frame: pd.DataFrame, bench: pd.DataFrame) -> pd.DataFrame:
    """What the benchmark teaches, as French sentences computed from the table (theme, lesson,
    indicator): each measured indicator against its reference, then sizing ratios."""
    rows = []
    for _, row in summary_frame.iterrows():
        if pd.isna(row["value"]):
            continue
        text = f"{row['label']} : {format_value(row['value'], row['unit'])} ({row['n']} lieux)"
        reference = _reference_text(row)
        if reference:
            text += f", {row['position']} ; {reference}"
        rows.append(
            {
                "theme": THEMES.get(row["indicator"], OTHER_THEME),
                "indicator": row["indicator"],
                "lesson": text + ".",
            }
        )
    values = summary_frame.set_index("indicator")["value"]
    if {"surface", "revenue_per_m2", "fte"} <= set(values.index) and not values[
        ["surface", "revenue_per_m2", "fte"]
    ].isna().any():
        rows.append(
            {
                "theme": "Dimensionnement",
                "indicator": "typical_place",
                "lesson": (
                    f"Un lieu de la surface médiane ({fmt.number(values['surface'])} m²) "
                    f"réalise, au chiffre d'affaires médian par m², environ "
                    f"{fmt.euros(round(values['surface'] * values['revenue_per_m2'], -3))} de recettes par "
                    f"an avec une équipe de {fmt.number(values['fte'], 1)} ETP."
                ),
            }
        )
    opened = positioning(bench)["opening_year"].dropna()
    if len(opened):
        rows.append(
            {
                "theme": "Portage",
                "indicator": "opening_years",
                "lesson": (
                    f"Les lieux comparés ont ouvert entre {int(opened.min())} et "
                    f"{int(opened.max())} (médiane : {int(opened.median())})."
                ),
            }
        )
    order = [*dict.fromkeys(THEMES.values()), OTHER_THEME]
    table = pd.DataFrame(rows, columns=["theme", "indicator", "lesson"])
    rank = table["theme"].map({t: i for i, t in enumerate(order)})
    return (
        table.assign(_order=rank)
        .sort_values("_order", kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
