"""Figures of phase 08: scores, robustness of the ranking, and the map of candidate sites."""

from __future__ import annotations

import pandas as pd

from pipeline.core import figures, fmt
from pipeline.offer.views import add_context, outside_outlines
from pipeline.sites.views import n_sites


def score_figure(sites: pd.DataFrame):
    frame = sites.assign(label=sites["site_id"] + " · " + sites["nom_commune"])
    fig = figures.bar(
        frame,
        x="label",
        y="score",
        title="Score TOPSIS des sites candidats",
        labels={"label": "", "score": "Score (0 à 1)"},
    )
    fig.update_traces(marker_color=figures.PALETTE[0])
    fig.update_yaxes(range=[0, 1])
    return fig


def robustness_figure(robustness: pd.DataFrame, sites: pd.DataFrame):
    """Bars: each site's probability of ranking first and of ranking in the first two."""

    table = robustness.merge(sites[["site_id", "nom_commune", "rank"]], on="site_id")
    table = table.sort_values(["rank", "site_id"], kind="stable")
    long = table.assign(label=table["site_id"] + " · " + table["nom_commune"]).melt(
        id_vars="label", value_vars=["p_first", "p_top2"], var_name="what", value_name="p"
    )
    names = {"p_first": "Classé 1er", "p_top2": "Dans les 2 premiers"}
    long["what"] = long["what"].map(names)
    draws = int(robustness["draws"].iloc[0]) if len(robustness) else 0
    fig = figures.bar(
        long,
        x="label",
        y="p",
        color="what",
        barmode="group",
        title=f"Robustesse du classement : {fmt.number(draws)} tirages aléatoires des poids",
        labels={"label": "", "p": "Probabilité", "what": ""},
        color_discrete_sequence=[figures.PALETTE[0], figures.PALETTE[4]],
    )
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    fig.update_layout(legend={"orientation": "h", "y": -0.15})
    return fig


def sites_map(communes, places: pd.DataFrame, sites: pd.DataFrame, models: pd.DataFrame):
    """Communes coloured by population, the study zone outlined, existing places, and the
    candidate sites sized by their TOPSIS score and labelled with their rank; the sites the
    coverage model picks for the largest p are circled."""

    fig = figures.choropleth(
        communes,
        "population",
        "Sites candidats (taille : score multicritère) et lieux existants",
        "Habitants",
        outline=communes.loc[communes["in_study_zone"], "geometry"],
    )
    if "location" in places:
        outside = sorted(set(places.loc[places["location"] == "outside", "code_insee"]))
        add_context(fig, communes, outside_outlines(outside) if outside else None)
    figures.points_on_map(
        fig,
        communes,
        places["lon"],
        places["lat"],
        places["nom"],
        "Lieux existants",
        colour=figures.PALETTE[7],
        symbol="circle-open",
    )
    mclp = models[models["model"] == "mclp"].sort_values("p")
    if len(mclp):
        chosen = sites[sites["site_id"].isin(mclp["site_ids"].iloc[-1].split("|"))]
        figures.points_on_map(
            fig,
            communes,
            chosen["lon"],
            chosen["lat"],
            chosen["site_id"],
            f"Retenus par la couverture maximale ({n_sites(mclp['p'].iloc[-1])})",
            colour=figures.PALETTE[2],
            symbol="circle-open",
        )
        fig.data[-1].marker.size = 34
        fig.data[-1].marker.line.width = 3
    hover = [
        f"{r['site_id']} · {r['nom']} ({r['nom_commune']}) : rang {r['rank']}, score "
        f"{fmt.number(r['score'], 2)}"
        for _, r in sites.iterrows()
    ]
    figures.points_on_map(
        fig,
        communes,
        sites["lon"],
        sites["lat"],
        sites["site_id"] + " (" + sites["rank"].astype(str) + ")",
        "Sites candidats (rang)",
        colour=figures.PALETTE[5],
        symbol="star",
    )
    fig.data[-1].update(
        mode="markers+text",
        textposition="top center",
        hovertext=hover,
        marker={"size": (12 + 20 * sites["score"].clip(0, 1)).tolist()},
    )
    fig.update_layout(height=600)
    return fig
