"""Phase 03 indicators: the codebook's analysis sections and each indicator's 0/1 flags."""

import numpy as np
import pytest

from pipeline.demo.survey import CODEBOOK
from pipeline.demo.survey import respondents as demo_respondents
from pipeline.survey import indicators as survey_indicators
from pipeline.survey.answers import answer_status
from pipeline.survey.codebook import SurveyFormatError
from pipeline.survey.exports import read_export


def test_indicator_with_not_applicable_zero_uses_every_respondent(tmp_path, communes):
    raw = demo_respondents(communes, 200, np.random.default_rng(5))
    path = tmp_path / "export.csv"
    path.write_text(raw.to_csv(sep=";", index=False))
    answers = read_export(path, CODEBOOK, list(communes["code"]))
    status = answer_status(answers, CODEBOOK)
    flags, meta = survey_indicators.indicator_flags(answers, status, CODEBOOK)
    knows = answers["Q07_connait"]
    assert (flags.loc[knows == "N", "usage_tiers_lieu"] == 0).all()
    assert flags["usage_tiers_lieu"].notna().sum() == knows.notna().sum()
    assert flags["teletravail"].notna().sum() == answers["Q05_teletravail"].notna().sum()
    assert "service_aucun" not in flags  # an exclusive "none" is no service
    assert set(meta["indicator"]) == set(flags.columns)


def test_analysis_sections_of_the_codebook_are_checked():
    book = {**CODEBOOK, "model": {"outcome": "envie"}}
    with pytest.raises(SurveyFormatError, match="model.outcome: 'envie' is not an"):
        survey_indicators.check_analysis(book)
    profile = {**CODEBOOK["profile"], "sex": {"question": "Q02_sexe", "census": {"A1": "men"}}}
    with pytest.raises(SurveyFormatError, match="profile.sex.census must map every code"):
        survey_indicators.check_analysis({**CODEBOOK, "profile": profile})
