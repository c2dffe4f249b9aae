"""The demo survey's codebook: questions, codes, filters, indicators, as an analyst writes
it for a LimeSurvey export (written beside the export as enquete_codebook.yaml)."""

from __future__ import annotations

INTENDS = "Q10_intention in ['A1', 'A2']"
SERVICES = {
    "COWORK": "Espace de coworking",
    "TELETRAV": "Poste de télétravail à la journée",
    "FABLAB": "Fablab (impression 3D, découpe, prototypage)",
    "AIDENUM": "Aide aux démarches en ligne",
    "FORMNUM": "Formation au numérique",
    "REUNION": "Salles de réunion",
    "EVENT": "Événements, conférences, ateliers",
    "PROJET": "Accompagnement de projet, création d'activité",
    "AUCUN": "Aucun de ces services",
}
CODEBOOK = {
    "survey": "Enquête auprès de la population sur les usages numériques et un tiers-lieu",
    "format": "limesurvey",
    "identifiers": ["Q20_email"],
    "questions": {
        "Q01_commune": {"type": "commune", "label": "Commune de résidence", "page": 1},
        "Q02_sexe": {
            "type": "single",
            "label": "Sexe",
            "page": 1,
            "codes": {"A1": "Homme", "A2": "Femme"},
        },
        "Q03_age": {
            "type": "single",
            "label": "Âge",
            "page": 1,
            "codes": {
                "A1": "15-29 ans",
                "A2": "30-44 ans",
                "A3": "45-59 ans",
                "A4": "60 ans ou plus",
            },
        },
        "Q04_statut": {
            "type": "single",
            "label": "Situation principale",
            "page": 1,
            "codes": {
                "A1": "Salarié(e)",
                "A2": "À son compte, indépendant(e)",
                "A3": "En recherche d'emploi",
                "A4": "Étudiant(e), élève",
                "A5": "Retraité(e)",
                "A6": "Autre situation sans emploi",
            },
        },
        "Q05_teletravail": {
            "type": "single",
            "label": "Télétravail",
            "page": 1,
            "relevance": "Q04_statut in ['A1', 'A2']",
            "codes": {
                "A1": "Oui, régulièrement",
                "A2": "Oui, de temps en temps",
                "A3": "Non, mais mon activité le permettrait",
                "A4": "Non, mon activité ne le permet pas",
            },
        },
        "Q06_trajet": {
            "type": "numeric",
            "label": "Temps de trajet domicile-travail ou études, aller (minutes)",
            "page": 1,
            "relevance": "Q04_statut in ['A1', 'A2', 'A4']",
            "min": 0,
            "max": 240,
        },
        "Q07_connait": {
            "type": "single",
            "label": "Connaît au moins un tiers-lieu (coworking, fablab, espace numérique…)",
            "page": 2,
            "codes": {"Y": "Oui", "N": "Non"},
        },
        "Q08_frequente": {
            "type": "single",
            "label": "Fréquente un tiers-lieu",
            "page": 2,
            "relevance": "Q07_connait == 'Y'",
            "codes": {"A1": "Oui, régulièrement", "A2": "Oui, de temps en temps", "A3": "Non"},
        },
        "Q09_interet": {
            "type": "single",
            "label": "Intérêt pour un tiers-lieu numérique près de chez soi",
            "page": 2,
            "codes": {
                "1": "Pas du tout intéressé(e)",
                "2": "Peu intéressé(e)",
                "3": "Plutôt intéressé(e)",
                "4": "Très intéressé(e)",
            },
        },
        "Q10_intention": {
            "type": "single",
            "label": "Utiliserait un tiers-lieu ouvert près de chez soi",
            "page": 2,
            "codes": {
                "A1": "Oui, certainement",
                "A2": "Oui, probablement",
                "A3": "Probablement pas",
                "A4": "Certainement pas",
            },
        },
        "Q11_services": {
            "type": "multiple",
            "label": "Services qui intéressent",
            "page": 3,
            "codes": SERVICES,
            "exclusive": ["AUCUN"],
        },
        "Q12_frequence": {
            "type": "single",
            "label": "Fréquence d'usage envisagée",
            "page": 3,
            "relevance": INTENDS,
            "codes": {
                "A1": "Plusieurs fois par semaine",
                "A2": "Une fois par semaine",
                "A3": "Une à trois fois par mois",
                "A4": "Plus rarement",
            },
        },
        "Q13_prix_jour": {
            "type": "numeric",
            "label": "Prix maximum acceptable pour une journée de coworking (€)",
            "page": 3,
            "relevance": INTENDS,
            "min": 0,
            "max": 100,
        },
        "Q14_prix_mois": {
            "type": "numeric",
            "label": "Prix maximum acceptable pour un abonnement mensuel (€)",
            "page": 3,
            "relevance": INTENDS,
            "min": 0,
            "max": 500,
        },
        "Q15_temps_acces": {
            "type": "single",
            "label": "Temps de trajet acceptable pour s'y rendre",
            "page": 3,
            "relevance": INTENDS,
            "codes": {
                "A1": "Moins de 10 minutes",
                "A2": "De 10 à 20 minutes",
                "A3": "De 20 à 30 minutes",
                "A4": "Plus de 30 minutes",
            },
        },
        "Q16_lieu": {
            "type": "commune",
            "label": "Commune où un tiers-lieu serait le plus pratique",
            "page": 3,
            "relevance": INTENDS,
        },
        "Q17_horaires": {
            "type": "multiple",
            "label": "Horaires souhaités",
            "page": 3,
            "relevance": INTENDS,
            "codes": {
                "MATIN": "En semaine, le matin",
                "APREM": "En semaine, l'après-midi",
                "SOIR": "En semaine, en soirée",
                "SAMEDI": "Le samedi",
            },
        },
        "Q18_difficulte_numerique": {
            "type": "single",
            "label": "Difficultés avec les démarches en ligne",
            "page": 4,
            "codes": {"Y": "Oui", "N": "Non"},
        },
        "Q19_commentaire": {"type": "text", "label": "Commentaire libre", "page": 4},
        "Q20_email": {"type": "text", "label": "Adresse électronique (facultative)", "page": 4},
    },
    # Which questions the weighting and the model read, and how their codes meet the census.
    "profile": {
        "commune": "Q01_commune",
        "sex": {"question": "Q02_sexe", "census": {"A1": "men", "A2": "women"}},
        "age": {
            "question": "Q03_age",
            "census": {"A1": "1529", "A2": "3044", "A3": "4559", "A4": ["6074", "75P"]},
        },
        "activity": {
            "question": "Q04_statut",
            "census": {
                "A1": "employed",
                "A2": "employed",
                "A3": "unemployed",
                "A4": "inactive",
                "A5": "inactive",
                "A6": "inactive",
            },
        },
        "telework": {"question": "Q05_teletravail", "yes": ["A1", "A2"]},
        "commute": {"question": "Q06_trajet", "long_minutes": 30},
    },
    "indicators": {
        "notoriete_tiers_lieu": {
            "label": "Connaît au moins un tiers-lieu",
            "question": "Q07_connait",
            "yes": ["Y"],
        },
        "usage_tiers_lieu": {
            "label": "Fréquente déjà un tiers-lieu",
            "question": "Q08_frequente",
            "yes": ["A1", "A2"],
            "not_applicable": 0,
        },
        "interet_tiers_lieu": {
            "label": "Intéressé(e) par un tiers-lieu numérique",
            "question": "Q09_interet",
            "yes": ["3", "4"],
        },
        "intention_usage": {
            "label": "Utiliserait un tiers-lieu proche",
            "question": "Q10_intention",
            "yes": ["A1", "A2"],
        },
        "teletravail": {
            "label": "Télétravaille (personnes en emploi)",
            "question": "Q05_teletravail",
            "yes": ["A1", "A2"],
            "base": "Personnes en emploi",
        },
        "service": {"label": "Intéressé(e) : {choice}", "question": "Q11_services", "choice": "*"},
        "usage_hebdomadaire": {
            "label": "Viendrait au moins une fois par semaine (futurs usagers)",
            "question": "Q12_frequence",
            "yes": ["A1", "A2"],
            "base": "Utiliseraient un tiers-lieu",
        },
        "difficulte_numerique": {
            "label": "Difficultés avec les démarches en ligne",
            "question": "Q18_difficulte_numerique",
            "yes": ["Y"],
        },
    },
    "distributions": ["Q12_frequence", "Q15_temps_acces", "Q16_lieu", "Q17_horaires"],
    "prices": {
        "Q13_prix_jour": {"label": "Journée", "unit": "€", "bands": [5, 10, 15, 20]},
        "Q14_prix_mois": {"label": "Abonnement mensuel", "unit": "€", "bands": [30, 60, 100, 150]},
    },
    "model": {"outcome": "intention_usage"},
}
