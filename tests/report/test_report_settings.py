"""The `report` section of params.yaml, typed: each fault names the key, what is expected and
what was found."""

import pytest

from pipeline.core.settings import ConfigError, check


def with_report(params, **changes):
    return {**params, "report": {**params["report"], **changes}}


def test_params_yaml_report_is_valid(params):
    report = check(params).report
    assert report.title == params["report"]["title"]
    assert report.verdict.min_interest == params["report"]["verdict"]["min_interest"]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, r"title': expected text: the report's title, found ''"),
        ({"verdict": {"min_interest": 1.5, "max_deficit_probability": 0.5}},
         r"verdict\.min_interest': expected a share from 0 to 1, found 1\.5"),
        ({"verdict": {"min_interest": 0.2, "max_deficit_probability": "0,5"}},
         r"verdict\.max_deficit_probability': expected a probability from 0 to 1, found '0,5'"),
        ({"verdict": {"min_interest": 0.2, "max_deficit_probability": 0.5, "min_users": 3}},
         r"verdict\.min_users': expected only the documented keys"),
    ],
)  # fmt: skip
def test_faults_name_key_expected_and_found(params, changes, message):
    with pytest.raises(ConfigError, match=r"(?m)^params\.yaml: key 'report\." + message):
        check(with_report(params, **changes))


def test_a_missing_verdict_is_named(params):
    report = {k: v for k, v in params["report"].items() if k != "verdict"}
    with pytest.raises(ConfigError, match=r"params\.yaml: missing required key 'report\.verdict'"):
        check({**params, "report": report})
