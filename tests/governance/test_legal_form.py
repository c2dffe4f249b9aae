"""Phase 10, legal forms: facts read from each scenario's accounts, situations, notes per
situation, scores per scenario; the recommended form follows the scenario's funding structure."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.core.config import ROOT, ConfigError, load_params
from pipeline.core.settings import check
from pipeline.core.validate import InputFileError
from pipeline.governance import form_views, legal_facts
from pipeline.governance import legal_form as lf

PARAMS = load_params()
SETTINGS = check(PARAMS).governance.model_dump()["legal_forms"]
CRITERIA = SETTINGS["criteria"]
INVESTMENT = PARAMS["scenarios"]["investment_funding"]
FORMS = lf.read_legal_forms(ROOT / lf.LEGAL_FORMS_FILE)
NOTES = lf.read_notes(ROOT / lf.NOTES_FILE, list(FORMS["forme"]), list(CRITERIA))


def accounts(name="s", revenue=10.0, public=80.0, partner=10.0, costs=100.0, business=0.0,
             operating_public=("epci",), investment=("feder", "epci"), extra_private=(),
             functions="digital_mediation", opex=100_000.0, years=3):  # fmt: skip
    """One scenario's phase-09 tables: `years` identical years of accounts; operating public
    lines share `public` evenly; `business` of the revenue is business days."""
    pnl = pd.DataFrame({"scenario": name, "year": range(1, years + 1), "revenue": revenue,
                        "public_funding": public, "partner_funding": partner, "costs": costs})  # fmt: skip
    lines = [("revenue", "business_days", business), ("revenue", "desk_days", revenue - business)]
    lines += [("funding_public", k, public / len(operating_public)) for k in operating_public]
    lines += [("funding_private", "partners", partner)] if partner else []
    lines += [("funding_private", k, 1.0) for k in extra_private]
    pnl_lines = pd.DataFrame(
        [(name, y, kind, item, item, amount) for y in range(1, years + 1)
         for kind, item, amount in lines],
        columns=["scenario", "year", "kind", "item", "label", "amount"],
    )  # fmt: skip
    plan = pd.DataFrame(
        [(name, "uses", "works", "Travaux", 100.0)]
        + [(name, "sources", k, k, 100.0 / len(investment)) for k in investment],
        columns=["scenario", "kind", "line", "item", "amount_eur"],
    )
    scenarios = pd.DataFrame({"scenario": [name], "label": ["S"], "functions": [functions],
                              "opex_year": [opex], "recommended": [True]})  # fmt: skip
    return scenarios, pnl, pnl_lines, plan


def facts_of(*tables, settings=SETTINGS, years=3):
    scenarios, pnl, pnl_lines, plan = tables
    return legal_facts.facts(scenarios, pnl, pnl_lines, plan, INVESTMENT, years, settings)


def best_form(*tables, settings=SETTINGS) -> str:
    situation = lf.situations(facts_of(*tables, settings=settings), CRITERIA)
    table = lf.score_forms(NOTES, situation, CRITERIA)
    return table.loc[table["recommended"], "forme"].item()


# --- facts ----------------------------------------------------------------------------------


def test_facts_read_the_accounts():
    tables = accounts(revenue=40.0, public=50.0, partner=10.0, business=10.0,
                      operating_public=("epci", "collectivity"), investment=("feder", "partners"))  # fmt: skip
    f = facts_of(*tables).iloc[0]
    assert f["public_share"] == pytest.approx(0.5)
    assert f["own_revenue_share"] == pytest.approx(0.4)
    assert f["business_revenue_share"] == pytest.approx(0.25)
    assert f["private_lines"] == 1  # partners: operating and investment, one funder
    assert f["public_funders"] == 3  # epci, collectivity, feder
    assert f["public_service"] == 0
    assert f["operating_budget"] == 100_000


def test_years_beyond_the_plan_are_left_out():
    scenarios, pnl, lines, plan = accounts(years=4)
    pnl.loc[pnl["year"] == 4, "revenue"] = 1000.0
    assert facts_of(scenarios, pnl, lines, plan, years=3).iloc[0]["own_revenue_share"] == 0.1


def test_public_service_from_a_funding_line_or_a_function():
    assert facts_of(*accounts(operating_public=("epci", "france_services"))).iloc[0][
        "public_service"
    ] == 1  # fmt: skip
    by_function = {**SETTINGS, "public_service_functions": ["digital_mediation"]}
    assert facts_of(*accounts(), settings=by_function).iloc[0]["public_service"] == 1


def test_situation_is_oui_from_the_threshold():
    facts = pd.DataFrame({"scenario": ["a", "b"], "public_share": [0.5, 0.49]})
    criteria = {"public_funding": {"weight": 1.0, "fact": "public_share", "at_least": 0.5}}
    assert lf.situations(facts, criteria)["situation"].tolist() == ["oui", "non"]


# --- the recommendation follows the scenario ------------------------------------------------


def test_recommended_form_changes_with_the_funding_structure():
    """Mostly own revenue, services to businesses and private partners: a cooperative company;
    mostly public money, one public funder and a public service (France Services): the
    collectivity runs it itself; the same with partners and several funders: a public-private
    body. Each follows from the project's grid and thresholds."""
    commercial = accounts(revenue=70.0, public=20.0, partner=10.0, business=30.0,
                          operating_public=("epci", "collectivity"),
                          investment=("feder", "detr", "partners"))  # fmt: skip
    public_service = accounts(revenue=5.0, public=95.0, partner=0.0,
                              operating_public=("france_services",), investment=("epci",))  # fmt: skip
    shared = accounts(revenue=5.0, public=85.0, partner=10.0,
                      operating_public=("france_services", "epci", "collectivity"),
                      investment=("feder", "detr"))  # fmt: skip
    forms = {best_form(*t) for t in (commercial, public_service, shared)}
    assert best_form(*commercial) == "SCIC"
    assert best_form(*public_service) == "Régie"
    assert best_form(*shared) in {"GIP", "SPL", "Régie", "Association loi 1901"}
    assert len(forms) == 3


def test_a_larger_budget_changes_the_form():
    funders = ("epci", "collectivity", "anct")
    small = accounts(opex=100_000.0, operating_public=funders)
    large = accounts(opex=400_000.0, operating_public=funders)
    assert best_form(*small) == "Association loi 1901"
    assert best_form(*large) == "GIP"


def test_switches_name_what_would_change_the_form():
    situation = lf.situations(facts_of(*accounts()), CRITERIA)
    switches = lf.switches(NOTES, situation, CRITERIA, "s")
    assert list(switches["criterion"]) == list(CRITERIA)
    own = switches.set_index("criterion").loc["own_revenue"]
    assert (own["situation"], own["turned"]) == ("non", "oui")
    for _, row in switches.iterrows():  # each turned situation scored again from scratch
        turned = situation.copy()
        at = turned["criterion"] == row["criterion"]
        turned.loc[at, "situation"] = row["turned"]
        best = lf.score_forms(NOTES, turned, CRITERIA).iloc[0]["forme"]
        assert best == row["forme"]
    text = form_views.form_text(
        lf.recommended_forms(lf.score_forms(NOTES, situation, CRITERIA), "s", FORMS),
        switches,
        "S",
    )
    changed = switches.loc[switches["changes"]]
    assert all(f in text for f in changed["forme"])


# --- scores, notes and their file -----------------------------------------------------------

GRID = """forme,critere,situation,note,justification
A,money,oui,5,texte
A,money,non,1,texte
B,money,oui,2,texte
B,money,non,4,texte
"""


def test_scores_are_the_weighted_notes_in_each_scenario_s_situation(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text(GRID, encoding="utf-8")
    notes = lf.read_notes(path, ["A", "B"], ["money"])
    criteria = {"money": {"weight": 1.0, "fact": "public_share", "at_least": 0.5}}
    facts = pd.DataFrame({"scenario": ["public", "private"], "public_share": [0.9, 0.1]})
    table = lf.score_forms(notes, lf.situations(facts, criteria), criteria)
    best = table.loc[table["recommended"]].set_index("scenario")["forme"]
    assert best.to_dict() == {"public": "A", "private": "B"}
    assert table["scenario"].tolist() == ["public", "public", "private", "private"]
    assert table.set_index(["scenario", "forme"])["score"].to_dict() == {
        ("public", "A"): 5.0, ("public", "B"): 2.0, ("private", "B"): 4.0, ("private", "A"): 1.0,
    }  # fmt: skip


def test_notes_file_errors_name_what_is_missing(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text(GRID.replace("B,money,non,4,texte\n", ""), encoding="utf-8")
    with pytest.raises(InputFileError, match="none for B / money / non"):
        lf.read_notes(path, ["A", "B"], ["money"])
    path.write_text(GRID.replace("A,money,non,1", "A,money,non,9"), encoding="utf-8")
    with pytest.raises(InputFileError, match=r"line 3, column 'note'.*between 1 and 5"):
        lf.read_notes(path, ["A", "B"], ["money"])
    path.write_text(GRID.replace("B,money,oui", "B,money,peut-être"), encoding="utf-8")
    with pytest.raises(InputFileError, match=r"line 4, column 'situation'"):
        lf.read_notes(path, ["A", "B"], ["money"])
    path.write_text(GRID.replace("A,money,non", "A,money,oui"), encoding="utf-8")
    with pytest.raises(InputFileError, match="line 3"):  # duplicated (form, criterion, situation)
        lf.read_notes(path, ["A", "B"], ["money"])


def test_project_grid_covers_every_form_criterion_and_situation_with_a_reason():
    assert len(FORMS) == 6 and FORMS["source"].str.len().min() > 0
    assert len(NOTES) >= len(FORMS) * len(CRITERIA) * 2
    assert (NOTES["justification"].str.len() > 20).all()
    # every criterion separates the forms: in each situation, not all forms score the same
    assert (NOTES.groupby(["critere", "situation"])["note"].nunique() > 1).all()


def test_legal_forms_table_shows_facts_situations_and_notes():
    situation = lf.situations(facts_of(*accounts()), CRITERIA)
    forms = lf.recommended_forms(lf.score_forms(NOTES, situation, CRITERIA), "s", FORMS)
    shown = form_views.legal_forms_table(forms, situation, CRITERIA)
    assert list(shown.columns[:4]) == ["Critère", "Constat", "Situation", "Pondération"]
    assert list(shown.columns[4:]) == forms["forme"].tolist()
    first = shown.iloc[0]
    assert first["Constat"] == "80\u202f%" and first["Situation"] == "oui (dès 50\u202f%)"
    assert shown.iloc[-2]["Critère"] == "Score pondéré (sur 5)"


def test_criteria_weights_must_sum_to_one():
    section = PARAMS["governance"]
    criteria = {**section["legal_forms"]["criteria"]}
    criteria["public_funding"] = {**criteria["public_funding"], "weight": 0.9}
    with pytest.raises(ConfigError, match=r"governance\.legal_forms\.criteria'.*summing to 1"):
        check({"governance": {**section, "legal_forms": {**section["legal_forms"],
                                                        "criteria": criteria}}})  # fmt: skip
    bad = {**criteria, "public_funding": {"weight": 0.2, "fact": "beauty", "at_least": 1}}
    with pytest.raises(ConfigError, match=r"public_funding\.fact"):
        check({"governance": {**section, "legal_forms": {**section["legal_forms"],
                                                        "criteria": bad}}})  # fmt: skip
