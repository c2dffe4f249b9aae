"""Phase 01 readers' views: tables in French, maps of the communes, the age pyramid."""

import pandas as pd

from pipeline.portrait import views
from pipeline.portrait.outputs import ZONE_LEVEL


def test_population_table_lists_the_study_zone_first(default_base):
    table = views.population_table(default_base)
    assert len(table) == 18
    zone = table["Zone d'étude"]
    assert zone.head(8).all() and not zone.tail(10).any()
    assert table["Population municipale"].head(8).is_monotonic_decreasing
    assert list(table.columns)[:2] == ["Commune", "Code Insee"]


def test_summary_table_formats_each_level_in_french():
    summary = pd.DataFrame({
        "level": [ZONE_LEVEL, "CA Exemple"], "population": [22190.0, 95085.0],
        "annual_change": [-0.01234, 0.0], "unemployment_rate": [0.1234, 0.2],
    })  # fmt: skip
    table = views.summary_table(summary).set_index("Indicateur")
    assert list(table.columns) == [ZONE_LEVEL, "CA Exemple"]
    assert table.loc["Population (recensement)", ZONE_LEVEL] == "22\u202f190"
    assert table.loc["Évolution annuelle moyenne sur 6 ans", ZONE_LEVEL] == "-1,23\u202f%"
    unemployment = "Taux de chômage des 15-64 ans (au sens du recensement)"
    assert table.loc[unemployment, "CA Exemple"] == "20,0\u202f%"
    assert len(table) == 3  # indicators absent from the summary are left out


def test_commune_map_outlines_the_study_zone(default_base):
    fig = views.commune_map(default_base, "population", "Population", "Habitants")
    outlines = [t for t in fig.data if t.line.color == "black"]
    assert len(outlines) >= 1 and all(t.hoverinfo == "skip" for t in outlines)
    assert fig.layout.title.text == "Population"
    hovers = [t.text for t in fig.data if t.fill == "toself"]
    assert any(h.startswith("Saint-Pierre : ") for h in hovers)


def test_commune_map_of_an_indicator_merges_it_by_code(default_base):
    indicators = pd.DataFrame({"code": default_base["code"], "unemployment_rate": 0.25})
    fig = views.commune_map(default_base, "unemployment_rate", "Chômage", "Chômage",
                            percent=True, indicators=indicators)  # fmt: skip
    hovers = [t.text for t in fig.data if t.fill == "toself"]
    assert hovers and all(h.endswith(" : 25,0\u202f%") for h in hovers)


def test_pyramid_puts_men_left_and_women_right():
    pyramid = pd.DataFrame({
        "level": [ZONE_LEVEL] * 2, "sex": ["Hommes", "Femmes"], "age": ["0-14 ans"] * 2,
        "count": [10.0, 12.0], "share": [0.4, 0.6],
    })  # fmt: skip
    fig = views.pyramid_figure(pyramid)
    bars = {t.name: list(t.x) for t in fig.data}
    assert bars == {"Hommes": [-0.4], "Femmes": [0.6]}
    assert fig.layout.annotations[0].text == ZONE_LEVEL


def test_strategy_table_shows_the_mapping_of_functions():
    actions = pd.DataFrame(
        {
            "numero": [1, 2],
            "pilier": ["Attractivité", "Données"],
            "action": ["Télécentres", "Centre de données"],
            "cout_keur": [300.0, float("nan")],
            "financeurs": ["France 2030|FEDER", ""],
            "fonctions_tiers_lieu": ["occasional_telework|coworking", ""],
            "mapped": [True, False],
        }
    )
    shown = views.strategy_table(actions)
    row = shown.iloc[0]
    assert row["Fonctions d'un tiers-lieu qui y contribuent"] == "télétravail ponctuel, coworking"
    assert row["Financeurs"] == "France 2030, FEDER"
    assert shown.iloc[1]["Fonctions d'un tiers-lieu qui y contribuent"] == "—"
    assert shown.iloc[1]["Coût (k€)"] == "n.d."
