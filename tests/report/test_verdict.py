"""The verdict can say yes, yes with conditions, or no: each outcome reached by moving one
threshold of `report.verdict`, on tiny phase tables, and on the default study."""

from __future__ import annotations

import copy
import math

import pandas as pd
import pytest
from shown import rows, shown

from pipeline.core import fmt
from pipeline.core.io import write_table
from pipeline.report.numbers import Report, load
from pipeline.report.render import markdown_to_html
from pipeline.report.verdict import CONDITIONAL, NOT_NOW, YES, per_inhabitant

CI_LOW, CI_HIGH = 0.30, 0.50
NET_COST_PER_YEAR, WORST_COST_PER_YEAR, POPULATION = 30000.0, 45000.0, 10000
DEFICIT = 0.2  # in the central funding case
DESK_DAYS, DESK_CAPACITY = 600.0, 1000.0  # scenario a's only priced unit with a capacity
PARAMS = {
    "report": {"verdict": {"min_interest": 0.25, "max_net_cost_per_inhabitant": 5.0,
                           "max_deficit_probability": 0.5, "not_now_deficit_probability": 0.9,
                           "min_fill_rate": 0.3}},
    "scenarios": {
        "plan_years": 2, "years": 3,
        "operating_funding": {"state": {"label": "État", "probability": 1.0},
                              "epci": {"label": "EPCI"}},
        "investment_funding": {"eu": {"label": "Europe", "probability": 1.0},
                               "epci": {"label": "EPCI (autofinancement)", "balance": True}},
        "funding_cases": {"tous": {"label": "Tous obtenus", "without": []},
                          "sans_state": {"label": "Sans l'État", "without": ["state"]}},
    },
    "survey": {"confidence": 0.9},
}  # fmt: skip
# What each funder pays scenario "a" in the central case, years 0 to 3 (flow, funder, label).
PAID = {
    ("operation", "state", "État"): [0.0, 20000.0, 20000.0, 10000.0],
    ("operation", "epci", "EPCI"): [0.0, 15000.0, 15000.0, 15000.0],
    ("investment", "eu", "Europe"): [30000.0, 10000.0, 0.0, 0.0],
    ("investment", "epci", "EPCI (autofinancement)"): [20000.0, 0.0, 0.0, 0.0],
}


def write(root, stage, name, table):
    write_table(pd.DataFrame(table), root / "data" / "processed" / stage / f"{name}.parquet")


def with_rule(params, **rule):
    out = copy.deepcopy(params)
    out["report"]["verdict"].update(rule)
    return out


@pytest.fixture
def tiny(tmp_path):
    """A study whose every test is met with certain funding: « Oui » under PARAMS."""

    def make(params=PARAMS, ci_low=CI_LOW, without_state=5000.0, interest_n=200, sold=DESK_DAYS):
        write(tmp_path, "03_survey", "estimates",
              {"indicator": ["interet_tiers_lieu"], "label": ["Intérêt pour un tiers-lieu"],
               "n": [interest_n], "weighted": [0.4], "ci_low": [ci_low], "ci_high": [CI_HIGH]})  # fmt: skip
        write(tmp_path, "09_scenarios", "scenarios",
              {"scenario": ["a", "b"], "label": ["Lieu A", "Lieu B"], "recommended": [True, False],
               "deficit_probability": [0.95, 0.9],  # grants' losses drawn: not the test
               "epci_net_cost_per_year": [NET_COST_PER_YEAR, 9e4],
               "epci_net_cost_per_inhabitant": [NET_COST_PER_YEAR / POPULATION, 9.0]})  # fmt: skip
        write(tmp_path, "09_scenarios", "funding_cases",
              {"scenario": ["a", "a", "b", "b"], "case": ["tous", "sans_state"] * 2,
               "label": ["Tous obtenus", "Sans l'État"] * 2,
               "cumulative_result": [12000.0, without_state, -1e5, -2e5],
               "npv": [0.0] * 4, "deficit_probability": [DEFICIT, 0.7, 0.9, 1.0]})  # fmt: skip
        funders = [
            (case, flow, funder, label, year, 0.0 if case == "sans_state" and funder == "state" else x)
            for case in PARAMS["scenarios"]["funding_cases"]
            for (flow, funder, label), paid in PAID.items() for year, x in enumerate(paid)
        ]  # fmt: skip
        write(tmp_path, "09_scenarios", "funders",
              pd.DataFrame(funders, columns=["case", "flow", "funder", "label", "year",
                                             "amount_eur"]).assign(scenario="a"))  # fmt: skip
        write(tmp_path, "09_scenarios", "epci_summary",
              {"scenario": ["a", "a", "b"], "case": ["sans_state", "tous", "tous"],
               "epci_net_cost_per_year": [WORST_COST_PER_YEAR, NET_COST_PER_YEAR, 9e4]})  # fmt: skip
        write(tmp_path, "09_scenarios", "activity",
              {"scenario": ["a", "a", "a", "b"], "unit": ["desk_days", "events", "mediation", "desk_days"],
               "label": ["Journées de poste", "Événements", "Séances", "Journées de poste"],
               "served": [True, True, True, True], "volume": [sold, 10.0, 80.0, 9.0],
               "capacity": [DESK_CAPACITY, math.nan, 100.0, 10.0],
               "price": [10.0, 100.0, 0.0, 10.0]})  # fmt: skip
        return Report(root=tmp_path, params=params, territory={"key": "x", "name": "X"})

    return make


def test_every_test_met_with_certain_funding_says_yes(tiny):
    answer = tiny().verdict()
    assert answer.title == YES and answer.conditions == []
    assert per_inhabitant(NET_COST_PER_YEAR / POPULATION) in shown(answer.why)
    assert tiny().conditions_md() == ""


def test_min_interest_moves_the_verdict_from_yes_to_conditions_to_no(tiny):
    between = with_rule(PARAMS, min_interest=(CI_LOW + CI_HIGH) / 2)
    answer = tiny(between).verdict()
    assert answer.title == CONDITIONAL
    assert "Confirmer la demande" in shown(answer.conditions[0])
    assert fmt.percent(CI_LOW, 0) in shown(answer.conditions[0])
    above = tiny(with_rule(PARAMS, min_interest=CI_HIGH + 0.05)).verdict()
    assert above.title == NOT_NOW and above.conditions == []
    assert f"au plus {fmt.percent(CI_HIGH, 0)}" in shown(above.why)


def test_a_net_cost_above_the_cap_says_no(tiny):
    cost = NET_COST_PER_YEAR / POPULATION
    assert tiny(with_rule(PARAMS, max_net_cost_per_inhabitant=cost)).verdict().title == YES
    answer = tiny(with_rule(PARAMS, max_net_cost_per_inhabitant=cost - 0.01)).verdict()
    assert answer.title == NOT_NOW
    assert per_inhabitant(cost) in shown(answer.why)
    assert fmt.euros(NET_COST_PER_YEAR) in shown(answer.why)


def test_a_deficit_risk_above_the_threshold_makes_the_epci_commit_to_cover_it(tiny):
    answer = tiny(with_rule(PARAMS, max_deficit_probability=DEFICIT / 2)).verdict()
    assert answer.title == CONDITIONAL
    commitment = shown(answer.conditions[-1])
    assert commitment.startswith("L'EPCI s'engage")
    assert fmt.euros(NET_COST_PER_YEAR) in commitment and fmt.percent(DEFICIT, 0) in commitment


def test_a_deficit_almost_certain_with_every_grant_says_no(tiny):
    """Above `not_now_deficit_probability` no condition is credible: « Pas en l'état »."""
    at = tiny(with_rule(PARAMS, max_deficit_probability=0.1, not_now_deficit_probability=DEFICIT))
    assert at.verdict().title == CONDITIONAL  # at the threshold: the EPCI covers the deficits
    answer = tiny(
        with_rule(PARAMS, max_deficit_probability=0.1, not_now_deficit_probability=DEFICIT - 0.01)
    ).verdict()
    assert answer.title == NOT_NOW and answer.conditions == []
    assert f"probabilité de {fmt.percent(DEFICIT, 1)}" in shown(answer.why)
    assert "aucune condition de financement" in shown(answer.why)


def test_conditions_name_the_uncertain_funder_how_much_and_for_how_long(tiny):
    params = copy.deepcopy(PARAMS)
    params["scenarios"]["operating_funding"]["state"]["probability"] = 0.5
    answer = tiny(params).verdict()
    assert answer.title == CONDITIONAL
    state = pd.Series(PAID[("operation", "state", "État")])
    paid = state[state > 0]
    text = shown(answer.conditions[0])
    assert text.startswith("Obtenir « État »")
    assert fmt.euros(paid.mean()) in text and fmt.euros(paid.sum()) in text
    assert f"de l'année {paid.index.min()} à l'année {paid.index.max()}" in text
    assert fmt.percent(0.5, 0) in text
    assert "Europe" not in shown(tiny(params).conditions_md())  # certain, never missed


def test_a_grant_whose_loss_turns_the_plan_into_a_deficit_is_a_condition(tiny):
    answer = tiny(without_state=-8000.0).verdict()
    assert answer.title == CONDITIONAL
    text = shown(answer.conditions[0])
    assert "Obtenir « État »" in text and "dans le cas « Sans l'État »" in text
    assert fmt.euros(-8000.0) in text
    assert f"jusqu'à {fmt.euros(WORST_COST_PER_YEAR)} par an" in shown(answer.conditions[-1])


def test_funding_cases_table_sets_the_cases_side_by_side(tiny):
    table = rows(tiny().funding_cases_md())
    assert table[1][:3] == ["Tous obtenus", fmt.euros(12000.0), fmt.percent(DEFICIT, 0)]
    assert table[2][0] == "Sans l'État" and len(table) == 3
    assert [row[3] for row in table[1:]] == [fmt.euros(NET_COST_PER_YEAR),
                                             fmt.euros(WORST_COST_PER_YEAR)]  # fmt: skip


def test_min_fill_rate_moves_the_verdict_to_no(tiny):
    """A place whose demand fills 60 % of its capacity (in value): « Oui » up to a threshold of
    60 %, « Pas en l'état » above it."""
    fill = DESK_DAYS / DESK_CAPACITY
    assert tiny(with_rule(PARAMS, min_fill_rate=fill)).verdict().title == YES
    answer = tiny(with_rule(PARAMS, min_fill_rate=fill + 0.01)).verdict()
    assert answer.title == NOT_NOW
    assert f"n'occuperait que {fmt.percent(fill, 0)} de la capacité" in shown(answer.why)


def test_demand_above_capacity_is_a_condition(tiny):
    answer = tiny(sold=DESK_CAPACITY).verdict()
    assert answer.title == CONDITIONAL
    text = shown(answer.conditions[0])
    assert text.startswith("« Journées de poste » : la demande dépasse la capacité")
    assert fmt.number(DESK_CAPACITY) in text


def test_an_activity_filling_little_of_its_capacity_is_a_condition(tiny):
    answer = tiny(sold=200.0).verdict()  # 20 % of the desks, under the 30 % threshold
    assert answer.title == NOT_NOW  # its only priced unit: the place as a whole
    rep = tiny(sold=200.0, params=with_rule(PARAMS, min_fill_rate=0.1))
    assert rep.verdict().title == YES
    rep = tiny(sold=200.0, params=with_rule(PARAMS, min_fill_rate=0.2))
    assert rep.verdict().title == YES  # exactly at the threshold
    known = rep.verdict_facts()
    assert known.fill == pytest.approx(0.2) and len(known.activity) == 2  # events: no capacity


def test_no_measured_interest_gives_a_plain_verdict_never_nan(tiny):
    answer = tiny(ci_low=math.nan, interest_n=0).verdict()
    assert answer.title == NOT_NOW
    assert "« Intérêt pour un tiers-lieu » (0 répondants)" in shown(answer.why)
    assert "nan" not in shown(answer.why).lower()


def test_funder_labels_are_escaped_in_the_conditions(tiny, tmp_path):
    hostile = "Fonds <img src=x onerror=alert(1)> **A**"
    params = copy.deepcopy(PARAMS)
    params["scenarios"]["operating_funding"]["state"]["probability"] = 0.5
    rep = tiny(params)
    funders = pd.read_parquet(tmp_path / "data/processed/09_scenarios/funders.parquet")
    write(tmp_path, "09_scenarios", "funders",
          funders.assign(label=funders["label"].where(funders["funder"] != "state", hostile)))  # fmt: skip
    page = markdown_to_html(rep.conditions_md())
    assert "<img" not in page and "<strong>A" not in page
    assert hostile in shown(rep.conditions_md())


def test_key_figures_show_the_epci_net_cost_not_the_public_money_received(tiny):
    rep = tiny()
    rep.population_zone = lambda: POPULATION
    rep.potential_users = lambda: 100.0
    rep.recommended_site = lambda: pd.Series({"nom": "Site", "nom_commune": "C"})
    rep.recommended_scenario = lambda: pd.Series(
        {"label": "Lieu A", "investment_ht": 1e5, "break_even_year": None,
         "deficit_probability": DEFICIT, "epci_net_cost_per_year": NET_COST_PER_YEAR,
         "epci_net_cost_per_inhabitant": NET_COST_PER_YEAR / POPULATION})  # fmt: skip
    rep.params = {**PARAMS, "scenarios": {**PARAMS["scenarios"], "plan_years": 2, "years": 4},
                  "demand": {"regular_users": {"min_visits_per_month": 2}}}  # fmt: skip
    figures = dict(rep.key_figures())
    assert figures["Reste à charge de l'EPCI, moyenne annuelle sur 2 ans"] == fmt.euros(
        NET_COST_PER_YEAR
    )
    assert figures["Reste à charge de l'EPCI par habitant de la zone d'étude et par an"] == (
        per_inhabitant(NET_COST_PER_YEAR / POPULATION)
    )
    assert not any("Financement public" in label for label in figures)
    label = "Usagers réguliers potentiels (au moins 2 fois par mois, hypothèse centrale)"
    assert figures[label] == fmt.number(100.0)


@pytest.mark.e2e
def test_default_study_lowering_the_cap_below_the_epci_cost_says_no(study):
    rep = load(study)
    cost = rep.recommended_scenario()["epci_net_cost_per_inhabitant"]
    lowered = with_rule(rep.params, max_net_cost_per_inhabitant=cost / 2)
    answer = Report(root=rep.root, params=lowered, territory=rep.territory).verdict()
    assert answer.title == NOT_NOW
    assert per_inhabitant(cost) in shown(answer.why)


@pytest.mark.e2e
def test_default_study_conditions_name_each_uncertain_funding_line(study):
    rep = load(study)
    known = rep.verdict_facts()
    paid = known.funders.loc[known.funders["amount_eur"] > 0, ["flow", "funder", "label"]]
    uncertain = paid.merge(known.lines[known.lines["probability"] < 1], on=["flow", "funder"])
    answer = rep.verdict()
    if answer.title != NOT_NOW and len(uncertain):
        assert answer.title == CONDITIONAL
        for label in set(uncertain["label"]):
            assert f"Obtenir « {label} »" in shown(rep.conditions_md())
