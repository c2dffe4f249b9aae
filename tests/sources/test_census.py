"""Census bases: the loader on INSEE's zips (data CSV, meta_ dictionary, -COM file) as fixtures
in the official layout (tests/sources/fixtures/census, RP2022; RP2021 derived from it), counts."""

import re
import zipfile
from pathlib import Path

import pytest

from pipeline.core.validate import InputWarning
from pipeline.portrait import indicators
from pipeline.sources import census

FIXTURES = Path(__file__).parent / "fixtures" / "census"
CODES = ["01001", "2A004"]
# RP2021 has the PCS 2003 groups where RP2022 has the PCS 2020 ones (census.GROUPS).
TO_CS = {f"STAT_GSEC{gsec}": f"CS{cs}" for _, gsec, cs in census.GROUPS.values()}


def members(theme: str, vintage: int = 2022) -> dict[str, str]:
    """The fixture CSVs of a theme under INSEE's member names, for the given vintage."""
    out = {}
    for path in sorted(FIXTURES.glob(f"*{census.THEMES[theme]}-2022*.CSV")):
        text = path.read_text(encoding="utf-8")
        if vintage != 2022:
            shift = lambda m: f"{m[1]}{int(m[2]) + vintage - 2022:02d}_"  # noqa: E731
            text = re.sub(r"\b([PC])(\d\d)_", shift, text)  # P22_POP, P16_POP: P21_, P15_
            text = re.sub("|".join(TO_CS), lambda m: TO_CS[m[0]], text)
        out[path.name.replace("2022", str(vintage))] = text
    return out


def official_zip(folder: Path, theme: str, vintage: int = 2022, edit=None) -> Path:
    """INSEE's zip of a theme, named as INSEE names it; `edit(name, text)` may change a member."""
    path = Path(folder) / census.census_file(theme, vintage)
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in members(theme, vintage).items():
            zf.writestr(name, edit(name, text) if edit else text)
    return path


def themes(folder: Path, vintage: int = 2022, codes=CODES) -> dict:
    return {t: census.read_base_cc(official_zip(folder, t, vintage), codes) for t in census.THEMES}


# ------------------------------------------------------------------------ INSEE's zip layout


def test_official_names_of_the_zip_and_its_members():
    assert census.census_file("population", 2022) == "base-cc-evol-struct-pop-2022_csv.zip"
    assert census.data_member("diplomas", 2022) == "base-cc-diplomes-formation-2022.CSV"
    assert sorted(members("population")) == [
        "base-cc-evol-struct-pop-2022-COM.CSV",
        "base-cc-evol-struct-pop-2022.CSV",
        "meta_base-cc-evol-struct-pop-2022.CSV",
    ]


def test_the_data_member_is_read_and_the_dictionary_left_aside(tmp_path):
    pop = census.read_base_cc(official_zip(tmp_path, "population"), CODES)
    assert pop["CODGEO"].tolist() == CODES  # text: leading zero and 2A kept
    assert pop["P22_H7589"].tolist() == [32.4, 50.0]
    assert pop.attrs["path"].endswith("_csv.zip (base-cc-evol-struct-pop-2022.CSV)")


def test_communes_missing_from_the_data_are_taken_from_the_com_member(tmp_path):
    path = official_zip(tmp_path, "population")
    pop = census.read_base_cc(path, ["01001", "97701"])
    assert pop.set_index("CODGEO")["P22_POP"].to_dict() == {"01001": 800, "97701": 100}
    assert len(census.read_base_cc(path)) == 2  # the whole file: the data member only
    with pytest.raises(census.CensusFormatError) as err:
        census.read_base_cc(path, ["01001", "97299"])
    assert "(base-cc-evol-struct-pop-2022.CSV): no row for commune(s) 97299" in str(err.value)
    assert "nor in base-cc-evol-struct-pop-2022-COM.CSV" in str(err.value)


def test_a_zip_of_one_csv_under_the_former_name_is_still_read(tmp_path):
    path = tmp_path / "base-cc-evol-struct-pop-2022.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("base-cc.CSV", members("population")["base-cc-evol-struct-pop-2022.CSV"])
    assert census.read_base_cc(path, CODES)["P22_POP"].tolist() == [800, 1200]


def test_a_missing_file_names_the_former_name_when_it_is_there(tmp_path):
    (tmp_path / "base-cc-evol-struct-pop-2022.zip").write_bytes(b"")
    with pytest.raises(FileNotFoundError, match=r"rename it base-cc-evol-struct-pop-2022_csv\.zip"):
        census.read_base_cc(tmp_path / census.census_file("population", 2022))


def test_a_zip_without_one_data_csv_names_what_it_holds(tmp_path):
    path = tmp_path / "b_csv.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("meta_b.CSV", "COD_VAR;LIB_VAR\n")
        zf.writestr("b.CSV", "CODGEO;P22_POP\n01001;10\n")
        zf.writestr("c.CSV", "CODGEO;P22_POP\n01002;10\n")
    with pytest.raises(
        census.CensusFormatError, match=r"expected one data CSV.*meta_b\.CSV, b\.CSV, c\.CSV"
    ):
        census.read_base_cc(path)


# ------------------------------------------------------------------------------------ counts


@pytest.mark.parametrize("vintage", [2021, 2022])
def test_counts_of_the_communal_file_in_both_nomenclatures(tmp_path, vintage):
    t = themes(tmp_path, vintage)
    counts = census.counts(t["population"], t["employment"], t["diplomas"], vintage)
    # 75+ by sex is 75-89 plus 90+, the communal file's columns
    assert counts["men_75P"].tolist() == pytest.approx([35.0, 56.0])
    assert counts["women_75P"].tolist() == pytest.approx([55.0, 84.0])
    assert (counts["men_75P"] + counts["women_75P"]).tolist() == pytest.approx(
        (counts["age_7589"] + counts["age_90P"]).tolist()
    )
    assert counts["population_earlier"].tolist() == [780, 1250]
    assert counts["group_managers"].tolist() == [60, 120]
    assert counts["group_retired"].tolist() == [200, 290]
    assert counts["mode_VELO"].tolist() == [5, 5]
    assert counts["diploma_SUP34"].tolist() == [50, 60]
    rates = indicators.rates(counts)
    assert rates["unemployment_rate"].tolist() == pytest.approx([0.10, 0.15])


def test_group_columns_switch_at_rp2022():
    assert census.group_columns(2021)["managers"] == "C21_POP15P_CS3"
    assert census.group_columns(2022)["managers"] == "C22_POP15P_STAT_GSEC13_23"
    assert census.group_columns(2022, "ACT1564")["retired"] == "C22_ACT1564_STAT_GSEC32"


def test_a_file_with_75_plus_in_one_column_is_refused_naming_file_line_and_column(tmp_path):
    def iris_bands(name, text):  # the IRIS base's H75P/F75P instead of the communal columns
        for sex in "HF":
            text = text.replace(f"P22_{sex}7589;P22_{sex}90P", f"P22_{sex}75P;P22_{sex}X")
        return text

    pop = census.read_base_cc(official_zip(tmp_path, "population", edit=iris_bands), CODES)
    t = themes(tmp_path)
    with pytest.raises(census.CensusFormatError) as err:
        census.counts(pop, t["employment"], t["diplomas"], 2022)
    message = str(err.value)
    assert "(base-cc-evol-struct-pop-2022.CSV), line 1: no column P22_H7589" in message
    assert "communal base (base-cc), not the IRIS one (base-ic)" in message


def test_another_vintage_says_which_census_the_file_counts(tmp_path):
    t = themes(tmp_path, 2021)
    with pytest.raises(census.CensusFormatError) as err:
        census.counts(t["population"], t["employment"], t["diplomas"], 2022)
    message = str(err.value)
    assert "2021_csv.zip (base-cc-evol-struct-pop-2021.CSV), line 1: no column P22_POP" in message
    assert "counts RP2021 (P21_…), not RP2022: set portrait.census_vintage to 2021" in message


def test_vintages_before_rp2017_are_refused(tmp_path):
    t = themes(tmp_path, 2016)
    with pytest.raises(census.CensusFormatError, match=r"RP2016 is not read.*C16_ACTOCC15P_DROU"):
        census.counts(t["population"], t["employment"], t["diplomas"], 2016)


# ------------------------------------------------------------------------- other refusals


def test_other_separator_missing_code_column_iris_file_and_duplicates(tmp_path):
    path = tmp_path / "b.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("b.CSV", "CODGEO,P22_POP\n01001,10\n")
    with pytest.warns(InputWarning, match="separated by ',', not ';'"):
        assert census.read_base_cc(path)["P22_POP"].tolist() == [10]
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("b.CSV", "CODE;P22_POP\n01001;10\n")
    with pytest.raises(census.CensusFormatError, match=r"b\.zip \(b\.CSV\), line 1: column CODGEO"):
        census.read_base_cc(path)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("b.CSV", "IRIS;COM;P22_POP\n010010000;01001;10\n")
    with pytest.raises(census.CensusFormatError, match=r"an IRIS base \(base-ic\)\?"):
        census.read_base_cc(path)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("b.CSV", "CODGEO;P22_POP\n01001;10\n01001;11\n")
    with pytest.raises(census.CensusFormatError, match="line 3, column CODGEO: duplicated"):
        census.read_base_cc(path)


def test_a_plain_csv_is_read_and_errors_name_it(tmp_path):
    path = tmp_path / "base.csv"
    path.write_text("CODGEO;P22_POP\n01001;10\n01002;dix\n", encoding="utf-8")
    assert census.read_base_cc(path, ["01001"])["P22_POP"].tolist() == [10]
    with pytest.raises(census.CensusFormatError, match=r"base\.csv, line 3, column P22_POP"):
        census.read_base_cc(path)
