"""The `mobility` section of params.yaml, typed: each fault names the key, what is expected and
what was found."""

import pytest

from pipeline.core.settings import ConfigError, check


def with_mobility(params, **changes):
    return {**params, "mobility": {**params["mobility"], **changes}}


def test_params_yaml_mobility_is_valid(params):
    mobility = check(params).mobility
    assert mobility.flow_map.top == params["mobility"]["flow_map"]["top"]
    assert (
        mobility.teleworkable_share["GS"]["3"]
        == params["mobility"]["teleworkable_share"]["GS"]["3"]
    )


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"detour_factor": 0.8}, r"detour_factor': expected a finite factor of 1 or more.*found 0\.8"),
        ({"telework_min_km": -1}, r"telework_min_km': expected a finite distance.*found -1"),
        ({"destinations_top": 0}, r"destinations_top': expected a whole number.*found 0"),
        ({"destinations_top": 2.5}, r"destinations_top'.*found 2\.5"),
        ({"census_vintage": "2022"}, r"census_vintage': expected a census year.*found '2022'"),
        ({"flow_map": {"min_workers": -1, "top": 5}}, r"flow_map\.min_workers'.*found -1"),
        ({"teleworkable_share": {"PCS": {"3": 0.5}}}, r"teleworkable_share\.PCS\.\[key\]'"),
        ({"teleworkable_share": {"GS": {"7": 0.5}}}, r"teleworkable_share\.GS\.7\.\[key\]'.*found '7'"),
        ({"teleworkable_share": {"GS": {3: 0.5}}}, r"teleworkable_share\.GS\.3\.\[key\]'.*found 3$"),
        ({"teleworkable_share": {"GS": {"3": -0.1}}}, r"teleworkable_share\.GS\.3'.*found -0\.1"),
        ({"speed_kmph": 40}, r"speed_kmph': expected only the documented keys"),
    ],
)  # fmt: skip
def test_faults_name_key_expected_and_found(params, changes, message):
    with pytest.raises(ConfigError, match=r"(?m)^params\.yaml: key 'mobility\." + message):
        check(with_mobility(params, **changes))


def test_a_missing_key_is_named_with_what_it_expects(params):
    with pytest.raises(
        ConfigError,
        match=r"(?m)^params\.yaml: missing required key "
        r"'mobility\.flow_map\.top': expected a whole number of flows, 1 or more$",
    ):
        check(with_mobility(params, flow_map={"min_workers": 10}))
