"""Phase 04, stakeholder interviews: coding grid, themes by type of actor."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

THEME_LABELS = {
    "besoin_coworking": "Besoin de coworking",
    "besoin_teletravail": "Besoin d'un lieu de télétravail",
    "besoin_mediation": "Besoin de médiation numérique",
    "besoin_fablab": "Besoin d'un fablab",
    "besoin_accompagnement": "Besoin d'accompagnement de projets",
    "besoin_formation": "Besoin de formation",
    "frein_mobilite": "Frein : mobilité",
    "frein_connexion": "Frein : connexion internet",
}
IDENTIFIERS = ["interlocuteur"]
REQUIRED = ["id_entretien", "type_acteur", "commune", *THEME_LABELS, "soutien_projet"]


class InterviewFormatError(ValueError):
    """The interview grid does not have the expected shape."""


def read_grid(path: Path) -> pd.DataFrame:
    """Read and validate the coding grid; names of interviewees are dropped here."""
    path = Path(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if missing := [c for c in REQUIRED if c not in table.columns]:
        raise InterviewFormatError(f"{path}: missing column(s) {', '.join(missing)}")
    if table["id_entretien"].duplicated().any():
        i = int(table.index[table["id_entretien"].duplicated()][0])
        raise InterviewFormatError(
            f"{path}, line {i + 2}, column id_entretien: duplicated id "
            f"{table.loc[i, 'id_entretien']!r}"
        )
    for theme in THEME_LABELS:
        bad = ~table[theme].isin(["0", "1"])
        if bad.any():
            i = int(bad.idxmax())
            raise InterviewFormatError(
                f"{path}, line {i + 2}, column {theme}: expected 0 or 1, "
                f"found {table.loc[i, theme]!r}"
            )
        table[theme] = table[theme].astype(int)
    table["soutien_projet"] = pd.to_numeric(table["soutien_projet"], errors="raise")
    return table.drop(columns=[c for c in IDENTIFIERS if c in table.columns])


def theme_counts(grid: pd.DataFrame) -> pd.DataFrame:
    """How many interviews raised each theme, and their share."""
    counts = grid[list(THEME_LABELS)].sum()
    return (
        pd.DataFrame(
            {
                "theme": counts.index,
                "label": counts.index.map(THEME_LABELS),
                "interviews": counts.to_numpy(),
                "share": counts.to_numpy() / len(grid),
            }
        )
        .sort_values("interviews", ascending=False, kind="stable")
        .reset_index(drop=True)
    )


def by_actor(grid: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Share of interviews raising each theme by type of actor; groups under `min_cell` merged."""
    sizes = grid["type_acteur"].value_counts()
    group = grid["type_acteur"].where(grid["type_acteur"].map(sizes) >= min_cell, "Autres acteurs")
    shares = grid[list(THEME_LABELS)].groupby(group).mean()
    shares["interviews"] = group.value_counts()
    return shares.reset_index(names="type_acteur")


def build(phase) -> dict[str, pd.DataFrame]:
    grid = read_grid(phase.raw_dir / "entretiens_grille.csv")
    actors = (
        grid["type_acteur"].value_counts().rename_axis("type_acteur").reset_index(name="interviews")
    )
    return {
        "themes": theme_counts(grid),
        "actors": actors,
        "themes_by_actor": by_actor(grid, phase.params["interviews"]["min_cell"]),
        "support": pd.DataFrame(
            [
                {
                    "interviews": len(grid),
                    "mean_support": float(grid["soutien_projet"].mean()),
                    "partners_yes": int((grid.get("partenariat") == "oui").sum()),
                }
            ]
        ),
    }
