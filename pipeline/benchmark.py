"""Phase 06, benchmark: comparable tiers-lieux, their key ratios, and national references."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from pipeline.phase import Phase
from pipeline.validate import list_of, non_empty, number, one_of, read_checked_csv, to_numbers

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
NUMERIC = [
    "surface_m2",
    "prix_jour_eur",
    "prix_mois_eur",
    "etp",
    "chiffre_affaires_eur",
    "part_financement_public",
    "annee_ouverture",
]
# A single reference value is "comparable" within this relative gap.
TOLERANCE = 0.15


def benchmark_schema() -> pa.DataFrameSchema:
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
        }
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
        }
    )


def read_benchmark(path: Path) -> pd.DataFrame:
    table = to_numbers(read_checked_csv(path, benchmark_schema()), NUMERIC)
    return table[list(COLUMNS)].rename(columns=COLUMNS)


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
            "indicator": "public_share",
            "label": "Part des financements publics (médiane)",
            "unit": "part",
            "column": "public_share",
            "stat": "median",
            "reference": ("part_subventions_publiques", "part_subventions_publiques"),
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
    table["is_association"] = table["legal_form"] == "association"
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


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    bench = read_benchmark(phase.raw_dir / BENCHMARK_FILE)
    references = read_references(phase.root / "data" / "raw" / REFERENCES_FILE)
    return {
        "benchmark": positioning(bench),
        "benchmark_summary": summary(
            bench, references, phase.params["benchmark"]["price_day_unit"]
        ),
    }


# ---------------------------------------------------------------------------------------
# What readers see
# ---------------------------------------------------------------------------------------


def format_value(value: float, unit: str) -> str:
    """A value in French with its unit: shares as percentages, the rest as numbers."""
    from pipeline import fmt

    if pd.isna(value):
        return "–"
    if unit.startswith("part"):
        return fmt.percent(value, 0)
    decimals = 1 if abs(value) < 100 and value != round(value) else 0
    return f"{fmt.number(value, decimals)}\u00a0{unit}"


def benchmark_table(bench: pd.DataFrame) -> pd.DataFrame:
    from pipeline import fmt

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
            "Forme juridique": bench["legal_form"],
            "Ouverture": bench["opening_year"].astype(int),
        }
    )


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

    from pipeline import figures

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
