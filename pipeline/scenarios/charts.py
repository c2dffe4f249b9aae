"""Phase 09, the figures of the business plans: investment, cumulative result, risk of
deficit and sensitivities."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from pipeline.core.figures import PALETTE
from pipeline.scenarios.recommendation import recommended
from pipeline.scenarios.views import labels

LAYOUT = {"margin": {"l": 10, "r": 10, "t": 60, "b": 10}, "legend": {"orientation": "h", "y": -0.2}}


def investment_chart_data(plan: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """Investment items by scenario, for a stacked bar chart."""
    uses = plan.loc[plan["kind"] == "uses"]
    return uses.assign(label=uses["scenario"].map(labels(scenarios)))


def investment_figure(plan: pd.DataFrame, scenarios: pd.DataFrame) -> go.Figure:
    """Investment items by scenario, stacked bars (€ HT)."""
    uses = investment_chart_data(plan, scenarios)
    fig = go.Figure()
    for i, (item, rows) in enumerate(uses.groupby("item", sort=False)):
        fig.add_trace(
            go.Bar(
                x=[textwrap.fill(label, 24).replace("\n", "<br>") for label in rows["label"]],
                y=rows["amount_eur"],
                name=item,
                marker_color=PALETTE[i % len(PALETTE)],
                hovertemplate="%{y:,.0f} €<extra>" + item + "</extra>",
            )
        )
    fig.update_layout(
        title="Investissement par scénario (€ HT)",
        barmode="stack",
        yaxis_title="Montant (€ HT)",
        height=460,
        **LAYOUT,
    )
    return fig


def cumulative_lines(table: pd.DataFrame, scenarios: pd.DataFrame, title: str, axis: str):
    """The `cumulative` column by year, one line per scenario, zero marked."""
    data = table.assign(label=table["scenario"].map(labels(scenarios)))
    fig = px.line(
        data,
        x="year",
        y="cumulative",
        color="label",
        markers=True,
        title=title,
        labels={"year": "Année", "cumulative": axis, "label": ""},
    )
    fig.add_hline(y=0, line={"color": "black", "width": 1})
    fig.update_layout(**LAYOUT)
    return fig


def cumulative_figure(plan: pd.DataFrame, scenarios: pd.DataFrame) -> go.Figure:
    """Cumulative operating result by year, one line per scenario."""
    title = "Résultat d'exploitation cumulé par scénario (plan central)"
    return cumulative_lines(plan, scenarios, title, "Résultat cumulé (€ HT)")


def distribution_figure(hist: pd.DataFrame, scenarios: pd.DataFrame, plan_years: int):
    """Distribution of the cumulative result after the plan years, one curve per scenario."""
    fig = go.Figure()
    for i, (scenario, label) in enumerate(labels(scenarios).items()):
        rows = hist.loc[hist["scenario"] == scenario]
        fig.add_trace(
            go.Scatter(
                x=(rows["bin_low"] + rows["bin_high"]) / 2,
                y=rows["share"],
                mode="lines",
                line={"shape": "hvh", "color": PALETTE[i % len(PALETTE)], "width": 2},
                fill="tozeroy",
                opacity=0.5,
                name=label,
            )
        )
    fig.add_vline(x=0, line={"color": "black", "width": 1, "dash": "dash"})
    fig.update_layout(
        title=f"Distribution du résultat cumulé à {plan_years} ans (simulation de Monte-Carlo)",
        xaxis_title="Résultat cumulé (€ HT) ; à gauche de la ligne pointillée : déficit",
        yaxis_title="Part des tirages",
        yaxis_tickformat=".0%",
        **LAYOUT,
    )
    return fig


def deficit_figure(risk_years: pd.DataFrame, scenarios: pd.DataFrame, plan_years: int):
    """Probability of a deficit each year, one line per scenario."""
    rows = risk_years.loc[risk_years["year"] <= plan_years]
    data = rows.assign(label=rows["scenario"].map(labels(scenarios)))
    fig = px.line(
        data,
        x="year",
        y="deficit_probability",
        color="label",
        markers=True,
        title="Probabilité d'un exercice déficitaire, année par année",
        labels={"year": "Année", "deficit_probability": "Probabilité de déficit", "label": ""},
    )
    fig.update_layout(yaxis_tickformat=".0%", yaxis_range=[0, 1.02], **LAYOUT)
    fig.update_xaxes(dtick=1)
    return fig


def tornado_figure(sensitivity: pd.DataFrame, scenarios: pd.DataFrame, plan_years: int):
    """One-at-a-time sensitivities of the recommended scenario's cumulative result."""
    chosen = recommended(scenarios)
    rows = sensitivity.loc[sensitivity["scenario"] == chosen["scenario"]]
    wide = rows.pivot_table(
        index="label", columns="side", values="delta_cumulative", aggfunc="sum", sort=False
    ).reindex(columns=["low", "high"], fill_value=0.0)
    span = (wide["high"] - wide["low"]).abs()
    wide = wide.loc[span > 1e-6].loc[lambda w: (w["high"] - w["low"]).abs().sort_values().index]
    base = float(chosen["cumulative_result_plan"])
    fig = go.Figure()
    for side, name, colour in (
        ("low", "Hypothèse basse", PALETTE[5]),
        ("high", "Hypothèse haute", PALETTE[0]),
    ):
        fig.add_trace(
            go.Bar(
                y=wide.index,
                x=wide[side],
                base=base,
                orientation="h",
                name=name,
                marker_color=colour,
                hovertemplate="%{y} : %{x:,.0f} €<extra>" + name + "</extra>",
            )
        )
    fig.add_vline(x=base, line={"color": "black", "width": 1})
    fig.update_layout(
        title=f"Sensibilité du résultat cumulé à {plan_years} ans : {chosen['label']}",
        barmode="overlay",
        xaxis_title="Résultat cumulé (€ HT) ; trait noir : plan central",
        height=420,
        **LAYOUT,
    )
    return fig


def cash_figure(cash: pd.DataFrame, scenarios: pd.DataFrame, case_label: str) -> go.Figure:
    """Cumulative cash position by year, year 0 (the works) to the horizon, one line per
    scenario."""
    title = f"Trésorerie cumulée par scénario ({case_label.lower()})"
    fig = cumulative_lines(cash, scenarios, title, "Trésorerie cumulée (€ HT)")
    fig.update_xaxes(dtick=1)
    return fig
