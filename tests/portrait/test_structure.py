"""Phase 01 population structure and housing from the census by IRIS: sums by commune, zone
and EPCI, shares, the geography check, and their French views."""

import pandas as pd
import pytest

from pipeline.portrait import structure
from pipeline.portrait import structure_views as views
from pipeline.portrait.outputs import ZONE_LEVEL
from pipeline.sources import iris

COMMUNES = pd.DataFrame({
    "code": ["10001", "10002", "10003"], "nom": ["Aval", "Bourg", "Cité"],
    "in_study_zone": [True, True, False], "population": [1000, 2100, 500],
})  # fmt: skip


def rows() -> pd.DataFrame:
    """Rows as `iris.load` gives them: Aval not split, Bourg in two IRIS (one from a commune
    merged into it after 2024), Cité absent from the file."""

    def row(code, com, iris_code, typ, pop, young, old, dwellings, vacant, flats):
        return {
            "code": code, "iris": iris_code, "com": com, "typ_iris": typ, "lab_iris": "1",
            "pop": pop, "pop_0_19": young, "pop_20_64": pop - young - old, "pop_65p": old,
            "logements": dwellings, "res_principales": dwellings - vacant - 10,
            "res_secondaires": 10, "logements_vacants": vacant, "maisons": dwellings - flats,
            "appartements": flats, "rp_en_appartement": flats // 2,
        }  # fmt: skip

    return pd.DataFrame([
        row("10001", "10001", "100010000", "Z", 1000, 200, 300, 500, 50, 100),
        row("10002", "10002", "100020101", "H", 1500, 600, 150, 700, 70, 400),
        row("10002", "10009", "100090000", "Z", 500, 100, 100, 300, 30, 0),
    ])  # fmt: skip


def test_counts_are_summed_by_commune_and_shares_computed_on_the_sums():
    table = structure.by_commune(rows(), COMMUNES).set_index("code")
    assert table.loc["10002", "pop"] == 2000 and table.loc["10002", "iris_rows"] == 2
    assert table.loc["10002", "share_0_19"] == pytest.approx(700 / 2000)
    assert table.loc["10002", "share_vacant"] == pytest.approx(100 / 1000)
    assert table.loc["10002", "share_main_in_apartment"] == pytest.approx(200 / 880)
    assert table.loc["10002", "split_into_iris"] and not table.loc["10001", "split_into_iris"]
    assert table.loc["10003", "iris_rows"] == 0 and pd.isna(table.loc["10003", "pop"])
    assert (table["vintage"] == "RP2021").all()
    assert table["source"].str.contains(f"{iris.PACKAGE} {iris.PACKAGE_VERSION}").all()


def test_zone_and_epci_sum_counts_before_their_shares():
    communes = structure.by_commune(rows(), COMMUNES)
    summary = structure.summarise(communes, "CA Exemple").set_index("level")
    assert summary.index.tolist() == [ZONE_LEVEL, "CA Exemple"]
    assert summary.loc[ZONE_LEVEL, "pop"] == 3000
    assert summary.loc[ZONE_LEVEL, "share_65p"] == pytest.approx(550 / 3000)  # not a mean
    assert summary.loc[ZONE_LEVEL, "share_houses"] == pytest.approx((400 + 300 + 300) / 1500)
    assert summary["communes_absent"].tolist() == [0, 1]  # Cité, outside the zone
    ages = summary[["share_0_19", "share_20_64", "share_65p"]].sum(axis=1)
    assert ages.tolist() == pytest.approx([1.0, 1.0])


def test_geography_says_how_each_commune_matches_2024():
    study = COMMUNES.assign(population=[1000, 2100, 500])
    table = structure.geography(rows(), study).set_index("code")
    assert table["match"].to_dict() == {"10001": "same", "10002": "regrouped", "10003": "absent"}
    assert table.loc["10002", "codes_2024"] == "10002|10009"
    assert table["to_check"].to_dict() == {"10001": False, "10002": False, "10003": True}
    # a gap of 20 % and 250 inhabitants: a merger the codes do not show
    gap = structure.geography(rows(), study.assign(population=[1250, 2100, 500]))
    assert gap.set_index("code").loc["10001", "to_check"]
    # 20 % but 50 inhabitants only: the natural change of a small commune
    small = structure.geography(rows(), study.assign(population=[1050, 2100, 500]))
    assert not small.set_index("code").loc["10001", "to_check"]


def test_views_in_french():
    communes = structure.by_commune(rows(), COMMUNES)
    summary = structure.summarise(communes, "CA Exemple")
    levels = views.levels_table(summary).set_index("Indicateur")
    assert levels.loc["Population (RP2021)", ZONE_LEVEL] == "3\u202f000"
    assert levels.loc["Part des 0-19 ans", "CA Exemple"] == "30,0\u202f%"
    housing = views.housing_table(communes, summary)
    names = ["Bourg", "Aval", "Cité", ZONE_LEVEL, "CA Exemple"]
    assert housing["Commune ou ensemble"].tolist() == names
    assert housing["Zone d'étude"].tolist() == ["oui", "oui", "non", "—", "—"]
    assert housing.loc[2, "Logements"] == "n.d."
    fig = views.age_figure(communes, summary)
    assert [t.name for t in fig.data] == ["0-19 ans", "20-64 ans", "65 ans ou plus"]
    assert list(fig.data[0].y) == [ZONE_LEVEL, "CA Exemple", "Bourg", "Aval"]  # Cité: no data


def test_iris_table_shows_the_zone_or_says_it_is_not_split():
    detail = structure.detail(rows(), COMMUNES)
    table = views.iris_table(detail)
    assert table["Code IRIS"].tolist() == ["100020101"] and table.loc[0, "Type"] == "habitat"
    assert "zone d'étude découpées en IRIS : Bourg" in views.iris_text(detail)
    outside = structure.detail(rows(), COMMUNES.assign(in_study_zone=[True, False, False]))
    assert "Aucune commune de la zone d'étude n'est découpée" in views.iris_text(outside)
    assert views.iris_table(outside)["Zone d'étude"].tolist() == [False]
    assert views.iris_text(structure.detail(rows()[:0], COMMUNES)).startswith("Le fichier par")


def test_geography_text_names_absent_and_regrouped_communes():
    text = views.geography_text(structure.geography(rows(), COMMUNES))
    assert "**Cité (10003)** est absente du fichier" in text
    assert "codes de 2024 10002, 10009" in text
    clean = structure.geography(rows()[:1], COMMUNES[:1])
    assert views.geography_text(clean).startswith("La commune de l'étude a son code")
    # Bourg without the IRIS of the commune merged into it: 1 500 inhabitants for 2 100
    gap = views.geography_text(structure.geography(rows()[:2], COMMUNES[:2]))
    assert gap.startswith("- **Bourg (10002)** : 1\u202f500 habitants au recensement de 2021")
    assert "écart à vérifier" in gap
