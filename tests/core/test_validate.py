import pandas as pd
import pandera.pandas as pa
import pytest

from pipeline.core import validate
from pipeline.core.validate import InputFileError


def write(tmp_path, text, name="fichier.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def schema():
    return pa.DataFrameSchema(
        {
            "code": pa.Column(checks=validate.matches(r"\d{5}", "5 digits")),
            "part": pa.Column(checks=validate.number(0, 1)),
            "reste": pa.Column(checks=validate.number(0, 1, optional=True)),
        },
        checks=validate.row_check(
            ["part", "reste"],
            lambda df: (
                pd.to_numeric(df["part"], errors="coerce").fillna(0)
                + pd.to_numeric(df["reste"], errors="coerce").fillna(0)
                <= 1
            ),
            "part + reste at most 1",
        ),
    )


def test_messages_name_file_line_column_expected_and_found(tmp_path):
    path = write(tmp_path, "code,part,reste\n97201,0.5,0.2\n972,1.5,\n97203,0.7,0.6\n")
    with pytest.raises(InputFileError) as error:
        validate.read_checked_csv(path, schema())
    message = str(error.value)
    assert message.startswith(f"{path}: ")
    assert "line 3, column 'code': expected 5 digits, found a number of 3 digits" in message
    assert "line 3, column 'part': expected a number (decimal point) between 0 and 1" in message
    # A check across columns names the columns it involves (here its text does), not the values.
    assert message.endswith("line 4: expected part + reste at most 1") and "0.7" not in message


def test_messages_never_quote_the_value_found(tmp_path):
    """A phone number typed into a number column, a name in a code column: personal data that
    would reach the executed notebook; the message says what the value looks like instead."""
    path = write(tmp_path, "code,part,reste\nJean DUPONT,0696 12 34 56,0696123456\n")
    with pytest.raises(InputFileError) as error:
        validate.read_checked_csv(path, schema())
    message = str(error.value)
    for secret in ("DUPONT", "Jean", "0696", "12 34 56"):
        assert secret not in message
    assert "line 2, column 'code': expected 5 digits, found text of 11 characters" in message
    assert "column 'part'" in message and "(digits, spaces)" in message
    assert "column 'reste'" in message and "found a number of 10 digits" in message


@pytest.mark.parametrize(
    "value, expected",
    [
        ("", "nothing"),
        ("-1", "a negative number of 1 digit"),
        ("1.4", "a number of 2 digits"),
        ("sept", "text of 4 characters (letters)"),
        ("jean@example.org", "text of 16 characters (letters, other signs)"),
    ],
)
def test_described(value, expected):
    assert validate.described(value) == expected


def test_a_header_alone_reads_as_an_empty_table_or_is_refused_by_name(tmp_path):
    path = write(tmp_path, "code,part,reste\n")
    table = validate.read_checked_csv(path, schema())
    assert table.empty and list(table.columns) == ["code", "part", "reste"]
    listed = pa.DataFrameSchema({"items": pa.Column(checks=validate.list_of(["a", "b"]))})
    assert validate.read_checked_csv(write(tmp_path, "items\n", "l.csv"), listed).empty
    with pytest.raises(InputFileError, match="missing column 'reste'"):
        validate.read_checked_csv(write(tmp_path, "code,part\n"), schema())
    with pytest.raises(
        InputFileError, match=r"fichier.csv: the file holds no row \(header line only\); at least 1"
    ):
        validate.require_rows(table, path, "row")
    with pytest.warns(validate.InputWarning, match="holds no place .*: read as no place"):
        validate.warn_empty(table, path, "place", "no place")


def test_line_numbers_count_blank_lines_and_quoted_line_breaks(tmp_path):
    path = write(tmp_path, 'code,part,reste\n\n"97201",0.5,\n"97\n202",0.5,\n')
    header, records = validate.read_records(path.read_text(), ",")
    assert [line for line, _ in records] == [3, 4]
    with pytest.raises(InputFileError, match="line 4, column 'code'"):
        validate.read_checked_csv(path, schema())


def test_a_missing_file_and_a_missing_column_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="absent.csv: input file not found"):
        validate.read_checked_csv(tmp_path / "absent.csv", schema())
    path = write(tmp_path, "code,part\n97201,0.5\n")
    with pytest.raises(InputFileError, match="missing column 'reste'"):
        validate.read_checked_csv(path, schema())


def test_values_are_read_as_stripped_text_then_numbers(tmp_path):
    path = write(tmp_path, "code,part,reste\n 97201 , 0.5 ,\n")
    table = validate.read_checked_csv(path, schema())
    assert table.loc[0, "code"] == "97201"
    numbers = validate.to_numbers(table, ["part", "reste"])
    assert numbers.loc[0, "part"] == 0.5 and pd.isna(numbers.loc[0, "reste"])


def test_require_columns_names_the_table_and_what_it_has():
    table = pd.DataFrame({"a": [1], "b": [2]})
    assert validate.require_columns(table, ["a"], "x") is table
    with pytest.raises(
        ValueError, match=r"03_survey/estimates: missing column\(s\) c; found: a, b"
    ):
        validate.require_columns(table, ["a", "c"], "03_survey/estimates")
