"""Phase 03 weighting: census margins, margin choice, raking with trimming, design effect."""

import re

import numpy as np
import pandas as pd
import pytest

from pipeline.demo.survey import CODEBOOK
from pipeline.survey import weights as survey_weights
from pipeline.survey.codebook import SurveyFormatError, SurveyWarning


def test_census_margins_cross_age_and_sex_and_add_up(communes, census, sex_bands):
    ind = census()
    margins = survey_weights.census_margins(ind, communes, CODEBOOK)
    totals = margins.groupby("variable")["population"].sum()
    pop15 = ind["population"].sum() * (1 - sex_bands["0014"])
    assert totals.to_dict() == pytest.approx(dict.fromkeys(totals.index, pop15))
    cells = margins.set_index(["variable", "level"])["population"]
    assert cells["age_sex", "60 ans ou plus · Femme"] == pytest.approx(
        (ind["women_6074"] + ind["women_75P"]).sum()
    )
    assert cells["sub_area", "Zone d'étude"] == pytest.approx(7700 * (1 - sex_bands["0014"]))
    assert cells["activity", "En emploi"] == pytest.approx(ind["population"].sum() * 0.38)
    assert margins.attrs["crossed_census"]


def test_census_without_sex_by_age_warns_and_assumes_one_sex_ratio(communes, census):
    with pytest.warns(SurveyWarning, match="lack sex × age counts"):
        margins = survey_weights.census_margins(census(crossed=False), communes, CODEBOOK)
    cells = margins.set_index(["variable", "level"])["census"]
    assert cells["age_sex", "15-29 ans · Femme"] / cells["age", "15-29 ans"] == pytest.approx(
        cells["sex", "Femme"], rel=0.02
    )


def biased_frame(n=600, seed=3):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "age_sex": rng.choice(["a·H", "a·F", "b·H", "b·F"], n, p=[0.1, 0.3, 0.2, 0.4]),
            "sub_area": rng.choice(["zone", "rest"], n, p=[0.6, 0.4]),
            "activity": rng.choice(["emp", "unemp", "inact"], n, p=[0.6, 0.15, 0.25]),
        }
    )


TARGETS = {
    "age_sex": {"a·H": 0.2, "a·F": 0.25, "b·H": 0.25, "b·F": 0.3},
    "sub_area": {"zone": 0.25, "rest": 0.75},
    "activity": {"emp": 0.42, "unemp": 0.08, "inact": 0.5},
}


def test_raking_reproduces_the_target_margins():
    frame = biased_frame()
    weights = survey_weights.rake(frame, TARGETS)
    assert weights.mean() == pytest.approx(1.0)
    for var, levels in TARGETS.items():
        for level, share in levels.items():
            got = weights[frame[var] == level].sum() / weights.sum()
            assert got == pytest.approx(share, abs=1e-3)
    assert survey_weights.design_effect(weights) > 1.2


def test_trimming_bounds_are_respected_and_margins_still_hold():
    frame = biased_frame()
    free = survey_weights.rake(frame, TARGETS)
    bounds = {"lower": 0.3, "upper": 4.0}
    assert free.max() > bounds["upper"] or free.min() < bounds["lower"]
    trimmed = survey_weights.rake(frame, TARGETS, bounds)
    assert trimmed.min() >= bounds["lower"] * (1 - 1e-3)
    assert trimmed.max() <= bounds["upper"] * (1 + 1e-3)
    for var, levels in TARGETS.items():
        for level, share in levels.items():
            got = trimmed[frame[var] == level].sum() / trimmed.sum()
            assert got == pytest.approx(share, abs=2e-3)
    assert trimmed.max() < free.max()


def test_margins_with_a_small_cell_fall_back_to_separate_age_and_sex():
    frame = pd.DataFrame(
        {
            "age_sex": ["a · H"] * 5 + ["a · F"] * 40 + ["b · H"] * 40 + ["b · F"] * 40,
            "age": ["a"] * 45 + ["b"] * 80,
            "sex": ["H"] * 5 + ["F"] * 40 + ["H"] * 40 + ["F"] * 40,
            "sub_area": ["Zone d'étude"] * 125,
            "activity": ["x"] * 60 + ["y"] * 65,
        }
    )
    census_table = pd.DataFrame(
        [
            ("age_sex", "a · H", 0.25),
            ("age_sex", "a · F", 0.25),
            ("age_sex", "b · H", 0.25),
            ("age_sex", "b · F", 0.25),
            ("age", "a", 0.5),
            ("age", "b", 0.5),
            ("sex", "H", 0.5),
            ("sex", "F", 0.5),
            ("sub_area", "Zone d'étude", 1.0),
            ("sub_area", "Reste de l'EPCI", 0.0),
            ("activity", "x", 0.5),
            ("activity", "y", 0.5),
        ],
        columns=["variable", "level", "census"],
    )
    margins, notes = survey_weights.choose_margins(frame, census_table, 15)
    assert list(margins) == ["age", "sex", "activity"]
    assert any("calés séparément" in n for n in notes)
    assert any("Sous-territoire" in n for n in notes)


def test_design_effect_formula():
    assert survey_weights.design_effect(pd.Series([2.0] * 10)) == pytest.approx(1.0)
    assert survey_weights.design_effect(pd.Series([1.0, 3.0])) == pytest.approx(2 * 10 / 16)
    w = np.random.default_rng(0).uniform(0.2, 4, 300)
    cv2 = w.std() ** 2 / w.mean() ** 2  # Kish: 1 + CV² (population variance)
    assert survey_weights.design_effect(pd.Series(w)) == pytest.approx(1 + cv2)


@pytest.mark.parametrize("n", [0, 12])
def test_a_survey_too_small_to_weight_says_how_many_respondents_are_needed(n):
    """It used to fail inside svy ("No targets") without a word about the sample."""
    frame = biased_frame(n)
    frame["age"], frame["sex"] = "a", frame["age_sex"].str[-1]
    census_table = pd.DataFrame(
        [(v, level, share) for v, levels in TARGETS.items() for level, share in levels.items()]
        + [("age", "a", 0.4), ("age", "b", 0.6), ("sex", "H", 0.5), ("sex", "F", 0.5)],
        columns=["variable", "level", "census"],
    )
    with pytest.raises(SurveyFormatError) as error:
        survey_weights.choose_margins(frame, census_table, 15)
    message = str(error.value)
    assert f"too few respondents to weight: {n} usable" in message
    assert "at least 15 in every level of one calibration margin" in message
    assert re.search(
        r"so at least 30 usable respondents \((Âge|Sous-territoire): 2 levels × 15\)", message
    )
