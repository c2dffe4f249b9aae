"""The study's shared vocabulary: each concept that several phases name, defined once.

Phases import these names; a label shown to readers is written here and nowhere else.
"""

from __future__ import annotations

# The five functions of a tiers-lieu named by calls for projects (seed 003): key -> label for
# a title or a table row, and the short form read inside a sentence.
FUNCTIONS = {
    "fablab": "Atelier fablab ou makerspace",
    "coworking": "Espace de coworking",
    "occasional_telework": "Espace de télétravail ponctuel",
    "project_support": "Appui et conseil aux porteurs de projets",
    "digital_mediation": "Médiation aux outils et pratiques numériques",
}
FUNCTIONS_SHORT = {
    "fablab": "fablab",
    "coworking": "coworking",
    "occasional_telework": "télétravail ponctuel",
    "project_support": "appui aux porteurs de projets",
    "digital_mediation": "médiation numérique",
}

# Services of the existing offer analysed by phase 05, in the order tables show them.
SERVICES = {
    "digital_mediation": "Médiation numérique",
    "admin_help": "Aide aux démarches en ligne",
    "internet_access": "Accès libre à internet",
    "coworking": "Coworking",
    "telework": "Télétravail",
    "fablab": "Fablab",
    "project_support": "Accompagnement de projets",
}
# Units of activity, as read inside a sentence (« 1 200 journées de poste de travail »);
# `unit_label` gives the form that opens a table row.
UNITS = {
    "desk_days": "journées de poste de travail",
    "mediation_sessions": "séances de médiation numérique",
    "fablab_hours": "heures de fablab",
    "room_bookings": "réservations de salle",
    "business_days": "prestations et formations aux entreprises (jours)",
    "support_days": "accompagnement de porteurs de projets (jours)",
    "events": "événements et privatisations",
}


def unit_label(unit: str) -> str:
    """The unit's label with a capital, for a table row or an axis."""
    label = UNITS[unit]
    return label[0].upper() + label[1:]


# Types of users a price grid distinguishes (seeds 002 and 004) -> label of a table row.
USER_TYPES = {
    "resident": "Habitant",
    "teleworker": "Salarié en télétravail",
    "independent": "Indépendant ou créateur d'entreprise",
    "company": "Entreprise",
    "association": "Association",
}

# Types of actors interviewed in phase 04 (interview grid's `type_acteur`) -> group shown.
ACTORS = {
    "Élu": "Élus",
    "Entreprise": "Entreprises",
    "Association": "Associations",
    "Institution": "Institutions",
    "Habitant": "Habitants",
}

# Business-plan inputs the risk simulation shocks, each by a multiplier drawn around 1.
RISK_MULTIPLIERS = ("price", "services", "costs", "subsidies", "partners", "investment")

# Kinds of comparable places in the benchmark grid (column `type_lieu`, optional: a tiers-lieu
# when absent); a call for tenders may ask for incubators or innovation labs among them.
PLACE_KINDS = ["tiers-lieu", "incubateur", "laboratoire d'innovation"]

# Colleges of stakeholders: how a legal form seats each kind of partner (data/raw/
# gouvernance_colleges.csv) and how a territory's call for tenders classes its stakeholders.
COLLEGES = {
    "public": "Collectivités et État",
    "economic": "Entreprises, industriels et start-up",
    "support": "Enseignement, recherche et accompagnement",
    "users": "Usagers, citoyens et associations",
}

# What a call for tenders asks, by the part of the study that answers it: a territory file's
# `call.missions` name these keys; pipeline/governance/call.py computes each answer.
CALL_ANSWERS = {
    "benchmark": "Benchmark des lieux comparables",
    "stakeholders": "Parties prenantes et ce que chacune apporte",
    "minimum_budget": "Budget minimal viable",
    "grant_checklist": "Dossiers de financement",
    "private_funding": "Financements privés",
    "themes": "Thématiques",
    "methods": "Méthodes et animations",
    "needs_fit": "Offre de services et besoins mesurés",
    "legal_form": "Forme juridique",
    "resources": "Ressources du lancement",
    "governance": "Gouvernance",
    "spaces": "Destination des espaces",
    "site": "Lieu pressenti",
    "launch_programme": "Programme des premiers mois",
    "communication": "Éléments pour la stratégie de communication",
}
