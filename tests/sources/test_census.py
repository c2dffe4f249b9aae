"""Census bases: loader on fixtures in the official layout (RP2021 and RP2022), counts."""

import zipfile

import pytest

from pipeline.core.validate import InputWarning
from pipeline.portrait import indicators
from pipeline.sources import census


@pytest.mark.parametrize("vintage", [2021, 2022])
def test_official_layout_of_both_nomenclatures(tmp_path, vintage, census_sample):
    paths = census_sample.write(tmp_path, vintage)
    codes = census_sample.codes
    themes = {t: census.read_base_cc(p, codes) for t, p in paths.items()}
    assert themes["population"]["CODGEO"].tolist() == codes  # text: leading zero and 2A kept
    counts = census.counts(themes["population"], themes["employment"], themes["diplomas"], vintage)
    assert counts["group_farmers"].tolist() == [10.0, 20.0]
    assert counts["group_other_inactive"].tolist() == [80.0, 160.0]
    rates = indicators.rates(counts)
    assert rates["unemployment_rate"].tolist() == pytest.approx([0.25, 0.10])
    assert rates["share_managers"].iloc[0] == pytest.approx(30 / 360)


def test_group_columns_switch_at_rp2022():
    assert census.group_columns(2021)["managers"] == "C21_POP15P_CS3"
    assert census.group_columns(2022)["managers"] == "C22_POP15P_STAT_GSEC13_23"
    assert census.group_columns(2022, "ACT1564")["retired"] == "C22_ACT1564_STAT_GSEC32"


def test_wrong_vintage_names_the_missing_column(tmp_path, census_sample):
    paths = census_sample.write(tmp_path, 2021)
    themes = {t: census.read_base_cc(p, census_sample.codes) for t, p in paths.items()}
    with pytest.raises(
        census.CensusFormatError,
        match=r"pop-2021\.zip: expected column P22_POP \(check the census vintage",
    ):
        census.counts(themes["population"], themes["employment"], themes["diplomas"], 2022)


def test_other_separator_missing_code_column_missing_commune_and_duplicates(
    tmp_path, census_sample
):
    path = tmp_path / "b.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("b.CSV", "CODGEO,P22_POP\n01001,10\n")
    with pytest.warns(InputWarning, match="separated by ',', not ';'"):
        assert census.read_base_cc(path)["P22_POP"].tolist() == [10]
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("b.CSV", "CODE;P22_POP\n01001;10\n")
    with pytest.raises(census.CensusFormatError, match=r"b\.zip, line 1: column CODGEO missing"):
        census.read_base_cc(path)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("b.CSV", "CODGEO;P22_POP\n01001;10\n01001;11\n")
    with pytest.raises(census.CensusFormatError, match="line 3, column CODGEO: duplicated"):
        census.read_base_cc(path)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("b.CSV", "CODGEO;P22_POP\n01001;10\n")
    with pytest.raises(census.CensusFormatError, match="no row for commune.*2A004"):
        census.read_base_cc(path, census_sample.codes)


def test_zip_with_a_metadata_file_reads_the_data_file(tmp_path):
    path = tmp_path / "b.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("meta_base-cc.CSV", "COD_VAR;LIB_VAR\nP22_POP;Population\n")
        zf.writestr("base-cc.CSV", "CODGEO;P22_POP\n01001;10\n")
    assert census.read_base_cc(path)["P22_POP"].tolist() == [10]
