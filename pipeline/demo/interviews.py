"""Demo stakeholder interview coding grid (one row per interview, themes coded 0/1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.io import write_csv_atomic

FORMAT = "Grille de codage d'entretiens (CSV , UTF-8), une ligne par entretien"
FILE = "entretiens_grille.csv"
ACTORS = {
    "Collectivité": 0.25,
    "Entreprise": 0.20,
    "Association": 0.20,
    "Institution": 0.15,
    "Établissement de formation": 0.10,
    "Porteur de projet": 0.10,
}
# theme -> base probability of being raised in an interview
THEMES = {
    "besoin_coworking": 0.45,
    "besoin_teletravail": 0.50,
    "besoin_mediation": 0.60,
    "besoin_fablab": 0.30,
    "besoin_accompagnement": 0.45,
    "besoin_formation": 0.40,
    "frein_mobilite": 0.55,
    "frein_connexion": 0.50,
}
QUOTES = [
    "Les habitants font une heure de route pour des démarches simples.",
    "Nos salariés pourraient télétravailler s'ils avaient un lieu équipé.",
    "Il faut un lieu qui fasse vivre le bourg en journée.",
    "Les jeunes manquent d'un espace pour fabriquer et apprendre.",
    "La fibre n'arrive pas partout, c'est un frein majeur.",
    "Un accompagnement des porteurs de projets manque sur le territoire.",
]
FIRST_NAMES = ["Marie", "Jean", "Rose", "Paul", "Léa", "Marc", "Anne", "Hugo"]
LAST_NAMES = ["Martin", "Bernard", "Petit", "Robert", "Richard", "Durand", "Moreau", "Simon"]


def grid(communes: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    codes = communes["code"].to_numpy()
    weight = np.where(communes["in_study_zone"], 3.0, 1.0)
    table = pd.DataFrame(
        {
            "id_entretien": [f"E{i:02d}" for i in range(1, n + 1)],
            "date": [f"2025-0{3 + i % 3}-{1 + (i * 7) % 27:02d}" for i in range(n)],
            "type_acteur": rng.choice(list(ACTORS), size=n, p=list(ACTORS.values())),
            "commune": rng.choice(codes, size=n, p=weight / weight.sum()),
            # Direct identifiers, as analysts' grids often carry them: dropped at ingestion.
            "interlocuteur": [
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(n)
            ],
        }
    )
    for theme, p in THEMES.items():
        table[theme] = (rng.random(n) < p).astype(int)
    table["soutien_projet"] = rng.choice([2, 3, 4, 5], size=n, p=[0.1, 0.25, 0.4, 0.25])
    table["partenariat"] = rng.choice(["oui", "non", "peut-être"], size=n, p=[0.4, 0.2, 0.4])
    table["citation"] = rng.choice(QUOTES, size=n)
    return table


def write(ctx, rng: np.random.Generator) -> list[Path]:
    return [
        write_csv_atomic(grid(ctx.communes, int(ctx.demo["interviews"]), rng), ctx.out_dir / FILE)
    ]
