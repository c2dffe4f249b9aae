"""Phase 03, population survey: every table of the phase, built from the export and the census
and written beside the notebook.

Reading and validating the export is in `pipeline.survey.exports` (its codebook in `codebook`,
its answers in `answers`), weighting in `weights`, indicators in `indicators`, estimates in
`estimates`, the logistic model in `model`, readers' tables and figures in `views`.
"""

from __future__ import annotations

import pandas as pd

from pipeline.core.disclosure import suppress
from pipeline.core.phase import Phase
from pipeline.core.settings.survey import TrimmingSettings
from pipeline.portrait.outputs import COMMUNES, INDICATORS
from pipeline.survey.answers import answer_status, non_response
from pipeline.survey.codebook import compile_codebook, read_codebook
from pipeline.survey.estimates import (
    SHARE_COLUMNS,
    by_group,
    distributions,
    estimates,
    prices,
    published_margins,
)
from pipeline.survey.exports import Export, load_export
from pipeline.survey.indicators import check_analysis, indicator_flags
from pipeline.survey.model import model_frame, odds_ratios
from pipeline.survey.weights import (
    SUB_AREAS,
    VARIABLES,
    census_margins,
    choose_margins,
    design_effect,
    margins_check,
    profile_frame,
    rake,
)

CODEBOOK_FILE = "enquete_codebook.yaml"
EXPORT_FILE = "enquete_population.csv"
BREAKDOWNS = ["sub_area", "age", "sex", "activity"]
# A weight within 0.1 % of a trimming bound counts as brought to that bound.
AT_BOUND = 1e-3


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Validated answers, raking weights, and every published table of the survey, written."""
    settings, min_cell = phase.settings.survey, phase.settings.privacy.min_cell
    confidence = settings.confidence
    book = read_codebook(phase.raw_dir / CODEBOOK_FILE)
    check_analysis(book)
    communes = phase.read(COMMUNES)
    export = load_export(
        phase.raw_dir / EXPORT_FILE, book, list(communes["code"]), settings.on_invalid
    )
    answers = export.table
    status = answer_status(answers, book)
    profile = profile_frame(answers, book, communes)
    usable = profile["usable"]
    census = census_margins(phase.read(INDICATORS), communes, book)
    margins, notes = choose_margins(profile[usable], census, settings.min_weighting_cell)
    weights = rake(profile[usable], margins, settings.trimming.model_dump())
    flags, meta = indicator_flags(answers[usable], status[usable], book)
    labels = dict(zip(meta["indicator"], meta["label"]))
    est = meta.merge(estimates(flags, weights, labels, confidence), on=["indicator", "label"])
    est = suppress(est, "n", min_cell, ["respondents_yes", *SHARE_COLUMNS], [])
    data, terms = model_frame(
        answers[usable], profile[usable], status[usable], flags, book, min_cell
    )
    price_summary, price_table = prices(answers[usable], weights, book, confidence, min_cell)
    tables = {
        "summary": summary(
            export, book, profile, weights, margins, notes, census, settings.trimming
        ),
        "margins": published_margins(
            margins_check(profile[usable], weights, census, margins), min_cell
        ),
        "non_response": non_response(answers, book),
        "issues": export.issues,
        "estimates": est,
        "estimates_by_group": by_group(
            flags, weights, profile.loc[usable, BREAKDOWNS], labels, confidence, min_cell
        ),
        "distributions": distributions(
            answers[usable], weights, book, communes, confidence, min_cell
        ),
        "prices": price_summary,
        "price_distribution": price_table,
        "model": odds_ratios(data, terms, weights, confidence, min_cell),
    }
    for name, table in tables.items():
        phase.write(table, name)
    return tables


def summary(
    export: Export,
    book: dict,
    profile: pd.DataFrame,
    weights: pd.Series,
    margins: dict,
    notes: list[str],
    census: pd.DataFrame,
    trim: TrimmingSettings,
) -> pd.DataFrame:
    """The sample (records, complete, usable), the weighting and its design effect: one row."""
    answers, usable = export.table, profile["usable"]
    max_page = compile_codebook(book).max_page
    deff = design_effect(weights)
    at_bounds = (weights <= trim.lower * (1 + AT_BOUND)).sum()
    at_bounds += (weights >= trim.upper * (1 - AT_BOUND)).sum()
    row = {
        "records": len(answers),
        "complete": int((answers["last_page"] == max_page).sum()) if max_page else len(answers),
        "usable": int(usable.sum()),
        "excluded_missing_profile": int((~usable).sum()),
        "usable_study_zone": int((profile.loc[usable, "sub_area"] == SUB_AREAS["zone"]).sum()),
        "weighting_variables": " ; ".join(VARIABLES[v] for v in margins),
        "weighting_notes": " ; ".join(notes),
        "census_crossed_age_sex": bool(census.attrs.get("crossed_census", False)),
        "trim_lower": float(trim.lower),
        "trim_upper": float(trim.upper),
        "weight_min": float(weights.min()),
        "weight_max": float(weights.max()),
        "weights_at_bounds": int(at_bounds),
        "design_effect": deff,
        "effective_sample_size": float(len(weights) / deff),
        "export_style": export.style,
        "export_encoding": export.encoding,
    }
    return pd.DataFrame([row])
