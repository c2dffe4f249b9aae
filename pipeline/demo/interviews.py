"""Demo stakeholder interview coding grid (one row per interview, themes coded 0/1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.core.io import write_csv_atomic
from pipeline.core.vocabulary import ACTORS
from pipeline.demo.places import ANYWHERE, OVERSEAS, Profile, suits, territory_profile
from pipeline.interviews.coding import NEEDS, STANCES, THEMES

LABEL = "entretiens avec les acteurs"
FORMAT = "Grille de codage d'entretiens (CSV , UTF-8), une ligne par entretien"
FILE = "entretiens_grille.csv"
ACTOR_WEIGHTS = [0.25, 0.25, 0.20, 0.15, 0.15]
THEME_PROBABILITY = [0.45, 0.50, 0.60, 0.30, 0.45, 0.40, 0.55, 0.50]
NEED_PROBABILITY = [0.35, 0.45, 0.55, 0.25, 0.40, 0.35, 0.30, 0.20]
STANCE_WEIGHTS = [0.45, 0.30, 0.20, 0.05]
# What changes with the kind of the territory (added to the probabilities above): distance and
# connection in rural areas, desks and project support in towns.
SHIFTS = {
    "rural": {"frein_mobilite": 0.20, "frein_connexion": 0.20, "besoin_mediation": 0.10,
              "besoin_coworking": -0.15, "mediation": 0.10, "coworking": -0.10},
    "bourg": {},
    "ville moyenne": {"frein_mobilite": -0.15, "frein_connexion": -0.20, "besoin_coworking": 0.15,
                      "besoin_accompagnement": 0.10, "coworking": 0.10, "accompagnement": 0.10},
}  # fmt: skip
# Quotes and where they may be heard (kinds of commune, sides; empty: anywhere; `{pole}`: the
# larger town nearby, when there is one). Some carry a name or contacts, as typed during
# interviews: they are scrubbed at ingestion.
QUOTES = {
    "Les habitants font une heure de route pour des démarches simples.": (["rural"], []),
    "Sans voiture, le bus ne passe que deux fois par jour : on ne peut rien faire.": (
        ["rural"],
        [],
    ),
    "Nos salariés pourraient télétravailler s'ils avaient un lieu équipé près d'ici.": ANYWHERE,
    "Il faut un lieu qui fasse vivre le bourg en journée.": (["rural", "bourg"], []),
    "Les jeunes manquent d'un espace pour fabriquer et apprendre.": ANYWHERE,
    "La fibre n'arrive pas partout, c'est un frein majeur.": (["rural", "bourg"], []),
    "Un accompagnement des porteurs de projets manque sur le territoire.": ANYWHERE,
    "Beaucoup d'actifs partent chaque matin travailler à {pole} : un lieu ici leur éviterait "
    "le trajet.": ANYWHERE,
    "Les embouteillages du matin font perdre une heure par jour aux actifs.": (
        ["bourg", "ville moyenne"],
        ["outre-mer"],
    ),
    "Les indépendants du centre-ville cherchent des bureaux à un prix abordable.": (
        ["ville moyenne"],
        [],
    ),
    "Il faut un lieu ouvert aux habitants des quartiers, pas seulement aux indépendants.": (
        ["ville moyenne"],
        [],
    ),
    "Comme me le disait {name}, il faut d'abord un lieu ouvert le samedi.": ANYWHERE,
    "Appelez-moi au {phone} si le projet avance, nous avons une salle à proposer.": ANYWHERE,
    "Écrivez à {email} : l'association peut animer des ateliers.": ANYWHERE,
}
FIRST_NAMES = ["Marie", "Jean", "Rose", "Paul", "Léa", "Marc", "Anne", "Hugo"]
LAST_NAMES = ["Martin", "Bernard", "Petit", "Robert", "Richard", "Durand", "Moreau", "Simon"]
# Mobile prefixes overseas (ARCEP's numbering plan), by département; elsewhere 06 or 07.
MOBILE_PREFIXES = {"971": "0690", "972": "0696", "973": "0694", "974": "0692", "976": "0639"}
ROLES = [
    "Maire",
    "Adjoint(e)",
    "Gérant(e)",
    "Président(e)",
    "Directeur(rice)",
    "Chargé(e) de mission",
    "Habitant(e)",
]


def phone(code: str, rng: np.random.Generator) -> str:
    """A mobile number as people write it, with the prefix of the commune's département."""
    prefix = MOBILE_PREFIXES.get(code[:3]) if code.startswith(OVERSEAS) else None
    pairs = " ".join(f"{rng.integers(10, 99)}" for _ in range(3 if prefix else 4))
    return f"{prefix} {pairs}" if prefix else f"0{rng.integers(6, 8)} {pairs}"


def grid(
    communes: pd.DataFrame, n: int, rng: np.random.Generator, profile: Profile | None = None
) -> pd.DataFrame:
    """An interview grid as analysts keep it, direct identifiers included, with quotes that suit
    the territory's `profile` (without one: any quote but those naming a pole)."""
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
    })  # fmt: skip
    table["telephone"] = [phone(code, rng) for code in table["commune"]]
    shift = SHIFTS[profile.kind] if profile else {}
    for theme, p in zip(THEMES, THEME_PROBABILITY):
        table[theme] = (rng.random(n) < p + shift.get(theme, 0)).astype(int)
    odds = [p + shift.get(need, 0) for need, p in zip(NEEDS, NEED_PROBABILITY)]
    needs = [[need for need, p in zip(NEEDS, odds) if rng.random() < p] for _ in range(n)]
    table["besoins"] = ["|".join(chosen) for chosen in needs]
    table["position"] = rng.choice(list(STANCES), size=n, p=STANCE_WEIGHTS)
    table["soutien_projet"] = rng.choice([2, 3, 4, 5], size=n, p=[0.1, 0.25, 0.4, 0.25])
    table["partenariat"] = rng.choice(["oui", "non", "peut-être"], size=n, p=[0.4, 0.2, 0.4])
    quotes = rng.choice([q for q, where in QUOTES.items() if suits(q, where, profile)], size=n)
    pole = profile.pole if profile else ""
    table["citation"] = [
        q.format(name=rng.choice(names), phone=number, email=mail, pole=pole)
        for q, number, mail in zip(quotes, table["telephone"], table["courriel"])
    ]
    return table


def files(demo: dict) -> list[str]:
    """Names of the files `write` writes, from the `demo` params."""
    return [FILE]


def write(ctx, rng: np.random.Generator) -> list[Path]:
    table = grid(ctx.communes, ctx.demo["interviews"], rng, territory_profile(ctx.communes))
    return [write_csv_atomic(table, ctx.out_dir / FILE)]
