"""Phase 06, what the benchmark teaches: French sentences computed from the summary table, and
the French form of its values."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import pandas as pd

from pipeline.benchmark.comparison import by_kind, positioning
from pipeline.core import fmt
from pipeline.core.vocabulary import PLACE_KINDS

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
    "private_share": "Financement",
    "own_share": "Financement",
    "spaces_share": "Financement",
    "services_share": "Financement",
    "events_share": "Financement",
    "association_share": "Portage",
    "coworking_share": "Fonctions",
    "fablab_share": "Fonctions",
}
OTHER_THEME = "Autres"
PUBLIC_WORDS, PRIVATE_WORDS = "financements publics", "financements privés"
# Each kind of place in the plural, as read inside a sentence.
KIND_PLURALS = {
    "tiers-lieu": "tiers-lieux",
    "incubateur": "incubateurs",
    "laboratoire d'innovation": "laboratoires d'innovation",
}


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


def places(n: int) -> str:
    """'1 lieu', '3 lieux'."""
    return f"{n} lieu" + ("x" if n > 1 else "")


def _whole_percent(share: float) -> int:
    """A share in whole percent, rounded as fmt.percent rounds it (Babel: the decimal written
    by `str`, halves to even): the gaps a sentence gives are those of the percentages shown."""
    return int((Decimal(str(share)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _percent(share: float) -> str:
    return fmt.percent(share, 0)


def _points(value: float, base: float, what: str) -> str:
    """'12 points de plus en financements privés', '1 point de moins en …', 'autant en …',
    the gap between the two shares as shown."""
    gap = _whole_percent(value) - _whole_percent(base)
    if gap == 0:
        return f"autant en {what}"
    more = "plus" if gap > 0 else "moins"
    return f"{fmt.number(abs(gap))} point{'s' * (abs(gap) > 1)} de {more} en {what}"


def _funding(row: pd.Series) -> str:
    """'22 % de financements privés et 35 % de financements publics'."""
    private = (
        "part privée non renseignée"
        if pd.isna(row["private_share"])
        else f"{_percent(row['private_share'])} de {PRIVATE_WORDS}"
    )
    return f"{private} et {_percent(row['public_share'])} de {PUBLIC_WORDS}"


def _listed(items: list[str]) -> str:
    """'a', 'a et b', 'a, b et c'."""
    return " et ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)


def call_kinds_lesson(kinds: pd.DataFrame, asked: list[str]) -> dict | None:
    """How the funding of the kinds of places a call asks for compares with the tiers-lieux of
    the grid (medians), or None when the call asks for no kind."""
    asked = [k for k in PLACE_KINDS if k in asked]
    if not asked:
        return None
    table = kinds.set_index("kind")
    base_kind = PLACE_KINDS[0]  # the tiers-lieux, against which the other kinds compare
    base = table.loc[base_kind] if base_kind in table.index else None
    clauses = []
    for kind in asked:
        if kind not in table.index:
            clauses.append(f"aucun {kind} dans la grille")
            continue
        row = table.loc[kind]
        clause = f"{KIND_PLURALS[kind]} ({places(int(row['places']))}), {_funding(row)}"
        if base is not None and kind != base_kind:
            gaps = [_points(row["public_share"], base["public_share"], PUBLIC_WORDS)]
            if not pd.isna(row["private_share"]) and not pd.isna(base["private_share"]):
                gaps.insert(0, _points(row["private_share"], base["private_share"], PRIVATE_WORDS))
            clause += f", soit {' et '.join(gaps)} que les {KIND_PLURALS[base_kind]}"
        clauses.append(clause)
    if base is not None and base_kind not in asked:
        clauses.append(
            f"{KIND_PLURALS[base_kind]} ({places(int(base['places']))}), {_funding(base)}"
        )
    compared = _listed([f"des {KIND_PLURALS[k]}" for k in asked])
    text = (
        f"L'appel d'offres demande de comparer {compared}. "
        f"Dans la grille (médianes) : {' ; '.join(clauses)}."
    )
    return {"theme": "Financement", "indicator": "call_kinds", "lesson": text}


def lessons(
    summary_frame: pd.DataFrame, bench: pd.DataFrame, asked: list[str] | None = None
) -> pd.DataFrame:
    """What the benchmark teaches, as French sentences computed from the table (theme, lesson,
    indicator): each measured indicator against its reference, sizing ratios, and, when a call
    for tenders asks for some kinds of places (`asked`), how their funding compares."""
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
    call = call_kinds_lesson(by_kind(bench), asked or [])
    if call:
        rows.append(call)
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
