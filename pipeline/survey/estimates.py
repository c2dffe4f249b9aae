"""Phase 03 estimates: weighted shares with their intervals, distributions of answers and
willingness to pay, every published breakdown under disclosure control.

- shares: unweighted and weighted, with confidence intervals (Taylor linearisation, weights
  treated as fixed, logit interval; Korn-Graubard at 0 % or 100 %). An empty answer is left out
  of the denominator of its question (item non-response), and `n` says how many answered;
- disclosure control (`pipeline.core.disclosure`): every published breakdown suppresses cells
  built from fewer than `privacy.min_cell` respondents, and a second cell when a group has a
  single suppressed one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import svy

from pipeline.core.disclosure import suppress
from pipeline.survey.weights import SUB_AREAS, VARIABLES

SHARE_COLUMNS = ["unweighted", "weighted", "ci_low", "ci_high"]


# Estimates ------------------------------------------------------------------------------------


def counted(answered: pd.Series, share: tuple, yes: str) -> dict:
    """A share's cells: respondents asked (`n`), those answering yes (column `yes`), the
    unweighted share, and the weighted share with its confidence interval."""
    return {
        "n": int(len(answered)),
        yes: int(answered.sum()),
        "unweighted": float(answered.mean()) if len(answered) else np.nan,
        "weighted": share[0],
        "ci_low": share[1],
        "ci_high": share[2],
    }


def _sample(data: pd.DataFrame, weights: pd.Series) -> svy.Sample:
    frame = data.reset_index(drop=True).assign(weight=np.asarray(weights, dtype=float))
    return svy.Sample(pl.from_pandas(frame), svy.Design(wgt="weight"))


def _shares(sample: svy.Sample, y: str, by: str | None, confidence: float) -> dict:
    """{group: (estimate, low, high)} of the share of 1s of `y` (missing values left out).

    svy treats the respondents who answered as a domain of the sample: the variance runs over
    every row (the others contribute 0), with the answered count minus 1 degrees of freedom.
    """
    found = {}
    if sample.data[y].null_count() == sample.data.height:
        return found
    for method in ("logit", "korn-graubard"):
        est = sample.estimation.prop(
            y, by=by, alpha=1 - confidence, ci_method=method, drop_nulls=True
        ).to_polars()
        for row in est.iter_rows(named=True):
            key = row[by] if by else None
            yes = int(row[y]) == 1
            value = row["est"] if yes else 1 - row["est"]
            low, high = (row["lci"], row["uci"]) if yes else (1 - row["uci"], 1 - row["lci"])
            if method == "logit" or not 0 < value < 1:
                found[key] = (value, low, high)
        if all(0 < v[0] < 1 for v in found.values()):
            break
    return found


def estimates(
    flags: pd.DataFrame, weights: pd.Series, labels: dict, confidence: float
) -> pd.DataFrame:
    """Unweighted and weighted shares, with the weighted confidence interval.

    Respondents with a missing value are left out of that indicator's denominator; `n` is the
    number of respondents it is computed on.
    """
    sample = _sample(flags, weights)
    rows = []
    for name in flags.columns:
        answered = flags[name].dropna()
        share = _shares(sample, name, None, confidence).get(None, (np.nan,) * 3)
        rows.append(
            {
                "indicator": name,
                "label": labels[name],
                "n": int(len(answered)),
                "respondents_yes": int(answered.sum()),
                "unweighted": float(answered.mean()) if len(answered) else np.nan,
                "weighted": share[0],
                "ci_low": share[1],
                "ci_high": share[2],
            }
        )
    return pd.DataFrame(rows)


def by_group(
    flags: pd.DataFrame,
    weights: pd.Series,
    groups: pd.DataFrame,
    labels: dict,
    confidence: float,
    min_cell: int,
) -> pd.DataFrame:
    """Estimates by level of each breakdown column of `groups`: a level of fewer than `min_cell`
    respondents is blanked, its size `n` included, and so is a second level of its breakdown."""
    rows = []
    for breakdown in groups.columns:
        data = flags.assign(_group=groups[breakdown].astype(str))
        sample = _sample(data, weights)
        for name in flags.columns:
            shares = _shares(sample, name, "_group", confidence)
            for level in groups[breakdown].cat.categories:
                answered = flags.loc[groups[breakdown] == level, name].dropna()
                share = shares.get(level, (np.nan,) * 3)
                rows.append(
                    {
                        "breakdown": breakdown,
                        "breakdown_label": VARIABLES[breakdown],
                        "group": level,
                        "indicator": name,
                        "label": labels[name],
                        **counted(answered, share, "respondents_yes"),
                    }
                )
    # A level nobody in it was asked (telework of the unemployed) is no cell at all.
    table = pd.DataFrame(rows).query("n > 0").reset_index(drop=True)
    return suppress(
        table,
        "n",
        min_cell,
        ["n", "respondents_yes", "unweighted", "weighted", "ci_low", "ci_high"],
        ["breakdown", "indicator"],
    )


def distributions(
    answers: pd.DataFrame,
    weights: pd.Series,
    book: dict,
    communes: pd.DataFrame,
    confidence: float,
    min_cell: int,
) -> pd.DataFrame:
    """Weighted share of each answer of the codebook's `distributions` questions.

    Shares are among those who answered the question; for a multiple question the shares of
    its choices do not add up to 100 %. A commune question is also given by sub-area (study
    zone, rest of the EPCI), whose cells are seldom too small to publish.
    """
    names = dict(zip(communes["code"], communes["nom"]))
    zone = set(communes.loc[communes["in_study_zone"], "code"])
    parts = []  # (group key, group label, {code: 0/1 flags}, {code: answer label})
    for q_name in book.get("distributions", []):
        q = book["questions"][q_name]
        if q["type"] == "multiple":
            cols = {c: answers[f"{q_name}[{c}]"].astype("Int64") for c in q["codes"]}
            parts.append((q_name, q["label"], cols, q["codes"]))
            continue
        values = answers[q_name]
        codes = q["codes"] if q["type"] == "single" else {c: names[c] for c in communes["code"]}
        cols = {c: (values == c).astype("Int64").where(values.notna()) for c in codes}
        parts.append((q_name, q["label"], cols, codes))
        if q["type"] == "commune" and 0 < len(zone) < len(communes):
            in_zone = values.isin(zone).astype("Int64").where(values.notna())
            cols = {"zone": in_zone, "rest": (1 - in_zone).astype("Int64")}
            parts.append(
                (f"{q_name}:sub_area", f"{q['label']} (par sous-territoire)", cols, SUB_AREAS)
            )
    rows = []
    for key, label, cols, labels in parts:
        flags = pd.DataFrame(cols)
        sample = _sample(flags.set_axis([f"c{i}" for i in range(len(cols))], axis=1), weights)
        for i, (code, flag) in enumerate(cols.items()):
            answered = flag.dropna()
            share = _shares(sample, f"c{i}", None, confidence).get(None, (np.nan,) * 3)
            rows.append(
                {
                    "question": key,
                    "question_label": label,
                    "code": code,
                    "answer": labels[code],
                    **counted(answered, share, "respondents"),
                }
            )
    table = pd.DataFrame(rows)
    return suppress(table, "respondents", min_cell, ["respondents", *SHARE_COLUMNS], ["question"])


def price_bands(values: pd.Series, edges: list[float], unit: str) -> pd.Series:
    """Bands [a, b) of a price: "moins de 5 €", "5 à 10 €" (10 excluded), "30 € ou plus"."""
    edges = sorted(float(e) for e in edges)
    labels = [f"moins de {edges[0]:g} {unit}"]
    labels += [f"{a:g} à moins de {b:g} {unit}" for a, b in zip(edges, edges[1:])]
    labels += [f"{edges[-1]:g} {unit} ou plus"]
    return pd.cut(values.astype(float), [-np.inf, *edges, np.inf], right=False, labels=labels)


def prices(
    answers: pd.DataFrame, weights: pd.Series, book: dict, confidence: float, min_cell: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Willingness to pay: mean and median with their interval, and the banded distribution."""
    summary, bands = [], []
    for q_name, spec in book.get("prices", {}).items():
        values = answers[q_name].astype("Float64")
        sample = _sample(pd.DataFrame({"y": values}), weights)
        answered = values.dropna().astype(float)
        mean = sample.estimation.mean("y", alpha=1 - confidence, drop_nulls=True).to_polars()
        median = sample.estimation.median("y", alpha=1 - confidence, drop_nulls=True).to_polars()
        row = {
            "question": q_name,
            "label": spec.get("label", book["questions"][q_name]["label"]),
            "unit": spec["unit"],
            "n": int(len(answered)),
            "unweighted_mean": float(answered.mean()),
            "weighted_mean": float(mean["est"][0]),
            "mean_ci_low": float(mean["lci"][0]),
            "mean_ci_high": float(mean["uci"][0]),
            "unweighted_median": float(answered.median()),
            "weighted_median": float(median["est"][0]),
        }
        if row["n"] < min_cell:
            row = {k: (np.nan if isinstance(v, float) else v) for k, v in row.items()}
        summary.append(row)
        band = price_bands(values.astype(float), spec["bands"], spec["unit"])
        categories = list(band.cat.categories)
        flags = pd.DataFrame(
            {f"b{i}": (band == lab).astype("Int64").where(values.notna())
             for i, lab in enumerate(categories)}
        )  # fmt: skip
        sample = _sample(flags, weights)
        for i, lab in enumerate(categories):
            share = _shares(sample, f"b{i}", None, confidence).get(None, (0.0, 0.0, 0.0))
            bands.append(
                {
                    "question": q_name,
                    "label": row["label"],
                    "band": lab,
                    "order": i,
                    "n": int(len(answered)),
                    "respondents": int(flags[f"b{i}"].sum()),
                    "unweighted": float(flags[f"b{i}"].dropna().mean()),
                    "weighted": share[0],
                    "ci_low": share[1],
                    "ci_high": share[2],
                }
            )
    band_table = suppress(
        pd.DataFrame(bands), "respondents", min_cell, ["respondents", *SHARE_COLUMNS], ["question"]
    )
    return pd.DataFrame(summary), band_table


def published_margins(margins: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """The weighting check with levels of fewer than `min_cell` respondents blanked, and a
    second level of the same variable; age × sex cells add up to the age and sex levels, so
    when one of them is blanked they all are."""
    columns = ["respondents", "sample", "weighted"]
    out = suppress(margins, "respondents", min_cell, columns, ["variable"])
    crossed = out["variable"] == "age_sex"
    if out.loc[crossed, "suppressed"].any():
        out.loc[crossed & ~out["suppressed"], "suppression"] = "secondary"
        out.loc[crossed, "suppressed"] = True
        out.loc[crossed, columns] = np.nan
    return out
