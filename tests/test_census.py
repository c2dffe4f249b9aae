"""Census bases: loader on fixtures in the official layout (RP2021 and RP2022), indicators."""

import zipfile

import pandas as pd
import pytest

from pipeline.core.validate import InputWarning
from pipeline.sources import census

CODES = ["01001", "2A004"]


def base_cc(vintage: int) -> dict[str, pd.DataFrame]:
    """A two-commune extract of the three themes, with the columns INSEE publishes."""
    y = census.yy(vintage)
    pop = pd.DataFrame({"CODGEO": CODES, f"P{y}_POP": [100.0, 300.0], f"P{int(y) - 6:02d}_POP": [110.0, 300.0],
                        f"P{y}_POPH": [48.0, 150.0], f"P{y}_POPF": [52.0, 150.0]})  # fmt: skip
    for band in census.AGE_BANDS:
        pop[f"P{y}_POP{band}"] = pop[f"P{y}_POP"] / len(census.AGE_BANDS)
    for band in census.SEX_BANDS:
        pop[f"P{y}_H{band}"] = pop[f"P{y}_POPH"] / len(census.SEX_BANDS)
        pop[f"P{y}_F{band}"] = pop[f"P{y}_POPF"] / len(census.SEX_BANDS)
    codes = ["11_21", "12_22", "13_23", "14_24", "15_25", "16_26", "32", "40"]
    names = [f"STAT_GSEC{c}" for c in codes] if vintage >= 2022 else [f"CS{i}" for i in range(1, 9)]
    for i, name in enumerate(names):
        pop[f"C{y}_POP15P_{name}"] = [10.0 * (i + 1), 20.0 * (i + 1)]
    emp = pd.DataFrame({"CODGEO": CODES, f"P{y}_POP1564": [60.0, 200.0], f"P{y}_ACT1564": [40.0, 150.0],
                        f"P{y}_ACTOCC1564": [30.0, 135.0], f"P{y}_CHOM1564": [10.0, 15.0],
                        f"P{y}_ETUD1564": [5.0, 10.0], f"P{y}_ACTOCC15P": [31.0, 140.0]})  # fmt: skip
    for mode in census.MODES:
        emp[f"C{y}_ACTOCC15P_{mode}"] = emp[f"P{y}_ACTOCC15P"] / len(census.MODES)
    dip = pd.DataFrame({"CODGEO": CODES, f"P{y}_NSCOL15P": [70.0, 250.0]})
    for key in census.DIPLOMAS:
        dip[f"P{y}_NSCOL15P_{key}"] = dip[f"P{y}_NSCOL15P"] / len(census.DIPLOMAS)
    return {"population": pop, "employment": emp, "diplomas": dip}


def write_official(tmp_path, vintage: int) -> dict[str, object]:
    """Zip each theme as INSEE does: one `;` CSV named like the zip."""
    paths = {}
    for theme, table in base_cc(vintage).items():
        name = census.census_file(theme, vintage)
        with zipfile.ZipFile(tmp_path / name, "w") as zf:
            zf.writestr(name.replace(".zip", ".CSV"), table.to_csv(sep=";", index=False))
        paths[theme] = tmp_path / name
    return paths


@pytest.mark.parametrize("vintage", [2021, 2022])
def test_official_layout_of_both_nomenclatures(tmp_path, vintage):
    paths = write_official(tmp_path, vintage)
    themes = {t: census.read_base_cc(p, CODES) for t, p in paths.items()}
    assert themes["population"]["CODGEO"].tolist() == CODES  # text: leading zero and 2A kept
    counts = census.indicators(
        themes["population"], themes["employment"], themes["diplomas"], vintage
    )
    assert counts["group_farmers"].tolist() == [10.0, 20.0]
    assert counts["group_other_inactive"].tolist() == [80.0, 160.0]
    rates = census.rates(counts)
    assert rates["unemployment_rate"].tolist() == pytest.approx([0.25, 0.10])
    assert rates["share_managers"].iloc[0] == pytest.approx(30 / 360)


def test_group_columns_switch_at_rp2022():
    assert census.group_columns(2021)["managers"] == "C21_POP15P_CS3"
    assert census.group_columns(2022)["managers"] == "C22_POP15P_STAT_GSEC13_23"
    assert census.group_columns(2022, "ACT1564")["retired"] == "C22_ACT1564_STAT_GSEC32"


def test_wrong_vintage_names_the_missing_column(tmp_path):
    paths = write_official(tmp_path, 2021)
    themes = {t: census.read_base_cc(p, CODES) for t, p in paths.items()}
    with pytest.raises(
        census.CensusFormatError,
        match=r"pop-2021\.zip: expected column P22_POP \(check the census vintage",
    ):
        census.indicators(themes["population"], themes["employment"], themes["diplomas"], 2022)


def test_other_separator_missing_code_column_missing_commune_and_duplicates(tmp_path):
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
        census.read_base_cc(path, CODES)


def test_summary_sums_counts_before_computing_rates():
    t = base_cc(2022)
    counts = census.indicators(t["population"], t["employment"], t["diplomas"], 2022)
    communes = pd.DataFrame({"code": CODES, "in_study_zone": [True, False]})
    summary = census.summarise(counts, communes, "EPCI").set_index("level")
    assert summary.loc["Zone d'étude", "population"] == 100
    assert summary.loc["EPCI", "population"] == 400
    assert summary.loc["EPCI", "unemployment_rate"] == pytest.approx(
        25 / 190
    )  # not a mean of rates
    assert summary.loc["Zone d'étude", "annual_change"] == pytest.approx((100 / 110) ** (1 / 6) - 1)
    for long in (
        census.age_structure,
        census.socio_groups,
        census.diploma_levels,
        census.commuting_modes,
    ):
        shares = long(summary.reset_index()).groupby("level")["share"].sum()
        assert shares.tolist() == pytest.approx([1.0, 1.0])
    pyramid = census.pyramid(summary.reset_index())
    assert set(pyramid["sex"]) == {"Hommes", "Femmes"}
    zone = pyramid[pyramid["level"] == "Zone d'étude"]
    assert zone.loc[zone["sex"] == "Femmes", "share"].sum() == pytest.approx(0.52)


def test_zip_with_a_metadata_file_reads_the_data_file(tmp_path):
    path = tmp_path / "b.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("meta_base-cc.CSV", "COD_VAR;LIB_VAR\nP22_POP;Population\n")
        zf.writestr("base-cc.CSV", "CODGEO;P22_POP\n01001;10\n")
    assert census.read_base_cc(path)["P22_POP"].tolist() == [10]
