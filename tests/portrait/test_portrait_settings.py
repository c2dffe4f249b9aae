"""The `portrait` and `inputs` sections of params.yaml, typed."""

import pytest

from pipeline.core.settings import ConfigError, check


def test_params_yaml_portrait_and_inputs_are_valid(params):
    settings = check(params)
    assert settings.portrait.census_vintage == params["portrait"]["census_vintage"]
    assert settings.inputs.populations == params["inputs"]["populations"]


@pytest.mark.parametrize(
    "section, value, message",
    [
        ("portrait", {"census_vintage": 22}, r"portrait\.census_vintage': expected a census year .*2017 or later.*found 22"),
        ("inputs", {"populations": "", "population_vintage": "2023"}, r"inputs\.populations': expected the path"),
        ("inputs", {"populations": "p.csv", "population_vintage": 2023}, r"inputs\.population_vintage'.*found 2023"),
    ],
)  # fmt: skip
def test_faults_name_key_expected_and_found(params, section, value, message):
    with pytest.raises(ConfigError, match=r"(?m)^params\.yaml: key '" + message):
        check({**params, section: value})


def test_a_missing_key_is_named_with_what_it_expects(params):
    with pytest.raises(
        ConfigError,
        match=r"(?m)^params\.yaml: missing required key "
        r"'portrait\.census_vintage': expected a census year",
    ):
        check({**params, "portrait": {}})
