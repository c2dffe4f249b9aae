import pandas as pd
import pandera.pandas as pa
import pytest

from pipeline import validate
from pipeline.validate import InputFileError


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
    assert "line 3, column 'code': expected 5 digits, found '972'" in message
    assert "line 3, column 'part': expected a number (decimal point) between 0 and 1" in message
    # A check across columns shows the values of the columns it involves.
    assert "line 4: expected part + reste at most 1, found part='0.7', reste='0.6'" in message


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
