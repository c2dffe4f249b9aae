import zipfile

import pandas as pd
import pytest

from pipeline import census


def write_zip(path, text, member="base.CSV"):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(member, text)
    return path


def test_read_base_cc_keeps_codes_as_text_and_filters(tmp_path):
    path = write_zip(tmp_path / "b.zip", "CODGEO;P22_POP\n01001;10.5\n2A004;20\n97225;30\n")
    table = census.read_base_cc(path, ["01001", "2A004"])
    assert list(table["CODGEO"]) == ["01001", "2A004"]
    assert table["P22_POP"].sum() == 30.5


def test_wrong_separator_is_named(tmp_path):
    path = write_zip(tmp_path / "b.zip", "CODGEO,P22_POP\n01001,10\n")
    with pytest.raises(census.CensusFormatError, match=r"b\.zip: column CODGEO missing .*';'"):
        census.read_base_cc(path)


def test_missing_column_names_the_vintage_hint():
    with pytest.raises(census.CensusFormatError, match="expected column P21_POP"):
        census.column(pd.DataFrame({"P22_POP": [1]}), "P21_POP")


def counts(yy="22"):
    pop = pd.DataFrame(
        {
            "CODGEO": ["a", "b"],
            f"P{yy}_POP": [100.0, 300.0],
            "P16_POP": [110.0, 300.0],
            f"P{yy}_POPH": [48.0, 150.0],
            f"P{yy}_POPF": [52.0, 150.0],
        }
    )
    for band in census.AGE_BANDS:
        pop[f"P{yy}_POP{band}"] = pop[f"P{yy}_POP"] / len(census.AGE_BANDS)
    emp = pd.DataFrame(
        {
            "CODGEO": ["a", "b"],
            f"P{yy}_POP1564": [60.0, 200.0],
            f"P{yy}_ACT1564": [40.0, 150.0],
            f"P{yy}_ACTOCC1564": [30.0, 135.0],
            f"P{yy}_CHOM1564": [10.0, 15.0],
            f"P{yy}_ETUD1564": [5.0, 10.0],
            f"P{yy}_ACTOCC15P": [31.0, 140.0],
        }
    )
    for mode in census.MODES:
        emp[f"C{yy}_ACTOCC15P_{mode}"] = emp[f"P{yy}_ACTOCC15P"] / len(census.MODES)
    return pop, emp


def test_indicators_and_rates():
    pop, emp = counts()
    ind = census.indicators(pop, emp, 2022)
    rates = census.rates(ind)
    assert rates["unemployment_rate"].tolist() == pytest.approx([0.25, 0.10])
    assert rates["activity_rate"].tolist() == pytest.approx([40 / 60, 0.75])
    assert ind["annual_change"].iloc[0] == pytest.approx((100 / 110) ** (1 / 6) - 1)


def test_summary_sums_counts_before_computing_rates():
    pop, emp = counts()
    ind = census.indicators(pop, emp, 2022)
    ind = pd.concat([ind, census.rates(ind)], axis=1)
    communes = pd.DataFrame({"code": ["a", "b"], "in_study_zone": [True, False]})
    summary = census.summarise(ind, communes, "EPCI").set_index("level")
    assert summary.loc["Zone d'étude", "population"] == 100
    assert summary.loc["EPCI", "population"] == 400
    # (10 + 15) / (40 + 150), not the mean of the two rates
    assert summary.loc["EPCI", "unemployment_rate"] == pytest.approx(25 / 190)
    pyramid = census.age_pyramid(summary.reset_index())
    assert pyramid.groupby("level")["share"].sum().tolist() == pytest.approx([1.0, 1.0])
