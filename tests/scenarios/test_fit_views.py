"""Phase 09's readers' tables of the needs fit, the prices and the robustness of the ranking:
French, and read from the phase's tables."""

from __future__ import annotations

import pytest

from pipeline.core import fmt
from pipeline.scenarios import fit_views, price_views, views


@pytest.fixture(scope="module")
def shown(settings, evaluate):
    s = settings()
    s["pricing"]["willingness_to_pay"] = {"desk_days": "Q13"}
    s["pricing"]["grid"] = {"desk_days": {"independent": 1.5}}
    return s, evaluate(s)


def test_needs_fit_table_shows_each_source_and_the_score(shown):
    s, tables = shown
    table = fit_views.needs_fit_table(tables["needs_fit"], tables["scenarios"])
    assert list(table.columns) == ["Source", "Poids dans le score", "A", "B"]
    assert table["Source"].iloc[-1] == "Score d'adéquation aux besoins (0 à 1)"
    score = tables["scenarios"].set_index("scenario")["needs_fit"]
    assert table["A"].iloc[-1] == fmt.number(score["a"], 2)
    weights = table["Poids dans le score"].tolist()
    assert [weights[0], weights[-1]] == [fmt.percent(0.3, 0), fmt.percent(1, 0)]
    assert len(table) == 6  # five sources and the score: no call for tenders, no row for it
    detail = fit_views.needs_table(tables["needs"])
    assert f"{fmt.percent(14 / 24, 0)} des entretiens" in detail["Mesure"].tolist()
    assert "appui aux porteurs de projets" in detail["Fonctions qui y répondent"].tolist()


def test_needs_fit_text_names_what_the_recommended_scenario_leaves_out(shown):
    _, tables = shown
    text = fit_views.needs_fit_text(tables["scenarios"], tables["needs"])
    chosen = tables["scenarios"].loc[tables["scenarios"]["recommended"], "label"].item()
    assert "répond le mieux" in text and chosen in text


def test_robustness_table_and_text(shown):
    s, tables = shown
    table = fit_views.robustness_table(tables["ranking_robustness"], tables["scenarios"])
    assert set(table["Scénario"]) == {"A", "B"}
    assert "Part des tirages où il est recommandé" in table.columns
    text = fit_views.robustness_text(tables["ranking_robustness"], tables["scenarios"],
                                     s["ranking_robustness"])  # fmt: skip
    assert "500 tirages" in text.replace("\u202f", " ").replace("\u00a0", " ")
    assert fmt.percent(0.4, 0) in fit_views.criteria_text(s["criteria"])


def test_price_tables_show_the_grid_and_the_willingness_to_pay(shown):
    _, tables = shown
    grid = price_views.price_grid_table(tables["price_grid"], tables["prices"])
    row = grid.set_index("Activité (prix HT de l'unité)").loc["Journées de poste de travail"]
    assert row["Indépendant ou créateur d'entreprise"].startswith(fmt.euros(18, 2))
    assert "de la demande" in row["Indépendant ou créateur d'entreprise"]
    assert row["Habitant"] == fmt.euros(12, 2)
    check = price_views.willingness_table(tables["price_grid"], tables["prices"])
    col = check.set_index("Indicateur")["Journées de poste de travail"]
    assert col["Prix maximum médian déclaré (enquête)"] == fmt.euros(10, 2)
    assert col["Demande de la phase 07 (personnes intéressées)"] == fmt.number(5000)
    text = price_views.willingness_text(tables["prices"])
    assert "journées de poste de travail" in text
    assert "retenue entière" in price_views.willingness_text(tables["prices"].assign(question=""))


def test_the_comparison_shows_the_fit(shown):
    _, tables = shown
    table = views.scenarios_table(tables["scenarios"]).set_index("Indicateur")
    assert "Adéquation aux besoins mesurés (0 à 1)" in table.index


def test_every_source_of_needs_has_its_measure_in_words():
    from pipeline.scenarios.needs import SOURCES

    assert set(fit_views.MEASURES) == set(SOURCES)
    assert fit_views.measure_text("call", 3) == "3 (poids dans le cahier des charges)"
