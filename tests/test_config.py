import shutil

import pytest

from pipeline.config import (
    ROOT,
    ConfigError,
    declared_params,
    load_params,
    load_territory,
    merge_settings,
    set_territory,
    stage_params,
    study_params,
)


def test_default_territory_is_nord_caraibe(params):
    territory = load_territory(params["territory"], params)
    assert territory["epci"] == "200041788"
    assert len(territory["study_zone"]) == 8
    assert territory["vat_rate"] == 0.085  # the territory file overrides the metropolitan default


def test_metropolitan_default_vat(params):
    assert (
        load_territory("bethune", params)["vat_rate"]
        == params["territory_defaults"]["vat_rate"]
        == 0.20
    )


def test_unknown_territory_names_file_and_known_keys(params):
    with pytest.raises(
        ConfigError, match=r"nowhere\.yaml: unknown territory key 'nowhere'.*nord_caraibe"
    ):
        load_territory("nowhere", params)


@pytest.mark.parametrize(
    "content, message",
    [
        ("name: X\n", "missing required key"),
        ("name: X\nepci: '12345'\n", "9-digit SIREN"),
        ("name: X\nepci: '200041788'\nstudy_zone: []\n", "non-empty list"),
        ("- a list\n", "expected a mapping"),
        ("name: [unclosed\n", "invalid YAML"),
        ("name: X\nepci: '200041788'\nparams: [1]\n", "'params' must be a mapping"),
    ],
)
def test_bad_territory_files(tmp_path, params, content, message):
    (tmp_path / "territories").mkdir()
    (tmp_path / "territories" / "bad.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_territory("bad", params, tmp_path)


def test_stage_params_are_exactly_the_declared_keys():
    assert declared_params("09_scenarios") == ["territory", "scenarios"]
    got = stage_params("09_scenarios")
    assert set(got) == {"territory", "scenarios"}
    assert got["scenarios"] == study_params()["scenarios"]


def test_territory_params_merge_over_the_metropolitan_defaults(params):
    merged = study_params(key="nord_caraibe")
    assert merged["mobility"]["speed_kmh"] == 40 != params["mobility"]["speed_kmh"]
    feder = merged["scenarios"]["investment_funding"]["feder"]
    assert feder["share"] == 0.5 and feder["payment"] == [0.3, 0.5, 0.2]  # the rest is kept
    bethune = study_params(key="bethune")["scenarios"]["scenarios"]
    assert set(bethune) == {"proximite", "incubateur", "reseau"}  # null removed the hub
    assert "project_support" in bethune["incubateur"]["functions"]
    assert load_params()["mobility"] == params["mobility"]  # params.yaml itself is untouched


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"mobility": {"speed_kmph": 30}}, r"x\.yaml: params key 'mobility\.speed_kmph' is not"),
        ({"nowhere": {"a": 1}}, r"params key 'nowhere' is not in params\.yaml"),
        ({"mobility": 3}, r"params key 'mobility' must be a mapping"),
    ],
)
def test_unknown_or_malformed_territory_params_are_refused(params, overrides, message):
    with pytest.raises(ConfigError, match=message):
        merge_settings(params, overrides, "territories/x.yaml")


def test_a_territory_may_add_entries_to_collections_only(params):
    added = {"scenarios": {"scenarios": {"new": {"label": "Nouveau"}}}}
    assert merge_settings(params, added, "x")["scenarios"]["scenarios"]["new"] == {
        "label": "Nouveau"
    }


def test_unknown_stage():
    with pytest.raises(ConfigError, match="no stage named 'nope'"):
        stage_params("nope")


def test_set_territory_keeps_comments(tmp_path):
    shutil.copytree(ROOT / "territories", tmp_path / "territories")
    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    set_territory("bethune", tmp_path)
    text = (tmp_path / "params.yaml").read_text(encoding="utf-8")
    assert "\nterritory: bethune\n" in text
    assert text.startswith("# Single source of truth")
    with pytest.raises(ConfigError, match="unknown territory key"):
        set_territory("nowhere", tmp_path)
    assert "\nterritory: bethune\n" in (tmp_path / "params.yaml").read_text(encoding="utf-8")


def test_set_territory_never_leaves_a_half_written_params_file(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "territories", tmp_path / "territories")
    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    before = (tmp_path / "params.yaml").read_bytes()

    def interrupted(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr("pipeline.io.os.replace", interrupted)
    with pytest.raises(OSError, match="disk full"):
        set_territory("bethune", tmp_path)
    assert (tmp_path / "params.yaml").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["params.yaml", "territories"]
