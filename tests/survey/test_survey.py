"""Phase 03: weighted estimates by hand, and the whole phase on demo data."""

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from pipeline.core.io import write_table
from pipeline.core.phase import Phase
from pipeline.core.settings import check
from pipeline.demo.survey import CODEBOOK, COMMENTS
from pipeline.demo.survey import respondents as demo_respondents
from pipeline.portrait.outputs import COMMUNES, INDICATORS
from pipeline.survey import views
from pipeline.survey.build import CODEBOOK_FILE, EXPORT_FILE, build
from pipeline.survey.estimates import estimates

# Estimates ------------------------------------------------------------------------------------


def test_weighted_estimate_matches_a_hand_computation():
    y = np.array([1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 0])
    w = np.array([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3.0])
    flags = pd.DataFrame({"x": pd.array(list(y) + [None, None], dtype="Int64")})
    weights = pd.Series(list(w) + [5.0, 5.0])
    est = estimates(flags, weights, {"x": "X"}, 0.95).iloc[0]
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
    est = estimates(flags, pd.Series([1.0] * 20), {"x": "X"}, 0.95).iloc[0]
    assert est["weighted"] == 1.0 and 0.7 < est["ci_low"] < 1.0 and est["ci_high"] == 1.0


# The phase on demo data ---------------------------------------------------------------------


PARAMS = {
    "survey": {
        "confidence": 0.95,
        "on_invalid": "error",
        "min_weighting_cell": 15,
        "trimming": {"lower": 0.2, "upper": 5.0},
    },
    "privacy": {"min_cell": 11},
}


@pytest.fixture(scope="module")
def phase(tmp_path_factory, communes, census):
    """Phase 03 of a study in a temporary folder: demo export and codebook, the tables of
    phase 01 it reads."""
    phase = Phase("03_survey", PARAMS, {"key": "demo"}, tmp_path_factory.mktemp("study"),
                  check(PARAMS))  # fmt: skip
    phase.raw_dir.mkdir(parents=True)
    raw = demo_respondents(communes, 600, np.random.default_rng(11))
    (phase.raw_dir / EXPORT_FILE).write_text(raw.to_csv(sep=";", index=False))
    (phase.raw_dir / CODEBOOK_FILE).write_text(
        yaml.safe_dump(CODEBOOK, allow_unicode=True, sort_keys=False)
    )
    processed = phase.root / "data" / "processed" / COMMUNES.stage
    write_table(communes, processed / f"{COMMUNES.name}.parquet")
    write_table(census(communes), processed / f"{INDICATORS.name}.parquet")
    return phase


@pytest.fixture(scope="module")
def built(phase):
    return build(phase)


def test_build_writes_every_table_it_returns(phase, built):
    assert sorted(p.stem for p in phase.out_dir.glob("*.parquet")) == sorted(built)


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
    views.model_figure(model, 0.9)
    views.prices_figure(built["price_distribution"], 0.9)
    views.margins_figure(built["margins"])
    figure = views.estimates_figure(built["estimates"], 0.9)
    assert figure.layout.title.text == "Résultats pondérés (IC à 90\u202f%)"  # the level of params
    for table in [
        views.summary_table(built["summary"]),
        views.estimates_table(built["estimates"], 0.9),
        views.groups_table(built["estimates_by_group"]),
        views.distributions_table(built["distributions"], 0.9),
        views.prices_table(built["prices"], 0.9),
        views.model_table(model, 0.9),
        views.non_response_table(built["non_response"]),
    ]:
        assert len(table) and not table.isna().any().any()
    assert "Intervalle de confiance à 90\u202f%" in views.model_table(model, 0.9).columns
