"""Demo co-design workshops: ideas put to the vote in a few workshops of the study zone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.core.io import write_csv_atomic
from pipeline.demand.workshop import FILE
from pipeline.demo.places import ANYWHERE, Profile, suits, territory_profile

LABEL = "ateliers de co-conception"
FORMAT = (
    "Synthèse d'ateliers de co-conception (CSV , UTF-8) : une ligne par idée soumise au vote, "
    "avec son atelier, le service concerné et le nombre de votes (gommettes)"
)

# Ideas residents and partners typically put forward, the service each concerns, and how
# popular it tends to be (relative weight of the votes it draws).
IDEAS = [
    ("Des postes de travail à la journée avec une connexion fiable", "coworking", 3.0),
    ("Un abonnement mensuel de coworking à prix doux", "coworking", 2.0),
    ("Des bureaux fermés pour les appels et visioconférences", "telework", 2.5),
    ("Télétravailler près de chez soi pour éviter les bouchons", "telework", 3.5),
    (
        "Télétravailler près de chez soi plutôt que faire des dizaines de kilomètres",
        "telework",
        3.5,
    ),
    ("Une aide pour les démarches en ligne (CAF, impôts, retraite)", "admin_help", 3.5),
    ("Des permanences de conseillers numériques sans rendez-vous", "digital_mediation", 3.0),
    ("Des ateliers d'initiation au smartphone pour les aînés", "digital_mediation", 2.5),
    ("Des ordinateurs et une imprimante en libre accès", "internet_access", 2.0),
    ("Une imprimante 3D et une découpeuse laser", "fablab", 1.5),
    ("Un atelier de réparation d'appareils (repair café)", "fablab", 2.0),
    ("Des stages de robotique et de code pour les jeunes", "fablab", 1.5),
    ("Un accompagnement des porteurs de projet et créateurs", "project_support", 2.5),
    ("Des rencontres entre entrepreneurs du territoire", "project_support", 1.5),
    ("Une salle de réunion à louer pour les associations", "meeting_rooms", 2.5),
    ("Une salle équipée pour les formations et les visioconférences", "meeting_rooms", 1.5),
    ("Un café associatif avec des produits locaux", "community", 2.0),
    ("Des soirées et animations culturelles autour du numérique", "community", 1.0),
    ("Un espace pour les enfants pendant que les parents travaillent", "community", 1.0),
]
# Ideas put forward only in some territories (kinds of commune, sides; others: anywhere).
IDEA_PLACES = {
    "Télétravailler près de chez soi pour éviter les bouchons": (["bourg", "ville moyenne"], []),
    "Télétravailler près de chez soi plutôt que faire des dizaines de kilomètres": (["rural"], []),
    "Un café associatif avec des produits locaux": (["rural", "bourg"], []),
}
VOTES_PER_PARTICIPANT = 3
IDEAS_PER_WORKSHOP = (7, 10)
PARTICIPANTS = (12, 31)


def workshops(communes: pd.DataFrame, n: int = 3) -> list[str]:
    """Workshop names: one in each of the study zone's `n` largest communes."""
    zone = communes[communes["in_study_zone"]].sort_values(
        ["population", "code"], ascending=[False, True]
    )
    return [f"Atelier {i + 1} ({nom})" for i, nom in enumerate(zone["nom"].head(n))]


def ideas(
    communes: pd.DataFrame, rng: np.random.Generator, profile: Profile | None = None
) -> pd.DataFrame:
    """The ideas of each workshop and their votes, among those that suit the territory's
    `profile` (without one: any)."""
    offered = [
        idea for idea in IDEAS if suits(idea[0], IDEA_PLACES.get(idea[0], ANYWHERE), profile)
    ]
    rows = []
    for w, name in enumerate(workshops(communes)):
        k = int(rng.integers(*IDEAS_PER_WORKSHOP))
        chosen = np.sort(rng.choice(len(offered), size=k, replace=False))
        weights = np.array([offered[i][2] for i in chosen]) * rng.uniform(0.6, 1.4, k)
        votes = rng.multinomial(
            int(rng.integers(*PARTICIPANTS)) * VOTES_PER_PARTICIPANT, weights / weights.sum()
        )
        for j, (i, v) in enumerate(zip(chosen, votes)):
            text, service, _ = offered[i]
            rows.append(
                {
                    "idee_id": f"A{w + 1}-{j + 1:02d}",
                    "atelier": name,
                    "idee": text,
                    "service": service,
                    "votes": int(v),
                }
            )
    return pd.DataFrame(rows, columns=["idee_id", "atelier", "idee", "service", "votes"])


def files(demo: dict) -> list[str]:
    """Names of the files `write` writes, from the `demo` params."""
    return [FILE]


def write(ctx, rng: np.random.Generator) -> list[Path]:
    table = ideas(ctx.communes, rng, territory_profile(ctx.communes))
    return [write_csv_atomic(table, ctx.out_dir / FILE)]
