"""Regular users: people coming at least N times a month, from the survey's frequency answers
or from the segment's own frequency."""

import pandas as pd
import pytest

from pipeline.core.settings import ConfigError, check
from pipeline.demand.regular import regular_users, survey_share

SPEC = {"min_visits_per_month": 1, "question": "Q12",
        "visits_per_month": {"A1": 8, "A2": 4, "A3": 1, "A4": 0}}  # fmt: skip
SEGMENTS = {"teleworkers": {"frequency_survey": "usage_hebdomadaire"}, "visitors": {},
            "members": {}}  # fmt: skip


def distributions(weights=(0.2, 0.25, 0.4, 0.15), suppressed=False):
    return pd.DataFrame(
        {"question": "Q12", "question_label": "Fréquence d'usage envisagée",
         "code": ["A1", "A2", "A3", "A4"],
         "answer": ["Plusieurs fois par semaine", "Une fois par semaine",
                    "Une à trois fois par mois", "Plus rarement"],
         "n": 200, "weighted": list(weights), "suppressed": suppressed}
    )  # fmt: skip


def demand():
    return pd.DataFrame(
        {"segment": ["teleworkers", "visitors", "members"], "users": [100.0, 80.0, 10.0],
         "frequency_central": [35.0, 2.0, 12.0]}
    )  # fmt: skip


def test_the_survey_share_counts_answers_coming_at_least_n_times_a_month():
    assert survey_share(distributions(), SPEC)["share"] == pytest.approx(0.85)
    weekly = survey_share(distributions(), {**SPEC, "min_visits_per_month": 4})
    assert weekly["share"] == pytest.approx(0.45)
    assert "« Une fois par semaine »" in weekly["source"]
    assert "Une à trois" not in weekly["source"]


def test_survey_segments_take_the_share_others_their_own_frequency():
    table = regular_users(demand(), SEGMENTS, distributions(), SPEC).set_index("segment")
    assert table.loc["teleworkers", "regular_users"] == pytest.approx(85.0)
    assert table.loc["visitors", "regular_users"] == 0.0  # twice a year: never regular
    assert table.loc["members", "regular_users"] == 10.0  # once a month: all regular
    assert table["regular_users"].sum() == pytest.approx(95.0)


def test_without_the_survey_question_the_segment_frequency_decides():
    table = regular_users(demand(), SEGMENTS, distributions(suppressed=True), SPEC)
    assert table.set_index("segment").loc["teleworkers", "regular_users"] == 100.0  # 35 a year


def test_an_answer_code_without_visits_is_named():
    spec = {**SPEC, "visits_per_month": {"A1": 8, "A2": 4}}
    with pytest.raises(ValueError, match=r"visits_per_month.*Q12, missing A3, A4"):
        survey_share(distributions(), spec)


def test_the_default_params_count_monthly_users(params):
    spec = params["demand"]["regular_users"]
    assert spec["min_visits_per_month"] >= 1
    assert spec["question"] in {"Q12_frequence"}


def test_bad_regular_user_settings_are_refused(params):
    bad = {**params["demand"]["regular_users"], "min_visits_per_month": 0}
    with pytest.raises(ConfigError, match=r"regular_users\.min_visits_per_month"):
        check({**params, "demand": {**params["demand"], "regular_users": bad}})
