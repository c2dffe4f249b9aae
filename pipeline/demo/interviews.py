"""Demo stakeholder interview coding grid (one row per interview, themes coded 0/1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.core.io import write_csv_atomic
from pipeline.core.vocabulary import ACTORS
from pipeline.interviews.coding import NEEDS, STANCES, THEMES

LABEL = "entretiens avec les acteurs"
FORMAT = "Grille de codage d'entretiens (CSV , UTF-8), une ligne par entretien"
FILE = "entretiens_grille.csv"
ACTOR_WEIGHTS = [0.25, 0.25, 0.20, 0.15, 0.15]
THEME_PROBABILITY = [0.45, 0.50, 0.60, 0.30, 0.45, 0.40, 0.55, 0.50]
NEED_PROBABILITY = [0.35, 0.45, 0.55, 0.25, 0.40, 0.35, 0.30, 0.20]
STANCE_WEIGHTS = [0.45, 0.30, 0.20, 0.05]
QUOTES = [
    "Les habitants font une heure de route pour des démarches simples.",
    "Nos salariés pourraient télétravailler s'ils avaient un lieu équipé près d'ici.",
    "Il faut un lieu qui fasse vivre le bourg en journée.",
    "Les jeunes manquent d'un espace pour fabriquer et apprendre.",
    "La fibre n'arrive pas partout, c'est un frein majeur.",
    "Un accompagnement des porteurs de projets manque sur le territoire.",
    "Comme me le disait {name}, il faut d'abord un lieu ouvert le samedi.",
    "Appelez-moi au {phone} si le projet avance, nous avons une salle à proposer.",
    "Écrivez à {email} : l'association peut animer des ateliers.",
]
FIRST_NAMES = ["Marie", "Jean", "Rose", "Paul", "Léa", "Marc", "Anne", "Hugo"]
LAST_NAMES = ["Martin", "Bernard", "Petit", "Robert", "Richard", "Durand", "Moreau", "Simon"]
ROLES = [
    "Maire",
    "Adjoint(e)",
    "Gérant(e)",
    "Président(e)",
    "Directeur(rice)",
    "Chargé(e) de mission",
    "Habitant(e)",
]


def grid(communes: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """An interview grid as analysts keep it, direct identifiers included."""
    weight = np.where(communes["in_study_zone"], 3.0, 1.0)
    names = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(n)]
    table = pd.DataFrame({
        "id_entretien": [f"E{i:02d}" for i in range(1, n + 1)],
        "date": [f"2025-0{3 + i % 3}-{1 + (i * 7) % 27:02d}" for i in range(n)],
        "type_acteur": rng.choice(list(ACTORS), size=n, p=ACTOR_WEIGHTS),
        "commune": rng.choice(communes["code"].to_numpy(), size=n, p=weight / weight.sum()),
        "interlocuteur": names,
        "fonction": rng.choice(ROLES, size=n),
        "courriel": [f"{name.split()[0].lower()}.{i}@example.org" for i, name in enumerate(names)],
        "telephone": [f"0696 {rng.integers(10, 99)} {rng.integers(10, 99)} {rng.integers(10, 99)}" for _ in range(n)],
    })  # fmt: skip
    for theme, p in zip(THEMES, THEME_PROBABILITY):
        table[theme] = (rng.random(n) < p).astype(int)
    needs = [
        [need for need, p in zip(NEEDS, NEED_PROBABILITY) if rng.random() < p] for _ in range(n)
    ]
    table["besoins"] = ["|".join(chosen) for chosen in needs]
    table["position"] = rng.choice(list(STANCES), size=n, p=STANCE_WEIGHTS)
    table["soutien_projet"] = rng.choice([2, 3, 4, 5], size=n, p=[0.1, 0.25, 0.4, 0.25])
    table["partenariat"] = rng.choice(["oui", "non", "peut-être"], size=n, p=[0.4, 0.2, 0.4])
    quotes = rng.choice(QUOTES, size=n)
    # Quotes as typed during interviews can carry names and contacts: they are scrubbed at ingestion.
    table["citation"] = [
        q.format(name=rng.choice(names), phone=phone, email=mail)
        for q, phone, mail in zip(quotes, table["telephone"], table["courriel"])
    ]
    return table


def files(demo: dict) -> list[str]:
    """Names of the files `write` writes, from the `demo` params."""
    return [FILE]


def write(ctx, rng: np.random.Generator) -> list[Path]:
    return [write_csv_atomic(grid(ctx.communes, ctx.demo["interviews"], rng), ctx.out_dir / FILE)]
