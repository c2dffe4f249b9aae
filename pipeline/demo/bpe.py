"""Demo INSEE BPE detail file: the territory's facilities, zipped as INSEE ships the BPE."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import Transformer

from pipeline.core.io import write_bytes_atomic
from pipeline.demo.broadband import departement, region_codes
from pipeline.demo.places import near_town_hall
from pipeline.sources.bpe import bpe_file, bpe_member, zip_csv

LABEL = "équipements (base permanente des équipements)"
FORMAT = "Insee, base permanente des équipements, fichier détail, CSV ; dans un zip"

# The columns of the detail file, in INSEE's order, as public code reads BPE24
# (data/raw/README.md: BPE25 has 95 columns, not seen here).
COLUMNS = (
    "AN NOMRS CNOMRS NUMVOIE INDREP TYPVOIE LIBVOIE CADR CODPOS DEPCOM DEP REG LIBCOM DOM SDOM "
    "TYPEQU SIRET STATUT_DIFFUSION CANTINE INTERNAT RPI EP CL_PGE SECT ACCES_AIRE_PRATIQUE "
    "ACCES_LIBRE ACCES_SANITAIRE ACCES_VESTIAIRE CAPACITE_D_ACCUEIL PRES_DOUCHE PRES_SANITAIRE "
    "SAISONNIER COUVERT ECLAIRE CATEGORIE MULTIPLEXE STRUCTURE_EXERCICE SPECIALITE ACCUEIL "
    "ITINERANCE MODE_GESTION SSTYPHEB TYPE IMPLANTATION_STATION CAPACITE INDIC_CAPA NBEQUIDENT "
    "INDIC_NBEQUIDENT NBSALLES INDIC_NBSALLES NBLIEUX INDIC_NBLIEUX NB_PDC INDIC_NB_PDC NB_PDC_PA "
    "INDIC_NB_PDC_PA NB_PDC_ACCELEREE INDIC_NB_PDC_ACCELEREE NB_PDC_LENTE INDIC_NB_PDC_LENTE "
    "NB_PDC_RAPIDE INDIC_NB_PDC_RAPIDE NB_PDC_ULTRARAPIDE INDIC_NB_PDC_ULTRARAPIDE NB_JOURS_OUVERT "
    "INDIC_NB_JOURS_OUVERT LAMBERT_X LAMBERT_Y LONGITUDE LATITUDE QUALITE_XY EPSG QUALITE_GEOLOC "
    "TR_DIST_PRECISION DCIRIS QUALI_IRIS IRISEE QP2024 QUALI_QP2024 QVA QUALI_QVA ZUS QUALI_ZUS "
    "EPCI UU2020 BV2022 AAV2020 DENS3 DENS7"
).split()
# Facility types (nomenclature of 2024) and their demo count per 1 000 inhabitants; France
# services (A128) is placed apart, one per FRANCE_SERVICES_PER inhabitants.
PER_THOUSAND = {"A129": 0.0, "A206": 0.25, "A203": 0.3, "D265": 0.8, "D307": 0.35,
                "B105": 0.15, "F307": 0.2}  # fmt: skip
NAMES = {"A128": "FRANCE SERVICES", "A129": "MAIRIE", "A206": "BUREAU DE POSTE",
         "A203": "AGENCE BANCAIRE", "D265": "CABINET MEDICAL", "D307": "PHARMACIE",
         "B105": "SUPERMARCHE", "F307": "MEDIATHEQUE"}  # fmt: skip
FRANCE_SERVICES_PER = 15_000
# Projected coordinate system of LAMBERT_X, LAMBERT_Y by overseas département (EPSG codes).
EPSG = {"971": 5490, "972": 5490, "973": 2972, "974": 2975, "976": 4471}
METROPOLE = 2154


def facilities(communes: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Type, commune and WGS84 point of each demo facility: one town hall per commune, the
    types of PER_THOUSAND drawn from the population, France services in the largest communes."""
    by_size = communes.sort_values(["population", "code"], ascending=[False, True])
    n_fs = max(1, round(float(communes["population"].sum()) / FRANCE_SERVICES_PER))
    rows = []
    for rank, (_, commune) in enumerate(by_size.iterrows()):
        counts = {t: rng.poisson(float(commune["population"]) * r / 1000)
                  for t, r in PER_THOUSAND.items()}  # fmt: skip
        counts["A129"] = 1
        counts["A128"] = int(rank < min(n_fs, len(by_size)))
        for typequ in sorted(counts):
            for _ in range(int(counts[typequ])):
                lon, lat = near_town_hall(commune, rng)
                rows.append((commune["code"], commune["nom"], commune["code_postal"], typequ,
                             lon, lat))  # fmt: skip
    return pd.DataFrame(rows, columns=["code", "nom", "code_postal", "typequ", "lon", "lat"])


def detail_table(found: pd.DataFrame, epci: str, vintage: int) -> pd.DataFrame:
    """The facilities in every column of the detail file: `_Z` where a column does not apply."""
    table = pd.DataFrame("_Z", index=found.index, columns=COLUMNS)
    code = found["code"]
    epsg = code.map(lambda c: EPSG.get(departement(c), METROPOLE))
    x, y = np.full(len(found), np.nan), np.full(len(found), np.nan)
    for crs in sorted(set(epsg)):
        at = (epsg == crs).to_numpy()
        x[at], y[at] = Transformer.from_crs(4326, crs, always_xy=True).transform(
            found.loc[at, "lon"].to_numpy(), found.loc[at, "lat"].to_numpy()
        )
    names = found["nom"]
    table = table.assign(
        AN=str(vintage), NOMRS=[f"{NAMES[t]} {n.upper()}" for t, n in zip(found["typequ"], names)],
        CNOMRS="", NUMVOIE="", INDREP="", TYPVOIE="", LIBVOIE="", CADR="",
        CODPOS=found["code_postal"], DEPCOM=code,
        DEP=code.map(departement), REG=region_codes(code), LIBCOM=names, DOM=found["typequ"].str[0],
        SDOM=found["typequ"].str[:2], TYPEQU=found["typequ"], SIRET="",
        LAMBERT_X=[f"{v:.2f}" for v in x], LAMBERT_Y=[f"{v:.2f}" for v in y],
        LONGITUDE=found["lon"].map(lambda v: f"{v:.6f}"),
        LATITUDE=found["lat"].map(lambda v: f"{v:.6f}"),
        QUALITE_XY="B", EPSG=epsg.astype(str), QUALITE_GEOLOC="12", DCIRIS=code + "0000",
        QUALI_IRIS="1", IRISEE="0", EPCI=epci,
    )  # fmt: skip
    return table.sort_values(["DEPCOM", "TYPEQU", "NOMRS"], kind="stable")


def bpe_csv(table: pd.DataFrame) -> bytes:
    """`;`-separated, every field in double quotes, UTF-8."""
    return table.to_csv(sep=";", index=False, lineterminator="\n", quoting=1).encode("utf-8")


def files(demo: dict) -> list[str]:
    """Names of the files `write` writes, from the `demo` params."""
    return [bpe_file(demo["bpe_vintage"])]


def write(ctx, rng: np.random.Generator) -> list[Path]:
    vintage = ctx.demo["bpe_vintage"]
    table = detail_table(facilities(ctx.communes, rng), ctx.territory["epci"], vintage)
    data = zip_csv(bpe_member(vintage), bpe_csv(table))
    return [write_bytes_atomic(data, ctx.out_dir / bpe_file(vintage))]
