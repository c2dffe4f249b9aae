"""Phase 10, governance and feasibility: legal forms scored on weighted criteria, and the
functional and technical checklist of the chosen site for the recommended scenario.

Every criterion of `data/raw/formes_juridiques.csv` is scored from 1 to 5, 5 being the most
favourable to the project (for `governance_cost`, 5 means the lightest governance).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.business_plan import best_site, recommended
from pipeline.config import ConfigError
from pipeline.phase import Phase

LEGAL_FORMS_FILE = "data/raw/formes_juridiques.csv"
SCORE_RANGE = (1, 5)
CRITERIA_LABELS = {
    "public_control": "Maîtrise publique",
    "partner_openness": "Ouverture aux partenaires",
    "funding_access": "Accès aux financements",
    "vat_recovery": "Récupération de la TVA",
    "flexibility": "Souplesse de gestion",
    "governance_cost": "Légèreté de la gouvernance",
}
SITE_FLAGS = ("fibre", "transit", "accessible_pmr")  # 0/1 columns of 08_sites/decision_matrix
SITE_COLUMNS = ("nom", "nom_commune", "surface_m2", *SITE_FLAGS)

# Checklist of the site: site column -> (criterion label, action closing a gap).
CHECKS = {
    "fibre": (
        "Raccordement à la fibre optique",
        (
            "Commander le raccordement FttE/FttH auprès de l'opérateur d'infrastructure et "
            "prévoir un lien de secours (4G/5G) dans le budget d'équipement."
        ),
    ),
    "transit": (
        "Desserte en transports collectifs",
        (
            "Solliciter l'autorité organisatrice des mobilités pour un arrêt ou une "
            "adaptation de ligne ; organiser le covoiturage et le stationnement vélo."
        ),
    ),
    "accessible_pmr": (
        "Accessibilité aux personnes à mobilité réduite",
        (
            "Faire réaliser un diagnostic accessibilité (ERP) et inscrire les travaux "
            "de mise en conformité au programme, ou déposer un Ad'AP."
        ),
    ),
}
SURFACE_CHECK = (
    "Surface disponible au regard du programme",
    (
        "Réduire ou phaser le programme, ou compléter par un second local ou une "
        "extension ; ajuster le chiffrage des travaux en conséquence."
    ),
)
NO_ACTION = "Aucune action requise"


# --- legal forms ----------------------------------------------------------------------------


def check_weights(weights: dict[str, float]) -> None:
    if not weights or any(float(w) < 0 for w in weights.values()):
        raise ConfigError("params.yaml: governance.criteria must be non-empty and non-negative")
    total = sum(float(w) for w in weights.values())
    if abs(total - 1) > 1e-6:
        raise ConfigError(
            f"params.yaml: governance.criteria weights must sum to 1, found {total:g}"
        )


def read_legal_forms(path: Path, criteria: list[str]) -> pd.DataFrame:
    """The legal forms grid, checked: every criterion present, every score an integer 1-5.

    Errors name the file, the line (header = line 1) and the column at fault.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: legal forms grid not found")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("forme", *criteria) if c not in raw.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
    low, high = SCORE_RANGE
    forms = raw.copy()
    for column in criteria:
        values = pd.to_numeric(raw[column].str.strip(), errors="coerce")
        bad = values.isna() | (values % 1 != 0) | ~values.between(low, high)
        if bad.any():
            i = bad.to_numpy().argmax()
            raise ValueError(
                f"{path}, line {i + 2}, column {column!r}: score "
                f"{raw[column].iloc[i]!r} is not an integer from {low} to {high}"
            )
        forms[column] = values.astype(int)
    empty = forms["forme"].str.strip() == ""
    if empty.any():
        raise ValueError(f"{path}, line {empty.to_numpy().argmax() + 2}, column 'forme': empty")
    return forms


def score_forms(forms: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Weighted sum of the criteria, rank 1 = best; the best form is recommended."""
    check_weights(weights)
    criteria = list(weights)
    score = sum(float(w) * forms[c] for c, w in weights.items())
    table = forms.assign(score=score.astype(float))
    table["rank"] = table["score"].rank(ascending=False, method="min").astype(int)
    table = table.sort_values(["rank", "forme"], kind="stable").reset_index(drop=True)
    table["recommended"] = table.index == 0
    extra = [c for c in ("description", "source") if c in table.columns]
    return table[["forme", "score", "rank", "recommended", *criteria, *extra]]


# --- feasibility ----------------------------------------------------------------------------


def describe(value) -> str:
    """A site attribute in French: oui/non for flags (bool or 0/1), else the number."""
    from pipeline import fmt

    if pd.isna(value):
        return "inconnu"
    if isinstance(value, (bool, np.bool_)) or float(value) in (0.0, 1.0):
        return "oui" if value else "non"
    return fmt.number(float(value), 0 if float(value).is_integer() else 1)


def site_profile(sites: pd.DataFrame, matrix: pd.DataFrame) -> pd.Series:
    """The best site (08_sites/sites) with its equipment flags (08_sites/decision_matrix)."""
    missing = [c for c in ("site_id", *SITE_FLAGS) if c not in matrix.columns]
    if missing:
        raise ValueError(f"08_sites/decision_matrix: missing column(s) {', '.join(missing)}")
    site = best_site(sites)
    flags = matrix.set_index("site_id")
    if site["site_id"] not in flags.index:
        raise ValueError(f"08_sites/decision_matrix: no row for site {site['site_id']!r}")
    return pd.concat(
        [site.drop(list(SITE_FLAGS), errors="ignore"), flags.loc[site["site_id"], list(SITE_FLAGS)]]
    )


def feasibility(site: pd.Series, programme_m2: float) -> pd.DataFrame:
    """Checklist of the chosen site: value, status (ok / à traiter), action closing the gap."""
    from pipeline import fmt

    missing = [c for c in SITE_COLUMNS if c not in site.index]
    if missing:
        raise ValueError(f"08_sites/sites: missing column(s) {', '.join(missing)}")
    rows = []
    for column, (label, action) in CHECKS.items():
        value = site[column]
        ok = bool(pd.notna(value) and float(value) > 0)
        rows.append((label, describe(value), ok, action))
    surface = float(site["surface_m2"])
    found = f"{fmt.number(surface)} m² disponibles pour {fmt.number(programme_m2)} m² programmés"
    rows.append((SURFACE_CHECK[0], found, surface >= programme_m2, SURFACE_CHECK[1]))
    return pd.DataFrame(
        {
            "criterion": [r[0] for r in rows],
            "value": [r[1] for r in rows],
            "status": ["ok" if r[2] else "à traiter" for r in rows],
            "action": [NO_ACTION if r[2] else r[3] for r in rows],
        }
    )


# --- the phase ------------------------------------------------------------------------------


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Legal forms (raw grid + params weights) and the feasibility of the best site."""
    weights = phase.params["governance"]["criteria"]
    forms = read_legal_forms(phase.root / LEGAL_FORMS_FILE, list(weights))
    site = site_profile(phase.read("08_sites", "sites"), phase.read("08_sites", "decision_matrix"))
    scenario = recommended(phase.read("09_scenarios", "scenarios"))
    return {
        "legal_forms": score_forms(forms, weights),
        "feasibility": feasibility(site, float(scenario["surface_m2"])),
    }


# --- what readers see -----------------------------------------------------------------------


def recommendation_text(
    legal_forms: pd.DataFrame, scenarios: pd.DataFrame, sites: pd.DataFrame, checklist: pd.DataFrame
) -> str:
    """The computed recommendations of the phase, in French."""
    from pipeline import fmt

    form = legal_forms.loc[legal_forms["recommended"]].iloc[0]
    scenario = recommended(scenarios)
    site = best_site(sites)
    gaps = int((checklist["status"] != "ok").sum())
    return (
        f"Forme juridique la mieux notée : **{form['forme']}** (score "
        f"{fmt.number(form['score'], 2)} sur 5). Le scénario recommandé, "
        f"*{scenario['label']}*, est confronté au site **{site['nom']}** "
        f"({site['nom_commune']}) : {gaps} point(s) sur {len(checklist)} à traiter."
    )


def legal_forms_table(legal_forms: pd.DataFrame) -> pd.DataFrame:
    """Scores by legal form with French headers, best first."""
    from pipeline import fmt

    criteria = [c for c in CRITERIA_LABELS if c in legal_forms.columns]
    table = pd.DataFrame(
        {
            "Rang": legal_forms["rank"],
            "Forme juridique": legal_forms["forme"],
            **{CRITERIA_LABELS[c]: legal_forms[c] for c in criteria},
            "Score pondéré": legal_forms["score"].map(lambda s: fmt.number(s, 2)),
        }
    )
    return table.reset_index(drop=True)


def weights_table(weights: dict[str, float]) -> pd.DataFrame:
    from pipeline import fmt

    return pd.DataFrame(
        {
            "Critère": [CRITERIA_LABELS.get(c, c) for c in weights],
            "Pondération": [fmt.percent(w, 0) for w in weights.values()],
        }
    )


def feasibility_table(checklist: pd.DataFrame) -> pd.DataFrame:
    return checklist.rename(
        columns={
            "criterion": "Critère",
            "value": "Constat",
            "status": "Statut",
            "action": "Action à engager",
        }
    )
