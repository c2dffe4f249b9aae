"""Phase 03 model: survey-weighted logistic regression of the intention to use a tiers-lieu on
the respondent's profile, published as odds ratios with their confidence interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats

from pipeline.core.disclosure import suppress
from pipeline.survey.weights import VARIABLES


def fit_logit(
    data: pd.DataFrame, outcome: str, predictors: list[str], weight: str, confidence: float
) -> pd.DataFrame:
    """Survey-weighted logistic regression: odds ratios with their confidence interval.

    Weighting choice: the raking weights, rescaled to mean 1, enter as `var_weights` of a
    binomial GLM, so the point estimates solve the weighted (pseudo-likelihood) score
    equations; the covariance is the sandwich (HC0) one times n / (n - 1), the linearisation
    variance of a single-stage with-replacement design (as R's survey::svyglm). `freq_weights`
    would give the same estimates but treat each weight as that many identical respondents,
    hence intervals that ignore the weights' variability.
    """
    frame = data[[outcome, *predictors, weight]].dropna().astype(float)
    w = frame[weight] / frame[weight].mean()
    formula = f"{outcome} ~ " + " + ".join(predictors)
    result = smf.glm(formula, frame, family=sm.families.Binomial(), var_weights=w).fit(
        cov_type="HC0"
    )
    n = len(frame)
    se = np.sqrt(np.diag(result.cov_params()) * n / (n - 1))
    z = stats.norm.ppf(0.5 + confidence / 2)
    coef = result.params.to_numpy()
    return pd.DataFrame(
        {
            "term": result.params.index,
            "coefficient": coef,
            "std_error": se,
            "odds_ratio": np.exp(coef),
            "ci_low": np.exp(coef - z * se),
            "ci_high": np.exp(coef + z * se),
            "p_value": 2 * stats.norm.sf(np.abs(coef / se)),
            "n_model": n,
            "events": int(frame[outcome].sum()),
        }
    )


def model_frame(
    answers: pd.DataFrame,
    profile: pd.DataFrame,
    status: pd.DataFrame,
    flags: pd.DataFrame,
    book: dict,
    min_cell: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Outcome, 0/1 predictors and weight of the model, and what each predictor means.

    Categorical variables (age, sex, activity, sub-area) are coded against their most frequent
    level; telework (among the employed; 0 for the others) and a long commute (0 for those who do
    not commute) are 0/1. Respondents of a level with fewer than `min_cell` respondents are
    left out; so are those who did not answer a question they were asked (complete cases).
    """
    spec = book["profile"]
    data = pd.DataFrame({"y": flags[book["model"]["outcome"]]}, index=answers.index)
    terms = []
    for var in ["age", "sex", "activity", "sub_area"]:
        levels = profile[var]
        counts = levels[data["y"].notna()].value_counts()
        small = counts[counts < min_cell].index
        data.loc[levels.isin(small), "y"] = pd.NA
        reference = counts.idxmax()
        for i, level in enumerate(levels.cat.categories):
            if level != reference and level not in small and counts.get(level, 0) > 0:
                col = f"{var}_{i}"
                data[col] = (levels == level).astype(float)
                terms.append((col, var, level, reference, int(counts[level])))
    for var, role in (("telework", "telework"), ("long_commute", "commute")):
        if role not in spec:
            continue
        q = spec[role]["question"]
        if role == "telework":
            yes = answers[q].isin(list(map(str, spec[role]["yes"])))
        else:
            yes = answers[q] >= float(spec[role]["long_minutes"])
        value = yes.astype("Float64").where(answers[q].notna())
        value = value.mask(status[q] == "not_applicable", 0.0)
        data[var] = value
        level = VARIABLE_LEVELS[var]
        terms.append((var, var, level[0], level[1], int((value == 1).sum())))
    data["weight"] = 1.0
    meta = pd.DataFrame(terms, columns=["term", "variable", "level", "reference", "n"])
    if "commute" in spec:
        meta.loc[meta["term"] == "long_commute", "level"] = (
            f"{spec['commute']['long_minutes']} minutes ou plus"
        )
    return data, meta


VARIABLE_LEVELS = {
    "telework": ("Télétravaille", "ne télétravaille pas ou sans emploi"),
    "long_commute": ("trajet long", "trajet plus court ou sans trajet"),
}


def odds_ratios(
    data: pd.DataFrame, meta: pd.DataFrame, weights: pd.Series, confidence: float, min_cell: int
) -> pd.DataFrame:
    data = data.assign(weight=weights.reindex(data.index))
    fit = fit_logit(data, "y", list(meta["term"]), "weight", confidence)
    out = meta.merge(fit, on="term", how="left")
    out["variable_label"] = out["variable"].map(VARIABLES)
    out["label"] = out["variable_label"] + " : " + out["level"] + " (réf. " + out["reference"] + ")"
    out = suppress(out, "n", min_cell, ["odds_ratio", "ci_low", "ci_high", "p_value"], [])
    return out[
        ["term", "variable", "variable_label", "level", "reference", "label", "n"]
        + ["odds_ratio", "ci_low", "ci_high", "p_value", "n_model", "events", "suppressed"]
    ]
