"""Phase 03 readers' tables and figures, in French; `s` marks a cell under statistical secret."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pipeline.core import fmt
from pipeline.core.disclosure import SECRET, shown
from pipeline.core.figures import PALETTE


def _pct(x, decimals: int = 1) -> str:
    """A share in French format, or `s` when blanked."""
    return SECRET if pd.isna(x) else fmt.percent(x, decimals)


def _interval(low, high) -> str:
    return SECRET if pd.isna(low) else f"{_pct(low)} – {_pct(high)}"


def ci_label(confidence: float, short: bool = False) -> str:
    """'Intervalle de confiance à 95 %' (or 'IC à 95 %') for the level of params."""
    return ("IC" if short else "Intervalle de confiance") + f" à {fmt.percent(confidence, 0)}"


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Readers' table of the sample and its weighting."""
    s = summary.iloc[0]
    rows = [
        ("Questionnaires dans l'export", fmt.number(s["records"])),
        ("dont complets (dernière page atteinte)", fmt.number(s["complete"])),
        ("Répondants retenus (profil complet pour le calage)", fmt.number(s["usable"])),
        (
            "Écartés faute d'âge, de sexe, de commune ou de situation",
            fmt.number(s["excluded_missing_profile"]),
        ),
        ("dont résidant dans la zone d'étude", fmt.number(s["usable_study_zone"])),
        ("Variables de calage", s["weighting_variables"]),
        (
            "Bornes des poids (× poids moyen)",
            f"{fmt.number(s['trim_lower'], 1)} – {fmt.number(s['trim_upper'], 1)}",
        ),
        (
            "Poids minimal / maximal",
            f"{fmt.number(s['weight_min'], 2)} / {fmt.number(s['weight_max'], 2)}",
        ),
        ("Poids ramenés à une borne", fmt.number(s["weights_at_bounds"])),
        ("Effet de plan dû à la pondération (Kish)", fmt.number(s["design_effect"], 2)),
        ("Taille d'échantillon effective", fmt.number(s["effective_sample_size"])),
    ]
    if s["weighting_notes"]:
        rows.append(("Remarques sur le calage", s["weighting_notes"]))
    return pd.DataFrame(rows, columns=["Échantillon et redressement", "Valeur"])


def non_response_table(nr: pd.DataFrame) -> pd.DataFrame:
    """Readers' table of item non-response, break-offs and filters, by question."""
    return pd.DataFrame(
        {
            "Question": nr["label"],
            "Page": nr["page"].map(lambda p: "" if pd.isna(p) else str(p)),
            "Concernés": nr["asked"].map(fmt.number),
            "Réponses": nr["answered"].map(fmt.number),
            "Sans réponse": nr["non_response"].map(fmt.number),
            "Taux de non-réponse": nr["non_response_rate"].map(
                lambda x: "" if pd.isna(x) else _pct(x)
            ),
            "Abandon avant la question": nr["not_reached"].map(fmt.number),
            "Non concernés (filtre)": nr["not_applicable"].map(fmt.number),
        }
    )


def estimates_table(est: pd.DataFrame, confidence: float) -> pd.DataFrame:
    """Readers' table: unweighted and weighted side by side, with the interval and the base."""
    return pd.DataFrame(
        {
            "Indicateur": est["label"],
            "Champ": est.get("base", ""),
            "Répondants (n)": est["n"].map(fmt.number),
            "Sans réponse": est["no_answer"].map(fmt.number) if "no_answer" in est else "",
            "Non pondéré": est["unweighted"].map(_pct),
            "Pondéré": est["weighted"].map(_pct),
            ci_label(confidence): [
                _interval(lo, hi) for lo, hi in zip(est["ci_low"], est["ci_high"])
            ],
        }
    )


GROUP_INDICATORS = [
    "interet_tiers_lieu",
    "intention_usage",
    "notoriete_tiers_lieu",
    "usage_tiers_lieu",
    "difficulte_numerique",
]


def groups_table(by: pd.DataFrame, indicators: list[str] = GROUP_INDICATORS) -> pd.DataFrame:
    """Weighted shares by sub-area, age, sex and activity: one row per group."""
    kept = by[by["indicator"].isin(indicators)]
    keys = ["breakdown_label", "group"]
    order = pd.MultiIndex.from_frame(kept[keys].drop_duplicates())
    wide = kept.pivot(index=keys, columns="indicator", values="weighted").reindex(order)
    n = kept[kept["indicator"] == indicators[0]].set_index(keys)["n"]
    labels = dict(zip(kept["indicator"], kept["label"]))
    out = pd.DataFrame(
        {
            "Répartition": [k[0] for k in wide.index],
            "Groupe": [k[1] for k in wide.index],
            "Répondants (n)": [shown(n.get(k, 0)) for k in wide.index],
        }
    )
    for ind in indicators:
        if ind in wide:
            out[labels[ind] + " (pondéré)"] = wide[ind].map(_pct).to_numpy()
    return out


def distributions_table(dist: pd.DataFrame, confidence: float) -> pd.DataFrame:
    """Readers' table of the answers to each question of the codebook's `distributions`."""
    return pd.DataFrame(
        {
            "Question": dist["question_label"],
            "Réponse": dist["answer"],
            "Répondants": dist["respondents"].map(shown),
            "Non pondéré": dist["unweighted"].map(_pct),
            "Pondéré": dist["weighted"].map(_pct),
            ci_label(confidence): [
                _interval(lo, hi) for lo, hi in zip(dist["ci_low"], dist["ci_high"])
            ],
        }
    )


def prices_table(prices_: pd.DataFrame, confidence: float) -> pd.DataFrame:
    """Readers' table of the willingness to pay: means with their interval, median."""

    def euros(x):
        return SECRET if pd.isna(x) else fmt.euros(x, 1)

    return pd.DataFrame(
        {
            "Prix maximum acceptable": prices_["label"],
            "Répondants (n)": prices_["n"].map(fmt.number),
            "Moyenne non pondérée": prices_["unweighted_mean"].map(euros),
            "Moyenne pondérée": prices_["weighted_mean"].map(euros),
            ci_label(confidence): [
                SECRET if pd.isna(lo) else f"{euros(lo)} – {euros(hi)}"
                for lo, hi in zip(prices_["mean_ci_low"], prices_["mean_ci_high"])
            ],
            "Médiane pondérée": prices_["weighted_median"].map(euros),
        }
    )


def model_table(model: pd.DataFrame, confidence: float) -> pd.DataFrame:
    """Readers' table of the odds ratios of the logistic model."""

    def ratio(x):
        return SECRET if pd.isna(x) else fmt.number(x, 2)

    return pd.DataFrame(
        {
            "Variable": model["variable_label"],
            "Modalité": model["level"],
            "Référence": model["reference"],
            "Répondants": model["n"].map(fmt.number),
            "Rapport de cotes": model["odds_ratio"].map(ratio),
            ci_label(confidence): [
                SECRET if pd.isna(lo) else f"{ratio(lo)} – {ratio(hi)}"
                for lo, hi in zip(model["ci_low"], model["ci_high"])
            ],
            "p": model["p_value"].map(
                lambda p: SECRET if pd.isna(p) else ("< 0,001" if p < 0.001 else fmt.number(p, 3))
            ),
        }
    )


def margins_figure(margins: pd.DataFrame) -> go.Figure:
    """Census, raw sample and weighted sample shares of each weighting level."""
    shown = margins[margins["variable"].isin(["age", "sex", "sub_area", "activity"])]
    labels = shown["variable_label"] + " · " + shown["level"]
    fig = go.Figure()
    sources = {
        "census": "Recensement",
        "sample": "Échantillon brut",
        "weighted": "Échantillon redressé",
    }
    for colour, (col, name) in zip(PALETTE, sources.items()):
        fig.add_trace(
            go.Bar(
                x=shown[col],
                y=labels,
                orientation="h",
                name=name,
                marker_color=colour,
                hovertemplate="%{y} : %{x:.1%}<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(
        title="Structure de l'échantillon avant et après redressement (15 ans ou plus)",
        barmode="group",
        xaxis={"tickformat": ".0%", "title": "Part"},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.12},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        height=620,
    )
    return fig


def estimates_figure(est: pd.DataFrame, confidence: float) -> go.Figure:
    """Weighted shares with their interval, the unweighted share beside each."""
    ordered = est.dropna(subset=["weighted"]).sort_values("weighted", kind="stable")
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=ordered["weighted"],
            y=ordered["label"],
            orientation="h",
            name=f"Pondéré ({ci_label(confidence, short=True)})",
            marker_color=PALETTE[0],
            error_x={
                "type": "data",
                "symmetric": False,
                "array": ordered["ci_high"] - ordered["weighted"],
                "arrayminus": ordered["weighted"] - ordered["ci_low"],
            },
            customdata=ordered["n"],
            hovertemplate="%{y} : %{x:.1%} (n = %{customdata})<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=ordered["unweighted"],
            y=ordered["label"],
            mode="markers",
            name="Non pondéré",
            marker={"color": PALETTE[1], "symbol": "diamond", "size": 9},
            hovertemplate="%{y} : %{x:.1%} (non pondéré)<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"Résultats pondérés ({ci_label(confidence, short=True)})",
        xaxis={"tickformat": ".0%", "title": "Part des répondants"},
        legend={"orientation": "h", "y": -0.1},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        height=max(450, 32 * len(ordered) + 120),
    )
    return fig


def prices_figure(bands: pd.DataFrame, confidence: float) -> go.Figure:
    """Weighted distribution of the willingness to pay by price band, one panel per price."""
    units = list(dict.fromkeys(bands["label"]))
    fig = make_subplots(rows=1, cols=len(units), subplot_titles=units, shared_yaxes=True)
    for i, unit in enumerate(units, start=1):
        part = bands[bands["label"] == unit].sort_values("order")
        fig.add_trace(
            go.Bar(
                x=part["band"],
                y=part["weighted"].fillna(0),
                marker_color=PALETTE[i - 1],
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (part["ci_high"] - part["weighted"]).fillna(0),
                    "arrayminus": (part["weighted"] - part["ci_low"]).fillna(0),
                },
                text=[SECRET if s else "" for s in part["suppressed"]],
                textposition="outside",
                showlegend=False,
                hovertemplate="%{x} : %{y:.1%}<extra></extra>",
            ),
            row=1,
            col=i,
        )
    fig.update_yaxes(tickformat=".0%", title_text="Part des futurs usagers", row=1, col=1)
    fig.update_layout(
        title=f"Prix maximum acceptable (pondéré, {ci_label(confidence, short=True)} ; s : secret statistique)",
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
        height=450,
    )
    return fig


def model_figure(model: pd.DataFrame, confidence: float) -> go.Figure:
    """Forest plot of the odds ratios (log scale), reference line at 1."""
    shown = model.dropna(subset=["odds_ratio"]).iloc[::-1]
    fig = go.Figure(
        go.Scatter(
            x=shown["odds_ratio"],
            y=shown["label"],
            mode="markers",
            marker={"color": PALETTE[0], "size": 10, "symbol": "square"},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": shown["ci_high"] - shown["odds_ratio"],
                "arrayminus": shown["odds_ratio"] - shown["ci_low"],
            },
            customdata=shown["n"],
            hovertemplate="%{y}<br>rapport de cotes %{x:.2f} (n = %{customdata})<extra></extra>",
        )
    )
    fig.add_vline(x=1, line={"color": PALETTE[7], "dash": "dash", "width": 1})
    fig.update_layout(
        title=f"Rapports de cotes du modèle logistique pondéré ({ci_label(confidence, short=True)})",
        xaxis={"type": "log", "title": "Rapport de cotes (échelle logarithmique)"},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        height=max(400, 40 * len(shown) + 120),
    )
    return fig
