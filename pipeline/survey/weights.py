"""Phase 03 weighting: respondents' profile, census margins, raking with trimmed weights.

The usable respondents (those who gave every weighting answer) are raked (svy) to census margins
of the population aged 15 or over: age × sex crossed, sub-area (study zone / rest of the EPCI)
and activity status (employed / unemployed / inactive), with the weights trimmed within bounds
relative to the mean weight (`survey.trimming`), alternating with re-raking so the margins still
hold; Kish's design effect is reported.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import polars as pl
import svy

from pipeline.survey.codebook import SurveyFormatError, SurveyWarning

ACTIVITY = {"employed": "En emploi", "unemployed": "Au chômage", "inactive": "Inactif"}
SUB_AREAS = {"zone": "Zone d'étude", "rest": "Reste de l'EPCI"}
VARIABLES = {
    "age_sex": "Âge × sexe",
    "age": "Âge",
    "sex": "Sexe",
    "sub_area": "Sous-territoire",
    "activity": "Activité",
    "telework": "Télétravail",
    "long_commute": "Trajet domicile-travail",
}
SEX_KEYS = {"men", "women"}


def profile_frame(answers: pd.DataFrame, book: dict, communes: pd.DataFrame) -> pd.DataFrame:
    """Weighting and breakdown variables of each respondent, as ordered categories (labels)."""
    profile, qs = book["profile"], book["questions"]
    sex_q, age_q, act_q = (profile[r]["question"] for r in ("sex", "age", "activity"))
    out = pd.DataFrame(index=answers.index)
    out["age"] = pd.Categorical(
        answers[age_q].map(qs[age_q]["codes"]), categories=list(qs[age_q]["codes"].values())
    )
    out["sex"] = pd.Categorical(
        answers[sex_q].map(qs[sex_q]["codes"]), categories=list(qs[sex_q]["codes"].values())
    )
    cells = [f"{a} · {s}" for a in out["age"].cat.categories for s in out["sex"].cat.categories]
    out["age_sex"] = pd.Categorical(
        out["age"].astype(str) + " · " + out["sex"].astype(str), categories=cells
    )
    zone = set(communes.loc[communes["in_study_zone"], "code"])
    commune = answers[profile["commune"]]
    out["sub_area"] = pd.Categorical(
        np.where(
            commune.isna(), None, np.where(commune.isin(zone), SUB_AREAS["zone"], SUB_AREAS["rest"])
        ),
        categories=list(SUB_AREAS.values()),
    )
    out["activity"] = pd.Categorical(
        answers[act_q].map(profile["activity"]["census"]).map(ACTIVITY),
        categories=list(ACTIVITY.values()),
    )
    out["usable"] = out[["age", "sex", "sub_area", "activity"]].notna().all(axis=1)
    return out


def _band(ind: pd.DataFrame, band: str, sex: str | None = None) -> pd.Series:
    """Census count of one age band (and sex) per commune."""
    if sex and f"{sex}_{band}" in ind:
        return ind[f"{sex}_{band}"].astype(float)
    if sex:  # no sex × age counts: same sex ratio in every band (stated in the warning)
        return _band(ind, band) * ind[sex] / (ind["men"] + ind["women"])
    if f"age_{band}" in ind:
        return ind[f"age_{band}"].astype(float)
    if band == "75P" and {"age_7589", "age_90P"} <= set(ind.columns):
        return ind["age_7589"] + ind["age_90P"]
    raise SurveyFormatError(f"census indicators: no count for the age band {band}")


def census_margins(ind: pd.DataFrame, communes: pd.DataFrame, book: dict) -> pd.DataFrame:
    """Population aged 15 or over by weighting variable and level (labels of the profile)."""
    profile, qs = book["profile"], book["questions"]
    age_q, sex_q = profile["age"]["question"], profile["sex"]["question"]
    bands = {k: [v] if isinstance(v, str) else list(v) for k, v in profile["age"]["census"].items()}
    crossed = all(f"{s}_{b}" in ind for s in SEX_KEYS for bs in bands.values() for b in bs)
    if not crossed:
        warnings.warn(
            "census indicators lack sex × age counts: cells estimated with the same sex ratio "
            "in every age band",
            SurveyWarning,
            stacklevel=2,
        )
    rows = []
    for age_code, age_bands in bands.items():
        for sex_code, sex in profile["sex"]["census"].items():
            count = sum(_band(ind, b, sex) for b in age_bands)
            age, sex_label = qs[age_q]["codes"][age_code], qs[sex_q]["codes"][sex_code]
            rows.append(("age_sex", f"{age} · {sex_label}", count.sum()))
            rows.append(("age", age, count.sum()))
            rows.append(("sex", sex_label, count.sum()))
    pop15 = sum(sum(_band(ind, b) for b in bs) for bs in bands.values())
    in_zone = ind["code"].isin(set(communes.loc[communes["in_study_zone"], "code"]))
    rows.append(("sub_area", SUB_AREAS["zone"], pop15[in_zone].sum()))
    rows.append(("sub_area", SUB_AREAS["rest"], pop15[~in_zone].sum()))
    employed, unemployed = ind["employed_15p"].sum(), ind["unemployed_1564"].sum()
    rows.append(("activity", ACTIVITY["employed"], employed))
    rows.append(("activity", ACTIVITY["unemployed"], unemployed))
    rows.append(("activity", ACTIVITY["inactive"], pop15.sum() - employed - unemployed))
    out = pd.DataFrame(rows, columns=["variable", "level", "population"])
    out = out.groupby(["variable", "level"], sort=False, as_index=False)["population"].sum()
    out["census"] = out["population"] / out.groupby("variable")["population"].transform("sum")
    out.attrs["crossed_census"] = crossed
    return out


def choose_margins(
    frame: pd.DataFrame, census: pd.DataFrame, min_respondents: int
) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Margins to rake on, and why any was left out or split.

    Age × sex is crossed when every cell has `min_respondents`; otherwise age and sex are
    raked separately. A margin with an empty census level (a study zone covering the whole
    EPCI) or a level with too few respondents is left out. When none is left, the survey is
    refused: the message says how many respondents there are and how many are needed.
    """
    notes, chosen = [], {}
    counts = {v: frame[v].value_counts() for v in ["age_sex", "age", "sex", "sub_area", "activity"]}
    shares = {v: dict(zip(g["level"], g["census"])) for v, g in census.groupby("variable")}
    order = ["age_sex", "sub_area", "activity"]
    if counts["age_sex"].min() < min_respondents:
        notes.append(
            f"moins de {min_respondents} répondants dans une case âge × sexe : "
            "âge et sexe calés séparément"
        )
        order = ["age", "sex", "sub_area", "activity"]
    for var in order:
        target = {k: v for k, v in shares[var].items() if v > 0}
        if len(target) < 2:
            notes.append(f"{VARIABLES[var]} : un seul niveau dans le recensement, non utilisé")
        elif counts[var].reindex(list(target), fill_value=0).min() < min_respondents:
            notes.append(f"{VARIABLES[var]} : moins de {min_respondents} répondants, non utilisé")
        else:
            chosen[var] = target
    if not chosen:
        raise SurveyFormatError(too_few(frame, shares, order, min_respondents))
    return chosen, notes


def too_few(frame: pd.DataFrame, shares: dict, order: list[str], min_respondents: int) -> str:
    """Why no margin can be raked on: respondents there are, respondents needed."""
    levels = {v: sum(share > 0 for share in shares[v].values()) for v in order}
    levels = {v: n for v, n in levels.items() if n >= 2} or levels
    smallest = min(levels, key=levels.get)
    needed = levels[smallest] * min_respondents
    return (
        f"survey export: too few respondents to weight: {len(frame)} usable (who gave their age, "
        f"sex, commune and activity); raking needs at least {min_respondents} in every level of "
        f"one calibration margin (params survey.min_weighting_cell), so at least {needed} "
        f"usable respondents ({VARIABLES[smallest]}: {levels[smallest]} levels × "
        f"{min_respondents}), with enough in each level"
    )


def rake(
    frame: pd.DataFrame, margins: dict[str, dict[str, float]], trimming: dict | None = None
) -> pd.Series:
    """Raking weights (svy, iterative proportional fitting) with mean 1.

    `margins` are population shares per variable. With `trimming` ({lower, upper}, relative to
    the mean weight), svy alternates trimming and re-raking until both the bounds and the
    margins hold; it refuses bounds no weights can meet.
    """
    data = pl.from_pandas(frame[list(margins)].astype(str).assign(base=1.0).reset_index(drop=True))
    trim = (
        svy.TrimConfig(upper=float(trimming["upper"]), lower=float(trimming["lower"]), max_iter=100)
        if trimming
        else None
    )
    sample = svy.Sample(data, svy.Design(wgt="base")).weighting.rake(
        shares=margins, trimming=trim, max_iter=200
    )
    weights = sample.data["rk_wgt"].to_numpy()
    return pd.Series(weights / weights.mean(), index=frame.index, name="weight")


def design_effect(weights: pd.Series) -> float:
    """Kish's design effect due to unequal weights: n Σw² / (Σw)² = 1 + CV² of the weights."""
    w = np.asarray(weights, dtype=float)
    return float(len(w) * (w**2).sum() / w.sum() ** 2)


def margins_check(
    frame: pd.DataFrame, weights: pd.Series, census: pd.DataFrame, used: dict
) -> pd.DataFrame:
    """Census, unweighted sample and weighted sample shares of every weighting level."""
    out = census.copy()
    out["variable_label"] = out["variable"].map(VARIABLES)
    out["used"] = out["variable"].isin(list(used))
    respondents, weighted = [], []
    for var, level in zip(out["variable"], out["level"]):
        mask = frame[var].astype(str) == level
        respondents.append(int(mask.sum()))
        weighted.append(float(weights[mask].sum() / weights.sum()))
    out["respondents"] = respondents
    out["sample"] = out["respondents"] / len(frame)
    out["weighted"] = weighted
    return out[
        ["variable", "variable_label", "level", "used", "population", "census"]
        + ["respondents", "sample", "weighted"]
    ]
