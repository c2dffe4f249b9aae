"""Phase 06, what readers see: tables with French headers and figures of the benchmark."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px

from pipeline.benchmark.grid import FUNCTIONS, TERRITORY_TYPES
from pipeline.benchmark.lessons import format_value, reference_range
from pipeline.core import figures, fmt

# Origin of revenue: the public and private funding shares and the revenue mix, as the figure
# labels them.
REVENUE_LABELS = {
    "public_share": "Financements publics",
    "private_share": "Partenaires privés (mécénat, entreprises, fondations)",
    "spaces_share": "Location d'espaces (coworking, bureaux, salles)",
    "services_share": "Prestations et formations",
    "events_share": "Animation, événements, café",
}


def benchmark_table(bench: pd.DataFrame) -> pd.DataFrame:
    """The comparable places, one a row, in French."""
    return pd.DataFrame(
        {
            "Lieu": bench["name"],
            "Type": bench["kind"].map(capitalized),
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
            "Part privée": bench["private_share"].map(share_text),
            "Recettes propres : espaces / prestations / animation": [
                revenue_mix_text(row) for _, row in bench.iterrows()
            ],
            "Forme juridique": bench["legal_form"],
            "Ouverture": bench["opening_year"].map(lambda y: fmt.year(None if pd.isna(y) else y)),
        }
    )


def capitalized(text: str) -> str:
    """'Laboratoire d'innovation': the first letter only in capital."""
    return text[:1].upper() + text[1:]


def share_text(value: float) -> str:
    """'12 %', or '–' when not given."""
    return "–" if pd.isna(value) else fmt.percent(value, 0)


def kinds_table(kinds: pd.DataFrame) -> pd.DataFrame:
    """Each kind of place of the grid with its medians, in French."""
    return pd.DataFrame(
        {
            "Type de lieu": kinds["kind"].map(capitalized),
            "Lieux": kinds["places"],
            "Surface (m²)": kinds["surface_m2"].map(fmt.number),
            "ETP": kinds["fte"].map(lambda v: fmt.number(v, 1)),
            "Chiffre d'affaires": kinds["revenue_eur"].map(lambda v: format_value(v, "€")),
            "Part publique": kinds["public_share"].map(share_text),
            "Part privée": kinds["private_share"].map(share_text),
            "Recettes propres": kinds["own_share"].map(share_text),
            "Forme juridique la plus fréquente": kinds["legal_form"],
        }
    )


def revenue_mix_text(row: pd.Series) -> str:
    """'30 / 20 / 10 %' of total revenue, or '–' when the mix is not given."""
    parts = [row.get(c, np.nan) for c in ("spaces_share", "services_share", "events_share")]
    if any(pd.isna(v) for v in parts):
        return "–"
    return " / ".join(f"{round(v * 100):d}" for v in parts) + "\u00a0%"


def lessons_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The lessons by theme, with French headers."""
    return pd.DataFrame({"Thème": frame["theme"], "Enseignement": frame["lesson"]})


def revenue_mix_figure(bench: pd.DataFrame):
    """Stacked bars: each place's revenue by source (public funding first), places sorted by
    their public share; places without a revenue mix are left out (a mix given without a
    private share counts its private funding as none, as the grid's check does)."""
    columns = list(REVENUE_LABELS)
    with_mix = bench.dropna(subset=[c for c in columns if c != "private_share"])
    known = with_mix.assign(private_share=with_mix["private_share"].fillna(0)).sort_values(
        ["public_share", "name"], kind="stable"
    )
    long = known.melt(id_vars="name", value_vars=columns, var_name="source", value_name="share")
    long["source_label"] = long["source"].map(REVENUE_LABELS)
    fig = figures.bar(
        long,
        x="share",
        y="name",
        color="source_label",
        orientation="h",
        title="Origine des recettes des lieux comparés",
        labels={"share": "Part des recettes", "name": "", "source_label": "Origine"},
        category_orders={
            "source_label": list(REVENUE_LABELS.values()),
            "name": list(known["name"]),
        },
        color_discrete_sequence=[figures.PALETTE[i] for i in (7, 3, 0, 2, 1)],
    )
    fig.update_layout(
        barmode="stack", xaxis_tickformat=".0%", legend={"orientation": "h", "y": -0.15}
    )
    return fig


def summary_table(table: pd.DataFrame) -> pd.DataFrame:
    """The summary beside its national references, in French."""
    return pd.DataFrame(
        {
            "Indicateur": table["label"],
            "Lieux comparés": table["n"],
            "Valeur observée": [format_value(v, u) for v, u in zip(table["value"], table["unit"])],
            "Référence nationale": [reference_range(row) or "–" for _, row in table.iterrows()],
            "Année": table["reference_year"].map(lambda y: "" if pd.isna(y) else str(int(y))),
            "Position": table["position"],
            "Source": table["reference_source"],
        }
    )


def positioning_figure(bench: pd.DataFrame, summary_frame: pd.DataFrame):
    """Revenue against dependence on public funding; bubble size is the surface; dotted lines
    mark the national references (average revenue, public share)."""
    frame = bench.assign(
        type_label=bench["territory_type"].str.capitalize(),
        kind_label=bench["kind"].map(capitalized),
    )
    fig = px.scatter(
        frame,
        x="public_share",
        y="revenue_eur",
        size="surface_m2",
        color="type_label",
        hover_name="name",
        hover_data={"kind_label": True},
        size_max=40,
        category_orders={"type_label": [t.capitalize() for t in TERRITORY_TYPES]},
        color_discrete_sequence=figures.PALETTE,
        title="Positionnement des lieux comparés",
        labels={
            "public_share": "Part des financements publics",
            "revenue_eur": "Chiffre d'affaires (€)",
            "type_label": "Territoire",
            "kind_label": "Type de lieu",
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
