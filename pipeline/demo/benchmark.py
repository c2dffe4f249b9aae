"""Demo benchmark of comparable tiers-lieux, calibrated on France Tiers-Lieux's figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.core.io import write_csv_atomic

LABEL = "benchmark des lieux comparables"
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
# Own revenue sources and the functions that feed each (Dirichlet weights: a base, plus one per
# function the place offers).
REVENUE_SOURCES = {
    "part_recettes_espaces": {"coworking", "occasional_telework"},
    "part_recettes_prestations": {"fablab", "digital_mediation", "project_support", "training"},
    "part_recettes_animation": {"cafe"},
}
# Panorama France Tiers-Lieux 2023: associations first, then companies and local authorities.
LEGAL_FORMS = ["association", "SCIC", "SAS", "régie"]
LEGAL_ODDS = [0.60, 0.15, 0.10, 0.15]


def revenue_mix(functions: list[str], public: float, rng: np.random.Generator) -> dict:
    """Own revenue (1 - public) split between sources, in hundredths adding up exactly."""
    weights = [0.5 + 2 * len(feeds & set(functions)) for feeds in REVENUE_SOURCES.values()]
    own = round((1 - public) * 100)
    split = np.floor(rng.dirichlet(weights) * own).astype(int)
    split[int(np.argmax(weights))] += own - int(split.sum())
    return {column: part / 100 for column, part in zip(REVENUE_SOURCES, split)}


def draw_functions(n: int, rng: np.random.Generator) -> list[list[str]]:
    """Functions of `n` places, each drawn with its odds; when there are at least as many places
    as functions, a function no place drew is given to one place (a benchmark shows them all)."""
    drawn = [[f for f, p in zip(FUNCTIONS, FUNCTION_ODDS) if rng.random() < p] for _ in range(n)]
    drawn = [functions or ["coworking"] for functions in drawn]
    if n >= len(FUNCTIONS):
        for function in FUNCTIONS:
            if not any(function in functions for functions in drawn):
                place = drawn[int(rng.integers(n))]
                place.append(function)
                place.sort(key=FUNCTIONS.index)
    return drawn


def territory_kinds(n: int, rng: np.random.Generator) -> list[str]:
    """Territory type of `n` places in the proportions of TERRITORY_TYPES (largest remainders),
    shuffled: a small benchmark keeps the mix of a rural study's comparables."""
    types = list(TERRITORY_TYPES)
    shares = np.array([TERRITORY_TYPES[t][0] for t in types]) * n
    counts = np.floor(shares).astype(int)
    for i in np.argsort(-(shares - counts), kind="stable")[: n - counts.sum()]:
        counts[i] += 1
    return list(rng.permutation(np.repeat(types, counts)))


def rows(n: int, rng: np.random.Generator) -> pd.DataFrame:
    kinds = territory_kinds(n, rng)
    all_functions = draw_functions(n, rng)
    out = []
    for i in range(n):
        kind = str(kinds[i])
        _, (low, high), places = TERRITORY_TYPES[kind]
        surface = round(float(rng.uniform(low, high)) / 10) * 10
        functions = all_functions[i]
        fte = float(np.clip(round(surface / 90 * rng.uniform(0.8, 1.2) * 2) / 2, 1.0, 8.0))
        rural = kind == "rural"
        name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i // len(NAMES) + 1}")
        desks = bool({"coworking", "occasional_telework"} & set(functions))
        price_day = int(rng.integers(8, 15) if rural else rng.integers(12, 22))
        price_month = int(round(rng.uniform(60, 150) if rural else rng.uniform(140, 280), -1))
        public = round(float(rng.beta(5, 5)), 2)
        out.append(
            {
                "nom": name,
                "territoire": places[int(rng.integers(len(places)))],
                "type_territoire": kind,
                "surface_m2": surface,
                "fonctions": "|".join(functions),
                "prix_jour_eur": price_day if desks else "",
                "prix_mois_eur": price_month if desks else "",
                "etp": fte,
                "chiffre_affaires_eur": int(round(fte * rng.uniform(60_000, 85_000), -3)),
                "part_financement_public": public,
                "forme_juridique": LEGAL_FORMS[int(rng.choice(len(LEGAL_FORMS), p=LEGAL_ODDS))],
                "annee_ouverture": int(rng.integers(2012, 2025)),
                **revenue_mix(functions, public, rng),
            }
        )
    return pd.DataFrame(out)


def files(demo: dict) -> list[str]:
    """Names of the files `write` writes, from the `demo` params."""
    return [FILE]


def write(ctx, rng: np.random.Generator) -> list[Path]:
    table = rows(ctx.demo["benchmark_rows"], rng)
    return [write_csv_atomic(table, ctx.out_dir / FILE)]
