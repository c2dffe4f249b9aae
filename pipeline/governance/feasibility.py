"""Phase 10, functional and technical feasibility of the chosen site for the recommended
scenario: fibre and bandwidth, transit, parking, accessibility, reception of the public (ERP
category) and surface. Each gap comes with the action that closes it; for a site without fibre,
the action follows the FttH coverage of its commune (ARCEP, read by phase 08).

Expected presence comes from the recommended scenario's full-year activity (phase 09): each unit
of activity brings `visits` people for `hours` hours; spread over the opening hours of the year
this gives the average presence, and `peak_factor` the busiest hour.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from pipeline.core import fmt
from pipeline.sites.outputs import recommended_site

SITE_FLAGS = ("fibre", "transit", "accessible_pmr")  # 0/1 columns of 08_sites/decision_matrix
OPTIONAL_SITE = ("parking", "bandwidth_mbps", "ftth_share")  # used when phase 08 provides them
SITE_COLUMNS = ("nom", "nom_commune", "surface_m2", *SITE_FLAGS)
OK, TODO, CHECK = "ok", "à traiter", "à vérifier"
NO_ACTION = "Aucune action requise"

ACTIONS = {
    "fibre": (
        "Commander le raccordement FttE/FttH auprès de l'opérateur d'infrastructure et "
        "prévoir un lien de secours (4G/5G) dans le budget d'équipement."
    ),
    "fibre_connect": (
        "Raccordement à demander : la fibre dessert {share} des locaux de la commune ; commander "
        "le raccordement FttE/FttH du site à l'opérateur d'infrastructure et prévoir un lien de "
        "secours (4G/5G) dans le budget d'équipement."
    ),
    "fibre_check": (
        "Vérifier l'éligibilité de l'adresse du site sur la carte de la fibre de l'Arcep "
        "(la fibre dessert {share} des locaux de la commune) : raccordement à demander si elle "
        "est éligible, solution alternative (4G/5G, satellite) à prévoir sinon."
    ),
    "fibre_alternative": (
        "Solution alternative (4G/5G, satellite) à prévoir : la fibre ne dessert que {share} des "
        "locaux de la commune ; demander à l'opérateur d'infrastructure son calendrier de "
        "déploiement pour raccorder le site dès que possible."
    ),
    "bandwidth": (
        "Souscrire un accès professionnel à débit garanti d'au moins {need} Mbit/s, avec un lien "
        "de secours 4G/5G ; à défaut, limiter les usages simultanés lourds (visioconférence)."
    ),
    "transit": (
        "Solliciter l'autorité organisatrice des mobilités pour un arrêt ou une adaptation de "
        "ligne ; organiser le covoiturage et le stationnement vélo."
    ),
    "parking": (
        "Conventionner {missing} place(s) de stationnement mutualisées à proximité (parking "
        "communal), organiser le covoiturage et installer un abri à vélos."
    ),
    "parking_unknown": (
        "Relever le nombre de places de stationnement du site et de ses abords : "
        "{need} places nécessaires à l'heure de pointe."
    ),
    "accessible_pmr": (
        "Faire réaliser un diagnostic accessibilité (ERP) et inscrire les travaux de mise en "
        "conformité au programme, ou déposer un Ad'AP."
    ),
    "erp": (
        "Déposer l'autorisation de travaux d'un ERP de {category}e catégorie : avis de la "
        "commission de sécurité avant ouverture, service de sécurité et registre adaptés ; "
        "ou plafonner l'effectif accueilli sous {below} personnes."
    ),
    "surface": (
        "Réduire ou phaser le programme, ou compléter par un second local ou une extension ; "
        "ajuster le chiffrage des travaux en conséquence."
    ),
}


# --- presence, bandwidth, parking, ERP -----------------------------------------------------


def presence(activity: pd.DataFrame, settings: dict) -> dict[str, float]:
    """Person-hours a year, average and peak presence from full-year activity by unit.

    Units without a `usage` entry are left out, with a warning naming them.
    """
    usage = settings["usage"]
    active = activity.loc[activity["volume"] > 0]
    unknown = sorted(set(active["unit"]) - set(usage))
    if unknown:
        warnings.warn(
            f"params.yaml: governance.feasibility.usage has no entry for {', '.join(unknown)}: "
            "left out of the expected presence",
            stacklevel=2,
        )
    known = active.loc[active["unit"].isin(list(usage))]
    visits = known["unit"].map(lambda u: float(usage[u]["visits"]))
    hours = known["unit"].map(lambda u: float(usage[u]["hours"]))
    person_hours = float((known["volume"] * visits * hours).sum())
    average = person_hours / (float(settings["opening_days"]) * float(settings["opening_hours"]))
    return {
        "person_hours": person_hours,
        "average": average,
        "peak": average * float(settings["peak_factor"]),
    }


def erp_category(public: float, fifth_below: float, max_public: dict) -> int:
    """ERP category from the public received at once (code de la construction, R143-19): 5th
    below the threshold of the type, then 4th up to 300, 3rd up to 700, 2nd up to 1 500, 1st."""
    if public < fifth_below:
        return 5
    for category in (4, 3, 2):
        if public <= float(max_public[category]):
            return category
    return 1


def site_profile(sites: pd.DataFrame, matrix: pd.DataFrame) -> pd.Series:
    """The site phase 08 recommends (08_sites/sites) with its equipment flags (08_sites/decision_matrix), and
    its parking and bandwidth when phase 08 provides them (NaN otherwise)."""
    missing = [c for c in ("site_id", *SITE_FLAGS) if c not in matrix.columns]
    if missing:
        raise ValueError(f"08_sites/decision_matrix: missing column(s) {', '.join(missing)}")
    site = recommended_site(sites)
    flags = matrix.set_index("site_id")
    if site["site_id"] not in flags.index:
        raise ValueError(f"08_sites/decision_matrix: no row for site {site['site_id']!r}")
    row = flags.loc[site["site_id"]]
    extra = {
        c: site[c] if c in site.index else row[c] if c in row.index else np.nan
        for c in OPTIONAL_SITE
    }
    base = site.drop([*SITE_FLAGS, *OPTIONAL_SITE], errors="ignore")
    return pd.concat([base, row[list(SITE_FLAGS)], pd.Series(extra)])


def describe(value) -> str:
    """A site attribute in French: oui/non for flags (bool or 0/1), else the number."""
    if pd.isna(value):
        return "inconnu"
    if isinstance(value, (bool, np.bool_)) or float(value) in (0.0, 1.0):
        return "oui" if value else "non"
    return fmt.number(float(value), 0 if float(value).is_integer() else 1)


def flag(value) -> bool:
    return bool(pd.notna(value) and float(value) > 0)


def fibre_check(site: pd.Series, thresholds: dict) -> tuple[str, str, str]:
    """Value, status and action of the fibre line: a site without fibre is to be connected
    where its commune's FttH coverage reaches `connect_from`, to be checked between the two
    thresholds, and given a 4G/5G or satellite access below `alternative_below`."""
    if flag(site["fibre"]):
        return describe(site["fibre"]), OK, NO_ACTION
    share = site.get("ftth_share", np.nan)
    if pd.isna(share):
        return describe(site["fibre"]), TODO, ACTIONS["fibre"]
    text = fmt.percent(float(share), 0)
    value = f"non ; {text} des locaux de la commune éligibles à la fibre (FttH, Arcep)"
    if float(share) >= float(thresholds["connect_from"]):
        return value, TODO, ACTIONS["fibre_connect"].format(share=text)
    if float(share) < float(thresholds["alternative_below"]):
        return value, TODO, ACTIONS["fibre_alternative"].format(share=text)
    return value, CHECK, ACTIONS["fibre_check"].format(share=text)


def feasibility(site: pd.Series, programme_m2: float, load: dict, settings: dict) -> pd.DataFrame:
    """Checklist of the chosen site: value found, status (ok, à traiter, à vérifier) and the
    action closing each gap. `load`: peak presence, largest event of the launch programme,
    staff (FTE) of the recommended scenario and the share of workers who drive to work."""
    missing = [c for c in SITE_COLUMNS if c not in site.index]
    if missing:
        raise ValueError(f"08_sites/sites: missing column(s) {', '.join(missing)}")
    peak = math.ceil(load["peak"] - 1e-9)
    rows = []

    def add(criterion, value, status, action):
        rows.append((criterion, value, status, NO_ACTION if status == OK else action))

    fibre = flag(site["fibre"])
    add("Raccordement à la fibre optique", *fibre_check(site, settings["ftth"]))

    need = peak * float(settings["mbps_per_user"])
    known = site.get("bandwidth_mbps")
    available = (
        float(known)
        if pd.notna(known)
        else float(settings["fibre_mbps"] if fibre else settings["without_fibre_mbps"])
    )
    add(
        "Débit internet au regard des usages",
        f"besoin de {fmt.number(need)} Mbit/s ({fmt.number(peak)} usagers simultanés à l'heure "
        f"de pointe × {fmt.number(settings['mbps_per_user'], 1)} Mbit/s), "
        f"{fmt.number(available)} Mbit/s disponibles",
        OK if available >= need else TODO,
        ACTIONS["bandwidth"].format(need=fmt.number(need)),
    )

    add("Desserte en transports collectifs", describe(site["transit"]),
        OK if flag(site["transit"]) else TODO, ACTIONS["transit"])  # fmt: skip

    spaces = math.ceil(
        peak * float(load["car_share"]) / float(settings["people_per_car"])
        + float(load.get("staff_fte", 0.0))
        - 1e-9
    )
    parking = site.get("parking")
    if pd.isna(parking):
        add("Stationnement", f"inconnu ; {fmt.number(spaces)} places nécessaires", CHECK,
            ACTIONS["parking_unknown"].format(need=fmt.number(spaces)))  # fmt: skip
    else:
        add(
            "Stationnement",
            f"{fmt.number(float(parking))} places pour {fmt.number(spaces)} nécessaires",
            OK if float(parking) >= spaces else TODO,
            ACTIONS["parking"].format(missing=fmt.number(spaces - float(parking))),
        )

    add("Accessibilité aux personnes à mobilité réduite", describe(site["accessible_pmr"]),
        OK if flag(site["accessible_pmr"]) else TODO, ACTIONS["accessible_pmr"])  # fmt: skip

    erp = settings["erp"]
    public = max(peak, int(load.get("largest_event", 0)))
    category = erp_category(public, float(erp["fifth_category_below"]), erp["max_public"])
    add(
        "Accueil du public (établissement recevant du public)",
        f"{category}e catégorie, type {erp['type']} : effectif maximal de {fmt.number(public)} "
        f"personnes (heure de pointe ou plus grand événement du lancement)",
        OK if category == 5 else TODO,
        ACTIONS["erp"].format(category=category, below=fmt.number(erp["fifth_category_below"])),
    )

    surface = float(site["surface_m2"])
    add(
        "Surface disponible au regard du programme",
        f"{fmt.number(surface)} m² disponibles pour {fmt.number(programme_m2)} m² programmés",
        OK if surface >= programme_m2 else TODO,
        ACTIONS["surface"],
    )
    return pd.DataFrame(rows, columns=["criterion", "value", "status", "action"])
