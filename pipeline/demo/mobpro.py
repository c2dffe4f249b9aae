"""Demo INSEE MOBPRO detail file: one row per sampled employed resident, weight IPONDI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.core.io import write_bytes_atomic
from pipeline.demo.formats import insee_csv
from pipeline.sources.communes import commune_points, departements, read_populations
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
EXTERNAL_DESTINATIONS = 3


def filename(vintage: int) -> str:
    """INSEE's name of the CSV detail file, which the demo imitates."""
    return csv_name(vintage)


def external_hubs(communes: pd.DataFrame, populations: pd.DataFrame) -> pd.DataFrame:
    """The largest communes of the same départements outside the EPCI: main job hubs."""
    deps = set(departements(communes["code"]).dropna())
    outside = populations[
        departements(populations["code"]).isin(deps).to_numpy()
        & ~populations["code"].isin(communes["code"])
    ]
    hubs = outside.nlargest(EXTERNAL_DESTINATIONS, "population_municipale")
    pts = commune_points(hubs["code"]).merge(hubs[["code", "population_municipale"]], on="code")
    return pts.rename(columns={"population_municipale": "population"})


def destination_probabilities(
    origins: pd.DataFrame, destinations: pd.DataFrame, stay: np.ndarray
) -> np.ndarray:
    """Gravity shares (population / distance²) of the commuters who leave their commune."""
    lat = np.radians(origins["lat"].to_numpy())[:, None]
    dx = (destinations["lon"].to_numpy()[None, :] - origins["lon"].to_numpy()[:, None]) * np.cos(
        lat
    )
    dy = destinations["lat"].to_numpy()[None, :] - origins["lat"].to_numpy()[:, None]
    dist_km = np.hypot(dx, dy) * 111.2
    attraction = destinations["population"].to_numpy()[None, :] / np.maximum(dist_km, 2.0) ** 2
    same = origins["code"].to_numpy()[:, None] == destinations["code"].to_numpy()[None, :]
    attraction[same] = 0.0
    leave = attraction / attraction.sum(axis=1, keepdims=True) * (1 - stay)[:, None]
    return np.where(same, stay[:, None], leave)


def flows(
    communes: pd.DataFrame,
    hubs: pd.DataFrame,
    employment_rate: float,
    rng: np.random.Generator,
    vintage: int = 2022,
) -> pd.DataFrame:
    origins = communes.rename(columns={"mairie_lon": "lon", "mairie_lat": "lat"})
    origins = origins[["code", "lon", "lat", "population"]]
    destinations = pd.concat(
        [origins, hubs[["code", "lon", "lat", "population"]]], ignore_index=True
    )
    stay = rng.uniform(0.30, 0.50, len(origins))
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
    populations = read_populations(ctx.root / ctx.params["inputs"]["populations"])
    hubs = external_hubs(ctx.communes, populations)
    vintage = ctx.demo["census_vintage"]
    table = flows(ctx.communes, hubs, ctx.demo["employment_rate"], rng, vintage)
    return [write_bytes_atomic(insee_csv(table), ctx.out_dir / filename(vintage))]
