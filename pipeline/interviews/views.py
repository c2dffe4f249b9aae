"""Phase 04 readers' tables and figures, in French; `s` marks a cell under statistical secret."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from pipeline.core import figures, fmt
from pipeline.core.disclosure import SECRET, shown


def actors_table(table: pd.DataFrame) -> pd.DataFrame:
    """Readers' table of the interviews by group of actors; `s` marks a blanked count."""
    return pd.DataFrame(
        {"Groupe d'acteurs": table["actor"], "Entretiens": table["interviews"].map(shown)}
    )


def quotes_table(quotes: pd.DataFrame) -> pd.DataFrame:
    """Readers' table of the scrubbed quotes and the group of actors each is attributed to."""
    return quotes.rename(columns={"actor": "Groupe d'acteurs", "quote": "Citation"})


def heatmap(long: pd.DataFrame) -> go.Figure:
    """Theme × group of actors heatmap of the share of interviews raising each theme."""
    table = long.pivot(index="label", columns="actor", values="share")
    sizes = long.drop_duplicates("actor").set_index("actor")["interviews"]
    fig = go.Figure(go.Heatmap(
        z=table.to_numpy(), x=[f"{a} ({SECRET if pd.isna(sizes[a]) else sizes[a]})" for a in table.columns],
        y=list(table.index), colorscale="Viridis", zmin=0, zmax=1,
        colorbar={"title": {"text": "Part"}, "tickformat": ".0%"},
        text=[[SECRET if pd.isna(v) else fmt.percent(v, 0) for v in row] for row in table.to_numpy()],
        texttemplate="%{text}", hovertemplate="%{y}<br>%{x} : %{text}<extra></extra>",
    ))  # fmt: skip
    fig.update_layout(title="Thèmes abordés selon le groupe d'acteurs (part des entretiens)", height=460,
                      margin={"l": 10, "r": 10, "t": 60, "b": 10})  # fmt: skip
    return fig


def needs_figure(needs: pd.DataFrame) -> go.Figure:
    """Needs expressed, the most named at the top."""
    return figures.bar(
        needs.iloc[::-1], x="interviews", y="label", orientation="h",
        title="Besoins exprimés, classés", labels={"interviews": "Entretiens", "label": ""},
    )  # fmt: skip


def stance_figure(stance: pd.DataFrame) -> go.Figure:
    """Stance towards the project by group of actors, stacked."""
    return figures.bar(
        stance, x="interviews", y="actor", color="label", orientation="h",
        title="Position vis-à-vis du projet, par groupe d'acteurs",
        labels={"interviews": "Entretiens", "actor": "", "label": ""},
    )  # fmt: skip
