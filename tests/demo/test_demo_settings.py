"""The `demo` section of params.yaml, typed: each fault names the key, what is expected and
what was found."""

import pytest

from pipeline.core.settings import ConfigError, check


def with_demo(params, **changes):
    return {**params, "demo": {**params["demo"], **changes}}


def test_params_yaml_demo_is_valid(params):
    demo = check(params).demo
    assert demo.seed == params["demo"]["seed"]
    assert demo.sites == params["demo"]["sites"]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"seed": -1}, r"seed': expected a whole number, 0 or more.*found -1"),
        ({"census_vintage": 1999}, r"census_vintage': expected a census year.*found 1999"),
        ({"employment_rate": 0}, r"employment_rate': expected a share above 0 and at most 1.*found 0"),
        ({"employment_rate": 1.2}, r"employment_rate'.*found 1\.2"),
        ({"survey_respondents": 0}, r"survey_respondents': expected a whole number, 1 or more, found 0"),
        ({"interviews": 2.5}, r"interviews'.*found 2\.5"),
        ({"sites": "6"}, r"sites': expected a whole number, 1 or more, found '6'"),
        ({"benchmark_rows": 0}, r"benchmark_rows': expected a whole number, 1 or more, found 0"),
        ({"seeds": 1}, r"seeds': expected only the documented keys"),
    ],
)  # fmt: skip
def test_faults_name_key_expected_and_found(params, changes, message):
    with pytest.raises(ConfigError, match=r"(?m)^params\.yaml: key 'demo\." + message):
        check(with_demo(params, **changes))
