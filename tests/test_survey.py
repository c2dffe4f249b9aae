"""Phase 03: weighted estimates by hand, and the whole phase on demo data."""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats
from test_survey_weights import COMMUNES, census

from pipeline.demo.survey import CODEBOOK
from pipeline.demo.survey import respondents as demo_respondents
from pipeline.survey import estimates as survey
from pipeline.survey import views as survey_tables

# Estimates ------------------------------------------------------------------------------------


def test_weighted_estimate_matches_a_hand_computation():
    y = np.array([1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 0])
    w = np.array([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3.0])
    flags = pd.DataFrame({"x": pd.array(list(y) + [None, None], dtype="Int64")})
    weights = pd.Series(list(w) + [5.0, 5.0])
    est = survey.estimates(flags, weights, {"x": "X"}, 0.95).iloc[0]
    # By hand: ratio estimator; linearised variance of a domain (the 14 respondents, those
    # without an answer contributing 0, hence 14 / 13); logit interval, Student t with n - 1
    # degrees of freedom, n = 12 who answered.
    p = (w * y).sum() / w.sum()
    se = np.sqrt(14 / 13 * ((w * (y - p) / w.sum()) ** 2).sum())
    half = stats.t.ppf(0.975, 12 - 1) * se / (p * (1 - p))
    logit = np.log(p / (1 - p))
    assert est["n"] == 12  # the two empty answers are out of the denominator
    assert est["respondents_yes"] == 7
    assert est["unweighted"] == pytest.approx(7 / 12)
    assert est["weighted"] == pytest.approx(p)
    assert est["ci_low"] == pytest.approx(1 / (1 + np.exp(-(logit - half))))
    assert est["ci_high"] == pytest.approx(1 / (1 + np.exp(-(logit + half))))


def test_an_estimate_at_zero_or_one_still_has_an_interval():
    flags = pd.DataFrame({"x": pd.array([1] * 20, dtype="Int64")})
    est = survey.estimates(flags, pd.Series([1.0] * 20), {"x": "X"}, 0.95).iloc[0]
    assert est["weighted"] == 1.0 and 0.7 < est["ci_low"] < 1.0 and est["ci_high"] == 1.0


# The phase on demo data ---------------------------------------------------------------------


@dataclass
class FakePhase:
    raw_dir: Path
    params: dict

    def read(self, stage: str, name: str) -> pd.DataFrame:
        return {"communes": COMMUNES, "indicators": census()}[name]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    raw_dir = tmp_path_factory.mktemp("raw")
    raw = demo_respondents(COMMUNES, 600, np.random.default_rng(11))
    (raw_dir / "enquete_population.csv").write_text(raw.to_csv(sep=";", index=False))
    (raw_dir / "enquete_codebook.yaml").write_text(
        yaml.safe_dump(CODEBOOK, allow_unicode=True, sort_keys=False)
    )
    params = {
        "survey": {
            "confidence": 0.95,
            "on_invalid": "error",
            "min_weighting_cell": 15,
            "trimming": {"lower": 0.2, "upper": 5.0},
        },
        "privacy": {"min_cell": 11},
    }
    return survey.build(FakePhase(raw_dir, params))


def test_build_publishes_the_estimates_the_report_reads(built):
    est = built["estimates"].set_index("indicator")
    for col in ["label", "n", "respondents_yes", "unweighted", "weighted", "ci_low", "ci_high"]:
        assert col in est.columns
    row = est.loc["interet_tiers_lieu"]
    assert row["ci_low"] < row["weighted"] < row["ci_high"]
    assert (
        row["weighted"] < row["unweighted"]
    )  # the keenest groups answer more: weighting lowers it
    assert row["n"] + row["no_answer"] == built["summary"]["usable"].iloc[0]


def test_build_weights_reproduce_the_census(built):
    margins = built["margins"]
    used = margins[margins["used"]]
    assert used["weighted"].to_numpy() == pytest.approx(used["census"].to_numpy(), abs=2e-3)
    assert (margins["sample"] - margins["census"]).abs().max() > 0.05  # the sample was biased
    summary = built["summary"].iloc[0]
    assert summary["design_effect"] > 1
    assert 0.2 * 0.999 <= summary["weight_min"] and summary["weight_max"] <= 5.0 * 1.001


def test_no_identifier_or_free_text_reaches_a_processed_table(built):
    from pipeline.demo.survey import COMMENTS

    for name, table in built.items():
        text = table.astype(str).to_string()
        assert "@" not in text, name
        assert not any(c in text for c in COMMENTS if c), name
        assert not any(c.startswith(("Q19", "Q20")) for c in table.columns), name


def test_published_breakdowns_respect_the_minimum_cell(built):
    for name, count in [
        ("estimates_by_group", "n"),
        ("distributions", "respondents"),
        ("price_distribution", "respondents"),
        ("margins", "respondents"),
    ]:
        table = built[name]
        shown = table[~table["suppressed"]]
        assert (shown[count] >= 11).all(), name
        assert shown["weighted"].notna().all(), name
        assert table.loc[table["suppressed"], "weighted"].isna().all(), name
    by = built["estimates_by_group"]
    assert (by.groupby(["breakdown", "indicator"])["suppressed"].sum() != 1).all()


def test_model_table_has_odds_ratios_and_readers_tables_render(built):
    model = built["model"]
    assert {"odds_ratio", "ci_low", "ci_high", "label"} <= set(model.columns)
    assert (model["ci_low"] < model["odds_ratio"]).all()
    assert (model["odds_ratio"] < model["ci_high"]).all()
    survey_tables.model_figure(model, 0.9)
    survey_tables.prices_figure(built["price_distribution"], 0.9)
    survey_tables.margins_figure(built["margins"])
    figure = survey_tables.estimates_figure(built["estimates"], 0.9)
    assert figure.layout.title.text == "Résultats pondérés (IC à 90\u202f%)"  # the level of params
    for table in [
        survey_tables.summary_table(built["summary"]),
        survey_tables.estimates_table(built["estimates"], 0.9),
        survey_tables.groups_table(built["estimates_by_group"]),
        survey_tables.distributions_table(built["distributions"], 0.9),
        survey_tables.prices_table(built["prices"], 0.9),
        survey_tables.model_table(model, 0.9),
        survey_tables.non_response_table(built["non_response"]),
    ]:
        assert len(table) and not table.isna().any().any()
    assert "Intervalle de confiance à 90\u202f%" in survey_tables.model_table(model, 0.9).columns
