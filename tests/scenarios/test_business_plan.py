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
from pipeline.core.config import ROOT, ConfigError, load_params, study_params
from pipeline.core.io import write_table
from pipeline.core.phase import Phase, Table
from pipeline.core.settings import check
from pipeline.demand.outputs import DEMAND
from pipeline.interviews.outputs import NEEDS
from pipeline.mobility.outputs import TELEWORK_POOL
from pipeline.offer.outputs import COVERAGE
from pipeline.portrait.outputs import STRATEGY_FUNDERS, SUMMARY, ZONE_LEVEL
from pipeline.scenarios import build, charts, funding, outputs, views
from pipeline.scenarios import business_plan as bp
from pipeline.scenarios.funding import strategy_check
from pipeline.sites.outputs import SITES
from pipeline.survey.outputs import ESTIMATES, PRICE_DISTRIBUTION, PRICES

TERRITORIES = sorted(p.stem for p in (ROOT / "territories").glob("*.yaml"))
# The handle of each table of phases 02 to 05 that phase 09 reads (conftest's MEASURES).
MEASURED = {
    "estimates": ESTIMATES, "price_distribution": PRICE_DISTRIBUTION, "prices": PRICES,
    "needs": NEEDS, "coverage": COVERAGE, "telework_pool": TELEWORK_POOL,
}  # fmt: skip


@pytest.fixture(scope="module")
def tables(evaluate):
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
    amounts = funding.apply_caps(np.array([60000, 60000, 60000, 60000.0]), 50000, 150000, 3)
    assert amounts.tolist() == [50000, 50000, 50000, 0]
    assert funding.apply_caps(np.array([50000, 50000, 50000.0]), 50000, 120000).tolist() == [
        50000,
        50000,
        20000,
    ]
    assert funding.apply_caps(np.array([1.0, 2.0])).tolist() == [1.0, 2.0]


def test_project_anct_line_respects_the_reference_caps():
    """Whatever params ask, the ANCT line stays within 50 000 € a year and 150 000 € in all."""
    s = load_params()["scenarios"]
    anct = s["operating_funding"]["anct"]
    assert (anct["cap_year_eur"], anct["cap_total_eur"], anct["max_years"]) == (50000, 150000, 3)
    greedy = {**anct, "eur": [90000] * 6, "after": "repeat"}
    got = funding.operating_funding({"functions": []}, {"anct": greedy}, 10)["anct"]
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


def test_funding_plan_caps_and_balance_to_the_cent(invest_lines):
    uses = {"works": 100_000.007, "equipment": 10_000.333, "studies": 3_333.333}
    plan = funding.funding_plan("x", uses, invest_lines)
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
    plan = funding.funding_plan("x", uses, lines)
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


def test_private_shares_above_one_are_an_error(settings, invest_lines):
    lines = copy.deepcopy(invest_lines)
    lines["feder"] |= {"share": 0.8, "kind": "private"}
    lines["state"]["kind"] = "private"
    lines["state"]["share"] = 0.3
    with pytest.raises(ConfigError, match="investment_funding.*private lines summing to at most 1"):
        check({"scenarios": settings(investment_funding=lines)})


def sources(lines: dict, min_own_share: float, total: float = 100_000.0) -> pd.Series:
    plan = funding.funding_plan("a", {"works": total}, lines, min_own_share)
    return plan.query("kind == 'sources'").set_index("line")["amount_eur"]


@pytest.mark.parametrize("min_own_share", [0.0, 0.2, 0.5])
def test_public_lines_leave_the_epci_its_minimum_share(invest_lines, min_own_share):
    lines = copy.deepcopy(invest_lines)
    lines["feder"]["share"] = 0.9  # with the State's 20 000 €, above the investment
    lines["private"] = {"label": "Mécènes", "kind": "private", "share": 0.1}
    got = sources(lines, min_own_share)
    assert got.sum() == pytest.approx(100_000)
    assert got["private"] == pytest.approx(10_000)  # private lines are not scaled
    public = got[["feder", "state", "epci"]].sum()
    assert got["epci"] == pytest.approx(min_own_share * public, abs=0.02)
    assert got["feder"] / got["state"] == pytest.approx(90_000 / 20_000, rel=1e-6)


def test_public_lines_within_the_rule_are_kept(invest_lines):
    got = sources(invest_lines, 0.2)  # FEDER 50 000, State 20 000, EPCI 30 000
    assert got.to_dict() == {"feder": 50_000, "state": 20_000, "epci": 30_000}


# --- recommendation -------------------------------------------------------------------------


def test_functions_check_fails_with_one_function_when_two_required(settings, evaluate):
    s = settings()
    s["scenarios"]["a"]["functions"] = ["coworking"]
    tables = evaluate(s)
    a = row(tables, "a")
    assert a["functions_covered"] == 1 and not a["functions_ok"]
    assert not a["recommended"]
    assert row(tables, "b")["recommended"]


def test_a_stricter_rule_on_required_functions_rejects_a_scenario(settings, evaluate):
    tables = evaluate({**settings(), "required_functions": 3})
    assert not row(tables, "a")["functions_ok"] and row(tables, "b")["functions_ok"]


def recommended_name(evaluate, settings, criteria: dict) -> str:
    table = evaluate(settings(criteria=criteria))["scenarios"]
    assert table["recommended"].sum() == 1
    return table.loc[table["recommended"], "scenario"].item()


def test_recommendation_changes_with_weights(tables, evaluate, settings):
    a, b = row(tables, "a"), row(tables, "b")
    assert b["npv"] > a["npv"]  # b is cheaper
    assert a["own_revenue_share"] > b["own_revenue_share"]
    assert b["deficit_probability"] > a["deficit_probability"]
    assert recommended_name(evaluate, settings, {"npv": 1.0}) == "b"
    assert recommended_name(evaluate, settings, {"functions_covered": 1.0}) == "b"
    assert recommended_name(evaluate, settings, {"own_revenue_share": 1.0}) == "a"
    assert (
        recommended_name(evaluate, settings, {"deficit_probability": 1.0}) == "a"
    )  # less is better
    assert recommended_name(evaluate, settings, {"npv": 0.2, "own_revenue_share": 0.8}) == "a"


def test_project_recommendation_follows_params_weights(demand, site):
    """With the study's own settings, putting all the weight on one criterion picks the best
    scenario on it: changing a weight in params can change the recommendation."""
    params = load_params()["scenarios"]
    demand = demand.assign(low=demand["central"] * 0.5, high=demand["central"] * 1.5)
    s = copy.deepcopy(params)
    s["risk"]["draws"] = 500
    picks = {}
    for criterion in ("npv", "functions_covered"):
        s["criteria"] = {criterion: 1.0}
        tables = build.evaluate(s, 0.085, demand, site)
        table = build.money(tables, s, 20000.0)["scenarios"].set_index("scenario")
        picks[criterion] = table.index[table["recommended"]].item()
        best = table.loc[table["functions_ok"], criterion].idxmax()
        assert table.loc[picks[criterion], criterion] == table.loc[best, criterion]
    assert len(set(picks.values())) == 2


def test_exactly_one_recommended_and_scores_in_unit_range(tables):
    table = tables["scenarios"]
    assert table["recommended"].sum() == 1
    assert table["score"].between(0, 1).all()
    assert list(table.columns)[:13] == [
        "scenario", "label", "functions_covered", "functions_ok", "needs_fit", "surface_m2",
        "investment_ht", "investment_ttc", "opex_year", "break_even_year",
        "own_revenue_share", "npv", "irr",
    ]  # fmt: skip
    assert list(table.columns)[-3:] == ["deficit_probability", "score", "recommended"]
    assert table["deficit_probability"].between(0, 1).all()


# --- graceful inputs and errors -------------------------------------------------------------


def test_unknown_unit_of_phase_07_earns_nothing_and_is_listed(evaluate, demand):
    demand = pd.concat(
        [demand, demand.iloc[:1].assign(segment="x", unit="drone_hours")], ignore_index=True
    )
    with pytest.warns(UserWarning, match="drone_hours"):
        tables = evaluate(demand=demand)
    assert tables["unpriced_units"]["unit"].tolist() == ["drone_hours"]
    base = evaluate()
    assert row(tables, "a")["revenue_full"] == row(base, "a")["revenue_full"]


def test_priced_unit_absent_from_phase_07_is_fine(evaluate, demand):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tables = evaluate(demand=demand.loc[demand["unit"] != "fablab_hours"])
    act = tables["activity"].query("scenario == 'b'").set_index("unit")
    assert act.loc["fablab_hours", "volume"] == 0


def test_demand_missing_column_or_bad_levels_is_named(evaluate, demand):
    with pytest.raises(ValueError, match="07_demand/demand: missing column.*high"):
        evaluate(demand=demand.drop(columns="high"))
    bad = demand.assign(low=demand["central"] * 2)
    with pytest.raises(ValueError, match="07_demand/demand: unit 'desk_days'.*low <= central"):
        evaluate(demand=bad)


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda s: s.pop("investment_funding"),
            r"^params\.yaml: missing required key 'scenarios\.investment_funding'",
        ),
        (
            lambda s: s["scenarios"]["b"]["functions"].append("cafe"),
            r"^params\.yaml: key 'scenarios\.scenarios\.b\.functions\.3': expected a list of "
            r"functions among fablab, .*, found 'cafe'$",
        ),
        (
            lambda s: s["scenarios"]["a"].update(renovation="total"),
            r"^params\.yaml: key 'scenarios\.scenarios\.a\.renovation': expected light, medium or "
            r"heavy, found 'total'$",
        ),
        (
            lambda s: s["scenarios"]["a"]["staff_fte"].update(chef=1),
            r"^params\.yaml: key 'scenarios\.scenarios\.a\.staff_fte\.chef': expected posts of "
            r"scenarios\.staff_posts among manager, mediator, found 'chef'$",
        ),
        (
            lambda s: s["operating_funding"]["anct"].update(cap_year_eur="beaucoup"),
            r"^params\.yaml: key 'scenarios\.operating_funding\.anct\.cap_year_eur': expected a "
            r"yearly cap, € 0 or more, found 'beaucoup'$",
        ),
        (
            lambda s: s["investment_funding"]["feder"].update(balance=True),
            r"^params\.yaml: key 'scenarios\.investment_funding': expected exactly one line with "
            r"balance: true \(found feder, epci\), found \{",
        ),
        (
            lambda s: s["investment_funding"]["feder"].update(strategy="FEDER"),
            r"^params\.yaml: key 'scenarios\.investment_funding\.feder\.strategy': expected a list "
            r"of the funder's names in the territory's strategy, found 'FEDER'$",
        ),
        (
            lambda s: s.update(criteria={"npv": 0.5, "irr": 0.5}),
            r"^params\.yaml: key 'scenarios\.criteria\.irr': expected criteria among npv, "
            r"own_revenue_share, functions_covered, needs_fit, deficit_probability, "
            r"epci_net_cost_per_inhabitant, found 'irr'$",
        ),
        (
            lambda s: s.update(criteria={"npv": 0.5}),
            r"^params\.yaml: key 'scenarios\.criteria': expected weights summing to 1 \(they sum "
            r"to 0\.5\), found \{'npv': 0\.5\}$",
        ),
        (
            lambda s: s["risk"]["price"].update(range=[1.2, 1.0, 0.8]),
            r"^params\.yaml: key 'scenarios\.risk\.price\.range': expected \[low, mode, high\] "
            r"multipliers, 0 or more, in increasing order, found \[1\.2, 1\.0, 0\.8\]$",
        ),
        (
            lambda s: s["risk"].update(seed="abc"),
            r"^params\.yaml: key 'scenarios\.risk\.seed': expected a whole number, 0 or more, "
            r"found 'abc'$",
        ),
        (
            lambda s: s["scenarios"]["a"].update(demand_share=1.5),
            r"^params\.yaml: key 'scenarios\.scenarios\.a\.demand_share': expected a share of the "
            r"demand of phase 07, from 0 to 1, found 1\.5$",
        ),
        (
            lambda s: s["scenarios"]["a"].update(activity={"drones": 3}),
            r"^params\.yaml: key 'scenarios\.scenarios\.a\.activity\.drones': expected units of "
            r"scenarios\.units among .*, found 'drones'$",
        ),
    ],
)
def test_bad_settings_name_key_expected_and_found(change, message, settings):
    s = settings()
    change(s)
    with pytest.raises(ConfigError, match=message):
        check({"scenarios": s})


def test_small_plan_settings_are_valid(settings):
    assert check({"scenarios": settings()}).scenarios.years == 4


@pytest.mark.parametrize("key", TERRITORIES)
def test_project_settings_are_valid(key):
    """params.yaml's scenarios, with each territory's own entries merged in, pass the checks."""
    check(load_params())
    assert check(study_params(key=key)).scenarios.scenarios


def test_a_territory_entry_at_fault_names_the_territory_file():
    params = study_params(key="bethune")
    overrides = {"scenarios": {"scenarios": {"incubateur": {"renovation": "totale"}}}}
    params["scenarios"]["scenarios"]["incubateur"]["renovation"] = "totale"
    with pytest.raises(
        ConfigError,
        match=r"^territories/bethune\.yaml: key 'scenarios\.scenarios\.incubateur\.renovation'",
    ):
        check(params, overrides, "territories/bethune.yaml")


# --- readers' tables ------------------------------------------------------------------------


def test_reader_tables_in_french(tables, settings):
    s = settings()
    shown = views.scenarios_table(tables["scenarios"])
    assert list(shown.columns) == ["Indicateur", "A", "B"]
    invest = shown.set_index("Indicateur").loc["Investissement HT"]
    assert invest["A"] == fmt.euros(159_500)
    assert invest["A"].startswith("159\u202f500")
    chosen = tables["scenarios"]["recommended"].map({True: "oui", False: "non"})
    assert shown.iloc[-1].tolist() == ["Recommandé", *chosen]
    assert sorted(chosen) == ["non", "oui"]
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
    assert lines.loc[0, "Plafonds et conditions"].startswith("50\u202f000\u00a0€ par an au plus")


def test_figures_build(tables):
    s = tables["scenarios"]
    assert charts.tornado_figure(tables["sensitivity"], s, 3).data
    assert charts.distribution_figure(tables["risk_histogram"], s, 3).data
    assert charts.deficit_figure(tables["risk_years"], s, 3).data
    assert charts.cumulative_figure(tables["pnl"], s).data
    assert len(charts.investment_figure(tables["funding_plan"], s).data) == 6


def test_funding_lines_are_checked_against_the_strategy_funders():
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


def test_build_writes_every_table_of_the_phase(tmp_path, settings, demand, site, measures):
    """One call reads phases 01 to 08 through their handles, rents the site phase 08
    recommends, and writes every table that `outputs` declares."""
    s = settings()
    other = site.to_frame().T.assign(site_id="s2", cost_per_m2_year=1.0, rank=2)
    sites = pd.concat([other, site.to_frame().T], ignore_index=True)
    sites = sites.assign(recommended=[False, True]).astype({"cost_per_m2_year": float})
    funders = pd.DataFrame({"funder": ["FEDER"], "actions": [2], "cost_keur": [10.0]})
    summary = pd.DataFrame({"level": [ZONE_LEVEL, "EPCI"], "population": [1000.0, 5000.0]})
    written = ((DEMAND, demand), (SITES, sites), (STRATEGY_FUNDERS, funders), (SUMMARY, summary),
               *((MEASURED[name], frame) for name, frame in measures.items()))  # fmt: skip
    for table, frame in written:
        write_table(frame, tmp_path / "data" / "processed" / table.stage / f"{table.name}.parquet")
    phase = Phase(
        "09_scenarios", {"scenarios": s}, {"key": "x", "vat_rate": 0.2}, tmp_path,
        check({"scenarios": s}),
    )  # fmt: skip
    tables = build.build(phase)
    handles = [v for v in vars(outputs).values() if isinstance(v, Table)]
    assert set(tables) == {t.name for t in handles}
    for table in handles:
        pd.testing.assert_frame_equal(phase.read(table), tables[table.name], check_dtype=False)
    expected = build.evaluate(s, 0.2, demand, site, measures)["scenarios"]
    assert tables["scenarios"]["opex_year"].tolist() == expected["opex_year"].tolist()
    assert tables["strategy_check"]["financeur"].tolist()[-1] == "FEDER"
    cost = tables["epci_cost"]
    np.testing.assert_allclose(cost["per_inhabitant"] * 1000.0, cost["net_cost"])  # zone
