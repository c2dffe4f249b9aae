"""Phase 03, population survey: codebook, validated export, raking weights, estimates."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import svy

from pipeline.config import read_yaml

META_COLUMNS = {
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
    "refurl",
    "ipaddr",
    "_id",
    "_uuid",
    "_submission_time",
}
QUESTION_TYPES = {"single", "multiple", "numeric", "text", "commune"}
AGE_MARGIN = {
    "A1": ["age_1529"],
    "A2": ["age_3044"],
    "A3": ["age_4559"],
    "A4": ["age_6074", "age_7589", "age_90P"],
}


class SurveyFormatError(ValueError):
    """The survey export or its codebook does not match what is declared."""


def read_codebook(path: Path) -> dict:
    book = read_yaml(path)
    if "questions" not in book or not isinstance(book["questions"], dict):
        raise SurveyFormatError(f"{path}: expected a 'questions' mapping")
    for name, q in book["questions"].items():
        if q.get("type") not in QUESTION_TYPES:
            raise SurveyFormatError(
                f"{path}: question {name}: type must be one of "
                f"{sorted(QUESTION_TYPES)}, found {q.get('type')!r}"
            )
        if q["type"] in {"single", "multiple"} and not q.get("codes"):
            raise SurveyFormatError(
                f"{path}: question {name}: a {q['type']} question needs 'codes'"
            )
    return book


def sniff(path: Path) -> tuple[str, str]:
    """Encoding and separator of a CSV export; a non-UTF-8 file is read with a warning."""
    raw = Path(path).read_bytes()
    if not raw.strip():
        raise SurveyFormatError(f"{path}: the file is empty")
    try:
        text, encoding = raw.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        text, encoding = raw.decode("cp1252", errors="replace"), "cp1252"
        warnings.warn(f"{path}: not UTF-8, read as Windows-1252 (Latin-1)", stacklevel=2)
    header = text.splitlines()[0]
    separator = csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    return encoding, separator


def question_columns(book: dict) -> dict[str, list[str]]:
    """Export columns of each question (a multiple question has one column per code)."""
    return {
        name: ([f"{name}[{code}]" for code in q["codes"]] if q["type"] == "multiple" else [name])
        for name, q in book["questions"].items()
    }


def read_export(path: Path, book: dict, communes: list[str]) -> pd.DataFrame:
    """Read and validate a survey export against its codebook; identifiers are dropped here."""
    path = Path(path)
    encoding, sep = sniff(path)
    table = pd.read_csv(path, sep=sep, encoding=encoding, dtype=str, keep_default_na=False)
    id_col = book.get("id", "id")
    expected = [c for cols in question_columns(book).values() for c in cols]
    if missing := [c for c in [id_col, *expected] if c not in table.columns]:
        raise SurveyFormatError(f"{path}: missing column(s) {', '.join(missing)}")
    if dup := table[table[id_col].duplicated()][id_col].tolist():
        line = int(table.index[table[id_col].duplicated()][0]) + 2
        raise SurveyFormatError(f"{path}, line {line}, column {id_col}: duplicated id {dup[0]!r}")
    for name, q in book["questions"].items():
        for col in question_columns(book)[name]:
            _check_column(path, table, col, q, communes)
    drop = set(book.get("identifiers", [])) | {
        n for n, q in book["questions"].items() if q["type"] == "text"
    }
    keep = [id_col] + [c for c in expected if c.split("[")[0] not in drop]
    return table[keep].rename(columns={id_col: "id"})


def _check_column(path: Path, table: pd.DataFrame, col: str, q: dict, communes: list[str]) -> None:
    values = table[col]
    filled = values != ""
    if q["type"] == "single":
        allowed, what = set(map(str, q["codes"])), f"one of {', '.join(map(str, q['codes']))}"
    elif q["type"] == "multiple":
        allowed, what = {"Y"}, "'Y' or empty"
    elif q["type"] == "commune":
        allowed, what = set(communes), "an INSEE code of a commune of the territory"
    elif q["type"] == "numeric":
        numbers = pd.to_numeric(values[filled].str.replace(",", ".", regex=False), errors="coerce")
        bad = numbers.isna() | (numbers < q.get("min", -np.inf)) | (numbers > q.get("max", np.inf))
        if bad.any():
            i = bad.idxmax()
            raise SurveyFormatError(
                f"{path}, line {i + 2}, column {col}: expected a number between "
                f"{q.get('min')} and {q.get('max')}, found {values[i]!r}"
            )
        return
    else:
        return
    bad = filled & ~values.isin(allowed)
    if bad.any():
        i = bad.idxmax()
        raise SurveyFormatError(
            f"{path}, line {i + 2}, column {col}: expected {what}, found {values[i]!r}"
        )


def census_margins(indicators: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Age and sex shares of the population aged 15 or over, for raking."""
    totals = indicators.sum(numeric_only=True)
    age = {code: float(sum(totals[c] for c in cols)) for code, cols in AGE_MARGIN.items()}
    men, women = float(totals["men"]), float(totals["women"])
    return {
        "Q03_age": {k: v / sum(age.values()) for k, v in age.items()},
        "Q02_sexe": {"A1": men / (men + women), "A2": women / (men + women)},
    }


def rake(table: pd.DataFrame, margins: dict[str, dict[str, float]]) -> pd.Series:
    """Raking weights (iterative proportional fitting, svy) summing to the sample size."""
    data = pl.from_pandas(table[["id", *margins]].assign(base=1.0))
    sample = svy.Sample(data, svy.Design(wgt="base")).weighting.rake(shares=margins)
    weights = sample.data["rk_wgt"].to_numpy()
    return pd.Series(weights / weights.mean(), index=table.index, name="weight")


def design_effect(weights: pd.Series) -> float:
    """Kish's design effect due to unequal weights: 1 + CV² of the weights."""
    w = np.asarray(weights, dtype=float)
    return float(len(w) * (w**2).sum() / w.sum() ** 2)


def indicators_of(table: pd.DataFrame, book: dict) -> pd.DataFrame:
    """0/1 columns for the published indicators, one per answer of interest."""
    q = book["questions"]
    out = pd.DataFrame(index=table.index)
    out["interet_tiers_lieu"] = table["Q06_interet"].isin(["3", "4"]).astype(int)
    out["teletravail"] = (table["Q05_teletravail"] == "Y").astype(int)
    out["difficulte_numerique"] = (table["Q10_difficulte_numerique"] == "Y").astype(int)
    for code in q["Q08_services"]["codes"]:
        out[f"service_{code}"] = (table[f"Q08_services[{code}]"] == "Y").astype(int)
    return out


def indicator_labels(book: dict) -> dict[str, str]:
    q = book["questions"]
    labels = {
        "interet_tiers_lieu": "Intéressé(e) par un tiers-lieu",
        "teletravail": q["Q05_teletravail"]["label"],
        "difficulte_numerique": q["Q10_difficulte_numerique"]["label"],
    }
    labels |= {
        f"service_{c}": f"Souhaite : {label}" for c, label in q["Q08_services"]["codes"].items()
    }
    return labels


def estimates(
    flags: pd.DataFrame, weights: pd.Series, labels: dict, confidence: float
) -> pd.DataFrame:
    """Unweighted and weighted shares, with the weighted 95 % (or other) confidence interval."""
    data = pl.from_pandas(flags.assign(weight=weights.to_numpy()))
    sample = svy.Sample(data, svy.Design(wgt="weight"))
    rows = []
    for name in flags.columns:
        est = sample.estimation.prop(name, alpha=1 - confidence, ci_method="logit").to_polars()
        yes = est.filter(pl.col(name).cast(pl.Int64) == 1)
        rows.append(
            {
                "indicator": name,
                "label": labels[name],
                "n": int(len(flags)),
                "respondents_yes": int(flags[name].sum()),
                "unweighted": float(flags[name].mean()),
                "weighted": float(yes["est"][0]) if len(yes) else 0.0,
                "ci_low": float(yes["lci"][0]) if len(yes) else 0.0,
                "ci_high": float(yes["uci"][0]) if len(yes) else 0.0,
            }
        )
    return pd.DataFrame(rows)


def suppress_small(
    table: pd.DataFrame, count: str, min_cell: int, columns: list[str]
) -> pd.DataFrame:
    """Blank the published values of cells built from fewer than `min_cell` respondents."""
    out = table.copy()
    small = out[count] < min_cell
    out.loc[small, columns] = np.nan
    out["suppressed"] = small
    return out


def by_zone(
    flags: pd.DataFrame, weights: pd.Series, in_zone: pd.Series, labels: dict, min_cell: int
) -> pd.DataFrame:
    """Weighted shares in the study zone and in the rest of the EPCI, small cells suppressed."""
    rows = []
    for zone, mask in (("Zone d'étude", in_zone), ("Reste de l'EPCI", ~in_zone)):
        w = weights[mask]
        for name in flags.columns:
            rows.append(
                {
                    "zone": zone,
                    "indicator": name,
                    "label": labels[name],
                    "n": int(mask.sum()),
                    "weighted": float((flags.loc[mask, name] * w).sum() / w.sum())
                    if mask.any()
                    else np.nan,
                }
            )
    return suppress_small(pd.DataFrame(rows), "n", min_cell, ["weighted"])


def build(phase) -> dict[str, pd.DataFrame]:
    """Validated answers with raking weights, and the published estimates."""
    book = read_codebook(phase.raw_dir / "enquete_codebook.yaml")
    communes = phase.read("01_portrait", "communes")
    answers = read_export(phase.raw_dir / "enquete_population.csv", book, list(communes["code"]))
    margins = census_margins(phase.read("01_portrait", "indicators"))
    answers["weight"] = rake(answers, margins)
    flags = indicators_of(answers, book)
    labels = indicator_labels(book)
    zone_codes = set(communes.loc[communes["in_study_zone"], "code"])
    in_zone = answers["Q01_commune"].isin(zone_codes)
    summary = pd.DataFrame(
        [
            {
                "respondents": len(answers),
                "respondents_study_zone": int(in_zone.sum()),
                "design_effect": design_effect(answers["weight"]),
                "weight_min": float(answers["weight"].min()),
                "weight_max": float(answers["weight"].max()),
            }
        ]
    )
    margin_check = pd.DataFrame(
        [
            {
                "variable": var,
                "code": code,
                "label": book["questions"][var]["codes"][code],
                "census": share,
                "sample": float((answers[var] == code).mean()),
                "weighted": float(
                    answers.loc[answers[var] == code, "weight"].sum() / answers["weight"].sum()
                ),
            }
            for var, levels in margins.items()
            for code, share in levels.items()
        ]
    )
    return {
        "summary": summary,
        "margins": margin_check,
        "estimates": estimates(
            flags, answers["weight"], labels, phase.params["survey"]["confidence"]
        ),
        "estimates_by_zone": by_zone(
            flags, answers["weight"], in_zone, labels, phase.params["privacy"]["min_cell"]
        ),
    }


def estimates_table(est: pd.DataFrame) -> pd.DataFrame:
    """Readers' table: unweighted and weighted side by side, with the interval."""
    from pipeline import fmt

    return pd.DataFrame(
        {
            "Indicateur": est["label"],
            "Non pondéré": est["unweighted"].map(fmt.percent),
            "Pondéré": est["weighted"].map(fmt.percent),
            "Intervalle de confiance à 95 %": [
                f"{fmt.percent(lo)} – {fmt.percent(hi)}"
                for lo, hi in zip(est["ci_low"], est["ci_high"])
            ],
        }
    )


def margins_figure(margins: pd.DataFrame):
    from pipeline import figures

    long = margins.melt(
        id_vars=["label"],
        value_vars=["census", "sample", "weighted"],
        var_name="source",
        value_name="share",
    )
    long["source"] = long["source"].map(
        {"census": "Recensement", "sample": "Échantillon brut", "weighted": "Échantillon redressé"}
    )
    return figures.bar(
        long,
        x="label",
        y="share",
        color="source",
        barmode="group",
        title="Structure de l'échantillon avant et après redressement",
        labels={"label": "", "share": "Part", "source": ""},
    )


def estimates_figure(est: pd.DataFrame):
    import plotly.graph_objects as go

    ordered = est.sort_values("weighted", kind="stable")
    fig = go.Figure(
        go.Bar(
            x=ordered["weighted"],
            y=ordered["label"],
            orientation="h",
            error_x={
                "type": "data",
                "symmetric": False,
                "array": ordered["ci_high"] - ordered["weighted"],
                "arrayminus": ordered["weighted"] - ordered["ci_low"],
            },
        )
    )
    fig.update_layout(
        title="Résultats pondérés et intervalles de confiance à 95 %",
        xaxis={"tickformat": ".0%", "title": "Part des répondants"},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        height=450,
    )
    return fig


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    return summary.rename(
        columns={
            "respondents": "Répondants",
            "respondents_study_zone": "dont zone d'étude",
            "design_effect": "Effet de plan (pondération)",
            "weight_min": "Poids minimal",
            "weight_max": "Poids maximal",
        }
    )
