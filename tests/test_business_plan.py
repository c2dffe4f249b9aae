"""Phase 09: programme, investment, budget, activity, P&L, cash flow, funding plan, NPV/IRR,
recommendation, and the checks of the settings."""

from __future__ import annotations

import copy
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from pipeline.core import fmt
from pipeline.core.config import ConfigError, load_params
from pipeline.scenarios import business_plan as bp
from pipeline.scenarios import views

LINES = {
    "anct": {
        "label": "ANCT",
        "kind": "public",
        "eur": [60000, 50000, 50000, 50000],
        "after": "zero",
        "cap_year_eur": 50000,
        "cap_total_eur": 150000,
        "max_years": 3,
        "cut_risk": True,
    },
    "epci": {"label": "EPCI", "kind": "public", "eur": [10000], "after": "repeat"},
    "partners": {"label": "Mécènes", "kind": "private", "eur": [1000, 2000], "after": "repeat"},
}
INVEST_LINES = {
    "feder": {"label": "FEDER", "share": 0.5, "payment": [0.5, 0.5]},
    "state": {"label": "État", "share": 0.3, "cap_eur": 20000},
    "epci": {"label": "EPCI", "balance": True},
}


def settings(**overrides) -> dict:
    """A 4-year plan with two scenarios, small enough to check by hand."""
    base = {
        "years": 4,
        "plan_years": 3,
        "discount_rate": 0.10,
        "required_functions": 2,
        "works_eur_m2": {"light": 500, "medium": 1000, "heavy": 2000},
        "equipment_eur": {"coworking": 10000, "fablab": 50000, "digital_mediation": 5000},
        "investment_shares": {"it": 0.1, "furniture": 0.1, "studies": 0.1, "contingency": 0.1},
        "staff_posts": {
            "manager": {"label": "Direction", "salary_eur": 40000},
            "mediator": {"label": "Médiation", "salary_eur": 30000},
        },
        "operating_costs": {
            "utilities_eur_m2": 10,
            "insurance_eur_m2": 2,
            "maintenance_share": 0.1,
            "communication_eur": 1000,
            "subscriptions_eur": 500,
        },
        "units": {
            "desk_days": {"price": 12, "functions": ["coworking", "occasional_telework"]},
            "mediation_sessions": {"price": 0, "functions": ["digital_mediation"]},
            "fablab_hours": {"price": 5, "functions": ["fablab"]},
            "events": {"price": 100, "functions": []},
        },
        "ramp_up": [0.5, 1.0],
        "operating_funding": copy.deepcopy(LINES),
        "investment_funding": copy.deepcopy(INVEST_LINES),
        "scenarios": {
            "a": {
                "label": "A",
                "functions": ["coworking", "digital_mediation"],
                "renovation": "medium",
                "surface_m2": {"coworking": 60, "common": 40},
                "staff_fte": {"manager": 1.0},
                "demand_share": 1.0,
                "activity": {"events": 10},
            },
            "b": {
                "label": "B",
                "functions": ["fablab", "digital_mediation", "project_support"],
                "renovation": "light",
                "surface_m2": {"fablab": 20, "digital_mediation": 10},
                "staff_fte": {"mediator": 0.5},
                "demand_share": 0.5,
                "extra_costs_eur": {"Véhicule": 2000},
            },
        },
        "criteria": {"npv": 0.4, "own_revenue_share": 0.3, "functions_covered": 0.3},
        "risk": {
            "seed": 7,
            "draws": 2000,
            "price": [0.8, 1.0, 1.1],
            "services": [0.5, 1.0, 1.2],
            "costs": [0.9, 1.0, 1.2],
            "subsidies": [0.8, 1.0, 1.0],
            "partners": [0.5, 1.0, 1.0],
            "investment": [1.0, 1.0, 1.3],
            "cut_probability": 0.5,
            "cut_from_year": 2,
            "bins": 10,
        },
    }
    base.update(overrides)
    return base


DEMAND = pd.DataFrame(
    {
        "segment": ["teleworkers", "independents", "job_seekers", "students"],
        "label": ["Télétravailleurs", "Indépendants", "Demandeurs d'emploi", "Étudiants"],
        "unit": ["desk_days", "desk_days", "mediation_sessions", "fablab_hours"],
        "base": [0.0] * 4,
        "low": [1500.0, 1000.0, 200.0, 500.0],
        "central": [3000.0, 2000.0, 400.0, 1000.0],
        "high": [4500.0, 3000.0, 600.0, 1500.0],
    }
)
SITE = pd.Series(
    {
        "site_id": "s1",
        "nom": "Ancienne école",
        "nom_commune": "Saint-Pierre",
        "surface_m2": 200.0,
        "cost_per_m2_year": 100.0,
        "rank": 1,
    }
)


def evaluate(s: dict | None = None, demand: pd.DataFrame = DEMAND) -> dict[str, pd.DataFrame]:
    return bp.evaluate(s or settings(), 0.20, demand, SITE)


@pytest.fixture(scope="module")
def tables():
    return evaluate()


def row(tables, name):
    return tables["scenarios"].set_index("scenario").loc[name]


# --- investment and budget by hand ----------------------------------------------------------


def test_investment_by_level_of_renovation_and_function(tables):
    inv = tables["investment"].query("scenario == 'a'").set_index(["item", "detail"])["amount_ht"]
    # 100 m² × 1 000 € (medium); equipment of coworking and mediation; 10 % shares of works
    assert inv[("works", "medium")] == 100_000
    assert inv[("equipment", "coworking")] == 10_000
    assert inv[("equipment", "digital_mediation")] == 5_000
    assert inv[("it", "")] == inv[("furniture", "")] == inv[("studies", "")] == 10_000
    assert inv[("contingency", "")] == pytest.approx(0.1 * 145_000)
    a = row(tables, "a")
    assert a["investment_ht"] == pytest.approx(159_500)
    assert a["investment_ttc"] == pytest.approx(159_500 * 1.2)
    assert row(tables, "b")["renovation"] == "light"


def test_operating_budget_itemised(tables):
    budget = tables["budget"].query("scenario == 'a'").set_index("item")["amount"]
    assert budget["staff"] == 40_000
    assert budget["rent"] == 100 * 100  # site cost per m² × surface
    assert budget["utilities"] == 1_000 and budget["insurance"] == 200
    assert budget["maintenance"] == pytest.approx(0.1 * (15_000 + 10_000 + 10_000))
    assert budget.sum() == pytest.approx(row(tables, "a")["opex_year"])
    b = tables["budget"].query("scenario == 'b'").set_index("detail")["amount"]
    assert b["mediator"] == 15_000 and b["Véhicule"] == 2_000


# --- activity, grants, P&L ------------------------------------------------------------------


def test_revenue_only_from_functions_offered(tables):
    act = tables["activity"].query("scenario == 'b'").set_index("unit")
    assert act.loc["desk_days", "volume"] == 0  # b offers no desk
    assert act.loc["fablab_hours", "volume"] == 500  # 1 000 h × 0.5
    assert act.loc["fablab_hours", "revenue"] == 2_500
    a = tables["activity"].query("scenario == 'a'").set_index("unit")
    assert a.loc["desk_days", "revenue"] == 5_000 * 12
    assert a.loc["events", "volume_scenario"] == 10 and a.loc["events", "revenue"] == 1_000


def test_activity_by_year_follows_the_ramp_up(tables):
    years = tables["activity_years"].query("scenario == 'a' and unit == 'desk_days'")
    assert years["year"].tolist() == [1, 2, 3]
    assert years["volume"].tolist() == pytest.approx([2_500, 5_000, 5_000])
    revenue = tables["activity_years"].groupby(["scenario", "year"])["revenue"].sum()
    plan = tables["pnl"].set_index(["scenario", "year"])["revenue"]
    assert revenue.tolist() == pytest.approx(plan.loc[revenue.index].tolist())


def test_anct_caps_are_enforced():
    amounts = bp.apply_caps(np.array([60000, 60000, 60000, 60000.0]), 50000, 150000, 3)
    assert amounts.tolist() == [50000, 50000, 50000, 0]
    assert bp.apply_caps(np.array([50000, 50000, 50000.0]), 50000, 120000).tolist() == [
        50000,
        50000,
        20000,
    ]
    assert bp.apply_caps(np.array([1.0, 2.0])).tolist() == [1.0, 2.0]


def test_project_anct_line_respects_the_reference_caps():
    """Whatever params ask, the ANCT line stays within 50 000 € a year and 150 000 € in all."""
    s = load_params()["scenarios"]
    anct = s["operating_funding"]["anct"]
    assert (anct["cap_year_eur"], anct["cap_total_eur"], anct["max_years"]) == (50000, 150000, 3)
    greedy = {**anct, "eur": [90000] * 6, "after": "repeat"}
    got = bp.operating_funding({"functions": []}, {"anct": greedy}, 10)["anct"]
    assert got.max() <= 50000 and got.sum() <= 150000 and not got[3:].any()


def test_pnl_lines_and_accounting_identities(tables):
    lines, plan = tables["pnl_lines"], tables["pnl"]
    a = plan.query("scenario == 'a'")
    # revenue ramped 0.5 then 1.0; ANCT capped at 50 000 for 3 years; EPCI repeated
    assert a["revenue"].tolist() == pytest.approx([30_500, 61_000, 61_000, 61_000])
    assert a["public_funding"].tolist() == pytest.approx([60_000, 60_000, 60_000, 10_000])
    assert a["partner_funding"].tolist() == pytest.approx([1_000, 2_000, 2_000, 2_000])
    for (scenario, year), group in lines.groupby(["scenario", "year"]):
        p = plan.set_index(["scenario", "year"]).loc[(scenario, year)]
        by_kind = group.groupby("kind")["amount"].sum()
        assert p["revenue"] == pytest.approx(by_kind.get("revenue", 0))
        assert p["costs"] == pytest.approx(by_kind["cost"])
        assert p["result"] == pytest.approx(
            p["revenue"] + p["public_funding"] + p["partner_funding"] - p["costs"]
        )
    for _, group in plan.groupby("scenario"):
        assert group["cumulative"].tolist() == pytest.approx(group["result"].cumsum().tolist())
        assert (group["costs"] == group["costs"].iloc[0]).all()


def test_cash_flow_identities(tables):
    for name, flows in tables["cash_flow"].groupby("scenario"):
        assert flows["cash_flow"].tolist() == pytest.approx(
            (flows["investment"] + flows["investment_funding"] + flows["operating_result"]).tolist()
        )
        assert flows["cumulative_cash"].tolist() == pytest.approx(
            flows["cash_flow"].cumsum().tolist()
        )
        # the investment is fully funded: at the end, cash = cumulative operating result
        assert flows["investment_funding"].sum() == pytest.approx(-flows["investment"].sum())
        assert flows["cumulative_cash"].iloc[-1] == pytest.approx(
            tables["pnl"].loc[tables["pnl"]["scenario"] == name, "cumulative"].iloc[-1]
        )
    a = tables["cash_flow"].query("scenario == 'a'")
    # FEDER paid half in year 0, half in year 1: a cash need in year 0
    assert a["investment_funding"].iloc[1] == pytest.approx(0.5 * 0.5 * 159_500)
    assert row(tables, "a")["cash_need"] > 0


def test_break_even_is_sustained():
    plan = pd.DataFrame({"year": [1, 2, 3, 4], "result": [5.0, -1.0, 2.0, 3.0]})
    assert bp.break_even_year(plan) == 3
    assert bp.break_even_year(plan.assign(result=[1.0, 1, 1, -1])) is None
    assert bp.break_even_year(plan.assign(result=[0.0, 1, 1, 1])) == 1


def test_own_revenue_share_over_plan_years(tables):
    plan = tables["pnl"].query("scenario == 'a' and year <= 3")
    own = plan["revenue"].sum()
    expected = own / (own + plan["public_funding"].sum() + plan["partner_funding"].sum())
    assert row(tables, "a")["own_revenue_share"] == pytest.approx(expected)


def test_npv_by_hand(tables):
    a = row(tables, "a")
    results = tables["pnl"].query("scenario == 'a'")["result"].to_numpy()
    expected = -159_500 + sum(r / 1.1 ** (t + 1) for t, r in enumerate(results))
    assert a["npv"] == pytest.approx(expected)


def test_npv_first_flow_at_t0():
    assert bp.npv(0.10, np.array([-1000, 500, 500, 500])) == pytest.approx(243.4260, abs=1e-4)


def test_irr_nan_without_sign_change_else_root():
    assert math.isnan(bp.irr(np.array([-100.0, -10.0, -10.0])))
    assert bp.irr(np.array([-100.0, 110.0])) == pytest.approx(0.10)


# --- funding plan ---------------------------------------------------------------------------


def cents(series) -> pd.Series:
    return (series * 100).round().astype(int)


def test_funding_plan_caps_and_balance_to_the_cent():
    uses = {"works": 100_000.007, "equipment": 10_000.333, "studies": 3_333.333}
    plan = bp.funding_plan("x", uses, INVEST_LINES)
    c = cents(plan["amount_eur"])
    assert c[plan["kind"] == "uses"].sum() == c[plan["kind"] == "sources"].sum()
    assert all(round(v, 2) == v for v in plan["amount_eur"])
    sources = plan.loc[plan["kind"] == "sources"].set_index("line")["amount_eur"]
    assert sources["state"] == 20_000  # 30 % capped at 20 000 €
    assert sources["feder"] == pytest.approx(0.5 * 113_333.67, abs=0.01)
    assert sources.index.tolist() == ["feder", "state", "epci"]


@given(
    amounts=st.lists(st.floats(0, 1e7, allow_nan=False), min_size=1, max_size=6),
    shares=st.lists(st.floats(0, 0.3), min_size=1, max_size=3),
    cap=st.one_of(st.none(), st.floats(0, 1e6)),
)
@hsettings(max_examples=200, deadline=None)
def test_funding_plan_always_balances(amounts, shares, cap):
    uses = {f"item{i}": a for i, a in enumerate(amounts)}
    lines = {f"l{i}": {"label": f"L{i}", "share": s} for i, s in enumerate(shares)}
    lines["l0"]["cap_eur"] = cap
    lines["rest"] = {"label": "Reste", "balance": True}
    plan = bp.funding_plan("x", uses, lines)
    c = cents(plan["amount_eur"])
    assert c[plan["kind"] == "uses"].sum() == c[plan["kind"] == "sources"].sum()
    assert (plan["amount_eur"] >= 0).all()


def test_funding_plan_in_evaluate_matches_investment(tables):
    for name, group in tables["funding_plan"].groupby("scenario"):
        total = row(tables, name)["investment_ht"]
        assert group.query("kind == 'sources'")["amount_eur"].sum() == pytest.approx(
            total, abs=0.005
        )
        assert group.query("kind == 'uses'")["amount_eur"].sum() == pytest.approx(total, abs=0.005)


def test_shares_above_one_are_an_error():
    lines = copy.deepcopy(INVEST_LINES)
    lines["feder"]["share"] = 0.8
    with pytest.raises(ConfigError, match="investment_funding.*at most 1"):
        evaluate(settings(investment_funding=lines))


# --- recommendation -------------------------------------------------------------------------


def test_functions_check_fails_with_one_function_when_two_required():
    s = settings()
    s["scenarios"]["a"]["functions"] = ["coworking"]
    tables = evaluate(s)
    a = row(tables, "a")
    assert a["functions_covered"] == 1 and not a["functions_ok"]
    assert not a["recommended"]
    assert row(tables, "b")["recommended"]


def test_a_stricter_rule_on_required_functions_rejects_a_scenario():
    tables = evaluate({**settings(), "required_functions": 3})
    assert not row(tables, "a")["functions_ok"] and row(tables, "b")["functions_ok"]


def recommended_name(criteria: dict) -> str:
    table = evaluate(settings(criteria=criteria))["scenarios"]
    assert table["recommended"].sum() == 1
    return table.loc[table["recommended"], "scenario"].item()


def test_recommendation_changes_with_weights(tables):
    a, b = row(tables, "a"), row(tables, "b")
    assert b["npv"] > a["npv"]  # b is cheaper
    assert a["own_revenue_share"] > b["own_revenue_share"]
    assert b["deficit_probability"] > a["deficit_probability"]
    assert recommended_name({"npv": 1.0}) == "b"
    assert recommended_name({"functions_covered": 1.0}) == "b"
    assert recommended_name({"own_revenue_share": 1.0}) == "a"
    assert recommended_name({"deficit_probability": 1.0}) == "a"  # less is better
    assert recommended_name({"npv": 0.2, "own_revenue_share": 0.8}) == "a"


def test_project_recommendation_follows_params_weights():
    """With the study's own settings, putting all the weight on one criterion picks the best
    scenario on it: changing a weight in params can change the recommendation."""
    params = load_params()["scenarios"]
    demand = DEMAND.assign(low=DEMAND["central"] * 0.5, high=DEMAND["central"] * 1.5)
    s = copy.deepcopy(params)
    s["risk"]["draws"] = 500
    picks = {}
    for criterion in ("npv", "functions_covered"):
        s["criteria"] = {criterion: 1.0}
        table = bp.evaluate(s, 0.085, demand, SITE)["scenarios"].set_index("scenario")
        picks[criterion] = table.index[table["recommended"]].item()
        best = table.loc[table["functions_ok"], criterion].idxmax()
        assert table.loc[picks[criterion], criterion] == table.loc[best, criterion]
    assert len(set(picks.values())) == 2


def test_exactly_one_recommended_and_scores_in_unit_range(tables):
    table = tables["scenarios"]
    assert table["recommended"].sum() == 1
    assert table["score"].between(0, 1).all()
    assert list(table.columns)[:12] == [
        "scenario", "label", "functions_covered", "functions_ok", "surface_m2",
        "investment_ht", "investment_ttc", "opex_year", "break_even_year",
        "own_revenue_share", "npv", "irr",
    ]  # fmt: skip
    assert list(table.columns)[-3:] == ["deficit_probability", "score", "recommended"]
    assert table["deficit_probability"].between(0, 1).all()


def test_min_max_direction():
    values = pd.Series([0.1, 0.5, 0.3])
    assert bp.min_max(values).tolist() == pytest.approx([0, 1, 0.5])
    assert bp.min_max(values, -1).tolist() == pytest.approx([1, 0, 0.5])
    assert bp.min_max(pd.Series([2.0, 2.0])).tolist() == [1.0, 1.0]


# --- graceful inputs and errors -------------------------------------------------------------


def test_unknown_unit_of_phase_07_earns_nothing_and_is_listed():
    demand = pd.concat(
        [DEMAND, DEMAND.iloc[:1].assign(segment="x", unit="drone_hours")], ignore_index=True
    )
    with pytest.warns(UserWarning, match="drone_hours"):
        tables = evaluate(demand=demand)
    assert tables["unpriced_units"]["unit"].tolist() == ["drone_hours"]
    base = evaluate()
    assert row(tables, "a")["revenue_full"] == row(base, "a")["revenue_full"]


def test_priced_unit_absent_from_phase_07_is_fine():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tables = evaluate(demand=DEMAND.loc[DEMAND["unit"] != "fablab_hours"])
    act = tables["activity"].query("scenario == 'b'").set_index("unit")
    assert act.loc["fablab_hours", "volume"] == 0


def test_demand_missing_column_or_bad_levels_is_named():
    with pytest.raises(ValueError, match="07_demand/demand: missing column.*high"):
        evaluate(demand=DEMAND.drop(columns="high"))
    bad = DEMAND.assign(low=DEMAND["central"] * 2)
    with pytest.raises(ValueError, match="07_demand/demand: unit 'desk_days'.*low <= central"):
        evaluate(demand=bad)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s.pop("investment_funding"), r"scenarios\.investment_funding missing"),
        (
            lambda s: s["scenarios"]["b"]["functions"].append("cafe"),
            r"scenarios\.scenarios\.b\.functions: expected values among .*found 'cafe'",
        ),
        (
            lambda s: s["scenarios"]["a"].update(renovation="total"),
            r"scenarios\.scenarios\.a\.renovation: expected one of light, medium, heavy, "
            r"found 'total'",
        ),
        (
            lambda s: s["scenarios"]["a"]["staff_fte"].update(chef=1),
            r"scenarios\.scenarios\.a\.staff_fte: expected values among manager, mediator, "
            r"found 'chef'",
        ),
        (
            lambda s: s["operating_funding"]["anct"].update(cap_year_eur="beaucoup"),
            r"operating_funding\.anct\.cap_year_eur: expected a number of at least 0, "
            r"found 'beaucoup'",
        ),
        (
            lambda s: s["investment_funding"]["feder"].update(balance=True),
            r"investment_funding: expected exactly one line with balance: true",
        ),
        (
            lambda s: s["investment_funding"]["feder"].update(strategy="FEDER"),
            r"investment_funding\.feder\.strategy: expected a list of the funder's names",
        ),
        (lambda s: s.update(criteria={"npv": 0.5, "irr": 0.5}), r"criteria: expected values"),
        (lambda s: s.update(criteria={"npv": 0.5}), r"criteria: expected weights summing to 1"),
        (
            lambda s: s["risk"].update(price=[1.2, 1.0, 0.8]),
            r"risk\.price: expected \[low, mode, high\]",
        ),
        (lambda s: s["risk"].update(seed="abc"), r"risk\.seed: expected a non-negative integer"),
        (
            lambda s: s["scenarios"]["a"].update(demand_share=1.5),
            r"scenarios\.a\.demand_share: expected a number from 0 to 1, found 1\.5",
        ),
        (
            lambda s: s["scenarios"]["a"].update(activity={"drones": 3}),
            r"scenarios\.a\.activity: expected values among .*found 'drones'",
        ),
    ],
)
def test_bad_settings_name_key_expected_and_found(change, message):
    s = settings()
    change(s)
    with pytest.raises(ConfigError, match=message):
        evaluate(s)


def test_project_settings_are_valid():
    bp.check_settings(load_params()["scenarios"])


# --- readers' tables ------------------------------------------------------------------------


def test_reader_tables_in_french(tables):
    s = settings()
    shown = views.scenarios_table(tables["scenarios"])
    assert list(shown.columns) == ["Indicateur", "A", "B"]
    invest = shown.set_index("Indicateur").loc["Investissement HT"]
    assert invest["A"] == fmt.euros(159_500)
    assert invest["A"].startswith("159\u202f500")
    assert shown.iloc[-1].tolist() == ["Recommandé", "non", "oui"]
    plan = views.funding_plan_table(tables["funding_plan"], tables["scenarios"])
    assert set(plan["Nature"]) == {"Emplois", "Ressources"}
    assert plan["Poste"].iloc[-1] == "Total des ressources"
    programme = views.programme_table(tables["programme"], tables["scenarios"])
    assert programme.iloc[-1]["Espace"] == "Total"
    invest = views.investment_table(tables["investment"], tables["scenarios"], 0.085)
    assert invest["Poste"].tolist()[:2] == ["Niveau de rénovation", "Travaux d'aménagement"]
    assert invest["Poste"].tolist()[-2] == "TVA (8,5\u202f%)"
    budget = views.budget_table(tables["budget"], tables["scenarios"], s)
    assert budget.iloc[-1].tolist() == ["Effectif (ETP)", "1,0", "0,5"]
    accounts = views.accounts_table(tables["pnl"], tables["scenarios"], 3)
    assert len(accounts) == 12 and list(accounts.columns)[-1] == "Année 3"
    pnl = views.pnl_table(tables["pnl_lines"], tables["scenarios"], 3)
    assert pnl["Poste"].iloc[-1] == "Résultat cumulé"
    risk = views.risk_table(tables["risk_years"], tables["scenarios"], 3)
    assert list(risk.columns) == ["Indicateur", "A", "B"]
    assert risk["Indicateur"].iloc[3] == "Probabilité d'un résultat cumulé négatif à 3 ans"
    activity = views.activity_table(tables["activity"], tables["scenarios"])
    desk = activity.set_index(activity.columns[0]).loc["Journées de poste de travail", "A"]
    assert desk == f"{fmt.number(5_000)} ({fmt.euros(60_000)})"
    assert accounts["Scénario"].tolist()[:2] == ["A", ""]
    assert "ANCT" in views.risk_text(tables["scenarios"], s)
    lines = views.funding_lines_table(s)
    assert lines.loc[0, "Plafonds appliqués"].startswith("50\u202f000\u00a0€ par an au plus")


def test_figures_build(tables):
    s = tables["scenarios"]
    assert views.tornado_figure(tables["sensitivity"], s, 3).data
    assert views.distribution_figure(tables["risk_histogram"], s, 3).data
    assert views.deficit_figure(tables["risk_years"], s, 3).data
    assert views.cumulative_figure(tables["pnl"], s).data
    assert len(views.investment_figure(tables["funding_plan"], s).data) == 6


def test_funding_lines_are_checked_against_the_strategy_funders():
    from pipeline.scenarios.funding import strategy_check

    settings = {
        "investment_funding": {
            "feder": {"label": "FEDER", "strategy": ["FEDER"]},
            "epci": {"label": "EPCI"},
        },
        "operating_funding": {
            "collectivity": {"label": "CTM", "strategy": ["CTM", "CCT"]},
            "epci": {"label": "EPCI"},
        },
    }
    funders = pd.DataFrame(
        {"funder": ["FEDER", "FSE", "CCT", "CTM"], "actions": [3, 1, 2, 1],
         "cost_keur": [1470.0, 2000.0, 110.0, 10.0]}
    )  # fmt: skip
    table = strategy_check(settings, funders).set_index("financeur")
    assert table.loc["FEDER", ["plan", "actions", "cout_keur"]].tolist() == [
        "investissement",
        3,
        1470.0,
    ]
    assert table.loc["CTM", ["strategie", "actions", "cout_keur"]].tolist() == [
        "CTM, CCT",
        3,
        120.0,
    ]
    assert table.loc["EPCI", "plan"] == "investissement et fonctionnement"
    assert table.loc["EPCI", "statut"] == "Absent de la stratégie"
    assert table.loc["FSE", "statut"] == "Non sollicité par le plan"
    assert len(table) == 4
    assert strategy_check(settings, funders.iloc[0:0]).empty
