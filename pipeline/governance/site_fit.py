"""Phase 10, every scenario of phase 09 against every candidate site of phase 08: is the site
large enough for the scenario's programme, connected to the fibre, accessible to people with
reduced mobility (the three conditions of a fit), and served by public transport (reported,
not required)? A value phase 08 does not know leaves its check unknown (`<NA>`, « à vérifier »):
neither met nor failed."""

from __future__ import annotations

import pandas as pd

from pipeline.core import fmt
from pipeline.governance.feasibility import CHECK

SCENARIO_COLUMNS = ("scenario", "label", "surface_m2", "recommended")
SITE_COLUMNS = ("site_id", "nom", "nom_commune", "surface_m2", "rank", "recommended")
FLAG_COLUMNS = ("fibre", "transit", "accessible_pmr")  # 0/1 columns of 08_sites/decision_matrix
COMPATIBLE, ADAPT = "compatible", "à adapter"

# What each flag check says when the site lacks it, and what is to be checked when unknown.
FLAG_CHECKS = {
    "fibre": ("fibre_ok", "pas de fibre", "raccordement à la fibre"),
    "accessible_pmr": ("accessible_ok", "non accessible PMR", "accessibilité PMR"),
    "transit": ("transit_ok", "pas de desserte en transports collectifs",
                "desserte en transports collectifs"),
}  # fmt: skip
REQUIRED = ("surface_ok", "fibre_ok", "accessible_ok")  # a site fits when all three are met


def _require(table: pd.DataFrame, columns, name: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {', '.join(missing)}")


def state(value) -> bool | None:
    """A 0/1 or boolean flag as met (True), failed (False) or unknown (None)."""
    return None if pd.isna(value) else bool(float(value) > 0)


def candidate_sites(sites: pd.DataFrame, matrix: pd.DataFrame) -> pd.DataFrame:
    """The candidate sites (08_sites/sites) by rank, with their flags from
    08_sites/decision_matrix (NaN for a site the matrix does not list)."""
    _require(sites, SITE_COLUMNS, "08_sites/sites")
    _require(matrix, ("site_id", *FLAG_COLUMNS), "08_sites/decision_matrix")
    flags = matrix.drop_duplicates("site_id").set_index("site_id")[list(FLAG_COLUMNS)]
    base = sites[list(SITE_COLUMNS)].sort_values("rank", kind="stable")
    return base.join(flags, on="site_id").reset_index(drop=True)


def surface_check(needed: float, available: float) -> tuple[bool | None, str, str]:
    """Whether `available` m² hold the `needed` m² programmed, the gap and what to check."""
    if pd.isna(needed) or pd.isna(available):
        known = "" if pd.isna(needed) else f" ({fmt.number(needed)} m² programmés)"
        return None, "", f"surface du site au regard du programme{known}"
    if available >= needed:
        return True, "", ""
    return (
        False,
        (
            f"surface insuffisante ({fmt.number(needed)} m² programmés, "
            f"{fmt.number(available)} m² disponibles)"
        ),
        "",
    )


def pair(scenario: pd.Series, site: pd.Series) -> dict:
    """One scenario on one site: each check, whether it fits, what fails and what to check."""
    surface_ok, gap, unknown = surface_check(
        float(scenario["surface_m2"]), float(site["surface_m2"])
    )
    checks, gaps, to_check, remarks = {"surface_ok": surface_ok}, [gap], [unknown], []
    for column, (name, missing, verify) in FLAG_CHECKS.items():
        checks[name] = state(site[column])
        text = missing if checks[name] is False else verify if checks[name] is None else ""
        if name in REQUIRED:
            (gaps if checks[name] is False else to_check).append(text)
        elif text:
            remarks.append(text if checks[name] is False else f"{text} {CHECK}")
    required = [checks[c] for c in REQUIRED]
    fits = False if False in required else None if None in required else True
    return {
        "scenario": scenario["scenario"],
        "scenario_label": scenario["label"],
        "site": site["site_id"],
        "site_name": site["nom"],
        "site_commune": site["nom_commune"],
        "site_rank": int(site["rank"]),
        "surface_needed_m2": float(scenario["surface_m2"]),
        "surface_available_m2": float(site["surface_m2"]),
        **checks,
        "fits": fits,
        "status": COMPATIBLE if fits else ADAPT if fits is False else CHECK,
        "gaps": ", ".join(t for t in gaps if t),
        "to_check": ", ".join(t for t in to_check if t),
        "remarks": ", ".join(remarks),
        "recommended_scenario": bool(scenario["recommended"]),
        "recommended_site": bool(site["recommended"]),
    }


def site_fit(scenarios: pd.DataFrame, sites: pd.DataFrame, matrix: pd.DataFrame) -> pd.DataFrame:
    """One row per scenario (09_scenarios/scenarios, in its order) and candidate site (by rank):
    checks as nullable booleans (`<NA>` unknown), `fits` (surface, fibre and PMR access all met;
    `<NA>` when none fails but one is unknown), `status`, and the gaps, checks and remarks in
    French. `recommended` flags the pair of the recommended scenario and site."""
    _require(scenarios, SCENARIO_COLUMNS, "09_scenarios/scenarios")
    candidates = candidate_sites(sites, matrix)
    rows = [pair(s, c) for _, s in scenarios.iterrows() for _, c in candidates.iterrows()]
    table = pd.DataFrame(rows)
    for column in (*REQUIRED, "transit_ok", "fits"):
        table[column] = table[column].astype("boolean")
    table["recommended"] = table["recommended_scenario"] & table["recommended_site"]
    return table
