"""The place files of phase 05: the national file of mediation places and the other places."""

import numpy as np
import pytest
from samples import MEDIATION_HEADER, place_files, write

from pipeline.core import validate
from pipeline.sources.mediation import MEDIATION_FILE, mediation_category, mediation_schema
from pipeline.sources.places import OTHER_FILE, other_category, other_schema, read_places


def test_places_are_read_with_their_analysed_services(tmp_path):
    places = read_places(*place_files(tmp_path))
    assert places["place_id"].tolist() == ["m1", "m2", "o1"]
    assert places["kind"].tolist() == ["mediation", "mediation", "other"]
    assert places["services"].tolist() == [
        "digital_mediation|admin_help",
        "digital_mediation",
        "coworking|telework",
    ]
    assert places.loc[0, "lon"] == 0.0 and np.isnan(places.loc[1, "lon"])


def test_bad_rows_are_reported_by_file_line_and_column(tmp_path):
    path = write(
        tmp_path / MEDIATION_FILE,
        MEDIATION_HEADER,
        "m1,12345678901234,Alpha,Alpha,00100,1 rue,2025-03-01,00001,0.0,0.0,BIB,,test",
        "",  # a blank line: pandas skips it, line numbers must not
        'm2,12345678901234,"Nom sur',
        'deux lignes",Alpha,100,1 rue,2025-02-30,00001,0.0,0.0,BIB,,test',
        "m1,12-34,Gamma,Alpha,00100,1 rue,2025-03-01,00001,95,0.0,BIB,Cuisine,test",
    )
    with pytest.raises(validate.InputFileError) as error:
        validate.read_checked_csv(path, mediation_schema())
    message = str(error.value)
    assert str(path) in message
    assert "line 4, column 'code_postal': expected 5 digits, found a number of 3 digits" in message
    assert (
        "line 4, column 'date_maj': expected a date written YYYY-MM-DD, "
        "found text of 10 characters (digits, other signs)" in message
    )
    assert "line 6, column 'id': expected a value not already used on an earlier line" in message
    assert "line 6, column 'pivot'" in message
    assert (
        "line 6, column 'latitude': expected a number (decimal point) between -90 and 90" in message
    )
    assert "line 6, column 'services'" in message and "Cuisine" not in message


def test_a_missing_column_and_an_unplaceable_row_are_reported(tmp_path):
    path = write(
        tmp_path / OTHER_FILE,
        "id,nom,type,code_insee,latitude,longitude,source",
        "o1,Fablab,fablab,,,,test",
    )
    with pytest.raises(validate.InputFileError) as error:
        validate.read_checked_csv(path, other_schema())
    assert "missing column 'services'" in str(error.value)
    assert "line 2: expected both latitude and longitude, or a code_insee" in str(error.value)


def test_categories_of_places():
    assert mediation_category("Médiathèque", "BIB", "France Services") == "france_services"
    assert mediation_category("France Services du Bourg", "MUNI", "") == "france_services"
    assert mediation_category("Cyber-base de Gamma", "MUNI", "") == "cyber_base"
    assert mediation_category("La Cyberbase", "", "Aidants Connect") == "cyber_base"
    assert mediation_category("Le Hangar", "TIERS_LIEUX|ASSO", "") == "tiers_lieu"
    assert mediation_category("Médiathèque", "BIB", "Conseillers numériques") == "mediation"
    assert other_category("Tiers-lieu") == "tiers_lieu"
    assert other_category("  Espace   de coworking ") == "coworking"
    assert other_category("pépinière") == "other"


def test_places_get_their_category_from_the_files(tmp_path):
    places = read_places(*place_files(tmp_path))
    assert places["category"].tolist() == ["mediation", "mediation", "coworking"]


def test_read_places_keeps_the_file_line_of_each_place(tmp_path):
    places = read_places(*place_files(tmp_path))
    assert places["line"].tolist() == [2, 3, 2]
