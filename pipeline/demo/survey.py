"""Demo population survey: a LimeSurvey-style CSV export and its codebook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from pipeline.io import write_bytes_atomic, write_text_atomic

FORMAT = "Export d'enquête en ligne type LimeSurvey (CSV ; UTF-8) et son livre de codes YAML"
EXPORT = "enquete_population.csv"
CODEBOOK_FILE = "enquete_codebook.yaml"

CODEBOOK = {
    "survey": "Enquête auprès de la population sur les usages numériques et un tiers-lieu",
    "id": "id",
    "identifiers": ["Q12_email"],
    "questions": {
        "Q01_commune": {"type": "commune", "label": "Commune de résidence"},
        "Q02_sexe": {"type": "single", "label": "Sexe", "codes": {"A1": "Homme", "A2": "Femme"}},
        "Q03_age": {
            "type": "single",
            "label": "Âge",
            "codes": {
                "A1": "15-29 ans",
                "A2": "30-44 ans",
                "A3": "45-59 ans",
                "A4": "60 ans ou plus",
            },
        },
        "Q04_statut": {
            "type": "single",
            "label": "Situation",
            "codes": {
                "A1": "En emploi",
                "A2": "À son compte",
                "A3": "En recherche d'emploi",
                "A4": "Étudiant(e)",
                "A5": "Retraité(e)",
                "A6": "Autre inactif",
            },
        },
        "Q05_teletravail": {
            "type": "single",
            "label": "Télétravaille ou pourrait télétravailler",
            "codes": {"Y": "Oui", "N": "Non"},
        },
        "Q06_interet": {
            "type": "single",
            "label": "Intérêt pour un tiers-lieu numérique",
            "codes": {
                "1": "Pas du tout intéressé(e)",
                "2": "Peu intéressé(e)",
                "3": "Plutôt intéressé(e)",
                "4": "Très intéressé(e)",
            },
        },
        "Q07_frequence": {
            "type": "single",
            "label": "Fréquence d'usage envisagée",
            "relevance": "Q06_interet in ['3', '4']",
            "codes": {
                "A1": "Plusieurs fois par semaine",
                "A2": "Une fois par semaine",
                "A3": "Une à trois fois par mois",
                "A4": "Plus rarement",
            },
        },
        "Q08_services": {
            "type": "multiple",
            "label": "Services souhaités",
            "relevance": "Q06_interet in ['3', '4']",
            "codes": {
                "SQ001": "Espace de coworking",
                "SQ002": "Poste de télétravail",
                "SQ003": "Aide aux démarches en ligne",
                "SQ004": "Formation au numérique",
                "SQ005": "Fablab",
                "SQ006": "Accompagnement de projet",
            },
        },
        "Q09_prix_jour": {
            "type": "numeric",
            "label": "Prix acceptable pour une journée (€)",
            "relevance": "Q06_interet in ['3', '4']",
            "min": 0,
            "max": 100,
        },
        "Q10_difficulte_numerique": {
            "type": "single",
            "label": "Difficultés avec les démarches en ligne",
            "codes": {"Y": "Oui", "N": "Non"},
        },
        "Q11_commentaire": {"type": "text", "label": "Commentaire libre"},
        "Q12_email": {"type": "text", "label": "Adresse électronique (facultative)"},
    },
}
COMMENTS = [
    "",
    "",
    "",
    "Il manque un lieu pour travailler près de chez moi.",
    "La connexion internet est trop lente à la maison.",
    "Les bouchons le matin sont épuisants.",
    "J'aimerais apprendre à utiliser les démarches en ligne.",
    "Un fablab pour les jeunes serait utile.",
]


def respondents(communes: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Respondents drawn with the usual biases of an online survey (more women, fewer old people)."""
    weight = communes["population"].to_numpy(float) * np.where(communes["in_study_zone"], 2.0, 1.0)
    commune = rng.choice(communes["code"].to_numpy(), size=n, p=weight / weight.sum())
    age = rng.choice(["A1", "A2", "A3", "A4"], size=n, p=[0.18, 0.34, 0.32, 0.16])
    status = np.where(
        age == "A4",
        rng.choice(["A5", "A1", "A6"], size=n, p=[0.75, 0.15, 0.10]),
        rng.choice(["A1", "A2", "A3", "A4", "A6"], size=n, p=[0.55, 0.10, 0.15, 0.08, 0.12]),
    )
    status = np.where((age == "A1") & (rng.random(n) < 0.35), "A4", status)
    working = np.isin(status, ["A1", "A2"])
    telework = np.where(working & (rng.random(n) < 0.45), "Y", "N")
    interest = np.array(
        [
            rng.choice(["1", "2", "3", "4"], p=p)
            for p in np.where(
                (telework == "Y")[:, None], [[0.08, 0.17, 0.40, 0.35]], [[0.20, 0.30, 0.32, 0.18]]
            )
        ]
    )
    interested = np.isin(interest, ["3", "4"])
    start = dt.datetime(2025, 3, 3, 8, 0, 0)
    seconds = np.sort(rng.integers(0, 28 * 86400, size=n))
    table = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "submitdate": [
                (start + dt.timedelta(seconds=int(s))).strftime("%Y-%m-%d %H:%M:%S")
                for s in seconds
            ],
            "lastpage": 3,
            "startlanguage": "fr",
            "Q01_commune": commune,
            "Q02_sexe": rng.choice(["A1", "A2"], size=n, p=[0.40, 0.60]),
            "Q03_age": age,
            "Q04_statut": status,
            "Q05_teletravail": telework,
            "Q06_interet": interest,
            "Q07_frequence": np.where(
                interested,
                rng.choice(["A1", "A2", "A3", "A4"], size=n, p=[0.15, 0.30, 0.35, 0.20]),
                "",
            ),
        }
    )
    for code, p in zip(
        CODEBOOK["questions"]["Q08_services"]["codes"], [0.45, 0.55, 0.35, 0.40, 0.25, 0.30]
    ):
        table[f"Q08_services[{code}]"] = np.where(
            interested, np.where(rng.random(n) < p, "Y", ""), ""
        )
    price = np.clip(np.round(rng.lognormal(np.log(10), 0.45, n)), 0, 60).astype(int).astype(str)
    table["Q09_prix_jour"] = np.where(interested, price, "")
    table["Q10_difficulte_numerique"] = np.where(
        rng.random(n) < np.where(age == "A4", 0.40, 0.15), "Y", "N"
    )
    table["Q11_commentaire"] = rng.choice(COMMENTS, size=n)
    has_mail = rng.random(n) < 0.3
    table["Q12_email"] = np.where(
        has_mail, [f"repondant{i:04d}@example.org" for i in table["id"]], ""
    )
    return table


def write(ctx, rng: np.random.Generator) -> list[Path]:
    table = respondents(ctx.communes, int(ctx.demo["survey_respondents"]), rng)
    csv = table.to_csv(sep=";", index=False, lineterminator="\n").encode("utf-8")
    codebook = yaml.safe_dump(CODEBOOK, allow_unicode=True, sort_keys=False, width=100)
    return [
        write_bytes_atomic(csv, ctx.out_dir / EXPORT),
        write_text_atomic(codebook, ctx.out_dir / CODEBOOK_FILE),
    ]
