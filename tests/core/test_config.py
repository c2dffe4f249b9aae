import os
import re
import shutil
import subprocess
import sys

import pytest

from pipeline.core.config import (
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
    assert territory["vat_rate"] == 0.085  # Martinique's, derived from the EPCI's département


def test_metropolitan_default_vat(params):
    assert (
        load_territory("bethune", params)["vat_rate"]
        == params["territory_context"]["vat_rate"]
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
        ("name: X\nepci: '200041788'\nparams: [1]\n", "key 'params': expected a mapping"),
    ],
)
def test_bad_territory_files(tmp_path, params, content, message):
    (tmp_path / "territories").mkdir()
    (tmp_path / "territories" / "bad.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_territory("bad", params, tmp_path)


def test_stage_params_are_exactly_the_declared_keys():
    assert declared_params("09_scenarios") == ["territory", "territory_context", "scenarios"]
    got = stage_params("09_scenarios")
    assert set(got) == {"territory", "territory_context", "scenarios"}
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

    monkeypatch.setattr("pipeline.core.io.os.replace", interrupted)
    with pytest.raises(OSError, match="disk full"):
        set_territory("bethune", tmp_path)
    assert (tmp_path / "params.yaml").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["params.yaml", "territories"]


# One territory per run (issue 13): keys are safe slugs, set-territory writes valid YAML.
BAD_KEYS = ["../../x", "yes", "010", "a: b", "Nord", "", "x" * 65, "null", "a/b", "-a"]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_invalid_territory_keys_are_refused_with_the_rule(params, key):
    with pytest.raises(ConfigError, match=rf"invalid territory key {re.escape(repr(key))}: "
                       "expected a lowercase slug"):  # fmt: skip
        load_territory(key, params)


def study_copy(tmp_path, params_text=None, territory_files=None):
    """A study folder: params.yaml (or `params_text`), dvc.yaml, territories (and extra files)."""
    shutil.copytree(ROOT / "territories", tmp_path / "territories")
    shutil.copy(ROOT / "dvc.yaml", tmp_path / "dvc.yaml")
    text = params_text or (ROOT / "params.yaml").read_text(encoding="utf-8")
    (tmp_path / "params.yaml").write_text(text, encoding="utf-8")
    for name, content in (territory_files or {}).items():
        (tmp_path / "territories" / f"{name}.yaml").write_text(content, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("key", ["yes", "010", "a: b", "on"])
def test_set_territory_never_writes_a_key_yaml_reads_otherwise(tmp_path, key):
    study_copy(tmp_path, territory_files={key: "name: X\nepci: '200041788'\n"})
    with pytest.raises(ConfigError, match="invalid territory key"):
        set_territory(key, tmp_path)
    assert load_params(tmp_path)["territory"] == "nord_caraibe"


def test_set_territory_keeps_the_comment_of_its_line(tmp_path):
    text = (ROOT / "params.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^territory:.*$", "territory: nord_caraibe   # the study's territory", text)
    study_copy(tmp_path, text)
    set_territory("bethune", tmp_path)
    assert "\nterritory: bethune   # the study's territory\n" in (
        tmp_path / "params.yaml"
    ).read_text(encoding="utf-8")
    assert load_params(tmp_path)["territory"] == "bethune"


def test_set_territory_cli_names_the_rule(tmp_path):
    study_copy(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.core.config", "set-territory", "../../x"],
        cwd=tmp_path, capture_output=True, text=True, env=cli_env(),
    )  # fmt: skip
    assert done.returncode != 0
    assert "invalid territory key '../../x': expected a lowercase slug" in done.stderr
    assert load_params(tmp_path)["territory"] == "nord_caraibe"


def cli_env() -> dict:
    """The environment of a CLI run from a study copy: this checkout's package, no lock held."""
    env = {k: v for k, v in os.environ.items() if k != "PIPELINE_STUDY_LOCK"}
    return {**env, "PYTHONPATH": str(ROOT)}


# Settings that break a guarantee are refused, naming the file, the key and what is expected.
@pytest.mark.parametrize(
    "old, new, message",
    [
        ("  min_cell: 11", "  min_cell: 0", r"privacy\.min_cell': expected a whole number from 11"),
        ("  min_cell: 11", "  min_cell: 10", r"privacy\.min_cell'.*found 10$"),
        ("  min_cell: 11", "  min_cell: 1000", r"privacy\.min_cell'.*to 100, found 1000"),
        ("  min_cell: 11", "  min_cell: 11.5", r"privacy\.min_cell'.*found 11\.5"),
        ("  speed_kmh: 50", "  speed_kmh: .nan", r"mobility\.speed_kmh': expected a finite"),
        ("  speed_kmh: 50", "  speed_kmh: .inf", r"mobility\.speed_kmh'.*found inf"),
        ("  speed_kmh: 50", "  speed_kmh: 0", r"mobility\.speed_kmh'.*above 0"),
        ("  speed_kmh: 50", "  speed_kmh: -30", r"mobility\.speed_kmh'"),
        ("  years: 10 ", "  years: 0 ", r"scenarios\.years': expected a whole number of years"),
        ("  years: 10 ", "  years: 500 ", r"scenarios\.years'.*from 1 to 50, found 500"),
        ("  plan_years: 5 ", "  plan_years: 0 ", r"scenarios\.plan_years'"),
        ("  plan_years: 5 ", "  plan_years: 12 ", r"scenarios\.plan_years'.*\.years, found 12"),
    ],
)
def test_settings_breaking_a_guarantee_are_refused(tmp_path, old, new, message):
    text = (ROOT / "params.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    study_copy(tmp_path, text.replace(old, new))
    with pytest.raises(ConfigError, match=r"(?m)^params\.yaml: key '" + message):
        study_params(tmp_path, "bethune")  # Béthune keeps params.yaml's speed


def test_a_territory_file_breaking_a_guarantee_is_named(tmp_path):
    study_copy(tmp_path, territory_files={
        "fast": "name: X\nepci: '200041788'\nparams: {mobility: {speed_kmh: .nan}}\n"
    })  # fmt: skip
    with pytest.raises(ConfigError, match=r"territories/fast\.yaml: key 'mobility\.speed_kmh'"):
        study_params(tmp_path, "fast")


def test_every_stage_gets_checked_settings(tmp_path):
    text = (ROOT / "params.yaml").read_text(encoding="utf-8")
    study_copy(tmp_path, text.replace("  min_cell: 11", "  min_cell: 0"))
    with pytest.raises(ConfigError, match=r"params\.yaml: key 'privacy\.min_cell'"):
        stage_params("03_survey", tmp_path)


def test_the_privacy_floor_is_the_documented_default(params):
    from pipeline.core.settings.privacy import MIN_CELL_FLOOR

    assert params["privacy"]["min_cell"] == MIN_CELL_FLOOR
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"(default {MIN_CELL_FLOOR}; raise it, never lower it" in readme


def test_a_partial_parameters_cell_is_merged_over_the_stage_params():
    """An analyst sets only the price in the notebook's parameters cell (issue 18)."""
    from pipeline.core.phase import open_phase

    phase = open_phase("09_scenarios", {"scenarios": {"units": {"desk_days": {"price": 20}}}})
    assert phase.settings.scenarios.units["desk_days"].price == 20
    assert phase.settings.scenarios.years == load_params()["scenarios"]["years"]
    with pytest.raises(ConfigError, match=r"parameters cell: params key 'scenarios\.unitz'"):
        open_phase("09_scenarios", {"scenarios": {"unitz": 1}})


def test_papermill_params_with_numbers_as_keys_merge_over_their_own():
    """Papermill passes params through JSON, so a mapping keyed by numbers arrives keyed by
    text: it must still merge over params.yaml's (governance.feasibility.erp.max_public)."""
    import json

    from pipeline.core.phase import open_phase

    injected = json.loads(json.dumps(stage_params("10_governance")))
    phase = open_phase("10_governance", injected)
    assert phase.params["governance"] == stage_params("10_governance")["governance"]
