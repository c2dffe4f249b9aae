"""Checks of raw CSV inputs with pandera: messages name the file, line and column.

pandera reports 0-based row positions; `record_lines` maps them to the file's real line
numbers (quoted multi-line records and blank lines included).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

MAX_REPORTED = 20
# Checks across the columns of a row, made by `row_check`: error text -> the columns whose
# values a failure message shows as "found".
ROW_CHECK_COLUMNS: dict[str, list[str]] = {}


class InputFileError(ValueError):
    """A raw input file breaks its schema; the message names file, line and column."""


def non_empty() -> pa.Check:
    return pa.Check(lambda s: s.str.len() > 0, error="a non-empty value")


def matches(pattern: str, what: str, optional: bool = False) -> pa.Check:
    def check(s: pd.Series) -> pd.Series:
        ok = s.str.fullmatch(pattern)
        return ok | (s == "") if optional else ok

    return pa.Check(check, error=what + (" or nothing" if optional else ""))


def number(
    low: float | None = None,
    high: float | None = None,
    optional: bool = False,
    integer: bool = False,
) -> pa.Check:
    """A decimal number (point as separator) within [low, high]."""
    kind = "a whole number" if integer else "a number (decimal point)"
    bounds = (
        f" between {low:g} and {high:g}"
        if low is not None and high is not None
        else f" of at least {low:g}"
        if low is not None
        else f" of at most {high:g}"
        if high is not None
        else ""
    )

    def check(s: pd.Series) -> pd.Series:
        values = pd.to_numeric(s, errors="coerce")
        ok = values.notna()
        if integer:
            ok &= values == values.round()
        if low is not None:
            ok &= values >= low
        if high is not None:
            ok &= values <= high
        return ok | (s == "") if optional else ok

    return pa.Check(check, error=kind + bounds + (" or nothing" if optional else ""))


def iso_date(optional: bool = False) -> pa.Check:
    def check(s: pd.Series) -> pd.Series:
        parsed = pd.to_datetime(
            s.where(s.str.fullmatch(r"\d{4}-\d{2}-\d{2}")), format="%Y-%m-%d", errors="coerce"
        )
        return parsed.notna() | (s == "") if optional else parsed.notna()

    return pa.Check(check, error="a date written YYYY-MM-DD" + (" or nothing" if optional else ""))


def one_of(values, optional: bool = False) -> pa.Check:
    allowed = set(values)
    return pa.Check(
        lambda s: s.isin(allowed) | ((s == "") if optional else False),
        error="one of: " + ", ".join(values) + (" or nothing" if optional else ""),
    )


def list_of(values, optional: bool = True) -> pa.Check:
    """'|'-separated items, each among `values`."""
    allowed = set(values)

    def check(s: pd.Series) -> pd.Series:
        ok = s.map(lambda text: all(item.strip() in allowed for item in text.split("|")))
        return ok | (s == "") if optional else ok

    return pa.Check(
        check,
        error="'|'-separated values among: "
        + ", ".join(values)
        + (" or nothing" if optional else ""),
    )


def row_check(columns, check, error: str) -> pa.Check:
    """A check across the columns of each row; its failures show those columns' values."""
    ROW_CHECK_COLUMNS[error] = list(columns)
    return pa.Check(check, error=error)


def _found(values: dict[str, str], columns: list[str]) -> str:
    shown = [f"{c}={values[c]!r}" for c in columns if c in values]
    return f", found {', '.join(shown)}" if shown else ""


def record_lines(path: Path, sep: str = ",") -> list[int]:
    """File line (1-based) on which each data record starts; blank lines skipped, as pandas does."""
    starts, end = [], 0
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh, delimiter=sep)
        for row in reader:
            start, end = end + 1, reader.line_num
            if row:
                starts.append(start)
    return starts[1:]


def describe_failures(path: Path, failures: pd.DataFrame, lines: list[int]) -> str:
    """One readable line per failure: file, line, column, what was expected, what was found."""
    messages = {}
    row_values: dict[tuple, dict[str, str]] = {}  # (row, check) -> column -> value
    for _, f in failures.iterrows():
        if f["schema_context"] == "DataFrameSchema" and not pd.isna(f["index"]):
            values = row_values.setdefault((int(f["index"]), f["check"]), {})
            values[str(f["column"])] = str(f["failure_case"])
    for _, f in failures.iterrows():
        row, column = f["index"], f["column"]
        check = {"field_uniqueness": "a value not already used on an earlier line"}.get(
            f["check"], f["check"]
        )
        if f["check"] == "column_in_dataframe":
            key, text = 0, f"missing column '{f['failure_case']}'"
        elif row is None or pd.isna(row):
            key, text = 0, f"column '{column}': expected {check}"
        else:
            key = lines[int(row)] if int(row) < len(lines) else int(row) + 2
            if f["schema_context"] == "DataFrameSchema":  # a check across columns of a row
                found = _found(
                    row_values.get((int(row), f["check"]), {}),
                    ROW_CHECK_COLUMNS.get(f["check"], []),
                )
                text = f"line {key}: expected {check}{found}"
            else:
                text = (
                    f"line {key}, column '{column}': expected {check}, "
                    f"found {str(f['failure_case'])!r}"
                )
        messages.setdefault(text, key)
    ordered = sorted(messages, key=messages.get)
    shown, more = ordered[:MAX_REPORTED], len(ordered) - MAX_REPORTED
    return (
        f"{path}: {len(ordered)} problem(s)\n  "
        + "\n  ".join(shown)
        + (f"\n  ... and {more} more" if more > 0 else "")
    )


def read_checked_csv(path: Path, schema: pa.DataFrameSchema, sep: str = ",") -> pd.DataFrame:
    """Read a CSV as stripped text and check it against `schema`, or raise InputFileError."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: input file not found")
    table = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    table = table.apply(lambda column: column.str.strip()) if len(table) else table
    try:
        schema.validate(table, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise InputFileError(
            describe_failures(path, exc.failure_cases, record_lines(path, sep))
        ) from None
    return table


def to_numbers(table: pd.DataFrame, columns) -> pd.DataFrame:
    """Checked text columns as floats (an empty cell becomes NaN)."""
    out = table.copy()
    for column in columns:
        if column in out:
            out[column] = pd.to_numeric(out[column].replace("", None), errors="raise").astype(float)
    return out


def require_columns(table: pd.DataFrame, columns, where: str) -> pd.DataFrame:
    """The table, or an error naming where it comes from and the columns it lacks."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(
            f"{where}: missing column(s) {', '.join(missing)}; "
            f"found: {', '.join(map(str, table.columns))}"
        )
    return table
