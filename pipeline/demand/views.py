"""What readers of phase 07 see: tables, sentences and figures of the demand and the workshops."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pipeline.core import figures, fmt
from pipeline.core.mdtext import Md, md
from pipeline.core.vocabulary import UNITS, unit_label
from pipeline.demand.estimate import desk_equivalent, equivalents
from pipeline.demand.rates import LEVELS, percents, survey_rate

LEVEL_LABELS = {"low": "Basse", "central": "Centrale", "high": "Haute"}


def demand_table(demand: pd.DataFrame) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "Public cible": demand["label"],
            "Effectif (personnes)": demand["base"].map(fmt.number),
            "Unité": demand["unit"].map(UNITS),
        }
    )
    for level in LEVELS:
        table[f"Hypothèse {LEVEL_LABELS[level].lower()}"] = demand[level].map(fmt.number)
    return table


def assumptions_table(demand: pd.DataFrame) -> pd.DataFrame:
    """Each segment's head count, capture rate and frequency, with where each comes from."""

    def heads(row) -> str:
        if row["base_low"] == row["base_high"]:
            return fmt.number(row["base"])
        return (
            f"{fmt.number(row['base'])} ({fmt.number(row['base_low'])} à "
            f"{fmt.number(row['base_high'])})"
        )

    return pd.DataFrame(
        {
            "Public cible": demand["label"],
            "Effectif": [heads(r) for _, r in demand.iterrows()],
            "Source de l'effectif": demand["base_source"],
            "Taux de captation (bas – central – haut)": [
                percents(r[[f"capture_{level}" for level in LEVELS]]) for _, r in demand.iterrows()
            ],
            "Source du taux": demand["capture_source"],
            "Fréquence par personne et par an (basse – centrale – haute)": [
                " – ".join(fmt.number(r[f"frequency_{lv}"], 1) for lv in LEVELS)
                + f" {UNITS[r['unit']]}"
                for _, r in demand.iterrows()
            ],
            "Source de la fréquence": demand["frequency_source"],
        }
    )


def units_table(demand_by_unit: pd.DataFrame, working_days: float) -> pd.DataFrame:
    eq = equivalents(demand_by_unit, working_days)
    table = pd.DataFrame({"Unité": demand_by_unit["unit"].map(UNITS)})
    for level in LEVELS:
        table[f"Par an, hypothèse {LEVEL_LABELS[level].lower()}"] = demand_by_unit[level].map(
            fmt.number
        )
    table["Soit, en hypothèse centrale"] = [
        f"{fmt.number(v, 1)} {w}" for v, w in zip(eq["central"], eq["what"])
    ]
    return table


def desk_text(demand_by_unit: pd.DataFrame, working_days: float) -> str:
    """One French sentence: the desk-day volumes as full-time desks."""
    desks = desk_equivalent(demand_by_unit, working_days)
    return (
        f"En hypothèse centrale, les journées de poste de travail équivalent à "
        f"**{fmt.number(desks['central'], 1)} postes** occupés toute l'année "
        f"({fmt.number(working_days)} jours ouvrés), entre {fmt.number(desks['low'], 1)} "
        f"et {fmt.number(desks['high'], 1)} selon les hypothèses."
    )


def answer_text(demand_by_unit: pd.DataFrame, working_days: float, estimates: pd.DataFrame) -> str:
    """The phase's answer in French: stated interest (survey) and the central demand, unit by
    unit, as weekly or full-time equivalents with their range."""
    eq = equivalents(demand_by_unit, working_days)
    parts = [
        md(
            "{} {} ({} à {})",
            fmt.number(r["central"], 1),
            r["what"],
            fmt.number(r["low"], 1),
            fmt.number(r["high"], 1),
        )  # fmt: skip
        for _, r in eq.iterrows()
    ]
    interest = survey_rate(estimates, "interet_tiers_lieu")
    opening = (
        md("{} des habitants interrogés se disent intéressés par un tiers-lieu (intervalle de "
           "confiance {} à {}). ", fmt.percent(interest["central"], 0),
           fmt.percent(interest["low"], 0), fmt.percent(interest["high"], 0))
        if interest
        else Md("")
    )  # fmt: skip
    return md(
        "**Y a-t-il une demande ?** {}En hypothèse centrale, la demande potentielle de la zone "
        "d'étude représente : {}.", opening, Md(" ; ".join(parts)),
    )  # fmt: skip


def demand_figure(demand: pd.DataFrame):
    """Central yearly volume of each segment, with the low-high range as an error bar; one
    panel per unit, since desk days, sessions, hours and bookings do not add up.

    Panels are stacked and bars horizontal, publics named on the left: the labels have the
    figure's whole width, on a phone as on a desktop, and never overlap."""
    units = list(dict.fromkeys(demand["unit"]))
    counts = [int((demand["unit"] == u).sum()) for u in units]
    height = 90 + 95 * len(units) + 44 * sum(counts)  # px: 95 between panels, 44 a bar
    fig = make_subplots(
        rows=len(units),
        cols=1,
        vertical_spacing=85 / (height - 90) if len(units) > 1 else 0.0,  # axis and next title
        row_heights=[c + 1 for c in counts],
        subplot_titles=[textwrap.fill(unit_label(u), 24).replace("\n", "<br>") for u in units],
    )
    for i, unit in enumerate(units):
        group = demand[demand["unit"] == unit].iloc[::-1]  # first public on top
        fig.add_trace(
            go.Bar(
                y=[textwrap.fill(label, 26).replace("\n", "<br>") for label in group["label"]],
                x=group["central"],
                orientation="h",
                name=UNITS[unit],
                marker_color=figures.PALETTE[i % len(figures.PALETTE)],
                showlegend=False,
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": np.asarray(group["high"] - group["central"]),
                    "arrayminus": np.asarray(group["central"] - group["low"]),
                },
            ),
            row=i + 1,
            col=1,
        )
    fig.update_layout(
        title="Demande annuelle par public",  # short: it fits a phone's width
        height=height,
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
    )
    fig.update_yaxes(automargin=True)
    # Panel titles, wrapped, start where the bars start: centred over a phone's narrow bars,
    # they would run off the figure's right edge.
    fig.update_annotations(x=0, xanchor="left", font_size=14)
    fig.update_xaxes(title_text="Barre : hypothèse centrale<br>trait : de la basse à la haute",
                     title_font_size=12, row=len(units), col=1)  # fmt: skip
    return fig


# ---------------------------------------------------------------------------------------
# Co-design workshops
# ---------------------------------------------------------------------------------------


def ideas_table(ideas: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    shown = ideas.head(top)
    return pd.DataFrame(
        {
            "Rang": shown["rank"],
            "Idée": shown["idea"],
            "Service": shown["service_label"],
            "Atelier": shown["workshop"],
            "Votes": shown["votes"],
            "Part des votes de l'atelier": shown["vote_share"].map(lambda v: fmt.percent(v, 0)),
        }
    )


def services_table(table: pd.DataFrame) -> pd.DataFrame:
    def demand_text(value: float, unit: str) -> str:
        if not unit or pd.isna(value):
            return "–"
        return f"{fmt.number(value)} {UNITS[unit]} par an"

    return pd.DataFrame(
        {
            "Rang": table["rank"],
            "Service": table["service_label"],
            "Idées": table["ideas"],
            "Votes": table["votes"],
            "Part des votes": table["vote_share"].map(lambda v: fmt.percent(v, 0)),
            "Idée la plus soutenue": table["top_idea"].replace("", "–"),
            "Demande estimée (hypothèse centrale)": [
                demand_text(v, u) for v, u in zip(table["demand_central"], table["unit"])
            ],
        }
    )


def services_figure(table: pd.DataFrame):
    """Horizontal bars: votes per service, most voted on top; services tied to a demand unit
    in one colour, the others in another."""
    frame = table.assign(
        label=table["service_label"].map(lambda t: textwrap.fill(t, 30).replace("\n", "<br>")),
        kind=table["unit"].map(lambda u: "Mesuré par la demande (phase 07)" if u else "Autre"),
    )
    fig = figures.bar(
        frame,
        x="votes",
        y="label",
        color="kind",
        orientation="h",
        title="Votes des ateliers de co-conception par service",
        labels={"votes": "Votes", "label": "", "kind": ""},
        category_orders={"label": list(frame["label"])},
        color_discrete_sequence=[figures.PALETTE[0], figures.PALETTE[1]],
    )
    fig.update_layout(legend={"orientation": "h", "y": -0.15}, height=460)
    return fig
