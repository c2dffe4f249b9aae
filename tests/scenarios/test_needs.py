"""Phase 09's fit to the measured needs: a scenario serving what the interviews cite most scores
higher, the score follows the counts of the survey and the interviews, and it can change the
recommendation."""

from __future__ import annotations

import copy
import warnings

import pandas as pd
import pytest
from planned import POPULATION

from pipeline.scenarios import build, needs

PROJECT = {"label": "P", "functions": ["project_support", "digital_mediation"]}
COWORK = {"label": "C", "functions": ["coworking", "digital_mediation"]}


def only(settings: dict, source: str) -> dict:
    """Settings whose needs fit weighs one source alone."""
    s = copy.deepcopy(settings)
    for name, spec in s["needs_fit"].items():
        spec["weight"] = 1.0 if name == source else 0.0
    return s


def scores(measures: dict, settings: dict, scenarios=None) -> pd.Series:
    table = needs.measured_needs(measures, settings)
    return needs.scores(needs.fit(table, scenarios or {"p": PROJECT, "c": COWORK}, settings))


def with_interviews(measures: dict, counts: dict[str, int]) -> dict:
    interviews = pd.DataFrame(
        {"need": list(counts), "label": list(counts), "share": [n / 24 for n in counts.values()]}
    )
    return {**measures, "needs": interviews}


def test_the_need_the_interviews_cite_most_makes_its_function_score_higher(settings, measures):
    s = only(settings(), "interviews")
    fit = scores(measures, s)  # project support: 14 interviews, coworking: 6
    assert fit["p"] == pytest.approx((14 + 10) / 30)
    assert fit["c"] == pytest.approx((6 + 10) / 30)
    assert fit["p"] > fit["c"]


def test_the_score_follows_the_interview_counts(settings, measures):
    s = only(settings(), "interviews")
    before = scores(measures, s)
    turned = with_interviews(measures, {"accompagnement": 2, "mediation": 10, "coworking": 20})
    after = scores(turned, s)
    assert after["c"] > after["p"]
    assert after["p"] < before["p"] and after["c"] > before["c"]


def test_the_score_follows_the_survey_counts(settings, measures):
    s = only(settings(), "survey")
    before = scores(measures, s)
    assert before["c"] == pytest.approx((0.4 + 0.2) / 0.7)  # coworking and digital help
    survey = measures["estimates"].assign(weighted=[0.05, 0.1, 0.2, 0.5])
    after = scores({**measures, "estimates": survey}, s)
    assert after["c"] == pytest.approx((0.05 + 0.2) / 0.35)
    assert after["c"] < before["c"]
    assert after["p"] > before["p"]  # digital help weighs more among fewer wishes


def test_every_source_weighs_its_part(settings, measures, demand):
    """The score is the weighted mean of each source's share served; a need no function serves
    counts against every scenario and is named."""
    s, measures = settings(), {**measures, "demand": demand}
    table = needs.measured_needs(measures, s)
    fit = needs.fit(table, {"c": COWORK}, s).set_index("source").drop("call")  # no call
    assert fit["served"].to_dict() == pytest.approx(
        {
            "survey": 0.6 / 0.7,
            "interviews": 16 / 30,
            "demand": (60 + 40 + 80) / 200,  # desk days and mediation, not the fablab hours
            "white_zones": 0.0,  # the study zone lacks a fablab only
            "telework_pool": 1.0,
        }
    )
    assert needs.scores(fit.reset_index())["c"] == pytest.approx(
        (fit["weight"] * fit["served"]).sum()
    )
    s["needs_fit"]["interviews"]["needs"].pop("coworking")
    with pytest.warns(UserWarning, match="interviews/coworking"):
        table = needs.measured_needs(measures, s)
    assert needs.fit(table, {"c": COWORK}, s).set_index("source").loc["interviews", "served"] == (
        pytest.approx(10 / 30)
    )


def test_a_source_that_measured_nothing_drops_out(settings, measures, demand):
    s, measures = settings(), {**measures, "demand": demand}
    empty = {**measures, "coverage": measures["coverage"].assign(white_zone=False)}
    fit = needs.fit(needs.measured_needs(empty, s), {"c": COWORK}, s).set_index("source")
    assert pd.isna(fit.loc["white_zones", "served"])
    assert fit.loc["white_zones", "weight"] == 0
    assert fit["weight"].sum() == pytest.approx(1.0)
    assert fit.loc["survey", "weight"] == pytest.approx(0.3 / 0.9)  # of 1 - 0.1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert needs.scores(needs.fit(needs.measured_needs({}, s), {"c": COWORK}, s)).isna().all()


def test_the_fit_can_change_the_recommendation(settings, demand, site, measures):
    """Weighing the fit alone, the scenario serving the need the interviews cite most is
    recommended; when the interviews cite another need most, the other one is."""
    s = only(settings(criteria={"needs_fit": 1.0}), "interviews")
    s["scenarios"] = {
        "p": {**s["scenarios"]["b"], **PROJECT},
        "c": {**s["scenarios"]["a"], **COWORK},
    }

    def chosen(m: dict) -> str:
        tables = build.evaluate(s, 0.2, demand, site, m)
        table = build.money(tables, s, POPULATION)["scenarios"]
        return table.loc[table["recommended"], "scenario"].item()

    assert chosen(measures) == "p"
    turned = with_interviews(measures, {"accompagnement": 2, "mediation": 10, "coworking": 20})
    assert chosen(turned) == "c"


def test_a_call_for_tenders_is_a_source_of_needs_and_without_one_the_weights_are_unchanged(
    settings, measures
):
    s = settings()
    incubator = {"project_support": 3, "coworking": 1}
    alone = scores({"call": incubator}, only(s, "call"))
    assert alone["p"] == pytest.approx(3 / 4) and alone["c"] == pytest.approx(1 / 4)
    # without a call, the other sources share the weights as they did before the call source
    table = needs.fit(needs.measured_needs(measures, s), {"p": PROJECT}, s)
    weights = table.set_index("source")["weight"]
    assert weights["call"] == 0 and weights.sum() == pytest.approx(1)
    # with one, it counts: asking for project support lifts the project-support scenario
    s["needs_fit"]["call"]["weight"] = 0.2
    before, after = scores(measures, s), scores({**measures, "call": incubator}, s)
    assert after["p"] - after["c"] > before["p"] - before["c"]
