"""Phase 02 MOBPRO reader: columns, codes, encodings, vintages and errors on hand-written files
and on fixtures in INSEE's layout (tests/sources/fixtures/mobpro: RP2021 with CS1, RP2022 with
GS, and the RP2022 Parquet file built from it with the types INSEE's file has)."""

import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.validate import InputWarning
from pipeline.mobility.flows import od_flows
from pipeline.sources import census, mobpro

FIXTURES = Path(__file__).parent / "fixtures" / "mobpro"
RESIDENTS = ["01001", "2A004"]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# ------------------------------------------------------------------------------------ reader


def test_read_mobpro_returns_exactly_the_territory_rows(tmp_path, mobpro_sample):
    table = mobpro.read_mobpro(mobpro_sample.write(tmp_path), mobpro_sample.territory)
    expected = pd.DataFrame(
        [r.split(";") for r in mobpro_sample.rows if not r.startswith("20001")],
        columns=mobpro_sample.header.split(";"),
    )
    expected["IPONDI"] = expected["IPONDI"].astype(float)
    assert list(table.columns) == ["COMMUNE", "DCLT", "TRANS", "IPONDI", "SEXE", "AGEREVQ", "GS"]
    pd.testing.assert_frame_equal(
        table, expected[list(table.columns)], check_dtype=False, check_index_type=False
    )


def test_read_mobpro_keeps_leading_zeros_and_all_columns_on_request(tmp_path, mobpro_sample):
    rows = ["01001;ZZZZZ;01004;99999;1.25;5;1;030;1;3"]
    table = mobpro.read_mobpro(
        mobpro_sample.write(tmp_path, rows=rows), ["01001"], all_columns=True
    )
    assert table.loc[0, "COMMUNE"] == "01001" and table.loc[0, "DCLT"] == "01004"
    assert list(table.columns) == mobpro_sample.header.split(";")


def test_read_mobpro_parquet_with_numeric_codes(tmp_path, mobpro_sample):
    frame = pd.DataFrame(
        {
            "COMMUNE": ["10001", "10002", "20001"],
            "DCLT": ["10002", "10002", "10001"],
            "IPONDI": [1.5, 2.25, 9.0],
            "TRANS": [5, 6, 5],  # integers, as some Parquet files store codes
            "SEXE": [1.0, 2.0, 1.0],  # floats: '1.0' must come back as '1'
            "AGEREVQ": ["030", "045", "050"],
            "GS": pd.Categorical(["3", "4", "5"]),
        }
    )
    frame.to_parquet(tmp_path / "RP2022_mobpro.parquet")
    table = mobpro.read_mobpro(tmp_path / "RP2022_mobpro.parquet", mobpro_sample.territory)
    assert table["TRANS"].tolist() == ["5", "6"]
    assert table["SEXE"].tolist() == ["1", "2"]
    assert table["GS"].tolist() == ["3", "4"]
    assert table["IPONDI"].tolist() == [1.5, 2.25]


def test_utf8_with_bom_reads_like_plain_utf8_with_a_warning(tmp_path, mobpro_sample):
    plain = mobpro.read_mobpro(
        mobpro_sample.write(tmp_path, name="FD_MOBPRO_2022.csv"), mobpro_sample.territory
    )
    bom = tmp_path / "bom" / "FD_MOBPRO_2022.csv"
    bom.parent.mkdir()
    mobpro_sample.write(bom.parent, encoding="utf-8-sig")
    assert bom.read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.warns(InputWarning, match="byte-order mark"):
        table = mobpro.read_mobpro(bom, mobpro_sample.territory)
    pd.testing.assert_frame_equal(table, plain)


def test_cp1252_file_is_read_with_a_warning(tmp_path, mobpro_sample):
    # An extra column with an accented header and accented values, in Windows-1252.
    header = mobpro_sample.header + ";LIBELLÉ"
    rows = [r + ";Lamentin – Génipa" for r in mobpro_sample.rows]
    path = mobpro_sample.write(tmp_path, header=header, rows=rows, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    with pytest.warns(mobpro.MobproEncodingWarning, match="not UTF-8"):
        table = mobpro.read_mobpro(path, mobpro_sample.territory)
    assert table["IPONDI"].sum() == pytest.approx(15.0)
    assert table["TRANS"].tolist() == ["2", "5", "5", "1", "5", "Z", "6", "1"]


def test_invalid_utf8_beyond_the_sniffed_bytes_is_read_with_a_warning(
    tmp_path, monkeypatch, mobpro_sample
):
    monkeypatch.setattr(mobpro, "SNIFF_BYTES", 80)
    rows = [*mobpro_sample.rows, "20001;ZZZZZ;10001;99999;1.0;5;1;035;1;3;Génipa"]
    header = mobpro_sample.header + ";NOTE"
    rows = [r + ";x" for r in mobpro_sample.rows] + [rows[-1]]
    path = tmp_path / "FD_MOBPRO_2022.csv"
    path.write_bytes((header + "\n" + "\n".join(rows) + "\n").encode("cp1252"))
    with pytest.warns(mobpro.MobproEncodingWarning, match="invalid UTF-8"):
        table = mobpro.read_mobpro(path, mobpro_sample.territory)
    assert len(table) == 8


def test_group_column_follows_the_vintage_as_the_census_bases_do():
    assert mobpro.group_column(2019) == "CS1"
    assert mobpro.group_column(2021) == "CS1"
    assert mobpro.group_column(2022) == "GS"
    assert mobpro.group_column(2023) == "GS"
    for vintage in (2021, 2022):  # the communal bases switch nomenclature at the same census
        pcs2020 = census.group_columns(vintage)["managers"].endswith("STAT_GSEC13_23")
        assert pcs2020 == (mobpro.group_column(vintage) == "GS")
    assert mobpro.vintage_of(Path("FD_MOBPRO_2016.csv")) == 2016
    assert mobpro.vintage_of(Path("RP2022_mobpro.parquet")) == 2022
    assert mobpro.vintage_of(Path("mobpro.csv")) is None


def test_cs1_file_read_as_a_recent_vintage_says_why(tmp_path, mobpro_sample):
    path = mobpro_sample.write(
        tmp_path, header=mobpro_sample.header.replace(";GS", ";CS1"), name="mobpro.csv"
    )
    with pytest.raises(mobpro.MobproFormatError) as err:
        mobpro.read_mobpro(path, mobpro_sample.territory, vintage=2022)
    message = str(err.value)
    assert "mobpro.csv" in message and "missing column(s) GS" in message
    assert "has CS1" in message and "census_vintage" in message


def test_trans_z_rows_are_kept(tmp_path, mobpro_sample):
    table = mobpro.read_mobpro(mobpro_sample.write(tmp_path), mobpro_sample.territory)
    z = table[table["TRANS"] == "Z"]
    assert z["IPONDI"].tolist() == [4.0]


# ------------------------------------------------------------------- INSEE's files, by vintage


@pytest.mark.parametrize(("vintage", "group"), [(2021, "CS1"), (2022, "GS")])
def test_official_csv_of_each_nomenclature(vintage, group):
    table = mobpro.read_mobpro(FIXTURES / mobpro.csv_name(vintage), RESIDENTS)
    assert list(table.columns) == [*mobpro.BASE_COLUMNS, group]
    assert table["COMMUNE"].tolist() == ["01001", "01001", "2A004", "2A004"]
    assert table["DCLT"].tolist() == ["01001", "01004", "2A004", "2B033"]
    assert table[group].tolist() == ["3", "5", "6", "2"]
    assert table["TRANS"].tolist() == ["2", "5", "Z", "4"]


def test_a_file_of_the_other_nomenclature_is_refused_with_why(tmp_path):
    path = tmp_path / mobpro.csv_name(2021)
    path.write_bytes((FIXTURES / mobpro.csv_name(2022)).read_bytes())
    with pytest.raises(mobpro.MobproFormatError) as err:
        mobpro.read_mobpro(path, RESIDENTS)
    assert "FD_MOBPRO_2021.csv: missing column(s) CS1" in str(err.value)
    assert "CS1 up to RP2021, GS from RP2022) but the file has GS" in str(err.value)


def official_parquet(folder: Path) -> Path:
    """INSEE's RP2022_mobpro.parquet for the 2022 fixture: codes as text (communes dictionary-
    encoded), TRANS as float64 (so Z, sans objet, is empty), IPONDI float64."""
    frame = pd.read_csv(FIXTURES / mobpro.csv_name(2022), sep=";", dtype=str)
    frame["COMMUNE"] = frame["COMMUNE"].astype("category")
    frame["TRANS"] = pd.to_numeric(frame["TRANS"], errors="coerce")
    frame["IPONDI"] = frame["IPONDI"].astype(float)
    path = Path(folder) / mobpro.parquet_name(2022)
    frame.to_parquet(path)
    return path


def test_the_official_parquet_reads_as_the_csv(tmp_path):
    plain = mobpro.read_mobpro(FIXTURES / mobpro.csv_name(2022), RESIDENTS)
    table = mobpro.read_mobpro(official_parquet(tmp_path), RESIDENTS)
    pd.testing.assert_frame_equal(table, plain)


def test_numeric_codes_of_a_parquet_file_get_their_leading_zeros_back(tmp_path):
    frame = pd.DataFrame({"COMMUNE": [1001, 2004], "DCLT": [1004.0, 1001.0], "TRANS": [5, 2],
                          "IPONDI": [1.5, 2.0], "SEXE": [1, 2], "AGEREVQ": [30, 45], "GS": [3, 4]})  # fmt: skip
    frame.to_parquet(tmp_path / "RP2022_mobpro.parquet")
    table = mobpro.read_mobpro(tmp_path / "RP2022_mobpro.parquet", ["01001"])
    assert table.loc[0, ["COMMUNE", "DCLT", "AGEREVQ"]].tolist() == ["01001", "01004", "030"]


def test_the_stage_reads_the_csv_or_else_the_parquet_file(tmp_path):
    assert mobpro.mobpro_path(tmp_path, 2022) == tmp_path / "FD_MOBPRO_2022.csv"  # neither
    official_parquet(tmp_path)
    assert mobpro.mobpro_path(tmp_path, 2022) == tmp_path / "RP2022_mobpro.parquet"
    (tmp_path / "FD_MOBPRO_2022.csv").write_bytes((FIXTURES / "FD_MOBPRO_2022.csv").read_bytes())
    assert mobpro.mobpro_path(tmp_path, 2022) == tmp_path / "FD_MOBPRO_2022.csv"


def test_vintages_with_five_modes_and_zips_are_refused(tmp_path, mobpro_sample):
    path = mobpro_sample.write(tmp_path, name="FD_MOBPRO_2016.csv")
    with pytest.raises(mobpro.MobproFormatError, match=r"2016\.csv: RP2016 is not read.*5 modes"):
        mobpro.read_mobpro(path, mobpro_sample.territory)
    path = write(tmp_path / "RP2022_mobpro_csv.zip", "PK")
    with pytest.raises(mobpro.MobproFormatError, match=r"a zip; extract its FD_MOBPRO_<year>\.csv"):
        mobpro.read_mobpro(path, mobpro_sample.territory)


# ------------------------------------------------------------------------------------ errors


def test_missing_columns_are_named_with_expected_and_found(tmp_path, mobpro_sample):
    path = mobpro_sample.write(tmp_path, header=mobpro_sample.header.replace("IPONDI", "POIDS"))
    with pytest.raises(mobpro.MobproFormatError) as err:
        mobpro.read_mobpro(path, mobpro_sample.territory)
    message = str(err.value)
    assert str(path) in message
    assert "missing column(s) IPONDI" in message
    assert "expected COMMUNE, DCLT, TRANS, IPONDI" in message and "found COMMUNE, ARM" in message


def test_another_separator_is_read_with_a_warning_and_none_is_named(tmp_path, mobpro_sample):
    plain = mobpro.read_mobpro(mobpro_sample.write(tmp_path), mobpro_sample.territory)
    rows = [r.replace(";", ",") for r in mobpro_sample.rows]
    path = mobpro_sample.write(tmp_path, header=mobpro_sample.header.replace(";", ","), rows=rows)
    with pytest.warns(InputWarning, match="separated by ',', not ';'"):
        pd.testing.assert_frame_equal(mobpro.read_mobpro(path, mobpro_sample.territory), plain)
    path = write(tmp_path / "FD_MOBPRO_2022.csv", "COMMUNE DCLT TRANS\n1 2 3\n")
    with pytest.raises(
        mobpro.MobproFormatError, match=r"line 1: expected columns separated by ';'.*one column"
    ):
        mobpro.read_mobpro(path, mobpro_sample.territory)


@pytest.mark.parametrize("content", ["", "\n\n", "   "])
def test_empty_file(tmp_path, content, mobpro_sample):
    path = write(tmp_path / "FD_MOBPRO_2022.csv", content)
    with pytest.raises(mobpro.MobproFormatError, match="FD_MOBPRO_2022.csv: empty file"):
        mobpro.read_mobpro(path, mobpro_sample.territory)


def test_header_without_rows(tmp_path, mobpro_sample):
    path = write(tmp_path / "FD_MOBPRO_2022.csv", mobpro_sample.header + "\n")
    with pytest.raises(mobpro.MobproFormatError, match="header line but no data row"):
        mobpro.read_mobpro(path, mobpro_sample.territory)


def test_missing_file(tmp_path, mobpro_sample):
    with pytest.raises(FileNotFoundError, match="MOBPRO file not found"):
        mobpro.read_mobpro(tmp_path / "FD_MOBPRO_2022.csv", mobpro_sample.territory)


def test_non_numeric_weight_names_line_column_and_value(tmp_path, mobpro_sample):
    rows = [*mobpro_sample.rows]
    rows[3] = rows[3].replace(";2.0;", ";deux;")  # file line 5 (header is line 1)
    rows[5] = rows[5].replace(";3.0;", ";3,0,5;")
    with pytest.raises(mobpro.MobproFormatError) as err:
        mobpro.read_mobpro(mobpro_sample.write(tmp_path, rows=rows), mobpro_sample.territory)
    message = str(err.value)
    assert "FD_MOBPRO_2022.csv, line 5, column IPONDI" in message
    assert "expected a non-negative number" in message and "found 'deux'" in message
    assert "and 1 other row(s)" in message and "decimal comma" in message


def test_decimal_comma_weights_are_read_with_a_warning(tmp_path, mobpro_sample):
    plain = mobpro.read_mobpro(mobpro_sample.write(tmp_path), mobpro_sample.territory)
    rows = [r.replace(".", ",") for r in mobpro_sample.rows]
    with pytest.warns(InputWarning, match="decimal comma read as a point in column.*IPONDI"):
        table = mobpro.read_mobpro(
            mobpro_sample.write(tmp_path, rows=rows), mobpro_sample.territory
        )
    pd.testing.assert_frame_equal(table, plain)


def test_empty_or_negative_weight_is_an_error(tmp_path, mobpro_sample):
    rows = [mobpro_sample.rows[0].replace(";2.0;", ";;")]
    with pytest.raises(mobpro.MobproFormatError, match="line 2, column IPONDI.*found ''"):
        mobpro.read_mobpro(mobpro_sample.write(tmp_path, rows=rows), mobpro_sample.territory)
    rows = [mobpro_sample.rows[0].replace(";2.0;", ";-2.0;")]
    with pytest.raises(mobpro.MobproFormatError, match="found '-2.0'"):
        mobpro.read_mobpro(mobpro_sample.write(tmp_path, rows=rows), mobpro_sample.territory)


def test_unknown_trans_code_names_line_and_expected_codes(tmp_path, mobpro_sample):
    rows = [*mobpro_sample.rows]
    rows[1] = rows[1].replace(";1.5;5;", ";1.5;7;")  # file line 3
    with pytest.raises(mobpro.MobproFormatError) as err:
        mobpro.read_mobpro(mobpro_sample.write(tmp_path, rows=rows), mobpro_sample.territory)
    assert str(err.value).endswith(
        "FD_MOBPRO_2022.csv, line 3, column TRANS: expected one of 1, 2, 3, 4, 5, 6, Z, found '7'"
    )


def test_parquet_errors_name_the_row(tmp_path, mobpro_sample):
    frame = pd.DataFrame(
        {
            "COMMUNE": ["10001", "10001"],
            "DCLT": ["10001", "10002"],
            "IPONDI": [1.0, 2.0],
            "TRANS": ["5", "9"],
            "SEXE": ["1", "2"],
            "AGEREVQ": ["030", "040"],
            "GS": ["3", "4"],
        }
    )
    frame.to_parquet(tmp_path / "RP2022_mobpro.parquet")
    with pytest.raises(mobpro.MobproFormatError, match=r"parquet, row 2, column TRANS"):
        mobpro.read_mobpro(tmp_path / "RP2022_mobpro.parquet", mobpro_sample.territory)


# ------------------------------------------------------------------- property-based round trip


ROW_STRATEGY = st.tuples(
    st.sampled_from(["10001", "10002", "20001", "2A004"]),  # residence
    st.sampled_from(["10001", "10002", "10003", "99999"]),  # workplace
    st.integers(min_value=0, max_value=10**7),  # weight × 10^6
    st.sampled_from(list(mobpro.TRANS_LABELS)),
    st.sampled_from(["1", "2", "3", "4", "5", "6"]),
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(ROW_STRATEGY, min_size=1, max_size=40), bom=st.booleans())
def test_weights_by_origin_survive_the_csv_round_trip(rows, bom, mobpro_sample):
    frame = pd.DataFrame(rows, columns=["COMMUNE", "DCLT", "W", "TRANS", "GS"])
    frame["IPONDI"] = frame["W"] / 10**6
    lines = [
        f"{c};ZZZZZ;{d};99999;{w / 10**6:.6f};{t};1;040;1;{g}"
        for c, d, w, t, g in zip(
            frame["COMMUNE"], frame["DCLT"], frame["W"], frame["TRANS"], frame["GS"]
        )
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = mobpro_sample.write(Path(tmp), rows=lines, encoding="utf-8-sig" if bom else "utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InputWarning)  # the BOM
            table = mobpro.read_mobpro(path, mobpro_sample.territory + ["2A004"])
    kept = frame[frame["COMMUNE"].isin(mobpro_sample.territory + ["2A004"])]
    assert len(table) == len(kept)
    expected = kept.groupby("COMMUNE")["IPONDI"].sum()
    found = table.groupby("COMMUNE")["IPONDI"].sum()
    pd.testing.assert_series_equal(
        found, expected, check_names=False, check_index_type=False, check_dtype=False, rtol=1e-12
    )
    flows = od_flows(table)
    assert flows["workers"].sum() == pytest.approx(kept["IPONDI"].sum())
    assert set(table["TRANS"]) <= set(mobpro.TRANS_LABELS)
