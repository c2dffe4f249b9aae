"""Demo places: digital mediation (LaMednum standard) and other third places of the territory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from shapely.geometry import Point

from pipeline.io import write_csv_atomic
from pipeline.offer import MEDNUM_SERVICES

FORMAT = (
    "Lieux de médiation numérique au standard LaMednum (standard-mediation-num 1.x, CSV ,) "
    "et inventaire simple des coworkings, fablabs et tiers-lieux (CSV ,)"
)

MEDIATION_FILE = "lieux_mediation_numerique.csv"
OTHER_FILE = "autres_lieux.csv"
SOURCE = "Démo (pipeline.demo)"

# Name pattern and LaMednum `typologie` of a mediation place.
MEDIATION_KINDS = [
    ("Médiathèque {de}", "BIB"),
    ("Espace numérique {de}", "MUNI"),
    ("Centre social {de}", "CS"),
    ("Point numérique du CCAS {de}", "CCAS"),
    ("Association Numérique pour tous {de}", "ASSO"),
    ("Maison des services {de}", "MUNI"),
    ("Cyberbase {de}", "MUNI"),
]
CORE_SERVICE = "Maîtrise des outils numériques du quotidien"
OTHER_MEDNUM_SERVICES = [s for s in MEDNUM_SERVICES if s != CORE_SERVICE]
PROGRAMMES = [
    "",
    "Conseillers numériques",
    "Aidants Connect",
    "Conseillers numériques|Aidants Connect",
    "France Services",
]
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


def mediation_places(communes: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = max(3, len(communes) // 3)
    drawn = draw_communes(communes, n, rng)
    kinds = rng.permutation(len(MEDIATION_KINDS))
    rows = []
    for i, commune in drawn.iterrows():
        pattern, typology = MEDIATION_KINDS[kinds[i % len(kinds)]]
        lon, lat = near_town_hall(commune, rng)
        extra = [s for s in OTHER_MEDNUM_SERVICES if rng.random() < 0.45]
        day = FIRST_UPDATE + dt.timedelta(days=int(rng.integers(0, 540)))
        rows.append(
            {
                "id": f"demo-mednum-{i + 1:03d}",
                "pivot": siret(rng),
                "nom": pattern.format(de=of_commune(commune["nom"])),
                "commune": commune["nom"],
                "code_postal": commune["code_postal"] or commune["code"],
                "adresse": f"{int(rng.integers(1, 40))} {STREETS[int(rng.integers(len(STREETS)))]}",
                "date_maj": day.isoformat(),
                "code_insee": commune["code"],
                "latitude": lat,
                "longitude": lon,
                "typologie": typology,
                "services": "|".join([CORE_SERVICE, *extra]),
                "dispositif_programmes_nationaux": PROGRAMMES[int(rng.integers(len(PROGRAMMES)))],
                "source": SOURCE,
            }
        )
    return pd.DataFrame(rows)


def other_places(communes: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = int(rng.integers(2, 5))
    drawn = draw_communes(communes, n, rng)
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


def write(ctx, rng: np.random.Generator) -> list[Path]:
    return [
        write_csv_atomic(mediation_places(ctx.communes, rng), ctx.out_dir / MEDIATION_FILE),
        write_csv_atomic(other_places(ctx.communes, rng), ctx.out_dir / OTHER_FILE),
    ]
