"""Phase 10, outcome indicators: definitions as data, situation at the start from the earlier
phases, yearly targets from the business plan."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.core.config import ROOT, ConfigError, load_params
from pipeline.core.settings import check
from pipeline.core.validate import InputFileError
from pipeline.governance import outcomes, plan_views

HEADER = "indicateur,libelle,unite,calcul,parametre,source,responsable,methode\n"
FILE = HEADER + (
    "visites,Fréquentation,visites par an,attendance,,Registre,Direction,Activité × visites\n"
    "membres,Usagers réguliers,personnes,per_person,,Abonnements,Direction,Journées ÷ 40\n"
    "aides,Personnes aidées,personnes,segment,digital_help,Suivi,Médiateurs,Séances ÷ 3\n"
    "projets,Projets,projets,per_person,,Registre,Chargé,Jours ÷ 5\n"
    "creations,Entreprises créées,entreprises,creations,projets,Sirene,Comité,Projets × taux\n"
    "co2,CO2 évité,tonnes de CO2 par an,co2_avoided,teleworkers,Enquête,Comité,Jours × km\n"
    "recettes,Part de recettes propres,part des ressources,own_revenue_share,,Comptes,Trésorier,"
    "Recettes ÷ ressources\n"
)
ACTIVITY = pd.DataFrame(
    {
        "year": [1, 1, 1, 2, 2, 2],
        "unit": ["desk_days", "mediation_sessions", "support_days"] * 2,
        "volume": [400.0, 90.0, 0.0, 800.0, 180.0, 0.0],
    }
)
PNL = pd.DataFrame(
    {"year": [1, 2, 3], "revenue": [10.0, 30.0, 30.0], "public_funding": [80.0, 60.0, 60.0],
     "partner_funding": [10.0, 10.0, 10.0]}
)  # fmt: skip
DEMAND = pd.DataFrame(
    {
        "segment": ["teleworkers", "independents", "digital_help", "job_seekers"],
        "label": ["Télétravailleurs", "Indépendants", "Aide au numérique", "Chômeurs"],
        "unit": ["desk_days", "desk_days", "mediation_sessions", "mediation_sessions"],
        "central": [300.0, 100.0, 60.0, 30.0],
        "frequency_central": [30.0, 50.0, 3.0, 6.0],
        "base": [1000.0, 500.0, 3000.0, 1400.0],
        "base_source": ["phase 02", "recensement", "enquête", "recensement"],
    }
)
MOBILITY = pd.DataFrame({"key": ["mean_km", "car_share"], "value": [15.0, 0.8]})
SETTINGS = {
    "per_person": {"membres": {"desk_days": 40.0}, "projets": {"support_days": 5.0}},
    "creation_rate": 0.25,
    "co2_kg_per_km": 0.2,
    "place_trip_km": 5.0,
}
USAGE = {"desk_days": {"visits": 1, "hours": 7}, "mediation_sessions": {"visits": 2, "hours": 1}}


def definitions(tmp_path, text=FILE):
    path = tmp_path / "indicateurs.csv"
    path.write_text(text, encoding="utf-8")
    return outcomes.read_definitions(path, list(SETTINGS["per_person"]))


def inputs(activity=ACTIVITY) -> dict:
    return {"activity_years": activity, "pnl": PNL, "demand": DEMAND, "mobility": MOBILITY,
            "usage": USAGE, "settings": SETTINGS, "years": [1, 2]}  # fmt: skip


def test_targets_from_the_business_plan(tmp_path):
    table = outcomes.targets(definitions(tmp_path), inputs())
    got = table.set_index(["indicator", "year"])["target"]
    assert got[("visites", 1)] == 400 + 90 * 2
    assert got[("membres", 2)] == 800 / 40
    assert got[("aides", 1)] == pytest.approx(90 * (60 / 90) / 3)  # its share of the sessions
    assert ("projets", 1) not in got.index  # no support days: no target, no creations
    assert ("creations", 1) not in got.index
    # teleworkers' desk days (3/4 of 400) × round trip of 15 - 5 km × 80 % by car × 0.2 kg
    assert got[("co2", 1)] == pytest.approx(400 * 0.75 * 2 * 10 * 0.8 * 0.2 / 1000)
    assert got[("recettes", 2)] == pytest.approx(0.3)
    assert sorted(table["year"].unique()) == [1, 2]  # the years of the activity table


def test_targets_follow_the_activity(tmp_path):
    """More support days: projects and the companies they create appear, and grow with them."""
    more = ACTIVITY.assign(
        volume=ACTIVITY["volume"].where(ACTIVITY["unit"] != "support_days", 50.0)
    )
    got = outcomes.targets(definitions(tmp_path), inputs(more)).set_index(["indicator", "year"])
    assert got.loc[("projets", 1), "target"] == 10
    assert got.loc[("creations", 1), "target"] == pytest.approx(2.5)


def test_baselines_from_the_earlier_phases(tmp_path):
    defs = definitions(tmp_path)
    table = outcomes.definitions_table(defs, list(defs["indicateur"]), DEMAND).set_index(
        "indicator"
    )
    assert table.loc["aides", ["baseline", "public"]].tolist() == [0, 3000]  # phase 07's base
    assert "phase 07" in table.loc["aides", "baseline_source"]
    assert table.loc["visites", "baseline"] == 0 and table.loc["co2", "baseline"] == 0
    assert pd.isna(table.loc["creations", "baseline"])
    assert table.loc["creations", "baseline_source"].startswith(outcomes.NOT_MEASURED)
    assert table.loc["aides", "owner"] == "Médiateurs"


def test_bad_definitions_are_named(tmp_path):
    with pytest.raises(InputFileError, match=r"line 4, column 'parametre': expected a segment"):
        definitions(tmp_path, FILE.replace("segment,digital_help", "segment,"))
    with pytest.raises(InputFileError, match=r"line 6, column 'parametre'.*found 'membres2'"):
        definitions(tmp_path, FILE.replace("creations,projets", "creations,membres2"))
    with pytest.raises(InputFileError, match=r"line 3, column 'indicateur'.*per_person"):
        definitions(tmp_path, FILE.replace("membres,Usagers", "abonnes,Usagers"))
    with pytest.raises(InputFileError, match=r"line 2, column 'calcul'"):
        definitions(tmp_path, FILE.replace("attendance", "magic"))
    with pytest.raises(ValueError, match="segment 'retirees' is not a segment of phase 07"):
        outcomes.targets(
            definitions(tmp_path, FILE.replace("segment,digital_help", "segment,retirees")),
            inputs(),
        )


def test_indicators_table_in_french(tmp_path):
    defs = definitions(tmp_path)
    table = outcomes.targets(defs, inputs())
    shown = plan_views.indicators_table(
        table, outcomes.definitions_table(defs, list(dict.fromkeys(table["indicator"])), DEMAND)
    ).set_index("Indicateur")
    baseline, public = plan_views.BASELINE_COLUMN, plan_views.PUBLIC_COLUMN
    assert list(shown.columns) == ["Unité", baseline, public, "Année 1", "Année 2"]
    assert shown.loc["Part de recettes propres", "Année 2"] == "30\u202f%"
    # none aided yet, among the 3 000 people of the segment
    assert shown.loc["Personnes aidées", [baseline, public]].tolist() == ["0", "3\u202f000"]
    assert shown.loc["Usagers réguliers", public] == "—"
    assert shown.loc["Part de recettes propres", baseline] == "—"
    # people are counted whole, even when fewer than 10 (other small targets keep a decimal)
    small = table.assign(target=table["target"] / 7)
    few = plan_views.indicators_table(
        small, outcomes.definitions_table(defs, list(dict.fromkeys(table["indicator"])), DEMAND)
    ).set_index("Indicateur")
    assert few.loc["Usagers réguliers", "Année 1"] == "1"  # 10 / 7
    assert few.loc["Personnes aidées", "Année 2"] == "6"  # 40 / 7


def test_project_indicators_are_valid():
    settings = check(load_params()).governance.model_dump()["indicators"]
    defs = outcomes.read_definitions(ROOT / outcomes.INDICATORS_FILE, list(settings["per_person"]))
    assert {"segment", "co2_avoided", "creations", "own_revenue_share"} <= set(defs["calcul"])
    segments = set(load_params()["demand"]["segments"])
    assert set(defs.loc[defs["calcul"].isin(outcomes.WITH_SEGMENT), "parametre"]) <= segments


def test_bad_indicator_settings_are_named():
    section = load_params()["governance"]
    spec = {**section["indicators"], "per_person": {"membres": {"desk_days": 0}}}
    with pytest.raises(
        ConfigError,
        match=r"^params\.yaml: key 'governance\.indicators\.per_person\.membres\.desk_days': ",
    ):
        check({"governance": {**section, "indicators": spec}})


def test_regular_users_are_phase_07s_served_by_the_scenario(tmp_path):
    """The expected regular users: by unit, the year's activity × the unit's regular users of
    phase 07 ÷ its central demand (one definition with the report's potential users)."""
    text = (
        HEADER
        + "reguliers,Usagers réguliers attendus,personnes,regular_users,,Abonnements,Direction,Phase 07\n"
    )
    demand = DEMAND.assign(regular_users=[24.0, 16.0, 0.0, 0.0])  # desk days: 40 of 400
    table = outcomes.targets(definitions(tmp_path, text), {**inputs(), "demand": demand})
    got = table.set_index(["indicator", "year"])["target"]
    assert got[("reguliers", 1)] == pytest.approx(400 * 40 / 400)
    assert got[("reguliers", 2)] == pytest.approx(800 * 40 / 400)
    none = DEMAND.assign(regular_users=0.0)
    assert outcomes.targets(definitions(tmp_path, text), {**inputs(), "demand": none}).empty
    start = outcomes.definitions_table(definitions(tmp_path, text), ["reguliers"], demand)
    assert (
        start["baseline"].iloc[0] == 0.0 and start["baseline_source"].iloc[0] == outcomes.NEW_PLACE
    )
