"""Phase 06, benchmark: comparable tiers-lieux, their key ratios, and national references."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from pipeline.core.phase import Phase
from pipeline.core.validate import (
    list_of,
    non_empty,
    number,
    one_of,
    read_checked_csv,
    row_check,
    to_numbers,
    warn_empty,
)

BENCHMARK_FILE = "benchmark_tiers_lieux.csv"
REFERENCES_FILE = "references_tiers_lieux.csv"  # real figures, shared by all territories
TERRITORY_TYPES = ["rural", "bourg", "ville moyenne"]
FUNCTIONS = {
    "coworking": "coworking",
    "occasional_telework": "télétravail ponctuel",
    "fablab": "fablab",
    "digital_mediation": "médiation numérique",
    "project_support": "accompagnement de projets",
    "training": "formation",
    "cafe": "café-restauration",
}
LEGAL_FORMS = ["association", "SCIC", "SCOP", "SAS", "SARL", "régie", "SPL", "autre"]
COLUMNS = {  # file column -> name in the code
    "nom": "name",
    "territoire": "territory",
    "type_territoire": "territory_type",
    "surface_m2": "surface_m2",
    "fonctions": "functions",
    "prix_jour_eur": "price_day_eur",
    "prix_mois_eur": "price_month_eur",
    "etp": "fte",
    "chiffre_affaires_eur": "revenue_eur",
    "part_financement_public": "public_share",
    "forme_juridique": "legal_form",
    "annee_ouverture": "opening_year",
}
# Optional revenue mix: own revenue by source, as shares of total revenue; with the public
# funding share they add up to 1.
REVENUE_MIX = {  # file column -> name in the code
    "part_recettes_espaces": "spaces_share",
    "part_recettes_prestations": "services_share",
    "part_recettes_animation": "events_share",
}
REVENUE_LABELS = {
    "public_share": "Financements publics",
    "spaces_share": "Location d'espaces (coworking, bureaux, salles)",
    "services_share": "Prestations et formations",
    "events_share": "Animation, événements, café",
}
MIX_TOLERANCE = 0.02
NUMERIC = [
    "surface_m2",
    "prix_jour_eur",
    "prix_mois_eur",
    "etp",
    "chiffre_affaires_eur",
    "part_financement_public",
    "annee_ouverture",
    *REVENUE_MIX,
]
# A single reference value is "comparable" within this relative gap.
TOLERANCE = 0.15


def _mix_adds_up(df: pd.DataFrame) -> pd.Series:
    """Public share plus the revenue mix close to 1, when the mix is given (all or none)."""
    given = [c for c in REVENUE_MIX if c in df]
    if not given:
        return pd.Series(True, index=df.index)
    parts = df[["part_financement_public", *given]].apply(pd.to_numeric, errors="coerce")
    empty = (df[given] == "").all(axis=1)
    complete = (df[given] != "").all(axis=1)
    unreadable = parts.isna() & (df[["part_financement_public", *given]] != "")
    adds_up = (parts.sum(axis=1) - 1).abs() <= MIX_TOLERANCE + 1e-9
    return empty | unreadable.any(axis=1) | (complete & adds_up)


MIX_CHECK = row_check(
    ["part_financement_public", *REVENUE_MIX],
    _mix_adds_up,
    f"part_financement_public and the {', '.join(REVENUE_MIX)} shares all given and adding up "
    f"to 1 (within {MIX_TOLERANCE:g}), or the three revenue shares left empty",
)


def benchmark_schema() -> pa.DataFrameSchema:
    optional = {
        column: pa.Column(checks=number(0, 1, optional=True), required=False)
        for column in REVENUE_MIX
    }
    return pa.DataFrameSchema(
        {
            "nom": pa.Column(checks=non_empty(), unique=True, report_duplicates="exclude_first"),
            "territoire": pa.Column(checks=non_empty()),
            "type_territoire": pa.Column(checks=one_of(TERRITORY_TYPES)),
            "surface_m2": pa.Column(checks=number(1)),
            "fonctions": pa.Column(checks=list_of(list(FUNCTIONS), optional=False)),
            "prix_jour_eur": pa.Column(checks=number(0, optional=True)),
            "prix_mois_eur": pa.Column(checks=number(0, optional=True)),
            "etp": pa.Column(checks=number(0)),
            "chiffre_affaires_eur": pa.Column(checks=number(0)),
            "part_financement_public": pa.Column(checks=number(0, 1)),
            "forme_juridique": pa.Column(checks=one_of(LEGAL_FORMS)),
            "annee_ouverture": pa.Column(checks=number(1900, 2100, integer=True)),
            **optional,
        },
        checks=MIX_CHECK,
        strict=True,
    )


def references_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "indicateur": pa.Column(
                checks=non_empty(), unique=True, report_duplicates="exclude_first"
            ),
            "valeur": pa.Column(checks=number()),
            "unite": pa.Column(checks=non_empty()),
            "annee": pa.Column(checks=number(1900, 2100, optional=True, integer=True)),
            "source": pa.Column(checks=non_empty()),
        },
        strict=True,
    )


def read_benchmark(path: Path) -> pd.DataFrame:
    """The benchmark grid with English names; revenue mix columns are NaN when not given. A
    header alone reads as no comparable place, with a warning."""
    table = read_checked_csv(path, benchmark_schema())
    table = to_numbers(warn_empty(table, path, "place", "no comparable place"), NUMERIC)
    for column in REVENUE_MIX:
        if column not in table:
            table[column] = np.nan
    return table[[*COLUMNS, *REVENUE_MIX]].rename(columns={**COLUMNS, **REVENUE_MIX})


def read_references(path: Path) -> pd.DataFrame:
    table = to_numbers(read_checked_csv(path, references_schema()), ["valeur", "annee"])
    return table.rename(
        columns={
            "indicateur": "indicator",
            "valeur": "value",
            "unite": "unit",
            "annee": "year",
            "source": "source",
        }
    )


def positioning(bench: pd.DataFrame) -> pd.DataFrame:
    """The benchmark rows with their ratios: functions count, revenue per m² and per FTE."""
    out = bench.copy()
    out["opening_year"] = out["opening_year"].astype("Int64")
    out["n_functions"] = out["functions"].str.split("|").map(len)
    out["revenue_per_m2"] = out["revenue_eur"] / out["surface_m2"]
    out["revenue_per_fte"] = out["revenue_eur"] / out["fte"].where(out["fte"] > 0)
    out["m2_per_fte"] = out["surface_m2"] / out["fte"].where(out["fte"] > 0)
    out["own_share"] = 1 - out["public_share"]
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
    """Benchmark indicators beside the national reference figures they compare with."""
    table = positioning(bench)
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


def _reference_text(row: pd.Series) -> str:
    """'référence : 10 à 26 € HT / jour (2016, zevillage.net …)', or '' without reference."""
    if pd.isna(row["reference_low"]):
        return ""
    low = format_value(row["reference_low"], row["unit"])
    if row["reference_low"] != row["reference_high"]:
        high = format_value(row["reference_high"], row["unit"])
        low = f"{low.removesuffix(row['unit']).strip()} à {high}"
    year = "" if pd.isna(row["reference_year"]) else f"{int(row['reference_year'])}, "
    return f"référence nationale : {low} ({year}{row['reference_source']})"


def lessons(summary_frame: pd.DataFrame, bench: pd.DataFrame) -> pd.DataFrame:
    """What the benchmark teaches, as French sentences computed from the table (theme, lesson,
    indicator): each measured indicator against its reference, then sizing ratios."""
    from pipeline.core import fmt

    rows = []
    themes = {
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
    for _, row in summary_frame.iterrows():
        if pd.isna(row["value"]):
            continue
        text = f"{row['label']} : {format_value(row['value'], row['unit'])} ({row['n']} lieux)"
        reference = _reference_text(row)
        if reference:
            text += f", {row['position']} ; {reference}"
        rows.append(
            {
                "theme": themes.get(row["indicator"], "Autres"),
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
    order = list(dict.fromkeys(themes.values())) + ["Autres"]
    table = pd.DataFrame(rows, columns=["theme", "indicator", "lesson"])
    rank = table["theme"].map({t: i for i, t in enumerate(order)})
    return (
        table.assign(_order=rank)
        .sort_values("_order", kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    bench = read_benchmark(phase.raw_dir / BENCHMARK_FILE)
    references = read_references(phase.root / "data" / "raw" / REFERENCES_FILE)
    summary_frame = summary(bench, references, phase.params["benchmark"]["price_day_unit"])
    return {
        "benchmark": positioning(bench),
        "benchmark_summary": summary_frame,
        "benchmark_lessons": lessons(summary_frame, bench),
    }


# ---------------------------------------------------------------------------------------
# What readers see
# ---------------------------------------------------------------------------------------


def format_value(value: float, unit: str) -> str:
    """A value in French with its unit: shares as percentages, the rest as numbers."""
    from pipeline.core import fmt

    if pd.isna(value):
        return "–"
    if unit.startswith("part"):
        return fmt.percent(value, 0)
    decimals = 1 if abs(value) < 100 and value != round(value) else 0
    return f"{fmt.number(value, decimals)}\u00a0{unit}"


def benchmark_table(bench: pd.DataFrame) -> pd.DataFrame:
    from pipeline.core import fmt

    return pd.DataFrame(
        {
            "Lieu": bench["name"],
            "Territoire": bench["territory"],
            "Surface (m²)": bench["surface_m2"].map(fmt.number),
            "Fonctions": bench["functions"].map(
                lambda f: ", ".join(FUNCTIONS[x] for x in f.split("|"))
            ),
            "Prix jour (€)": bench["price_day_eur"].map(lambda v: format_value(v, "€")),
            "Prix mois (€)": bench["price_month_eur"].map(lambda v: format_value(v, "€")),
            "ETP": bench["fte"].map(lambda v: fmt.number(v, 1)),
            "Chiffre d'affaires": bench["revenue_eur"].map(lambda v: format_value(v, "€")),
            "Part publique": bench["public_share"].map(lambda v: fmt.percent(v, 0)),
            "Recettes propres : espaces / prestations / animation": [
                revenue_mix_text(row) for _, row in bench.iterrows()
            ],
            "Forme juridique": bench["legal_form"],
            "Ouverture": bench["opening_year"].astype(int),
        }
    )


def revenue_mix_text(row: pd.Series) -> str:
    """'30 / 20 / 10 %' of total revenue, or '–' when the mix is not given."""
    parts = [row.get(c, np.nan) for c in ("spaces_share", "services_share", "events_share")]
    if any(pd.isna(v) for v in parts):
        return "–"
    return " / ".join(f"{round(v * 100):d}" for v in parts) + "\u00a0%"


def lessons_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Thème": frame["theme"], "Enseignement": frame["lesson"]})


def revenue_mix_figure(bench: pd.DataFrame):
    """Stacked bars: each place's revenue by source (public funding first), places sorted by
    their public share; places without a revenue mix are left out."""
    from pipeline.core import figures

    columns = list(REVENUE_LABELS)
    known = bench.dropna(subset=columns).sort_values(["public_share", "name"], kind="stable")
    long = known.melt(id_vars="name", value_vars=columns, var_name="source", value_name="share")
    long["source_label"] = long["source"].map(REVENUE_LABELS)
    fig = figures.bar(
        long,
        x="share",
        y="name",
        color="source_label",
        orientation="h",
        title="Origine des recettes des tiers-lieux comparés",
        labels={"share": "Part des recettes", "name": "", "source_label": "Origine"},
        category_orders={
            "source_label": list(REVENUE_LABELS.values()),
            "name": list(known["name"]),
        },
        color_discrete_sequence=[figures.PALETTE[i] for i in (7, 0, 2, 1)],
    )
    fig.update_layout(
        barmode="stack", xaxis_tickformat=".0%", legend={"orientation": "h", "y": -0.15}
    )
    return fig


def summary_table(table: pd.DataFrame) -> pd.DataFrame:
    def reference(row) -> str:
        if pd.isna(row["reference_low"]):
            return "–"
        low = format_value(row["reference_low"], row["unit"])
        if row["reference_low"] == row["reference_high"]:
            return low
        high = format_value(row["reference_high"], row["unit"])
        return f"{low.removesuffix(row['unit']).strip()} à {high}"

    return pd.DataFrame(
        {
            "Indicateur": table["label"],
            "Lieux comparés": table["n"],
            "Valeur observée": [format_value(v, u) for v, u in zip(table["value"], table["unit"])],
            "Référence nationale": table.apply(reference, axis=1),
            "Année": table["reference_year"].map(lambda y: "" if pd.isna(y) else str(int(y))),
            "Position": table["position"],
            "Source": table["reference_source"],
        }
    )


def positioning_figure(bench: pd.DataFrame, summary_frame: pd.DataFrame):
    """Revenue against dependence on public funding; bubble size is the surface; dotted lines
    mark the national references (average revenue, public share)."""
    import plotly.express as px

    from pipeline.core import figures

    frame = bench.assign(type_label=bench["territory_type"].str.capitalize())
    fig = px.scatter(
        frame,
        x="public_share",
        y="revenue_eur",
        size="surface_m2",
        color="type_label",
        hover_name="name",
        size_max=40,
        category_orders={"type_label": [t.capitalize() for t in TERRITORY_TYPES]},
        color_discrete_sequence=figures.PALETTE,
        title="Positionnement des tiers-lieux comparés",
        labels={
            "public_share": "Part des financements publics",
            "revenue_eur": "Chiffre d'affaires (€)",
            "type_label": "Territoire",
            "surface_m2": "Surface (m²)",
        },
    )
    fig.update_layout(xaxis_tickformat=".0%", margin={"l": 10, "r": 10, "t": 60, "b": 10})
    refs = summary_frame.set_index("indicator")["reference_low"]
    fig.add_hline(
        y=refs["revenue_mean"],
        line_dash="dot",
        line_color="grey",
        annotation_text="CA moyen national",
    )
    fig.add_vline(
        x=refs["public_share"],
        line_dash="dot",
        line_color="grey",
        annotation_text="Part publique nationale",
    )
    return fig
