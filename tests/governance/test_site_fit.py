"""Phase 10: every scenario against every candidate site (surface, fibre, PMR access, transit),
its French table and sentence."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.core import figures
from pipeline.core.io import read_table
from pipeline.governance import views
from pipeline.governance.outputs import SITE_FIT
from pipeline.governance.site_fit import site_fit
from pipeline.scenarios.outputs import SCENARIOS
from pipeline.sites.outputs import SITES

NAN = float("nan")
SCENARIOS_TABLE = pd.DataFrame(
    {
        "scenario": ["proximite", "incubateur"],
        "label": ["Lieu de proximité", "Incubateur"],
        "surface_m2": [200.0, 540.0],
        "recommended": [True, False],
    }
)
SITES_TABLE = pd.DataFrame(
    {
        "site_id": ["S2", "S1", "S3"],
        "nom": ["La Fabrique", "Médiathèque", "Ancienne école"],
        "nom_commune": ["Béthune", "Bruay", "Lillers"],
        "surface_m2": [295.0, 250.0, 180.0],
        "rank": [2, 1, 3],
        "recommended": [False, True, False],
    }
)
MATRIX = pd.DataFrame(
    {
        "site_id": ["S1", "S2", "S3"],
        "fibre": [1.0, 1.0, NAN],
        "transit": [1.0, 0.0, 1.0],
        "accessible_pmr": [1.0, 1.0, 0.0],
    }
)


def met(value) -> bool | None:
    """A nullable check as True, False or None (unknown)."""
    return None if pd.isna(value) else bool(value)


@pytest.fixture
def fit():
    return site_fit(SCENARIOS_TABLE, SITES_TABLE, MATRIX).set_index(["scenario", "site"])


def test_one_row_per_scenario_and_site_sites_by_rank():
    table = site_fit(SCENARIOS_TABLE, SITES_TABLE, MATRIX)
    assert len(table) == 6
    assert table["site"].tolist() == ["S1", "S2", "S3"] * 2
    assert table["scenario"].tolist() == ["proximite"] * 3 + ["incubateur"] * 3


def test_a_scenario_larger_than_every_site_fits_none_and_the_gap_names_the_surfaces(fit):
    incubator = fit.loc["incubateur"]
    assert not incubator["surface_ok"].any()
    assert incubator["fits"].eq(False).all()
    assert (incubator["status"] == "à adapter").all()
    assert incubator.loc["S2", "gaps"] == (
        "surface insuffisante (540 m² programmés, 295 m² disponibles)"
    )
    assert incubator.loc["S2", "surface_needed_m2"] == 540.0
    assert incubator.loc["S2", "surface_available_m2"] == 295.0


def test_fitting_pair_and_transit_is_a_remark_not_a_condition(fit):
    row = fit.loc[("proximite", "S2")]
    assert met(row["fits"]) is True and row["status"] == "compatible" and row["gaps"] == ""
    assert met(row["transit_ok"]) is False
    assert row["remarks"] == "pas de desserte en transports collectifs"
    assert views.site_fit_cell(row) == "Compatible (sans transports collectifs)"


def test_unknown_fibre_is_to_be_checked_not_failed(fit):
    row = fit.loc[("proximite", "S3")]
    assert pd.isna(row["fibre_ok"])
    assert (
        met(row["accessible_ok"]) is False and met(row["fits"]) is False
    )  # failed wins over unknown
    assert row["gaps"] == "surface insuffisante (200 m² programmés, 180 m² disponibles), " + (
        "non accessible PMR"
    )
    assert row["to_check"] == "raccordement à la fibre"
    assert views.site_fit_cell(row) == (
        "À adapter : manque 20 m², non accessible PMR ; à vérifier : fibre"
    )
    matrix = MATRIX.assign(accessible_pmr=[1.0, 1.0, 1.0])
    row = site_fit(SCENARIOS_TABLE.iloc[:1], SITES_TABLE.assign(surface_m2=300.0), matrix)
    only = row.set_index("site").loc["S3"]
    assert pd.isna(only["fits"]) and only["status"] == "à vérifier"
    assert views.site_fit_cell(only) == "À vérifier : fibre"


def test_a_site_missing_from_the_decision_matrix_is_unknown_not_failed():
    table = site_fit(SCENARIOS_TABLE.iloc[:1], SITES_TABLE, MATRIX.iloc[:2])
    row = table.set_index("site").loc["S3"]
    assert pd.isna(row["fibre_ok"]) and pd.isna(row["accessible_ok"]) and pd.isna(row["transit_ok"])
    assert row["remarks"] == "desserte en transports collectifs à vérifier"


def test_recommended_pair_is_flagged(fit):
    assert fit.index[fit["recommended"]].tolist() == [("proximite", "S1")]
    assert fit.loc[("proximite", "S2"), "recommended_scenario"]
    assert not fit.loc[("proximite", "S2"), "recommended_site"]
    assert fit.loc[("incubateur", "S1"), "recommended_site"]


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="09_scenarios/scenarios.*surface_m2"):
        site_fit(SCENARIOS_TABLE.drop(columns="surface_m2"), SITES_TABLE, MATRIX)
    with pytest.raises(ValueError, match="08_sites/decision_matrix.*fibre"):
        site_fit(SCENARIOS_TABLE, SITES_TABLE, MATRIX.drop(columns="fibre"))


def test_reader_table_scenarios_as_rows_sites_as_columns():
    shown = views.site_fit_table(site_fit(SCENARIOS_TABLE, SITES_TABLE, MATRIX))
    assert list(shown.columns) == [
        "Scénario",
        "Surface programmée",
        "S1 · Médiathèque (Bruay, 250 m²) — site retenu",
        "S2 · La Fabrique (Béthune, 295 m²)",
        "S3 · Ancienne école (Lillers, 180 m²)",
    ]
    assert shown["Scénario"].tolist() == ["Lieu de proximité (recommandé)", "Incubateur"]
    assert shown.iloc[1, 3] == "À adapter : manque 245 m² (sans transports collectifs)"


def test_reader_table_escapes_site_names():
    sites = SITES_TABLE.assign(nom=["<script>alert(1)</script>", "Médiathèque", "École"])
    html = figures.table(views.site_fit_table(site_fit(SCENARIOS_TABLE, sites, MATRIX))).data
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = views.site_fit_text(
        site_fit(SCENARIOS_TABLE, sites.assign(recommended=[True, False, False]), MATRIX)
    )
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_summary_sentence_is_computed(fit):
    text = views.site_fit_text(fit.reset_index())
    assert text.startswith("Sur 6 couples scénario-site, 2 sont compatibles en l'état")
    assert "est compatible en l'état avec le site retenu, **Médiathèque**" in text
    assert text.endswith("Aucun site candidat n'accueille en l'état le scénario « Incubateur ».")
    small = SCENARIOS_TABLE.assign(surface_m2=[200.0, 150.0])
    matrix = MATRIX.assign(fibre=[1.0, NAN, 1.0], accessible_pmr=1.0)
    text = views.site_fit_text(site_fit(small, SITES_TABLE, matrix))
    assert "2 restent à vérifier" in text
    assert text.endswith("Chaque scénario trouve au moins un site compatible en l'état.")


def test_recommended_pair_to_adapt_names_its_gaps():
    text = views.site_fit_text(site_fit(SCENARIOS_TABLE, SITES_TABLE, MATRIX.assign(fibre=0.0)))
    assert "demande des adaptations sur le site retenu, **Médiathèque** : pas de fibre." in text


@pytest.mark.e2e
def test_default_study_checks_every_scenario_on_every_site(study):
    def read(table):
        return read_table(table.path(study))

    fit, scenarios, sites = read(SITE_FIT), read(SCENARIOS), read(SITES)
    assert len(fit) == len(scenarios) * len(sites)
    assert set(zip(fit["scenario"], fit["site"])) == {
        (s, c) for s in scenarios["scenario"] for c in sites["site_id"]
    }
    assert fit["recommended"].sum() == 1
