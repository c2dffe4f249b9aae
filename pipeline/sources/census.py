"""INSEE census communal bases (base-cc): loading, and counts under stable names.

Files are `;`-separated CSV inside a zip, key CODGEO (text: leading zeros, 2A/2B), columns
`P{yy}_…` (main counts) and `C{yy}_…` (complementary counts). From RP2022 the
socio-professional columns use the PCS 2020 groups (`…_STAT_GSEC11_21` …) instead of the
former `…_CS1` … `…_CS8`: `group_columns` maps both to the same keys. The two
nomenclatures are not directly comparable, so the vintage is always shown with them.
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
    "population": "base-cc-evol-struct-pop-{vintage}.zip",
    "employment": "base-cc-emploi-pop-active-{vintage}.zip",
    "diplomas": "base-cc-diplomes-formation-{vintage}.zip",
}
AGE_BANDS = {
    "0014": "0-14 ans", "1529": "15-29 ans", "3044": "30-44 ans", "4559": "45-59 ans",
    "6074": "60-74 ans", "7589": "75-89 ans", "90P": "90 ans ou plus",
}  # fmt: skip
SEX_BANDS = {
    "0014": "0-14 ans", "1529": "15-29 ans", "3044": "30-44 ans", "4559": "45-59 ans",
    "6074": "60-74 ans", "75P": "75 ans ou plus",
}  # fmt: skip
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
# A base-cc also gives the population of the census six years before (P16_POP in RP2022).
EARLIER_YEARS = 6
VARIABLE = r"[PC]\d\d_\w+"  # a count: P22_POP, C22_ACTOCC15P_VOIT...
LINE = "_line"


class CensusFormatError(InputFileError):
    """A base-cc file does not have the expected shape."""


def census_file(theme: str, vintage: int) -> str:
    return THEMES[theme].format(vintage=vintage)


def yy(vintage: int) -> str:
    return f"{vintage % 100:02d}"


def group_columns(vintage: int, universe: str = "POP15P") -> dict[str, str]:
    """Column of each socio-professional group for a vintage (PCS 2020 groups from RP2022)."""
    if vintage >= FIRST_PCS2020_VINTAGE:
        return {k: f"C{yy(vintage)}_{universe}_STAT_GSEC{g[1]}" for k, g in GROUPS.items()}
    return {k: f"C{yy(vintage)}_{universe}_CS{g[2]}" for k, g in GROUPS.items()}


def _csv_bytes(path: Path) -> bytes:
    """The bytes of a plain CSV, or of the one data CSV of a zip."""
    if path.suffix.lower() != ".zip":
        return path.read_bytes()
    try:
        with zipfile.ZipFile(path) as zf:
            # INSEE zips may carry a `meta_…` dictionary beside the data file.
            members = [m for m in zf.namelist()
                       if m.lower().endswith(".csv") and not m.lower().startswith("meta")]  # fmt: skip
            if len(members) != 1:
                raise CensusFormatError(f"{path}: expected one CSV in the zip, found {members}")
            return zf.read(members[0])
    except (zipfile.BadZipFile, EOFError) as exc:
        raise CensusFormatError(f"{path}: not a readable zip file ({exc}): truncated?") from None


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


def _lines(text: str, sep: str, path: Path, numbers: list[int] | None) -> list[int]:
    """Line numbers of the data lines of `text` (`numbers` when cut out of a larger file);
    a line with another number of fields than the header (a truncated file) is refused."""
    lines = text.split("\n")
    fields = count_fields(lines[0], sep)
    numbers = numbers or list(range(2, len(lines) + 1))
    for line, number in zip(lines[1:], numbers):
        if line.strip() and (found := count_fields(line, sep)) != fields:
            raise CensusFormatError(
                f"{path}, line {number}: expected {fields} fields, found {found}"
            )
    return [n for line, n in zip(lines[1:], numbers) if line.strip()]


def _counts(table: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Counts read as text made numbers: decimal commas with a warning, anything else refused.
    All count columns are converted as one block (hundreds of columns, few rows)."""
    text = [c for c in table.columns
            if re.fullmatch(VARIABLE, c) and not pd.api.types.is_numeric_dtype(table[c])]  # fmt: skip
    if not text or not len(table):
        return table
    table = decimal_points(table, text, path)
    flat = pd.Series(table[text].to_numpy(dtype=object).ravel())
    values = pd.to_numeric(flat, errors="coerce")
    bad = (values.isna() & flat.notna()).to_numpy().reshape(len(table), len(text))
    if bad.any():
        column = int(bad.any(axis=0).argmax())  # the first column holding one, its first row
        row = table.iloc[int(bad[:, column].argmax())]
        raise CensusFormatError(
            f"{path}, line {row[LINE]}, column {text[column]}: expected a number, "
            f"found {row[text[column]]!r}"
        )
    numbers = pd.DataFrame(values.to_numpy(dtype=float).reshape(bad.shape), columns=text)
    # Whole numbers stay integers, as pandas.to_numeric gives them column by column.
    whole = ~(flat.str.contains(r"[^\d+-]").fillna(True).to_numpy().reshape(bad.shape).any(axis=0))
    numbers = numbers.astype({name: "int64" for name, w in zip(text, whole) if w})
    rest = table.drop(columns=text).reset_index(drop=True)
    return pd.concat([rest, numbers], axis=1)[list(table.columns)]


def read_base_cc(path: Path, codes: list[str] | None = None) -> pd.DataFrame:
    """Read a base-cc CSV (plain or zipped, `;`-separated) with CODGEO as text.

    Of the national file (35 000 communes, hundreds of columns), only the territory's lines
    are parsed (by Polars, as text) and their counts made numbers. A BOM, Latin-1, another
    separator or counts with a decimal comma are read with a warning; a line cut short, a
    duplicated commune or a count that is not a number are refused.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: census file not found (see data/raw/README.md)")
    raw, numbers = _territory_bytes(_csv_bytes(path), codes)
    text, _ = decode(raw, path)
    sep = separator(text, path, expected=";")
    numbers = _lines(text, sep, path, numbers)
    try:
        frame = pl.read_csv(io.BytesIO(text.encode()), separator=sep, infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise CensusFormatError(f"{path}: not a readable `;`-separated CSV ({exc})") from exc
    if frame.height != len(numbers):  # a quoted field spanning lines: number records instead
        numbers = range(2, frame.height + 2)
    if "CODGEO" not in frame.columns:
        raise CensusFormatError(
            f"{path}, line 1: column CODGEO missing; found {', '.join(frame.columns[:10])}"
        )
    duplicated = frame["CODGEO"].is_duplicated()
    if duplicated.any():
        first, second = duplicated.arg_true()[:2]
        raise CensusFormatError(
            f"{path}, line {numbers[second]}, column CODGEO: duplicated commune code "
            f"{frame['CODGEO'][int(second)]!r} (first on line {numbers[first]})"
        )
    frame = frame.with_columns(pl.Series(LINE, numbers, dtype=pl.Int64))
    if codes is not None:
        if missing := sorted(set(codes) - set(frame["CODGEO"])):
            raise CensusFormatError(f"{path}: no row for commune(s) {', '.join(missing)}")
        frame = frame.filter(pl.col("CODGEO").is_in(list(codes)))
    table = _counts(frame.to_pandas(), path).drop(columns=LINE)
    table.attrs["path"] = str(path)
    return table


def column(table: pd.DataFrame, name: str) -> pd.Series:
    if name not in table.columns:
        where = table.attrs.get("path", "census table")
        raise CensusFormatError(
            f"{where}: expected column {name} (check the census vintage in params)"
        )
    return pd.to_numeric(table[name], errors="raise").astype(float)


def counts(population: pd.DataFrame, employment: pd.DataFrame, diplomas: pd.DataFrame,
               vintage: int) -> pd.DataFrame:  # fmt: skip
    """Counts per commune from the three themes of one vintage, under stable names."""
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
    for band in SEX_BANDS:
        out[f"men_{band}"] = take(pop, f"P{y}_H{band}")
        out[f"women_{band}"] = take(pop, f"P{y}_F{band}")
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
