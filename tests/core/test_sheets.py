"""Spreadsheets read like CSV files: cells as text, rows numbered as the sheet shows them."""

import datetime as dt
import zipfile
from xml.sax.saxutils import escape

import openpyxl
import pandas as pd
import pandera.pandas as pa
import pytest

from pipeline.core import sheets, validate
from pipeline.core.validate import InputFileError

CSV = "code,part,date\n97201,12,2025-03-01\n97202,0.25,\n"


def schema():
    return pa.DataFrameSchema(
        {
            "code": pa.Column(
                checks=validate.matches(r"\d{5}", "5 digits"),
                unique=True,
                report_duplicates="exclude_first",
            ),
            "part": pa.Column(checks=validate.number(0, 100)),
            "date": pa.Column(checks=validate.iso_date(optional=True)),
        },
        strict=True,
    )


def xlsx(path, rows, title="données", start="A1"):
    """A workbook whose first sheet holds `rows` from cell `start`, and a second sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    first = sheet[start]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            sheet.cell(first.row + i, first.column + j, value)
    book.create_sheet("aide")["A1"] = "not read"
    book.save(path)
    return path


def ods(path, rows, title="données"):
    """A minimal OpenDocument spreadsheet (pandas writes .ods with odfpy, not installed)."""

    def cell(value):
        if value in (None, ""):
            return "<table:table-cell/>"
        if isinstance(value, int | float):
            kind = f'office:value-type="float" office:value="{value}"'
        else:
            kind = 'office:value-type="string"'
        return f"<table:table-cell {kind}><text:p>{escape(str(value))}</text:p></table:table-cell>"

    table = "".join(f"<table:table-row>{''.join(map(cell, r))}</table:table-row>" for r in rows)
    office = "urn:oasis:names:tc:opendocument:xmlns"
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        f'xmlns:office="{office}:office:1.0" xmlns:table="{office}:table:1.0" '
        f'xmlns:text="{office}:text:1.0" office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="{title}">{table}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        f'"{office}:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
        'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path


def from_csv(tmp_path):
    path = tmp_path / "csv" / "table.csv"
    path.parent.mkdir()
    path.write_text(CSV, encoding="utf-8")
    return sheets.read_checked_table(path, schema())


# Numbers and dates typed as such, headings in another case, empty rows and columns around.
TYPED = [
    [" Code ", "PART", "date"],
    [97201, 12.0, dt.datetime(2025, 3, 1)],
    [],
    ["97202", 0.25, None],
]


def test_a_sheet_reads_as_the_same_csv(tmp_path):
    path = xlsx(tmp_path / "table.xlsx", [[], *TYPED], start="B2")
    table = sheets.read_checked_table(path, schema())
    pd.testing.assert_frame_equal(table, from_csv(tmp_path))
    assert table.attrs["lines"] == [4, 6]  # rows as the spreadsheet numbers them


def test_an_ods_sheet_reads_as_the_same_csv(tmp_path):
    rows = [[v.date().isoformat() if isinstance(v, dt.date) else v for v in r] for r in TYPED]
    table = sheets.read_checked_table(ods(tmp_path / "table.ods", [[], *rows]), schema())
    pd.testing.assert_frame_equal(table, from_csv(tmp_path))
    assert table.attrs["lines"] == [3, 5]


@pytest.mark.parametrize(
    "value, text",
    [
        (12.0, "12"),
        (12.5, "12.5"),
        (0.1, "0.1"),
        (-3, "-3"),
        (dt.datetime(2025, 3, 1), "2025-03-01"),
        (dt.datetime(2025, 3, 1, 10, 30), "2025-03-01 10:30:00"),
        (dt.date(2025, 3, 1), "2025-03-01"),
        (True, "TRUE"),
        ("Le Prêcheur", "Le Prêcheur"),
    ],
)
def test_cells_read_as_a_csv_would_hold_them(value, text):
    assert sheets.cell_text(value) == text


def test_messages_name_the_sheet_the_row_and_the_column(tmp_path):
    rows = [["code", "part", "date"], [97201, 12, None], [97201, 150, "1er mars"]]
    path = xlsx(tmp_path / "table.xlsx", rows, start="A3")
    with pytest.raises(InputFileError) as error:
        sheets.read_checked_table(path, schema())
    message = str(error.value)
    assert message.startswith(f"{path}, sheet 'données': 3 problem(s)")
    assert "row 5, column 'code': expected a value not already used on an earlier row" in message
    assert "row 5, column 'part': expected a number (decimal point) between 0 and 100" in message
    assert (
        "row 5, column 'date': expected a date written YYYY-MM-DD or nothing, found text of 8"
        in message
    )
    assert "1er mars" not in message and "150" not in message  # values are never quoted


def test_columns_are_checked_at_the_heading_row(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [["code", "parts", "Date"], [97201, 1, None]], start="C4")
    with pytest.raises(InputFileError) as error:
        sheets.read_checked_table(path, schema())
    assert "row 4: missing column 'part'" in str(error.value)
    assert "row 4, column 'parts': unexpected" in str(error.value)


@pytest.mark.parametrize(
    "rows, message",
    [
        ([["code", None, "part"], [97201, "x", 1]], "row 2, column B: a value in a column without"),
        ([["Code", "code", "part"]], "row 1: duplicated column(s) code"),
        ([[None]], "sheet 'données': the sheet is empty"),
    ],
)
def test_sheets_that_are_not_one_table_are_refused(tmp_path, rows, message):
    with pytest.raises(InputFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        sheets.read_checked_table(xlsx(tmp_path / "t.xlsx", rows), schema())


def test_a_column_without_heading_or_value_is_skipped(tmp_path):
    rows = [["code", None, "part", "date"], [97201, None, 12, "2025-03-01"], ["97202", None, 0.25]]
    table = sheets.read_checked_table(xlsx(tmp_path / "t.xlsx", rows), schema())
    pd.testing.assert_frame_equal(table, from_csv(tmp_path))


def test_a_file_that_is_not_a_spreadsheet_is_refused(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(InputFileError, match=r"t\.xlsx: cannot be read as a spreadsheet"):
        sheets.read_checked_table(path, schema())


def test_a_sheet_is_found_by_name(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [["code"]])
    assert sheets.sheet_cells(path, "aide") == ("aide", [["not read"]])
    with pytest.raises(InputFileError, match=r"no sheet named 'codes' \(sheets: 'données', 'aide'"):
        sheets.sheet_cells(path, "codes")


def test_the_input_is_the_one_file_under_its_name(tmp_path):
    (tmp_path / "sites.backup.csv").write_text("x")  # another name
    with pytest.raises(FileNotFoundError, match=r"sites\.csv: input file not found \(looked"):
        sheets.input_file(tmp_path / "sites.csv")
    (tmp_path / "sites.XLSX").write_text("x")
    assert sheets.input_file(tmp_path / "sites.csv") == tmp_path / "sites.XLSX"
    (tmp_path / "sites.csv").write_text("x")
    with pytest.raises(InputFileError) as error:
        sheets.input_file(tmp_path / "sites.csv")
    assert str(error.value) == (
        f"{tmp_path / 'sites.XLSX'} and {tmp_path / 'sites.csv'}: the same input saved 2 "
        "times; keep only one of them"
    )


def test_csv_headings_are_trimmed_and_lowercased_too(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(" Code,Part ,DATE\n97201,12,2025-03-01\n97202,0.25,\n", encoding="utf-8")
    pd.testing.assert_frame_equal(sheets.read_checked_table(path, schema()), from_csv(tmp_path))
