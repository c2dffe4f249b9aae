"""Phase 10 launch: ramp-up plan (Gantt) and launch programme."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipeline.core.config import ROOT, ConfigError, load_params
from pipeline.core.settings import check
from pipeline.core.settings.governance import LaunchSettings
from pipeline.core.validate import InputFileError
from pipeline.governance import launch, views

PLAN = """etape,axe,debut_mois,duree_mois,fonctions
Travaux,Lieu,-5,4,
Ouverture du fablab,Services,2,3,fablab
Coworking,Services,1,2,coworking|occasional_telework
"""
PROGRAMME = """mois,action,type,publics,fonctions,seances,participants
1,Portes ouvertes,portes ouvertes,tous,,1,120
2,Initiation 3D,formation,students,fablab,4,8
3,Ateliers numériques,atelier,digital_help|job_seekers,digital_mediation,6,10
"""
SEGMENTS = ["teleworkers", "students", "digital_help", "job_seekers"]
LABELS = {
    "teleworkers": "Télétravailleurs",
    "students": "Étudiants",
    "digital_help": "Personnes éloignées du numérique",
    "job_seekers": "Demandeurs d'emploi",
}
ACTIVITY_YEARS = pd.DataFrame(
    {
        "scenario": "a",
        "year": [1, 1, 1, 2, 2, 2],
        "ramp": [0.5, 0.5, 0.5, 1.0, 1.0, 1.0],
        "unit": ["desk_days", "mediation_sessions", "support_days"] * 2,
        "volume": [400.0, 80.0, 0.0, 800.0, 160.0, 0.0],
    }
)


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ramp_plan_keeps_the_scenario_functions_and_dates(tmp_path):
    plan = launch.read_plan(write(tmp_path, PLAN))
    out = launch.ramp_plan(plan, ["coworking"], dt.date(2027, 9, 1), ACTIVITY_YEARS)
    assert "Ouverture du fablab" not in set(out["etape"])
    steps = out.set_index("etape")
    assert steps.loc["Travaux", "start"] == pd.Timestamp("2027-03-01")
    assert steps.loc["Travaux", "end"] == pd.Timestamp("2027-07-01")
    assert steps.loc["Coworking", "start"] == pd.Timestamp("2027-09-01")
    ramp = out.loc[out["axe"] == launch.RAMP_AXIS, "etape"].tolist()
    assert ramp == [
        "Année 1 : 50\u202f% de l'activité d'année pleine",
        "Année 2 : 100\u202f% de l'activité d'année pleine",  # then no more bars
    ]
    assert out["debut_mois"].is_monotonic_increasing
    fig = views.gantt_figure(out, dt.date(2027, 9, 1))
    assert fig.layout.title.text.startswith("Plan de préfiguration")


def test_plan_errors_name_file_line_column(tmp_path):
    bad = write(
        tmp_path,
        PLAN.replace("Ouverture du fablab,Services,2,3,fablab", "Ouverture,Services,2,3,cafe"),
    )
    with pytest.raises(
        InputFileError,
        match=r"(?s)data\.csv.*line 3, column 'fonctions'.*found text of 4 characters",
    ):
        launch.read_plan(bad)
    bad = write(tmp_path, PLAN.replace("Travaux,Lieu,-5,4,", "Travaux,Lieu,-5,zéro,"))
    with pytest.raises(
        InputFileError, match=r"line 2, column 'duree_mois'.*found text of 4 characters"
    ):
        launch.read_plan(bad)
    bad = write(
        tmp_path, PLAN.replace("Coworking,Services", "Coworking, télétravail, réunions,Services")
    )
    with pytest.raises(InputFileError, match=r"data\.csv, line 4: expected 5 fields, found 7"):
        launch.read_plan(bad)


def test_programme_filtered_by_functions_with_attendance(tmp_path):
    programme = launch.read_programme(write(tmp_path, PROGRAMME), SEGMENTS, 6)
    kept = launch.launch_programme(programme, ["digital_mediation", "coworking"])
    assert kept["action"].tolist() == ["Portes ouvertes", "Ateliers numériques"]
    assert kept["attendance"].tolist() == [120, 60]
    assert launch.unreached_segments(kept, SEGMENTS) == ["teleworkers", "students"]
    table = views.programme_table(kept, LABELS)
    assert table.loc[0, "Publics visés"] == "tous publics"
    assert table.loc[1, "Publics visés"] == "personnes éloignées du numérique, demandeurs d'emploi"
    assert table.loc[0, "Fonctions"] == "toutes"
    text = views.programme_text(kept, SEGMENTS, LABELS)
    assert "télétravailleurs, étudiants" in text and "180" in text


def test_programme_segment_must_be_a_segment_of_phase_07(tmp_path):
    bad = write(tmp_path, PROGRAMME.replace("students,fablab", "retirees,fablab"))
    with pytest.raises(
        InputFileError, match=r"line 3, column 'publics'.*found text of 8 characters"
    ):
        launch.read_programme(bad, SEGMENTS, 6)
    late = write(tmp_path, PROGRAMME.replace("3,Ateliers", "9,Ateliers"))
    with pytest.raises(InputFileError, match=r"line 4, column 'mois'.*between 1 and 6"):
        launch.read_programme(late, SEGMENTS, 6)


def test_launch_settings():
    actions = load_params()["governance"]["launch"]["call_actions"]
    got = LaunchSettings.model_validate(
        {"opening": "2027-09-01", "programme_months": 6, "call_actions": actions}
    )
    assert got.opening == dt.date(2027, 9, 1)
    launch_settings = {"opening": "septembre", "programme_months": 6, "call_actions": actions}
    with pytest.raises(
        ConfigError,
        match=r"^params\.yaml: key 'governance\.launch\.opening': expected a date written "
        r"YYYY-MM-DD, found 'septembre'$",
    ):
        check({"governance": {**load_params()["governance"], "launch": launch_settings}})


def test_project_plan_and_programme_are_valid():
    months = check(load_params()).governance.launch.programme_months
    segments = [
        "teleworkers", "independents", "job_seekers", "digital_help", "students",
        "organisations", "visitors",
    ]  # fmt: skip
    programme = launch.read_programme(ROOT / launch.PROGRAMME_FILE, segments, months)
    assert set(programme["type"]) >= {"portes ouvertes", "événement", "atelier", "formation"}
    plan = launch.read_plan(ROOT / launch.PLAN_FILE)
    assert plan["debut_mois"].min() < 1 and (plan["debut_mois"] + plan["duree_mois"]).max() <= 37


def test_ramp_plan_follows_the_scenario_funding_lines(tmp_path):
    text = PLAN.replace("fonctions\n", "fonctions,financeurs\n").replace("\n", ",\n")
    text = text.replace("fonctions,financeurs,\n", "fonctions,financeurs\n")
    text += "Dossier : {financeur},Financement,-9,4,,\nSortie ANCT,Financement,25,12,,anct\n"
    plan = launch.read_plan(write(tmp_path, text))
    funders = {"feder": "FEDER", "anct": "ANCT"}
    out = launch.ramp_plan(plan, ["coworking"], dt.date(2027, 9, 1), ACTIVITY_YEARS, funders)
    assert {"Dossier : FEDER", "Dossier : ANCT", "Sortie ANCT"} <= set(out["etape"])
    without = launch.ramp_plan(
        plan, ["coworking"], dt.date(2027, 9, 1), ACTIVITY_YEARS, {"feder": "FEDER"}
    )
    assert "Sortie ANCT" not in set(without["etape"]) and "Dossier : ANCT" not in set(
        without["etape"]
    )
    bad = write(tmp_path, text.replace(",anct", ",ANCT !"))
    with pytest.raises(InputFileError, match=r"column 'financeurs'"):
        launch.read_plan(bad)
