"""Phase 09, what readers see of who pays: French tables of each funder's contribution and of
the EPCI's net cost (« reste à charge ») for the recommended scenario, case by case, and its
cash plan.

Everything here formats tables computed by `pipeline.scenarios.bill`; the cash figure is in
`pipeline.scenarios.charts`.
"""

from __future__ import annotations

import pandas as pd

from pipeline.core import fmt
from pipeline.scenarios.recommendation import recommended

FLOW_LABELS = {"investment": "Investissement", "operation": "Fonctionnement"}
COST_ROWS = {
    "investment_share": "Part de l'investissement (autofinancement)",
    "operating_grant": "Subvention de fonctionnement",
    "deficit_covered": "Déficit d'exploitation couvert",
    "net_cost": "Reste à charge",
    "cumulative_net_cost": "Reste à charge cumulé",
    "per_inhabitant": "Reste à charge par habitant de la zone d'étude",
    "per_visit": "Reste à charge par visite",
}
DEFICIT_LABEL = "EPCI : couverture du déficit d'exploitation"
CASE_COLUMN = "Cas de financement"


def _chosen(table: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    return table.loc[table["scenario"] == recommended(scenarios)["scenario"]]


def _years(wide: pd.DataFrame) -> pd.DataFrame:
    return wide.rename(columns=lambda y: f"Année {y}" if isinstance(y, int | float) else y)


def _sections(frames: dict[str, pd.DataFrame], first: str) -> pd.DataFrame:
    """Tables by case, one after the other, the case named on its first row."""
    out = []
    for label, frame in frames.items():
        frame = frame.rename_axis(index=first, columns=None).reset_index()
        frame.insert(0, CASE_COLUMN, [label] + [""] * (len(frame) - 1))
        out.append(frame)
    return pd.concat(out, ignore_index=True)


def funders_table(
    funders: pd.DataFrame, epci_cost: pd.DataFrame, scenarios: pd.DataFrame, cases: dict
) -> pd.DataFrame:
    """The recommended scenario's contributions per funder and year (€ HT), case by case:
    investment lines as paid, operating grants, then the deficit the EPCI covers."""
    paid, cost = _chosen(funders, scenarios), _chosen(epci_cost, scenarios)
    frames = {}
    for case, spec in cases.items():
        rows = paid.loc[paid["case"] == case]
        rows = rows.assign(line=rows["flow"].map(FLOW_LABELS) + " : " + rows["label"])
        wide = rows.pivot_table(
            index="line", columns="year", values="amount_eur", aggfunc="sum", sort=False
        )
        wide.loc[DEFICIT_LABEL] = cost.loc[cost["case"] == case].set_index("year")[
            "deficit_covered"
        ]
        wide.loc["Total"] = wide.sum()
        wide["Total"] = wide.sum(axis=1)
        frames[spec["label"]] = _years(wide.map(fmt.euros))
    return _sections(frames, "Financeur")


def epci_cost_table(epci_cost: pd.DataFrame, scenarios: pd.DataFrame, cases: dict):
    """The recommended scenario's EPCI net cost per year, case by case: its parts, cumulated,
    per inhabitant of the study zone and per visit."""
    cost = _chosen(epci_cost, scenarios)
    frames = {}
    for case, spec in cases.items():
        one = cost.loc[cost["case"] == case].set_index("year")[list(COST_ROWS)].T
        shown = one.astype(object)
        for item in one.index:
            decimals = 2 if item in ("per_inhabitant", "per_visit") else 0
            shown.loc[item] = ["—" if pd.isna(v) else fmt.euros(v, decimals) for v in one.loc[item]]
        frames[spec["label"]] = _years(shown.rename(index=COST_ROWS))
    return _sections(frames, "Poste")


def epci_summary_table(summary: pd.DataFrame, scenarios: pd.DataFrame, settings: dict):
    """The recommended scenario's EPCI net cost by case: a year over the plan (its investment
    share included), per inhabitant and per year, over the horizon and per visit."""
    cases = settings["funding_cases"]
    one = _chosen(summary, scenarios).set_index("case").loc[list(cases)]
    plan_years, years = settings["plan_years"], settings["years"]
    one = one.reset_index(drop=True)
    return pd.DataFrame(
        {
            CASE_COLUMN: [spec["label"] for spec in cases.values()],
            f"Reste à charge par an (moyenne sur {plan_years} ans)": one[
                "epci_net_cost_per_year"
            ].map(fmt.euros),
            "Par habitant de la zone d'étude et par an": one["epci_net_cost_per_inhabitant"].map(
                lambda v: fmt.euros(v, 2)
            ),
            f"Reste à charge cumulé sur {years} ans": one["horizon_net_cost"].map(fmt.euros),
            f"Par visite (sur {years} ans)": one["horizon_per_visit"].map(
                lambda v: "—" if pd.isna(v) else fmt.euros(v, 2)
            ),
        }
    )


CASH_ROWS = {
    "investment": "Investissement payé",
    "investment_funding": "Financements de l'investissement encaissés",
    "revenue": "Recettes propres",
    "operating_grants": "Subventions de fonctionnement",
    "costs": "Charges d'exploitation",
    "balance": "Flux de trésorerie",
    "cumulative": "Trésorerie cumulée",
}


def cash_table(cash: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """The recommended scenario's cash plan (central funding case): each flow by year, year 0
    to the horizon, outflows negative."""
    rows = _chosen(cash, scenarios).set_index("year")[list(CASH_ROWS)]
    wide = rows.T.rename(index=CASH_ROWS).map(fmt.euros)
    return _years(wide).rename_axis(index="Flux", columns=None).reset_index()
