"""Phase 04, stakeholder interviews: coding grid, themes by type of actor, needs, stance, quotes.

Interview grids are personal data: names, roles and contacts are dropped at ingestion, and quotes
are scrubbed of names, e-mail addresses and phone numbers before any use.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.validate import (
    INSEE_CODE,
    InputFileError,
    iso_date,
    list_of,
    matches,
    non_empty,
    one_of,
    read_checked_csv,
)

ACTORS = {"Élu": "Élus", "Entreprise": "Entreprises", "Association": "Associations",
          "Institution": "Institutions", "Habitant": "Habitants"}  # fmt: skip
THEMES = {
    "besoin_coworking": "Besoin de coworking", "besoin_teletravail": "Besoin d'un lieu de télétravail",
    "besoin_mediation": "Besoin de médiation numérique", "besoin_fablab": "Besoin d'un fablab",
    "besoin_accompagnement": "Besoin d'accompagnement de projets",
    "besoin_formation": "Besoin de formation", "frein_mobilite": "Frein : mobilité",
    "frein_connexion": "Frein : connexion internet",
}  # fmt: skip
NEEDS = {
    "coworking": "Espace de coworking", "teletravail": "Poste de télétravail",
    "mediation": "Aide au numérique", "fablab": "Fablab", "accompagnement": "Accompagnement de projets",
    "formation": "Formations", "salles_reunion": "Salles de réunion", "evenements": "Événements",
}  # fmt: skip
STANCES = {"favorable": "Favorable", "favorable sous conditions": "Favorable sous conditions",
           "réservé": "Réservé", "opposé": "Opposé"}  # fmt: skip
IDENTIFIERS = ["interlocuteur", "fonction", "courriel", "telephone"]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<!\d)(\+?\d[\d .-]{7,}\d)(?!\d)")
REDACTED = "[…]"


def grid_schema() -> pa.DataFrameSchema:
    """The coding grid: one row per interview; identifiers, date, partnership and quote optional."""
    return pa.DataFrameSchema(
        {
            "id_entretien": pa.Column(
                checks=non_empty(), unique=True, report_duplicates="exclude_first"
            ),
            "date": pa.Column(checks=iso_date(optional=True), required=False),
            "type_acteur": pa.Column(checks=one_of(list(ACTORS))),
            "commune": pa.Column(checks=matches(INSEE_CODE, "an INSEE commune code")),
            **{c: pa.Column(required=False) for c in IDENTIFIERS},
            **{theme: pa.Column(checks=one_of(["0", "1"])) for theme in THEMES},
            "besoins": pa.Column(checks=list_of(list(NEEDS))),
            "position": pa.Column(checks=one_of(list(STANCES))),
            "soutien_projet": pa.Column(checks=one_of(list("12345"))),
            "partenariat": pa.Column(
                checks=one_of(["oui", "non", "peut-être"], optional=True), required=False
            ),
            "citation": pa.Column(required=False),
        },
        strict=True,
    )


def scrub(text: str, names: list[str]) -> str:
    """A quote without e-mail addresses, phone numbers or the names of people interviewed."""
    text = PHONE.sub(REDACTED, EMAIL.sub(REDACTED, text))
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", REDACTED, text, flags=re.IGNORECASE)
    return text


def read_grid(path: Path) -> pd.DataFrame:
    """Read and validate the coding grid; identifiers are dropped and quotes scrubbed here."""
    table = read_checked_csv(path, grid_schema())
    if table.empty:
        raise InputFileError(f"{path}: no interview in the grid")
    names = [part for col in ("interlocuteur",) if col in table for full in table[col]
             for part in (full, *full.split())]  # fmt: skip
    people = [n for n in names if len(n) > 2]
    if "citation" in table:
        table["citation"] = table["citation"].map(lambda q: scrub(q, people))
    for theme in THEMES:
        table[theme] = table[theme].astype(int)
    table["soutien_projet"] = table["soutien_projet"].astype(int)
    return table.drop(columns=[c for c in IDENTIFIERS if c in table.columns])


def merge_small_groups(grid: pd.DataFrame, min_cell: int) -> pd.Series:
    """Type of actor, with types of fewer than `min_cell` interviews merged into one group."""
    sizes = grid["type_acteur"].map(grid["type_acteur"].value_counts())
    return grid["type_acteur"].where(sizes >= min_cell, "Autres acteurs")


def theme_counts(grid: pd.DataFrame) -> pd.DataFrame:
    """How many interviews raised each theme, and their share."""
    counts = grid[list(THEMES)].sum()
    return pd.DataFrame({"theme": counts.index, "label": counts.index.map(THEMES),
                         "interviews": counts.to_numpy(), "share": counts.to_numpy() / len(grid)}
                        ).sort_values("interviews", ascending=False, kind="stable").reset_index(drop=True)  # fmt: skip


def theme_by_actor(grid: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Share of interviews raising each theme, by type of actor (long format, for a heatmap)."""
    group = merge_small_groups(grid, min_cell)
    shares = grid[list(THEMES)].groupby(group).mean()
    sizes = group.value_counts()
    long = shares.reset_index(names="actor").melt(
        id_vars="actor", var_name="theme", value_name="share"
    )
    long["label"] = long["theme"].map(THEMES)
    long["interviews"] = long["actor"].map(sizes)
    return long.sort_values(["actor", "theme"], kind="stable").reset_index(drop=True)


def ranked_needs(grid: pd.DataFrame) -> pd.DataFrame:
    """Needs expressed, ranked by the number of interviews that named them."""
    named = grid["besoins"].str.split("|").explode()
    counts = named[named != ""].value_counts().reindex(list(NEEDS), fill_value=0)
    out = pd.DataFrame({"need": counts.index, "label": counts.index.map(NEEDS),
                        "interviews": counts.to_numpy(), "share": counts.to_numpy() / len(grid)})  # fmt: skip
    out = out.sort_values(["interviews", "need"], ascending=[False, True], kind="stable")
    return out.assign(rank=range(1, len(out) + 1)).reset_index(drop=True)


def stance(grid: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Stance towards the project by type of actor (small types merged)."""
    group = merge_small_groups(grid, min_cell)
    counts = pd.crosstab(group, grid["position"]).reindex(columns=list(STANCES), fill_value=0)
    long = counts.reset_index(names="actor").melt(
        id_vars="actor", var_name="position", value_name="interviews"
    )
    long["label"] = long["position"].map(STANCES)
    return long


def quotes(grid: pd.DataFrame) -> pd.DataFrame:
    """Scrubbed quotes, attributed only to a type of actor, one per distinct text."""
    table = grid[grid["citation"] != ""][["type_acteur", "citation"]]
    table = table.drop_duplicates("citation").sort_values(
        ["type_acteur", "citation"], kind="stable"
    )
    return table.rename(columns={"type_acteur": "actor", "citation": "quote"}).reset_index(
        drop=True
    )


def build(phase) -> dict[str, pd.DataFrame]:
    min_cell = phase.params["interviews"]["min_cell"]
    grid = read_grid(phase.raw_dir / "entretiens_grille.csv")
    actors = grid["type_acteur"].value_counts().reindex(list(ACTORS), fill_value=0)
    return {
        "actors": actors.rename_axis("actor").reset_index(name="interviews"),
        "themes": theme_counts(grid),
        "themes_by_actor": theme_by_actor(grid, min_cell),
        "needs": ranked_needs(grid),
        "stance": stance(grid, min_cell),
        "quotes": quotes(grid),
        "support": pd.DataFrame(
            [
                {
                    "interviews": len(grid),
                    "mean_support": float(grid["soutien_projet"].mean()),
                    "partners_yes": int((grid.get("partenariat") == "oui").sum()),
                }
            ]
        ),  # fmt: skip
    }


def heatmap(long: pd.DataFrame):
    """Theme × type of actor heatmap of the share of interviews raising each theme."""
    import plotly.graph_objects as go

    table = long.pivot(index="label", columns="actor", values="share")
    sizes = long.drop_duplicates("actor").set_index("actor")["interviews"]
    fig = go.Figure(go.Heatmap(
        z=table.to_numpy(), x=[f"{a} ({sizes[a]})" for a in table.columns], y=list(table.index),
        colorscale="Viridis", zmin=0, zmax=1, colorbar={"title": {"text": "Part"}, "tickformat": ".0%"},
        text=[[f"{v:.0%}" for v in row] for row in table.to_numpy()], texttemplate="%{text}",
        hovertemplate="%{y}<br>%{x} : %{z:.0%}<extra></extra>",
    ))  # fmt: skip
    fig.update_layout(title="Thèmes abordés selon le type d'acteur (part des entretiens)", height=460,
                      margin={"l": 10, "r": 10, "t": 60, "b": 10})  # fmt: skip
    return fig
