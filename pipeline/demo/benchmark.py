"""Demo benchmark of comparable tiers-lieux, calibrated on France Tiers-Lieux's figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.io import write_csv_atomic

FORMAT = "Grille de benchmark de tiers-lieux comparables (CSV , UTF-8), une ligne par lieu"

FILE = "benchmark_tiers_lieux.csv"
NAMES = [
    "La Fabrique partagée",
    "Le Relais numérique",
    "La Case connectée",
    "L'Atelier commun",
    "Le Comptoir des possibles",
    "La Ruche du bourg",
    "Le Quai numérique",
    "La Grange connectée",
    "L'Escale numérique",
    "Le Lieu-dit",
]
# Territory type: draw probability, surface range (m²), example territories.
TERRITORY_TYPES = {
    "rural": (
        0.40,
        (80, 250),
        ["Commune rurale, Hexagone", "Commune rurale, Guadeloupe", "Commune rurale, La Réunion"],
    ),
    "bourg": (
        0.35,
        (150, 400),
        ["Bourg-centre, Hexagone", "Bourg-centre, Martinique", "Bourg-centre, Guyane"],
    ),
    "ville moyenne": (0.25, (300, 900), ["Ville moyenne, Hexagone", "Ville moyenne, La Réunion"]),
}
FUNCTIONS = [
    "coworking",
    "occasional_telework",
    "fablab",
    "digital_mediation",
    "project_support",
    "training",
    "cafe",
]
FUNCTION_ODDS = [0.85, 0.6, 0.35, 0.7, 0.5, 0.4, 0.3]
# Panorama France Tiers-Lieux 2023: associations first, then companies and local authorities.
LEGAL_FORMS = ["association", "SCIC", "SAS", "régie"]
LEGAL_ODDS = [0.60, 0.15, 0.10, 0.15]


def rows(n: int, rng: np.random.Generator) -> pd.DataFrame:
    types = list(TERRITORY_TYPES)
    odds = [TERRITORY_TYPES[t][0] for t in types]
    out = []
    for i in range(n):
        kind = types[int(rng.choice(len(types), p=odds))]
        _, (low, high), places = TERRITORY_TYPES[kind]
        surface = round(float(rng.uniform(low, high)) / 10) * 10
        functions = [f for f, p in zip(FUNCTIONS, FUNCTION_ODDS) if rng.random() < p]
        functions = functions or ["coworking"]
        fte = float(np.clip(round(surface / 90 * rng.uniform(0.8, 1.2) * 2) / 2, 1.0, 8.0))
        rural = kind == "rural"
        name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i // len(NAMES) + 1}")
        out.append(
            {
                "nom": name,
                "territoire": places[int(rng.integers(len(places)))],
                "type_territoire": kind,
                "surface_m2": surface,
                "fonctions": "|".join(functions),
                "prix_jour_eur": int(rng.integers(8, 15) if rural else rng.integers(12, 22)),
                "prix_mois_eur": int(
                    round(rng.uniform(60, 150) if rural else rng.uniform(140, 280), -1)
                ),
                "etp": fte,
                "chiffre_affaires_eur": int(round(fte * rng.uniform(60_000, 85_000), -3)),
                "part_financement_public": round(float(rng.beta(5, 5)), 2),
                "forme_juridique": LEGAL_FORMS[int(rng.choice(len(LEGAL_FORMS), p=LEGAL_ODDS))],
                "annee_ouverture": int(rng.integers(2012, 2025)),
            }
        )
    return pd.DataFrame(out)


def write(ctx, rng: np.random.Generator) -> list[Path]:
    table = rows(int(ctx.demo.get("benchmark_rows", 8)), rng)
    return [write_csv_atomic(table, ctx.out_dir / FILE)]
