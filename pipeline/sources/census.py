"""INSEE census communal bases (base-cc): loading, and counts under stable names.

INSEE publishes each theme as `base-cc-<theme>-<year>_csv.zip`, holding the data
`base-cc-<theme>-<year>.CSV`, its dictionary `meta_base-cc-<theme>-<year>.CSV` and, for some
themes, `base-cc-<theme>-<year>-COM.CSV` (overseas collectivities): `;`-separated, key CODGEO
(text: leading zeros, 2A/2B), columns `P{yy}_…` (main counts) and `C{yy}_…` (complementary
counts). From RP2022 the socio-professional columns use the PCS 2020 groups
(`…_STAT_GSEC11_21` …) instead of the former `…_CS1` … `…_CS8`: `group_columns` maps both to
the same keys. The two nomenclatures are not directly comparable, so the vintage is always shown
with them. Sources of these facts: data/raw/README.md.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import polars as pl

from pipeline.core.validate import (
    SEPARATORS,
    InputFileError,
    count_fields,
    decimal_points,
    decode,
    separator,
)

THEMES = {
    "population": "base-cc-evol-struct-pop",
    "employment": "base-cc-emploi-pop-active",
    "diplomas": "base-cc-diplomes-formation",
}
ZIP_SUFFIX = "_csv.zip"  # INSEE's download: base-cc-evol-struct-pop-2022_csv.zip
META_PREFIX = "meta_"  # the zip's dictionary of the columns
COM_SUFFIX = "-COM"  # the zip's second data file, for overseas collectivities
AGE_BANDS = {
    "0014": "0-14 ans", "1529": "15-29 ans", "3044": "30-44 ans", "4559": "45-59 ans",
    "6074": "60-74 ans", "7589": "75-89 ans", "90P": "90 ans ou plus",
}  # fmt: skip
SEX_BANDS = {
    "0014": "0-14 ans", "1529": "15-29 ans", "3044": "30-44 ans", "4559": "45-59 ans",
    "6074": "60-74 ans", "75P": "75 ans ou plus",
}  # fmt: skip
# The communal base counts each sex by age up to 75-89 and 90+ (P22_H7589, P22_H90P); only the
# IRIS base (base-ic) has a single 75+ column (H75P). Band of SEX_BANDS -> its columns.
SEX_AGE_COLUMNS = {band: (band,) for band in list(SEX_BANDS)[:-1]} | {"75P": ("7589", "90P")}
MODES = {
    "PAS": "Pas de transport", "MAR": "Marche", "VELO": "Vélo",
    "2ROUESMOT": "Deux-roues motorisé", "VOIT": "Voiture", "TCOM": "Transports en commun",
}  # fmt: skip
# key: (label, PCS 2020 group code from RP2022, CS code before RP2022)
GROUPS = {
    "farmers": ("Agriculteurs exploitants", "11_21", "1"),
    "craftsmen": ("Artisans, commerçants, chefs d'entreprise", "12_22", "2"),
    "managers": ("Cadres et professions intellectuelles supérieures", "13_23", "3"),
    "intermediate": ("Professions intermédiaires", "14_24", "4"),
    "employees": ("Employés", "15_25", "5"),
    "workers": ("Ouvriers", "16_26", "6"),
    "retired": ("Retraités", "32", "7"),
    "other_inactive": ("Autres sans activité professionnelle", "40", "8"),
}
DIPLOMAS = {
    "DIPLMIN": "Aucun diplôme ou certificat d'études",
    "BEPC": "BEPC, brevet des collèges",
    "CAPBEP": "CAP ou BEP",
    "BAC": "Baccalauréat",
    "SUP2": "Bac + 2",
    "SUP34": "Bac + 3 ou 4",
    "SUP5": "Bac + 5 ou plus",
}
FIRST_PCS2020_VINTAGE = 2022
# Before RP2017 the bases count cyclists with motorcyclists (C16_ACTOCC15P_DROU) and higher
# diplomas in one column (P16_NSCOL15P_SUP); MOBPRO's TRANS has 5 modes (pipeline/sources/mobpro.py).
FIRST_VINTAGE = 2017
# A base-cc also gives the population of the census six years before (P16_POP in RP2022).
EARLIER_YEARS = 6
VARIABLE = r"[PC]\d\d_\w+"  # a count: P22_POP, C22_ACTOCC15P_VOIT...
LINE = "_line"


class CensusFormatError(InputFileError):
    """A base-cc file does not have the expected shape."""


def census_file(theme: str, vintage: int) -> str:
    """INSEE's name of a theme's zip: base-cc-evol-struct-pop-2022_csv.zip."""
    return f"{THEMES[theme]}-{vintage}{ZIP_SUFFIX}"


def data_member(theme: str, vintage: int) -> str:
    """The data CSV inside that zip: base-cc-evol-struct-pop-2022.CSV (its dictionary has
    META_PREFIX before the name, its overseas collectivities' file COM_SUFFIX after it)."""
    return f"{THEMES[theme]}-{vintage}.CSV"


def yy(vintage: int) -> str:
    return f"{vintage % 100:02d}"


def group_columns(vintage: int, universe: str = "POP15P") -> dict[str, str]:
    """Column of each socio-professional group for a vintage (PCS 2020 groups from RP2022)."""
    if vintage >= FIRST_PCS2020_VINTAGE:
        return {k: f"C{yy(vintage)}_{universe}_STAT_GSEC{g[1]}" for k, g in GROUPS.items()}
    return {k: f"C{yy(vintage)}_{universe}_CS{g[2]}" for k, g in GROUPS.items()}


def _data_members(zf: zipfile.ZipFile, path: Path) -> tuple[str, str | None]:
    """The data CSV of a zip and its overseas collectivities' companion (None without one);
    the `meta_…` dictionary and any other file are left aside."""
    names = zf.namelist()
    data = [m for m in names if m.lower().endswith(".csv")
            and not Path(m).name.lower().startswith(META_PREFIX.lower())]  # fmt: skip
    main = [m for m in data if not Path(m).stem.upper().endswith(COM_SUFFIX)]
    extra = [m for m in data if m not in main]
    if len(main) != 1 or len(extra) > 1:
        raise CensusFormatError(
            f"{path}: expected one data CSV, as INSEE zips them (X.CSV, its dictionary "
            f"{META_PREFIX}X.CSV and for some themes X{COM_SUFFIX}.CSV); found "
            f"{', '.join(names) or 'no file'}"
        )
    return main[0], (extra[0] if extra else None)


def _territory_bytes(raw: bytes, codes: list[str] | None) -> tuple[bytes, list[int] | None]:
    """The header and the lines of the communes `codes`, with their line numbers, cut out of
    the file's bytes before anything is decoded or parsed: a territory needs a few hundred of
    the 35 000 national lines. Only when CODGEO leads and nothing is quoted (INSEE's layout);
    otherwise the whole file, and None. The last line is kept when it has other separators
    than the header, so that a truncated file is still refused."""
    body = raw.removeprefix(b"\xef\xbb\xbf")
    if codes is None or b'"' in raw or not body.startswith(b"CODGEO"):
        return raw, None
    lines = raw.rstrip(b"\r\n").split(b"\n")
    wanted = {c.encode() for c in codes}
    seps = {sep.encode() for sep in SEPARATORS}
    widths = sorted({len(c) for c in wanted})
    numbers = [n for n, line in enumerate(lines[1:], start=2)
               if any(line[:w] in wanted and line[w:w + 1] in seps for w in widths)]  # fmt: skip
    last = len(lines)
    if last > 1 and last not in numbers:
        if any(lines[0].count(sep) != lines[-1].count(sep) for sep in seps):
            numbers.append(last)
    return b"\n".join([lines[0], *(lines[n - 1] for n in numbers)]) + b"\n", numbers


def _lines(text: str, sep: str, where: str, numbers: list[int] | None) -> list[int]:
    """Line numbers of the data lines of `text` (`numbers` when cut out of a larger file);
    a line with another number of fields than the header (a truncated file) is refused."""
    lines = text.split("\n")
    fields = count_fields(lines[0], sep)
    numbers = numbers or list(range(2, len(lines) + 1))
    for line, number in zip(lines[1:], numbers):
        if line.strip() and (found := count_fields(line, sep)) != fields:
            raise CensusFormatError(
                f"{where}, line {number}: expected {fields} fields, found {found}"
            )
    return [n for line, n in zip(lines[1:], numbers) if line.strip()]


def _counts(table: pd.DataFrame, where: str) -> pd.DataFrame:
    """Counts read as text made numbers: decimal commas with a warning, anything else refused.
    All count columns are converted as one block (hundreds of columns, few rows)."""
    text = [c for c in table.columns
            if re.fullmatch(VARIABLE, c) and not pd.api.types.is_numeric_dtype(table[c])]  # fmt: skip
    if not text or not len(table):
        return table
    table = decimal_points(table, text, where)
    flat = pd.Series(table[text].to_numpy(dtype=object).ravel())
    values = pd.to_numeric(flat, errors="coerce")
    bad = (values.isna() & flat.notna()).to_numpy().reshape(len(table), len(text))
    if bad.any():
        column = int(bad.any(axis=0).argmax())  # the first column holding one, its first row
        row = table.iloc[int(bad[:, column].argmax())]
        raise CensusFormatError(
            f"{where}, line {row[LINE]}, column {text[column]}: expected a number, "
            f"found {row[text[column]]!r}"
        )
    numbers = pd.DataFrame(values.to_numpy(dtype=float).reshape(bad.shape), columns=text)
    # Whole numbers stay integers, as pandas.to_numeric gives them column by column.
    whole = ~(flat.str.contains(r"[^\d+-]").fillna(True).to_numpy().reshape(bad.shape).any(axis=0))
    numbers = numbers.astype({name: "int64" for name, w in zip(text, whole) if w})
    rest = table.drop(columns=text).reset_index(drop=True)
    return pd.concat([rest, numbers], axis=1)[list(table.columns)]


def _read_csv(raw: bytes, where: str, codes: list[str] | None) -> pd.DataFrame:
    """The rows of `codes` (every row when None) of one CSV's bytes, counts as numbers;
    `where` (the file, and the member of a zip) starts every message."""
    raw, numbers = _territory_bytes(raw, codes)
    text, _ = decode(raw, where)
    sep = separator(text, where, expected=";")
    numbers = _lines(text, sep, where, numbers)
    try:
        frame = pl.read_csv(io.BytesIO(text.encode()), separator=sep, infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise CensusFormatError(f"{where}: not a readable `;`-separated CSV ({exc})") from exc
    if frame.height != len(numbers):  # a quoted field spanning lines: number records instead
        numbers = range(2, frame.height + 2)
    if "CODGEO" not in frame.columns:
        iris = "; an IRIS base (base-ic)? The study reads the communal one (base-cc)"
        raise CensusFormatError(
            f"{where}, line 1: column CODGEO missing; found {', '.join(frame.columns[:10])}"
            + (iris if "IRIS" in frame.columns else "")
        )
    if any("\x00" in name for name in frame.columns):  # Arrow cannot hand such names to pandas
        raise CensusFormatError(f"{where}, line 1: a column name holds a NUL byte: not a text CSV")
    duplicated = frame["CODGEO"].is_duplicated()
    if duplicated.any():
        first, second = duplicated.arg_true()[:2]
        raise CensusFormatError(
            f"{where}, line {numbers[second]}, column CODGEO: duplicated commune code "
            f"{frame['CODGEO'][int(second)]!r} (first on line {numbers[first]})"
        )
    frame = frame.with_columns(pl.Series(LINE, numbers, dtype=pl.Int64))
    if codes is not None:
        frame = frame.filter(pl.col("CODGEO").is_in(list(codes)))
    return _counts(frame.to_pandas(), where).drop(columns=LINE)


def _not_found(path: Path) -> str:
    legacy = path.with_name(path.name.replace(ZIP_SUFFIX, ".zip"))
    hint = (f"; {legacy.name} is there, the name this project used before INSEE's: rename it "
            f"{path.name}") if legacy != path and legacy.exists() else ""  # fmt: skip
    return f"{path}: census file not found{hint} (see data/raw/README.md)"


def read_base_cc(path: Path, codes: list[str] | None = None) -> pd.DataFrame:
    """Read a base-cc: INSEE's zip (its data CSV; the rows of `codes` it lacks are looked up
    in its `-COM` file) or a plain `;` CSV, with CODGEO as text.

    Of the national file (35 000 communes, hundreds of columns), only the territory's lines
    are parsed (by Polars, as text) and their counts made numbers. A BOM, Latin-1, another
    separator or counts with a decimal comma are read with a warning; a line cut short, a
    duplicated commune or a count that is not a number are refused.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(_not_found(path))
    extra = None
    if path.suffix.lower() != ".zip":
        table, where = _read_csv(path.read_bytes(), str(path), codes), str(path)
    else:
        try:
            with zipfile.ZipFile(path) as zf:
                main, extra = _data_members(zf, path)
                where = f"{path} ({main})"
                table = _read_csv(zf.read(main), where, codes)
                rest = sorted(set(codes or []) - set(table["CODGEO"]))
                if rest and extra:
                    more = _read_csv(zf.read(extra), f"{path} ({extra})", rest)
                    table = pd.concat([table, more], ignore_index=True)
        except (zipfile.BadZipFile, EOFError) as exc:
            raise CensusFormatError(
                f"{path}: not a readable zip file ({exc}): truncated?"
            ) from None
    if codes is not None and (missing := sorted(set(codes) - set(table["CODGEO"]))):
        nor = f" nor in {extra}" if extra else ""
        raise CensusFormatError(f"{where}: no row for commune(s) {', '.join(missing)}{nor}")
    table.attrs["path"] = where
    return table


def _file_vintage(columns) -> str | None:
    """The two digits of the latest census a table counts (P22_POP: '22')."""
    years = [m[1] for c in columns if (m := re.match(r"[PC](\d\d)_", str(c)))]
    return max(years) if years else None


def column(table: pd.DataFrame, name: str) -> pd.Series:
    """A count column as floats; a missing one is refused, saying which census the file is of."""
    if name not in table.columns:
        where = table.attrs.get("path", "census table")
        wanted, found = name[1:3], _file_vintage(table.columns)
        why = (
            f"the file counts RP20{found} (P{found}_…), not RP20{wanted}: set "
            f"portrait.census_vintage to 20{found} in params.yaml, or use the RP20{wanted} file"
            if found and found != wanted
            else f"INSEE's communal base of RP20{wanted} has it: is this file the right theme "
            "and the communal base (base-cc), not the IRIS one (base-ic)?"
        )
        raise CensusFormatError(f"{where}, line 1: no column {name}; {why}")
    return pd.to_numeric(table[name], errors="raise").astype(float)


def counts(population: pd.DataFrame, employment: pd.DataFrame, diplomas: pd.DataFrame,
               vintage: int) -> pd.DataFrame:  # fmt: skip
    """Counts per commune from the three themes of one vintage, under stable names."""
    if vintage < FIRST_VINTAGE:
        raise CensusFormatError(
            f"{population.attrs.get('path', 'census')}: RP{vintage} is not read: before "
            f"RP{FIRST_VINTAGE} INSEE's communal bases count cyclists with motorcyclists "
            f"(C{yy(vintage)}_ACTOCC15P_DROU) and higher diplomas together "
            f"(P{yy(vintage)}_NSCOL15P_SUP); set portrait.census_vintage to {FIRST_VINTAGE} or later"
        )
    y = yy(vintage)
    out = pd.DataFrame({"code": population["CODGEO"]})
    pop, emp, dip = (t.set_index("CODGEO") for t in (population, employment, diplomas))
    pop.attrs, emp.attrs, dip.attrs = population.attrs, employment.attrs, diplomas.attrs

    def take(table: pd.DataFrame, name: str):
        return column(table, name).reindex(out["code"]).to_numpy()

    out["population"] = take(pop, f"P{y}_POP")
    earlier = f"P{int(y) - EARLIER_YEARS:02d}_POP"
    if earlier in pop.columns:
        out["population_earlier"] = take(pop, earlier)
    for band in AGE_BANDS:
        out[f"age_{band}"] = take(pop, f"P{y}_POP{band}")
    out["men"] = take(pop, f"P{y}_POPH")
    out["women"] = take(pop, f"P{y}_POPF")
    for band, parts in SEX_AGE_COLUMNS.items():
        out[f"men_{band}"] = sum(take(pop, f"P{y}_H{part}") for part in parts)
        out[f"women_{band}"] = sum(take(pop, f"P{y}_F{part}") for part in parts)
    for key, name in group_columns(vintage).items():
        out[f"group_{key}"] = take(pop, name)
    out["pop_1564"] = take(emp, f"P{y}_POP1564")
    out["active_1564"] = take(emp, f"P{y}_ACT1564")
    out["employed_1564"] = take(emp, f"P{y}_ACTOCC1564")
    out["unemployed_1564"] = take(emp, f"P{y}_CHOM1564")
    out["students_1564"] = take(emp, f"P{y}_ETUD1564")
    out["employed_15p"] = take(emp, f"P{y}_ACTOCC15P")
    for mode in MODES:
        out[f"mode_{mode}"] = take(emp, f"C{y}_ACTOCC15P_{mode}")
    out["out_of_school_15p"] = take(dip, f"P{y}_NSCOL15P")
    for key in DIPLOMAS:
        out[f"diploma_{key}"] = take(dip, f"P{y}_NSCOL15P_{key}")
    return out
