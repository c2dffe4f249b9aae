"""The `survey` section of params.yaml, typed: every fault names the file, the key, what was
expected and what was found."""

import pytest

from pipeline.core.config import load_params
from pipeline.core.settings import ConfigError, check

SURVEY = {
    "confidence": 0.95,
    "on_invalid": "error",
    "min_weighting_cell": 15,
    "trimming": {"lower": 0.2, "upper": 5.0},
}


def test_the_survey_section_of_params_is_valid():
    survey = check({"survey": load_params()["survey"]}).survey
    assert 0 < survey.confidence < 1
    assert survey.trimming.lower < 1 < survey.trimming.upper


def test_on_invalid_defaults_to_refusing_the_export():
    survey = {k: v for k, v in SURVEY.items() if k != "on_invalid"}
    assert check({"survey": survey}).survey.on_invalid == "error"


@pytest.mark.parametrize(
    "key, value, expected",
    [
        ("confidence", 95, "a confidence level above 0 and below 1, such as 0.95, found 95"),
        (
            "confidence",
            "0.95",
            "a confidence level above 0 and below 1, such as 0.95, found '0.95'",
        ),
        ("on_invalid", "blanc", "'error' (refuse an export with invalid answers) or 'blank'"),
        ("min_weighting_cell", 0, "a whole number of respondents, 1 or more, per raking cell"),
        ("min_weighting_cell", 2.5, "a whole number of respondents, 1 or more, per raking cell"),
    ],
)
def test_a_bad_survey_setting_is_named(key, value, expected):
    with pytest.raises(ConfigError) as error:
        check({"survey": {**SURVEY, key: value}})
    assert f"params.yaml: key 'survey.{key}': expected {expected}" in str(error.value)


@pytest.mark.parametrize(
    "bounds, key, expected",
    [
        ({"lower": 0.0, "upper": 5.0}, "lower", "a number above 0 and below 1 (× mean weight), found 0.0"),
        ({"lower": 1.2, "upper": 5.0}, "lower", "a number above 0 and below 1 (× mean weight), found 1.2"),
        ({"lower": 0.2, "upper": 0.9}, "upper", "a finite number above 1 (× mean weight), found 0.9"),
    ],
)  # fmt: skip
def test_trimming_bounds_must_frame_the_mean_weight(bounds, key, expected):
    with pytest.raises(ConfigError) as error:
        check({"survey": {**SURVEY, "trimming": bounds}})
    assert f"params.yaml: key 'survey.trimming.{key}': expected {expected}" in str(error.value)


def test_missing_or_unknown_survey_keys_are_named():
    survey = {k: v for k, v in SURVEY.items() if k != "trimming"} | {"confiance": 0.9}
    with pytest.raises(ConfigError) as error:
        check({"survey": survey})
    message = str(error.value)
    assert "params.yaml: missing required key 'survey.trimming': expected a mapping" in message
    assert "params.yaml: key 'survey.confiance': expected only the" in message
