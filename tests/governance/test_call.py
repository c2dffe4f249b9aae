"""Phase 10 and a territory's call for tenders: the launch actions it asks for, its
stakeholders seated in the recommended legal form, the elements for the communication teams,
and the answers to the call mission by mission, computed from the default study's tables."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.benchmark.outputs import BENCHMARK
from pipeline.core import fmt
from pipeline.core.config import ROOT, load_params, load_territory
from pipeline.core.io import read_table
from pipeline.core.validate import InputFileError
from pipeline.core.vocabulary import CALL_ANSWERS
from pipeline.governance import call, call_views, communication, launch, stakeholders
from pipeline.governance import outputs as gov
from pipeline.governance.build import funder_kinds
from pipeline.scenarios.outputs import FUNDERS, NEEDS_FIT, PROGRAMME, SCENARIOS
from pipeline.sites.outputs import SITES

PARAMS = load_params()
ACTIONS = PARAMS["governance"]["launch"]["call_actions"]
BETHUNE_CALL = load_territory("bethune", PARAMS)["call"]
FORMS = ["Association loi 1901", "SCIC", "SPL", "SEM", "Régie", "GIP"]


def test_the_call_adds_trainings_meetings_workshops_and_reviews_to_the_programme():
    added = launch.call_actions(BETHUNE_CALL, 6, 3.5, ACTIONS)
    trainings = added.loc[added["type"] == "formation"]
    assert len(trainings) == len(BETHUNE_CALL["methods"]) and trainings["mois"].eq(1).all()
    assert trainings["participants"].eq(4).all()  # the team: 3.5 FTE, four people
    workshops = added.loc[added["action"].str.startswith("Atelier d'innovation ouverte")]
    assert len(workshops) == len(BETHUNE_CALL["themes"])
    assert set(workshops["mois"]) == {2, 3, 4, 5, 6}
    assert all(t in " ".join(workshops["action"]) for t in BETHUNE_CALL["themes"])
    reviews = added.loc[added["action"].str.contains("avancement des projets")]
    assert reviews["mois"].tolist() == [2, 4, 6]
    assert launch.call_actions(None, 6, 3.5, ACTIONS).empty
    generic = pd.DataFrame([[1, "Portes ouvertes", "portes ouvertes", "tous", "fablab", 1, 50]],
                           columns=launch.PROGRAMME_COLUMNS)  # fmt: skip
    programme = launch.launch_programme(generic, ["coworking"], added)
    assert len(programme) == len(added)  # the call's actions kept whatever the functions
    assert programme["mois"].is_monotonic_increasing


def test_stakeholders_are_seated_where_the_recommended_form_seats_their_college(tmp_path):
    colleges = stakeholders.read_colleges(ROOT / stakeholders.COLLEGES_FILE, FORMS)
    scic = stakeholders.stakeholders(BETHUNE_CALL, colleges, "SCIC")
    spl = stakeholders.stakeholders(BETHUNE_CALL, colleges, "SPL")
    assert len(scic) == len(BETHUNE_CALL["stakeholders"])
    industry = scic["college"] == "economic"
    assert scic.loc[industry, "seat"].str.contains("capital").all()
    assert spl.loc[industry, "seat"].str.contains("Sans place au capital").all()
    assert stakeholders.stakeholders(None, colleges, "SCIC").empty
    short = tmp_path / "gouvernance_colleges.csv"
    text = (ROOT / stakeholders.COLLEGES_FILE).read_text(encoding="utf-8")
    short.write_text("\n".join(r for r in text.splitlines() if not r.startswith("GIP,users")))
    with pytest.raises(InputFileError, match=r"gouvernance_colleges\.csv.*missing GIP/users"):
        stakeholders.read_colleges(short, FORMS)


def test_communication_gives_each_public_its_services_price_and_first_action():
    demand = pd.DataFrame({"segment": ["teleworkers", "students"], "label": ["T", "S"],
                           "unit": ["desk_days", "fablab_hours"], "users": [30.0, 40.0]})  # fmt: skip
    grid = pd.DataFrame({"unit": ["desk_days", "desk_days", "fablab_hours"],
                         "user_type": ["teleworker", "resident", "resident"],
                         "price": [12.0, 9.0, 6.0]})  # fmt: skip
    programme = pd.DataFrame({"mois": [1, 3], "action": ["Portes ouvertes", "Café télétravail"],
                              "publics": ["tous", "teleworkers"]})  # fmt: skip
    rows = communication.communication(demand, grid, programme, ["coworking"], PARAMS["scenarios"])
    tele, students = rows.iloc[0], rows.iloc[1]
    assert tele["services"] == "coworking" and tele["price_low"] == tele["price_high"] == 12.0
    assert (tele["first_month"], tele["first_action"]) == (3, "Café télétravail")
    assert students["services"] == "" and pd.isna(students["price_low"])  # no fablab offered
    assert (students["first_month"], students["first_action"]) == (1, "Portes ouvertes")
    shown = call_views.communication_table(rows, {"desk_days": "journées"})
    assert shown["Services du scénario recommandé"].tolist() == ["coworking", "aucun"]


@pytest.fixture(scope="module")
def answered(study):
    """The answers to Béthune's call computed from the default study's tables."""
    read = lambda t: read_table(t.path(study))  # noqa: E731
    scenarios = read(SCENARIOS)
    chosen = scenarios.loc[scenarios["recommended"]].iloc[0]
    forms = read(gov.LEGAL_FORMS)
    form = forms.loc[forms["recommended"], "forme"].item()
    colleges = stakeholders.read_colleges(study / stakeholders.COLLEGES_FILE, FORMS)
    tables = {
        name: read(getattr(gov, name.upper()))
        for name in ("viability_summary", "grant_checklist", "legal_forms", "governance_scheme",
                     "launch_programme", "communication", "site_fit")
    }  # fmt: skip
    tables.update({
        "call": BETHUNE_CALL, "scenario": chosen["scenario"], "scenario_row": chosen,
        "form": form, "months": 6, "plan_years": 5,
        "funder_kinds": funder_kinds(PARAMS["scenarios"]),
        "stakeholders": stakeholders.stakeholders(BETHUNE_CALL, colleges, form),
        "benchmark": read(BENCHMARK), "funders": read(FUNDERS), "needs_fit": read(NEEDS_FIT),
        "programme": read(PROGRAMME), "sites": read(SITES),
    })  # fmt: skip
    return call.answers(tables), tables


def test_every_ask_of_the_call_is_answered_mission_by_mission(answered):
    answers, tables = answered
    asks = [a for m in BETHUNE_CALL["missions"] for a in m["asks"]]
    assert answers["ask"].tolist() == [a["ask"] for a in asks]
    assert answers["mission"].nunique() == 3
    assert set(call.ANSWERS) == set(CALL_ANSWERS)
    assert answers["answer"].str.len().gt(20).all()
    by = answers.drop_duplicates("answer_key").set_index("answer_key")["answer"]
    budget = tables["viability_summary"].loc[tables["viability_summary"]["recommended"]].iloc[0]

    assert fmt.euros(budget["budget"]) in by["minimum_budget"]
    assert by["site"].startswith("La Fabrique ne figure pas")  # not a Nord Caraïbe site
    assert f"{len(BETHUNE_CALL['stakeholders'])} parties prenantes" in by["stakeholders"]


def test_the_report_section_escapes_the_call_and_is_empty_without_one(answered):
    answers, tables = answered
    hostile = {**BETHUNE_CALL, "title": "<script>alert(1)</script> | [x](javascript:1)"}
    text = call_views.call_md(answers, tables["stakeholders"], hostile)
    assert "<script>" not in text and "&lt;script&gt;" in text and "\\|" in text
    assert text.count("\n## Mission") == 3
    assert call_views.call_md(answers.iloc[:0], tables["stakeholders"], None) == ""
