"""Inputs kept as spreadsheets: an .xlsx (Excel) or .ods (LibreOffice) file read like a CSV.

An analyst's input (interview grid, candidate sites, benchmark, workshop ideas, survey codebook)
may be saved as CSV or as a spreadsheet under the same name: `input_file` finds the one that
exists (two of them are refused, naming both). The data are on the first sheet (other sheets,
such as a template's help and example, are not read) unless a reader names its sheets.

Sheets are read with python-calamine, cell by cell rather than through `pandas.read_excel`,
which drops empty rows: messages give each row's number as the spreadsheet shows it. The first
non-empty row holds the headings; empty rows and empty columns are skipped. Each cell becomes
the text a CSV would hold (`cell_text`), so the readers' checks apply unchanged: a whole number
typed as a number (12.0) reads "12", another its shortest form ("12.5"), a date "YYYY-MM-DD".

Headings, in a CSV as in a sheet, are trimmed and lowercased, as the official headings of these
inputs are written ("Surface_m2 " reads `surface_m2`); nothing else is rewritten (accents,
inner spaces), so a heading the reader does not know is named as found.
"""

from __future__ import annotations

import datetime as dt
import glob
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from pipeline.core.validate import InputFileError, check_table, csv_records

SHEET_SUFFIXES = (".xlsx", ".ods")
TABLE_SUFFIXES = (".csv", *SHEET_SUFFIXES)


def saved_as(path: Path, suffixes=TABLE_SUFFIXES) -> list[Path]:
    """The files named like `path` but for one of `suffixes` (in any case): a CSV file and the
    spreadsheets that would stand for it, say."""
    path = Path(path)
    return sorted(
        p
        for p in path.parent.glob(f"{glob.escape(path.stem)}.*")
        if p.stem == path.stem and p.suffix.lower() in suffixes and p.is_file()
    )


def input_file(path: Path, suffixes=TABLE_SUFFIXES) -> Path:
    """The one file `saved_as` `path`: none is a FileNotFoundError, two or more an
    InputFileError naming them."""
    found = saved_as(path, suffixes)
    if len(found) > 1:
        raise InputFileError(
            f"{' and '.join(map(str, found))}: the same input saved {len(found)} times; "
            "keep only one of them"
        )
    if not found:
        names = ", ".join(Path(path).stem + s for s in suffixes)
        raise FileNotFoundError(f"{path}: input file not found (looked for {names})")
    return found[0]


def cell_text(value) -> str:
    """A cell as the text a CSV would hold: numbers without a useless '.0', dates ISO."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def place(path: Path, sheet: str) -> str:
    """How messages name a sheet."""
    return f"{path}, sheet '{sheet}'"


def sheet_cells(path: Path, sheet: str | None = None) -> tuple[str, list[list[str]]]:
    """The name of the sheet (the first one unless `sheet` is given) and its cells as text,
    from A1 on: row r of the spreadsheet is item r - 1."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: input file not found")
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = book.sheet_names
        name = sheet or (names[0] if names else "")
        if name not in names:
            found = ", ".join(f"'{n}'" for n in names) or "none"
            raise InputFileError(f"{path}: no sheet named '{name}' (sheets: {found})")
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except CalamineError as err:  # its text is not quoted: it might show a cell
        raise InputFileError(
            f"{path}: cannot be read as a spreadsheet ({type(err).__name__}); save it again "
            "as .xlsx or .ods"
        ) from None
    return name, [[cell_text(c).strip() for c in row] for row in rows]


def sheet_records(path: Path, sheet: str | None = None) -> tuple[str, int, list[str], list]:
    """Sheet name, heading row, headings and (row, cells) records of a sheet's table: the
    first non-empty row holds the headings; empty rows and empty columns are skipped. A value
    in a column without heading is refused."""
    name, cells = sheet_cells(path, sheet)
    rows = [(number, row) for number, row in enumerate(cells, start=1) if any(row)]
    if not rows:
        raise InputFileError(f"{place(path, name)}: the sheet is empty")
    (first, header), body = rows[0], rows[1:]
    kept = []
    for i, heading in enumerate(header):
        filled = [number for number, row in body if row[i]]
        if heading:
            kept.append(i)
        elif filled:
            raise InputFileError(
                f"{place(path, name)}, row {filled[0]}, column {get_column_letter(i + 1)}: "
                f"a value in a column without heading (row {first} holds the headings)"
            )
    return name, first, [header[i] for i in kept], [(n, [r[i] for i in kept]) for n, r in body]


def headings(header: list[str], where, unit: str = "line", first: int = 1) -> list[str]:
    """Headings trimmed and lowercased; two that become the same are refused."""
    out = [h.strip().lower() for h in header]
    if dup := sorted({h for h in out if out.count(h) > 1}):
        raise InputFileError(f"{where}, {unit} {first}: duplicated column(s) {', '.join(dup)}")
    return out


def read_checked_sheet(
    path: Path, schema: pa.DataFrameSchema, sheet: str | None = None
) -> pd.DataFrame:
    """A sheet's table as stripped text checked against `schema` (as `read_checked_csv` does a
    CSV); messages name the file, the sheet, each row as numbered in the sheet and column."""
    name, first, header, records = sheet_records(path, sheet)
    where = place(path, name)
    return check_table(headings(header, where, "row", first), records, schema, where, "row", first)


def read_checked_table(path: Path, schema: pa.DataFrameSchema, sep: str = ",") -> pd.DataFrame:
    """A CSV file, or the first sheet of an .xlsx or .ods file, checked against `schema`, its
    headings trimmed and lowercased."""
    path = Path(path)
    if path.suffix.lower() in SHEET_SUFFIXES:
        return read_checked_sheet(path, schema)
    header, records = csv_records(path, sep)
    return check_table(headings(header, path), records, schema, path)
