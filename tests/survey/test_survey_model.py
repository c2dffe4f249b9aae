"""Phase 03 model: the survey-weighted logistic regression and its sandwich variance."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from pipeline.survey import model as survey_model


def test_logistic_model_recovers_a_known_odds_ratio():
    rng = np.random.default_rng(2026)
    n = 6000
    x = rng.integers(0, 2, n)
    z = rng.integers(0, 2, n)
    p = 1 / (1 + np.exp(-(-0.8 + np.log(2.5) * x + np.log(0.6) * z)))
    data = pd.DataFrame(
        {"y": (rng.random(n) < p).astype(float), "x": x, "z": z, "w": rng.uniform(0.3, 3, n)}
    )
    fit = survey_model.fit_logit(data, "y", ["x", "z"], "w", 0.95).set_index("term")
    assert fit.loc["x", "odds_ratio"] == pytest.approx(2.5, rel=0.12)
    assert fit.loc["z", "odds_ratio"] == pytest.approx(0.6, rel=0.12)
    assert fit.loc["x", "ci_low"] < 2.5 < fit.loc["x", "ci_high"]
    assert fit.loc["x", "n_model"] == n


def test_model_variance_is_the_sandwich_one():
    rng = np.random.default_rng(7)
    n = 500
    data = pd.DataFrame({"x": rng.normal(size=n), "w": rng.uniform(0.5, 2, n)})
    data["y"] = (rng.random(n) < 1 / (1 + np.exp(-data["x"]))).astype(float)
    fit = survey_model.fit_logit(data, "y", ["x"], "w", 0.95).set_index("term")
    X = sm.add_constant(data[["x"]]).to_numpy()
    w = (data["w"] / data["w"].mean()).to_numpy()
    beta = fit["coefficient"].to_numpy()
    mu = 1 / (1 + np.exp(-X @ beta))
    bread = np.linalg.inv((X * (w * mu * (1 - mu))[:, None]).T @ X)
    scores = (w * (data["y"].to_numpy() - mu))[:, None] * X
    cov = bread @ scores.T @ scores @ bread * n / (n - 1)
    assert fit["std_error"].to_numpy() == pytest.approx(np.sqrt(np.diag(cov)))
