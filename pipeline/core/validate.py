"""Reading and checking raw inputs: messages name the file, line and column.

What can be read safely is read with an `InputWarning`: a UTF-8 byte-order mark, a file in
Windows-1252 (Latin-1) rather than UTF-8, another separator than the declared one, numbers
written with a decimal comma. Anything else wrong is refused with an `InputFileError`.

CSV files are split with the `csv` module, which gives each record the file line it starts on
(quoted multi-line records and blank lines included); pandera then checks the values
(`check_table`, which also checks the rows of a spreadsheet: `pipeline.core.sheets`).

Messages never quote a refused value: a raw file may hold personal data (a phone number typed into
a number column, a name in a commune field), and messages end up in executed notebooks. They say
what the value looks like instead (`described`): a number of so many digits, or text of so many
characters.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

MAX_REPORTED = 20
SEPARATORS = (",", ";", "\t")
DECIMAL_COMMA = r"[+-]?\d*,\d+"
INSEE_CODE = r"\d{5}|2[AB]\d{3}"  # a commune (Corsica: 2A, 2B)
NUMBER = "number"  # title of the checks made by `number`: their column may hold a decimal comma
BOUNDS = ("low", "high", "integer")  # `statistics` of a `number` check (allowed: `one_of`'s)
# Checks across the columns of a row (`row_check`): error text -> the columns its messages name.
ROW_CHECK_COLUMNS: dict[str, list[str]] = {}


class InputFileError(ValueError):
    """A raw input file cannot be read as declared; the message names file, line and column."""


class InputWarning(UserWarning):
    """A raw input file was read with an assumption (encoding, BOM, separator, decimal comma)."""


def warn(path, message: str) -> None:
    warnings.warn(f"{path}: {message}", InputWarning, stacklevel=3)


# Bytes to records ---------------------------------------------------------------------------


def decode(raw: bytes, path: Path | str = "file") -> tuple[str, str]:
    """Text and encoding of a file: UTF-8, else Windows-1252 (Latin-1), with a warning; a
    byte-order mark is dropped with a warning."""
    if not raw.strip():
        raise InputFileError(f"{path}: the file is empty")
    if raw.startswith(codecs.BOM_UTF8):
        warn(path, "starts with a UTF-8 byte-order mark (BOM), ignored")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        warn(
            path,
            f"not UTF-8 (byte {raw[exc.start]:#04x} on line {line}): read as Windows-1252 "
            "(Latin-1); save it as UTF-8 if you can",
        )
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def lines(text: str):
    """The lines of `text`, ends kept, one at a time: a reader of the header alone does not
    copy a national file the way `io.StringIO(text)` would."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def separator(text: str, path: Path | str = "file", expected: str | None = None) -> str:
    """The separator that splits the header record into the most fields. When one is
    `expected`, it is kept unless another splits the header further (then with a warning)."""
    counts = {}
    for sep in SEPARATORS:
        try:
            counts[sep] = len(next(csv.reader(lines(text), delimiter=sep)))
        except (csv.Error, StopIteration):
            counts[sep] = 0
    best = max(counts, key=counts.get)
    if expected is not None:
        if counts[best] <= counts.get(expected, 0):
            return expected
        warn(
            path, f"columns separated by {best!r}, not {expected!r} as declared: read with {best!r}"
        )
        return best
    if counts[best] < 2 or list(counts.values()).count(counts[best]) > 1:
        raise InputFileError(
            f"{path}, line 1: cannot tell the separator from the header (',' or ';')"
        )
    return best


def count_fields(line: str, sep: str) -> int:
    """Number of fields of one line (counted fast unless it quotes some)."""
    if '"' not in line:
        return line.count(sep) + 1
    return len(next(csv.reader([line.replace("\r", "")], delimiter=sep)))


def read_records(text: str, sep: str, path: Path | str = "file") -> tuple[list[str], list]:
    """Header and (line, fields) records; a record's line is where it starts in the file.
    A record with another number of fields than the header, or a quoted field left open
    (a truncated file), is refused."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    header, records, previous = None, [], 0
    try:
        for fields in reader:
            line, previous = previous + 1, reader.line_num
            if not fields or fields == [""]:
                continue
            if header is None:
                header = [f.strip() for f in fields]
                continue
            if len(fields) != len(header):
                raise InputFileError(
                    f"{path}, line {line}: expected {len(header)} fields, found {len(fields)}"
                )
            records.append((line, fields))
    except csv.Error as err:
        raise InputFileError(f"{path}, line {reader.line_num}: malformed CSV ({err})") from None
    if header is None:
        raise InputFileError(f"{path}: the file is empty")
    if dup := sorted({h for h in header if header.count(h) > 1}):
        raise InputFileError(f"{path}, line 1: duplicated column(s) {', '.join(dup)}")
    return header, records


def decimal_points(table: pd.DataFrame, columns, path: Path | str = "file") -> pd.DataFrame:
    """Numbers written with a decimal comma ('12,5') read as '12.5', with a warning. The text
    columns are matched as one block: a census table has hundreds of them."""
    out = table.copy()
    columns = [c for c in columns if c in out]
    if not columns or not len(out):
        return out
    flat = pd.Series(out[columns].to_numpy(dtype=object).ravel())
    comma = flat.str.fullmatch(DECIMAL_COMMA).fillna(False).astype(bool)
    if comma.any():
        flat = flat.where(~comma, flat.str.replace(",", "."))
        out[columns] = flat.to_numpy().reshape(len(out), len(columns))
        changed = [columns[i] for i in sorted(set(comma.to_numpy().nonzero()[0] % len(columns)))]
        warn(path, f"decimal comma read as a point in column(s) {', '.join(changed)}")
    return out


# Checks -------------------------------------------------------------------------------------


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
    """A decimal number (point as separator) within [low, high] (its `statistics`)."""
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

    error, bounds = kind + bounds + (" or nothing" if optional else ""), (low, high, integer)
    return pa.Check(check, error=error, title=NUMBER, statistics=dict(zip(BOUNDS, bounds)))


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
        statistics={"allowed": list(values)},
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
        statistics={"allowed": list(values), "separator": "|"},
    )


def row_check(columns, check, error: str) -> pa.Check:
    """A check across the columns of each row; its failures name those columns."""
    ROW_CHECK_COLUMNS[error] = list(columns)
    return pa.Check(check, error=error)


def described(value) -> str:
    """What a refused value looks like, without quoting it: it may be personal data."""
    text = str(value).strip()
    if not text:
        return "nothing"
    digits = sum(c.isdigit() for c in text)
    if re.fullmatch(r"[+-]?\d*[.,]?\d+", text):
        sign = "a negative number" if text.startswith("-") else "a number"
        return f"{sign} of {digits} digit{'s' * (digits > 1)}"
    kinds = [
        kind
        for kind, present in (
            ("letters", any(c.isalpha() for c in text)),
            ("digits", digits > 0),
            ("spaces", any(c.isspace() for c in text)),
            ("other signs", any(not (c.isalnum() or c.isspace()) for c in text)),
        )
        if present
    ]
    return f"text of {len(text)} character{'s' * (len(text) > 1)} ({', '.join(kinds)})"


def describe_failures(path, failures, lines, columns=(), unit="line", header=1) -> str:
    """One readable line per failure: file (or file and sheet), line (`unit`), column, what was
    expected and what the value found looks like (never the value). `lines` are the file lines
    of the records, `header` the header's; `columns`, those the schema expects."""
    messages = {}
    row_columns: dict[tuple, list[str]] = {}  # (row, check across columns) -> its columns
    for _, f in failures.iterrows():
        if f["schema_context"] == "DataFrameSchema" and not pd.isna(f["index"]):
            named = row_columns.setdefault((int(f["index"]), f["check"]), [])
            named += [str(f["column"])] if f["column"] is not None else []
    for _, f in failures.iterrows():
        row, column = f["index"], f["column"]
        check = {
            "field_uniqueness": f"a value not already used on an earlier {unit}",
            "multiple_fields_uniqueness": f"values not already used together on an earlier {unit}",
        }.get(f["check"], f["check"])
        if f["check"] == "column_in_dataframe":
            key, text = header, f"{unit} {header}: missing column '{f['failure_case']}'"
        elif f["check"] == "column_in_schema":
            expected = ", ".join(columns)
            key = header
            text = f"{unit} {header}, column '{f['failure_case']}': unexpected (expected only {expected})"
        elif row is None or pd.isna(row):
            key, text = 0, f"column '{column}': expected {check}"
        else:
            key = lines[int(row)] if int(row) < len(lines) else int(row) + 2
            if f["schema_context"] == "DataFrameSchema":  # a check across columns of a row
                named = ROW_CHECK_COLUMNS.get(f["check"], row_columns[int(row), f["check"]])
                across = ", ".join(c for c in dict.fromkeys(named) if c not in check)
                across = f" (columns {across})" if across else ""
                text = f"{unit} {key}: expected {check}{across}"
            else:
                found = described(f["failure_case"])
                text = f"{unit} {key}, column '{column}': expected {check}, found {found}"
        messages.setdefault(text, key)
    ordered = sorted(messages, key=messages.get)
    shown, more = ordered[:MAX_REPORTED], len(ordered) - MAX_REPORTED
    return (
        f"{path}: {len(ordered)} problem(s)\n  "
        + "\n  ".join(shown)
        + (f"\n  ... and {more} more" if more > 0 else "")
    )


def number_columns(schema: pa.DataFrameSchema) -> list[str]:
    """Columns that `schema` checks with `number`."""
    return [
        name
        for name, column in schema.columns.items()
        if any(check.title == NUMBER for check in column.checks)
    ]


def csv_records(path: Path, sep: str = ",") -> tuple[list[str], list]:
    """Header and (line, fields) records of a CSV file, decoded, its separator checked."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: input file not found")
    text, _ = decode(path.read_bytes(), path)
    return read_records(text, separator(text, path, expected=sep), path)


def read_checked_csv(path: Path, schema: pa.DataFrameSchema, sep: str = ",") -> pd.DataFrame:
    """Read a CSV as stripped text and check it against `schema`, or raise InputFileError."""
    return check_table(*csv_records(path, sep), schema, path)


def check_table(header, records, schema, path, unit="line", first=1) -> pd.DataFrame:
    """(line, fields) records as stripped text checked against `schema`, or an InputFileError
    naming `path` (or file and sheet), `unit` (line or row: `first` is the header's) and column."""
    table = pd.DataFrame([fields for _, fields in records], columns=header, dtype=str)
    table = table.apply(lambda column: column.str.strip()) if len(table) else table
    table = decimal_points(table, number_columns(schema), path)
    if table.empty:  # a header alone: only its columns can be checked
        schema = pa.DataFrameSchema(
            {name: pa.Column(required=c.required) for name, c in schema.columns.items()},
            strict=schema.strict,
        )
    table.attrs["lines"] = [line for line, _ in records]  # file line of each row, for messages
    try:
        return schema.validate(table, lazy=True)
    except pa.errors.SchemaErrors as exc:
        failures, columns = exc.failure_cases, list(schema.columns)
        message = describe_failures(path, failures, table.attrs["lines"], columns, unit, first)
    raise InputFileError(message)


def require_rows(table: pd.DataFrame, path, what: str, needed: int = 1) -> pd.DataFrame:
    """The table, or an error saying that the file holds fewer than `needed` `what` (a noun)."""
    if len(table) < needed:
        holds = f"only {len(table)}" if len(table) else f"no {what} (header line only)"
        are = f"{what} is" if needed == 1 else f"{what}s are"
        raise InputFileError(f"{path}: the file holds {holds}; at least {needed} {are} needed")
    return table


def warn_empty(table: pd.DataFrame, path, what: str, meaning: str) -> pd.DataFrame:
    """The table; when it has no row, a warning that the file holds no `what`, read as `meaning`."""
    if table.empty:
        warn(path, f"the file holds no {what} (header line only): read as {meaning}")
    return table


def to_numbers(table: pd.DataFrame, columns) -> pd.DataFrame:
    """Checked text columns as floats (an empty cell becomes NaN)."""
    out = table.copy()
    for column in columns:
        if column in out:
            out[column] = pd.to_numeric(out[column].replace("", None), errors="raise").astype(float)
    return out


def to_integers(table: pd.DataFrame, columns) -> pd.DataFrame:
    """Checked whole-number text columns ('4' or '4.0') as integers."""
    return to_numbers(table, columns).astype({column: int for column in columns})


def require_columns(table: pd.DataFrame, columns, where: str) -> pd.DataFrame:
    """The table, or an error naming where it comes from and the columns it lacks."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(
            f"{where}: missing column(s) {', '.join(missing)}; "
            f"found: {', '.join(map(str, table.columns))}"
        )
    return table
