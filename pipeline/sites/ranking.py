"""Phase 08, sites: candidate premises, their catchment, and a TOPSIS ranking with its robustness.

For each candidate site: population and target segments (phase 07) within distance bands of
its town hall-to-site distances; its Huff capture against the existing places (phase 05); the
one or two sites a maximal-coverage (MCLP) and a p-median model would pick (spopt, CBC solver);
and a multi-criteria ranking (TOPSIS) whose robustness is measured by Monte Carlo draws of the
weights (Dirichlet around params) and by the range of each weight that keeps the best site first.

TOPSIS (pymcdm) normalises each criterion by min-max, its default: the best site on a criterion
gets 1, the worst 0, whatever the units; a criterion equal for every site has no effect.
Distances are straight lines between town halls and sites (haversine).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from pipeline.core import fmt, geo
from pipeline.core.mdtext import Md, md
from pipeline.core.phase import Phase
from pipeline.core.validate import (
    iso_date,
    non_empty,
    number,
    one_of,
    read_checked_csv,
    require_rows,
    row_check,
    to_numbers,
)

SITES_FILE = "sites_candidats.csv"
YES_NO = ["oui", "non"]
# Criteria a ranking may use: column of the decision matrix -> French label.
CRITERIA = {
    "population_in_band": "Population desservie",
    "surface_m2": "Surface (m²)",
    "cost_per_m2_year": "Loyer annuel au m² (€)",
    "fibre": "Fibre optique",
    "transit": "Arrêt de transport en commun",
    "accessible_pmr": "Accessible aux personnes à mobilité réduite",
    "parking": "Places de stationnement",
    "nearest_place_km": "Distance au lieu existant le plus proche (km)",
    "huff_capture": "Clientèle captée face à l'offre existante (modèle de Huff)",
}
# Short French names of the demand groups counted around sites (population and segments).
GROUP_LABELS = {
    "population": "Habitants",
    "teleworkers": "Télétravailleurs potentiels",
    "independents": "Indépendants et chefs d'entreprise",
    "job_seekers": "Demandeurs d'emploi",
    "students": "Étudiants",
    "digital_help": "Personnes à aider avec le numérique",
    "organisations": "Entreprises et associations",
}
MODEL_LABELS = {
    "mclp": "Couverture maximale (MCLP)",
    "pmedian": "p-médiane (distance moyenne minimale)",
}
# Yes/no equipment kept in the decision matrix table even when not a criterion (phase 10 reads them).
FLAGS = ["fibre", "transit", "accessible_pmr"]
COLUMNS = [
    "site_id",
    "nom",
    "commune",
    "nom_commune",
    "lon",
    "lat",
    "surface_m2",
    "loyer_annuel_eur",
    "cost_per_m2_year",
    "population_in_band",
    "nearest_place_km",
    "score",
    "rank",
]
# Columns added for readers and later phases.
EXTRA_COLUMNS = ["huff_capture", "huff_share", "p_first", "p_top2"]


def sites_schema(codes, bounds) -> pa.DataFrameSchema:
    """Candidate-site sheet; communes must be the territory's, points inside its bounding box."""
    min_lon, min_lat, max_lon, max_lat = bounds
    box = (
        f"coordinates inside the territory's bounding box (longitude {min_lon:.4f} to "
        f"{max_lon:.4f}, latitude {min_lat:.4f} to {max_lat:.4f})"
    )

    def inside(df: pd.DataFrame) -> pd.Series:
        lon = pd.to_numeric(df["longitude"], errors="coerce")
        lat = pd.to_numeric(df["latitude"], errors="coerce")
        unreadable = lon.isna() | lat.isna()  # reported by the column checks
        return unreadable | pd.Series(geo.within_bounds(lon, lat, bounds), index=df.index)

    allowed = set(codes)
    return pa.DataFrameSchema(
        {
            "site_id": pa.Column(
                checks=non_empty(), unique=True, report_duplicates="exclude_first"
            ),
            "nom": pa.Column(checks=non_empty()),
            "commune": pa.Column(
                checks=pa.Check(
                    lambda s: s.isin(allowed), error="the INSEE code of a commune of the territory"
                )
            ),
            "latitude": pa.Column(checks=number(-90, 90)),
            "longitude": pa.Column(checks=number(-180, 180)),
            "surface_m2": pa.Column(checks=number(1)),
            "loyer_annuel_eur": pa.Column(checks=number(0)),
            "disponibilite": pa.Column(checks=iso_date(optional=True)),
            "fibre": pa.Column(checks=one_of(YES_NO)),
            "places_parking": pa.Column(checks=number(0, integer=True, optional=True)),
            "arret_tc": pa.Column(checks=one_of(YES_NO)),
            "acces_pmr": pa.Column(checks=one_of(YES_NO)),
        },
        checks=row_check(["latitude", "longitude"], inside, box),
        strict=True,
    )


def read_sites(path: Path, communes: pd.DataFrame) -> pd.DataFrame:
    """The candidate sites, checked against the territory's communes and bounding box; a file
    without any is refused (nothing to rank)."""
    schema = sites_schema(communes["code"], tuple(communes.total_bounds))
    table = to_numbers(
        require_rows(read_checked_csv(path, schema), path, "candidate site"),
        ["latitude", "longitude", "surface_m2", "loyer_annuel_eur", "places_parking"],
    )
    names = communes.set_index("code")["nom"]
    return pd.DataFrame(
        {
            "site_id": table["site_id"],
            "nom": table["nom"],
            "commune": table["commune"],
            "nom_commune": table["commune"].map(names),
            "lon": table["longitude"],
            "lat": table["latitude"],
            "surface_m2": table["surface_m2"],
            "loyer_annuel_eur": table["loyer_annuel_eur"],
            "disponibilite": table["disponibilite"],
            "fibre": table["fibre"] == "oui",
            "parking": table["places_parking"].fillna(0),
            "transit": table["arret_tc"] == "oui",
            "accessible_pmr": table["acces_pmr"] == "oui",
        }
    )


def population_in_band(sites: pd.DataFrame, communes: pd.DataFrame, band_km: float) -> np.ndarray:
    """Population of the communes whose town hall lies within `band_km` of each site."""
    distance = geo.distance_matrix_km(
        sites["lon"], sites["lat"], communes["mairie_lon"], communes["mairie_lat"]
    )
    return (distance <= band_km) @ communes["population"].to_numpy(dtype=float)


def lower_first(text: str) -> str:
    """'Surface (m²)' -> 'surface (m²)', keeping later capitals ('Huff')."""
    return text[:1].lower() + text[1:]


def decision_matrix(sites: pd.DataFrame, criteria) -> pd.DataFrame:
    """One row per site, one numeric column per criterion (yes/no as 1/0)."""
    unknown = sorted(set(criteria) - set(CRITERIA))
    if unknown:
        raise ValueError(
            f"params.yaml: sites.criteria {', '.join(unknown)} unknown; "
            f"known criteria: {', '.join(CRITERIA)}"
        )
    matrix = pd.DataFrame({"site_id": sites["site_id"]})
    for criterion in criteria:
        matrix[criterion] = sites[criterion].astype(float)
    return matrix


def weights_and_types(criteria: dict) -> tuple[np.ndarray, np.ndarray]:
    """Weights scaled to sum to 1, and types (+1 benefit, -1 cost), from params."""
    weights = np.array([float(c["weight"]) for c in criteria.values()])
    types = np.array([int(c["type"]) for c in criteria.values()])
    if (weights < 0).any() or weights.sum() <= 0:
        raise ValueError("params.yaml: sites.criteria weights must be non-negative, not all zero")
    if not set(types) <= {1, -1}:
        raise ValueError("params.yaml: sites.criteria types must be 1 (benefit) or -1 (cost)")
    return weights / weights.sum(), types


def topsis_scores(matrix: pd.DataFrame, criteria: dict) -> np.ndarray:
    """TOPSIS closeness to the ideal site, between 0 and 1; when every site has the same
    values the problem has no answer, and each site gets 1."""
    from pymcdm.methods import TOPSIS

    weights, types = weights_and_types(criteria)
    values = matrix[list(criteria)].to_numpy(dtype=float)
    with warnings.catch_warnings():  # pymcdm warns about dominant sites and 0/0
        warnings.simplefilter("ignore")
        scores = TOPSIS()(values, weights, types)
    return np.nan_to_num(np.asarray(scores, dtype=float), nan=1.0)


def ranks(scores) -> np.ndarray:
    """1 for the best score; ties share the better rank."""
    return pd.Series(scores).rank(ascending=False, method="min").astype(int).to_numpy()


def rank_sensitivity(matrix: pd.DataFrame, criteria: dict) -> pd.DataFrame:
    """Ranks under the params' weights, under equal weights, and without each criterion
    (long table: site_id, variant, variant_label, rank)."""
    variants = {
        "params": ("Pondération retenue", criteria),
        "equal_weights": ("Poids égaux", {k: {**v, "weight": 1.0} for k, v in criteria.items()}),
    }
    if len(criteria) > 1:
        for name in criteria:
            variants[f"without_{name}"] = (
                f"Sans « {lower_first(CRITERIA[name])} »",
                {k: v for k, v in criteria.items() if k != name},
            )
    frames = [
        pd.DataFrame(
            {
                "site_id": matrix["site_id"],
                "variant": code,
                "variant_label": label,
                "rank": ranks(topsis_scores(matrix, variant)),
            }
        )
        for code, (label, variant) in variants.items()
    ]
    return pd.concat(frames, ignore_index=True)


def rank_sites(sites: pd.DataFrame, criteria: dict) -> pd.DataFrame:
    matrix = decision_matrix(sites, criteria)
    out = sites.copy()
    out["score"] = topsis_scores(matrix, criteria)
    out["rank"] = ranks(out["score"])
    return out.sort_values(["rank", "site_id"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Catchment: bands, Huff capture, coverage models
# ---------------------------------------------------------------------------------------


def demand_groups(communes: pd.DataFrame, segments: pd.DataFrame | None) -> pd.DataFrame:
    """Head counts by commune (rows, in the order of `communes`): population, then one column
    per segment of phase 07 (0 where a commune has none)."""
    groups = pd.DataFrame(
        {"population": communes["population"].to_numpy(dtype=float)}, index=communes["code"]
    )
    if segments is not None and len(segments):
        wide = segments.pivot_table(
            index="code", columns="segment", values="base", aggfunc="sum", sort=False
        )
        groups = groups.join(wide.reindex(groups.index).fillna(0.0))
    return groups.rename_axis("code")


def group_label(group: str) -> str:
    return GROUP_LABELS.get(group, group)


def accessibility(
    sites: pd.DataFrame, communes: pd.DataFrame, groups: pd.DataFrame, bands_km
) -> pd.DataFrame:
    """People of each group whose town hall lies within each band of each site (cumulative:
    "within 10 km" includes "within 5 km"), and their share of the territory's total (long
    table: site_id, band_km, group, label, count, share)."""
    distance = geo.distance_matrix_km(
        sites["lon"], sites["lat"], communes["mairie_lon"], communes["mairie_lat"]
    )
    bands = [float(b) for b in bands_km]
    frames = []
    for group in groups.columns:
        weights = groups[group].to_numpy(dtype=float)
        counts = geo.totals_within(distance, bands, weights)
        total = weights.sum()
        for b, band in enumerate(bands):
            frames.append(
                pd.DataFrame(
                    {
                        "site_id": sites["site_id"].to_numpy(),
                        "band_km": band,
                        "group": group,
                        "label": group_label(group),
                        "count": counts[:, b],
                        "share": counts[:, b] / total if total > 0 else 0.0,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def place_attractiveness(places: pd.DataFrame) -> np.ndarray:
    """Attractiveness of an existing place: the number of analysed services it offers."""
    return (
        places["services"]
        .fillna("")
        .map(lambda text: len([s for s in text.split("|") if s]))
        .to_numpy(dtype=float)
    )


def huff_capture(
    sites: pd.DataFrame,
    communes: pd.DataFrame,
    places: pd.DataFrame,
    groups: pd.DataFrame,
    settings: dict,
) -> pd.DataFrame:
    """Each site's expected share of each commune's people against the existing places (Huff
    model, one site opened at a time), summed by group (long table: site_id, group, label,
    captured, total, share). A candidate's attractiveness is `site_services`; a place's is the
    number of services it offers."""
    decay = float(settings["decay"])
    min_km = float(settings["min_km"])
    site_services = float(settings["site_services"])
    to_places = geo.distance_matrix_km(
        communes["mairie_lon"], communes["mairie_lat"], places["lon"], places["lat"]
    )
    to_sites = geo.distance_matrix_km(
        communes["mairie_lon"], communes["mairie_lat"], sites["lon"], sites["lat"]
    )
    attractiveness = np.concatenate([[site_services], place_attractiveness(places)])
    rows = []
    for s, site_id in enumerate(sites["site_id"]):
        distance = np.column_stack([to_sites[:, s], to_places])
        share = geo.huff_shares(distance, attractiveness, decay, min_km)[:, 0]
        for group in groups.columns:
            weights = groups[group].to_numpy(dtype=float)
            captured = float(weights @ share)
            total = float(weights.sum())
            rows.append(
                {
                    "site_id": site_id,
                    "group": group,
                    "label": group_label(group),
                    "captured": captured,
                    "total": total,
                    "share": captured / total if total > 0 else 0.0,
                }
            )
    return pd.DataFrame(rows)


def check_p(p_values, n_sites: int) -> list[int]:
    where = "params.yaml: sites.coverage_p"
    values = p_values if isinstance(p_values, list) else [p_values]
    if not values or not all(isinstance(p, int) and 1 <= p <= n_sites for p in values):
        raise ValueError(
            f"{where}: expected whole numbers of sites between 1 and {n_sites} "
            f"(the candidate sites), found {p_values!r}"
        )
    return sorted(set(values))


def choose_sites(distance_km: np.ndarray, weights, model: str, p: int, radius_km: float):
    """Positions of the `p` sites (columns of the communes x sites distance matrix) chosen by
    the maximal-coverage model (most people within `radius_km`) or the p-median model (least
    people-weighted distance), solved with spopt and the CBC solver bundled with pulp."""
    import pulp
    from spopt.locate import MCLP, PMedian

    weights = np.asarray(weights, dtype=float)
    if model not in MODEL_LABELS:
        raise ValueError(f"unknown location model {model!r}: expected mclp or pmedian")
    with warnings.catch_warnings():  # pulp 3.3 announces API changes of pulp 4
        warnings.simplefilter("ignore", DeprecationWarning)
        if model == "mclp":
            problem = MCLP.from_cost_matrix(
                distance_km, weights, service_radius=float(radius_km), p_facilities=int(p)
            )
        else:
            problem = PMedian.from_cost_matrix(distance_km, weights, p_facilities=int(p))
        problem = problem.solve(pulp.PULP_CBC_CMD(msg=False))
    if pulp.LpStatus[problem.problem.status] != "Optimal":
        raise RuntimeError(
            f"{model} with p = {p}: solver status {pulp.LpStatus[problem.problem.status]}"
        )
    return [j for j, chosen in enumerate(problem.fac_vars) if chosen.value() > 0.5]


def coverage_of(distance_km: np.ndarray, weights, chosen, radius_km: float) -> dict:
    """People within `radius_km` of at least one chosen site, and the people-weighted mean
    distance to the nearest chosen site."""
    weights = np.asarray(weights, dtype=float)
    nearest = np.asarray(distance_km)[:, list(chosen)].min(axis=1)
    covered = float(weights[nearest <= radius_km].sum())
    return {
        "covered": covered,
        "covered_share": covered / weights.sum() if weights.sum() > 0 else 0.0,
        "mean_km": float(weights @ nearest / weights.sum()) if weights.sum() > 0 else np.nan,
    }


def location_models(
    sites: pd.DataFrame, communes: pd.DataFrame, radius_km: float, p_values
) -> pd.DataFrame:
    """The sites each location model picks for each number of sites p, with the population
    they cover within `radius_km` and the mean distance (one row per model and p)."""
    distance = geo.distance_matrix_km(
        communes["mairie_lon"], communes["mairie_lat"], sites["lon"], sites["lat"]
    )
    weights = communes["population"].to_numpy(dtype=float)
    ids = sites["site_id"].to_numpy()
    rows = []
    for model in MODEL_LABELS:
        for p in check_p(p_values, len(sites)):
            chosen = choose_sites(distance, weights, model, p, radius_km)
            rows.append(
                {
                    "model": model,
                    "model_label": MODEL_LABELS[model],
                    "p": p,
                    "site_ids": "|".join(ids[chosen]),
                    **coverage_of(distance, weights, chosen, radius_km),
                }
            )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Robustness of the ranking
# ---------------------------------------------------------------------------------------


def weight_draws(weights, draws: int, concentration: float, seed: int) -> np.ndarray:
    """`draws` weight vectors from a Dirichlet centred on `weights` (alpha = concentration x
    weight); a zero weight stays zero. Same seed, same draws."""
    weights = np.asarray(weights, dtype=float)
    if concentration <= 0 or draws < 1:
        raise ValueError(
            "params.yaml: sites.monte_carlo: expected a positive concentration and at least "
            f"one draw, found concentration {concentration!r}, draws {draws!r}"
        )
    rng = np.random.default_rng(int(seed))
    positive = weights > 0
    out = np.zeros((int(draws), len(weights)))
    out[:, positive] = rng.dirichlet(concentration * weights[positive], size=int(draws))
    return out


def first_shares(score_rows: np.ndarray) -> np.ndarray:
    """For each draw (row), 1 for the best site, or 1/k to each of k sites tied first."""
    best = score_rows >= score_rows.max(axis=1, keepdims=True) - 1e-12
    return best / best.sum(axis=1, keepdims=True)


def monte_carlo(matrix: pd.DataFrame, criteria: dict, settings: dict) -> pd.DataFrame:
    """Each site's probability of ranking first and in the first two, and its mean rank, over
    Dirichlet draws of the weights around those of params (site_id, p_first, p_top2,
    mean_rank, draws)."""
    weights, types = weights_and_types(criteria)
    draws = weight_draws(
        weights, int(settings["draws"]), float(settings["concentration"]), int(settings["seed"])
    )
    values = matrix[list(criteria)].to_numpy(dtype=float)
    scores = np.vstack([_topsis(values, w, types) for w in draws])
    rank_rows = np.vstack([ranks(row) for row in scores])
    return pd.DataFrame(
        {
            "site_id": matrix["site_id"].to_numpy(),
            "p_first": first_shares(scores).mean(axis=0),
            "p_top2": (rank_rows <= 2).mean(axis=0),
            "mean_rank": rank_rows.mean(axis=0),
            "draws": len(draws),
        }
    )


def _topsis(values: np.ndarray, weights: np.ndarray, types: np.ndarray) -> np.ndarray:
    from pymcdm.methods import TOPSIS

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = TOPSIS()(values, weights, types)
    return np.nan_to_num(np.asarray(scores, dtype=float), nan=1.0)


def reweighted(weights: np.ndarray, index: int, value: float) -> np.ndarray:
    """Weights with criterion `index` set to `value` and the others scaled to keep their
    proportions and a sum of 1."""
    out = np.asarray(weights, dtype=float).copy()
    rest = out.sum() - out[index]
    out = out * ((1 - value) / rest) if rest > 0 else out
    out[index] = value
    return out


def weight_stability(matrix: pd.DataFrame, criteria: dict, steps: int = 1000) -> pd.DataFrame:
    """For each criterion, the range of its weight (the others keeping their proportions) over
    which the site ranked first with the params' weights stays first (ties included), on a grid
    of `steps` intervals, and which site overtakes it below and above that range."""
    weights, types = weights_and_types(criteria)
    values = matrix[list(criteria)].to_numpy(dtype=float)
    ids = matrix["site_id"].to_numpy()
    base = _topsis(values, weights, types)
    best = int(np.argmax(base))
    grid = np.linspace(0.0, 1.0, steps + 1)
    rows = []
    for i, name in enumerate(criteria):
        if len(criteria) == 1:
            rows.append(
                {
                    "criterion": name,
                    "label": CRITERIA[name],
                    "weight": 1.0,
                    "low": 1.0,
                    "high": 1.0,
                    "below": "",
                    "above": "",
                }
            )
            continue
        scores = np.vstack([_topsis(values, reweighted(weights, i, w), types) for w in grid])
        first = scores[:, best] >= scores.max(axis=1) - 1e-12
        start = int(np.argmin(np.abs(grid - weights[i])))
        lo = hi = start
        while lo > 0 and first[lo - 1]:
            lo -= 1
        while hi < steps and first[hi + 1]:
            hi += 1
        rows.append(
            {
                "criterion": name,
                "label": CRITERIA[name],
                "weight": float(weights[i]),
                "low": float(grid[lo]),
                "high": float(grid[hi]),
                "below": ids[int(np.argmax(scores[lo - 1]))] if lo > 0 else "",
                "above": ids[int(np.argmax(scores[hi + 1]))] if hi < steps else "",
            }
        )
    return pd.DataFrame(rows)


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    settings = phase.params["sites"]
    criteria = settings["criteria"]
    communes = phase.read("01_portrait", "communes")
    places = phase.read("05_offer", "places")
    segments = phase.read("07_demand", "segments_by_commune")
    sites = read_sites(phase.raw_dir / SITES_FILE, communes)
    sites["cost_per_m2_year"] = sites["loyer_annuel_eur"] / sites["surface_m2"]
    sites["population_in_band"] = population_in_band(sites, communes, float(settings["band_km"]))
    sites["nearest_place_km"] = geo.nearest_km(
        sites["lon"], sites["lat"], places["lon"], places["lat"]
    )[0].round(2)
    groups = demand_groups(communes, segments)
    huff = huff_capture(sites, communes, places, groups, settings["huff"])
    people = huff[huff["group"] == "population"].set_index("site_id")
    sites["huff_capture"] = sites["site_id"].map(people["captured"])
    sites["huff_share"] = sites["site_id"].map(people["share"])
    ranked = rank_sites(sites, criteria)
    matrix = decision_matrix(ranked, list(dict.fromkeys([*criteria, *FLAGS])))
    robustness = monte_carlo(matrix, criteria, settings["monte_carlo"])
    ranked = ranked.merge(robustness[["site_id", "p_first", "p_top2"]], on="site_id", how="left")
    return {
        "sites": ranked[[*COLUMNS, *EXTRA_COLUMNS]],
        "decision_matrix": matrix,
        "rank_sensitivity": rank_sensitivity(matrix, criteria),
        "accessibility": accessibility(sites, communes, groups, settings["bands_km"]),
        "huff": huff,
        "location_models": location_models(
            sites, communes, float(settings["band_km"]), settings["coverage_p"]
        ),
        "monte_carlo": robustness,
        "weight_stability": weight_stability(matrix, criteria),
    }


# ---------------------------------------------------------------------------------------
# What readers see
# ---------------------------------------------------------------------------------------


def n_sites(p: int) -> str:
    return f"{int(p)} site" + ("s" if int(p) > 1 else "")


def site_label(sites: pd.DataFrame) -> pd.Series:
    return sites["site_id"] + " · " + sites["nom"]


def ranking_table(sites: pd.DataFrame, matrix: pd.DataFrame, band_km: float) -> pd.DataFrame:

    extra = ["site_id", *[c for c in matrix if c not in sites]]
    table = sites.merge(matrix[extra], on="site_id", how="left")
    yes_no = {1.0: "oui", 0.0: "non"}  # criteria columns are floats
    out = pd.DataFrame(
        {
            "Rang": table["rank"],
            "Site": site_label(table),
            "Commune": table["nom_commune"],
            "Surface (m²)": table["surface_m2"].map(fmt.number),
            "Loyer annuel au m²": table["cost_per_m2_year"].map(lambda v: fmt.euros(v)),
            f"Population à {band_km:g} km ou moins": table["population_in_band"].map(fmt.number),
            "Lieu existant le plus proche (km)": table["nearest_place_km"].map(
                lambda v: fmt.number(v, 1)
            ),
        }
    )
    if "huff_capture" in table:
        out["Habitants captés (modèle de Huff)"] = table["huff_capture"].map(fmt.number)
    for column in ("fibre", "transit", "accessible_pmr"):
        if column in table:
            out[CRITERIA[column]] = table[column].map(yes_no)
    out["Score TOPSIS"] = table["score"].map(lambda v: fmt.number(v, 2))
    if "p_first" in table:
        out["Probabilité d'être classé 1er"] = table["p_first"].map(lambda v: fmt.percent(v, 0))
    return out


def criteria_table(criteria: dict) -> pd.DataFrame:

    weights, types = weights_and_types(criteria)
    return pd.DataFrame(
        {
            "Critère": [CRITERIA[c] for c in criteria],
            "Poids": [fmt.percent(w, 0) for w in weights],
            "Sens": ["à maximiser" if t == 1 else "à minimiser" for t in types],
        }
    )


def accessibility_table(access: pd.DataFrame, sites: pd.DataFrame, band_km: float) -> pd.DataFrame:
    """Sites (rows, best first): population within each band, then each target segment within
    the main band `band_km`."""

    order = sites.sort_values(["rank", "site_id"], kind="stable")
    table = pd.DataFrame({"Site": site_label(order).to_numpy()}, index=order["site_id"])
    people = access[access["group"] == "population"]
    for band in sorted(people["band_km"].unique()):
        counts = people[people["band_km"] == band].set_index("site_id")["count"]
        table[f"Habitants à {band:g} km ou moins"] = counts.reindex(table.index).map(fmt.number)
    main = access[(access["group"] != "population") & (access["band_km"] == float(band_km))]
    for group in dict.fromkeys(main["group"]):
        counts = main[main["group"] == group].set_index("site_id")["count"]
        table[f"{group_label(group)} à {float(band_km):g} km"] = counts.reindex(table.index).map(
            fmt.number
        )
    return table.reset_index(drop=True)


def huff_table(huff: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Sites (rows, most captured people first): people of each group the site would draw
    against the existing places, with the population's share."""

    wide = huff.pivot(index="site_id", columns="group", values="captured")
    share = huff[huff["group"] == "population"].set_index("site_id")["share"]
    order = share.sort_values(ascending=False, kind="stable").index
    names = sites.set_index("site_id")
    table = pd.DataFrame(
        {
            "Site": [f"{i} · {names.loc[i, 'nom']}" for i in order],
            "Habitants captés": wide.loc[order, "population"].map(fmt.number).to_numpy(),
            "Part de la population de l'EPCI": share.loc[order]
            .map(lambda v: fmt.percent(v, 1))
            .to_numpy(),
        }
    )
    for group in dict.fromkeys(huff["group"]):
        if group != "population":
            table[f"Captés : {group_label(group).lower()}"] = (
                wide.loc[order, group].map(fmt.number).to_numpy()
            )
    return table


def location_table(models: pd.DataFrame, sites: pd.DataFrame, band_km: float) -> pd.DataFrame:

    names = sites.set_index("site_id")
    return pd.DataFrame(
        {
            "Modèle": models["model_label"],
            "Nombre de sites": models["p"],
            "Sites retenus": models["site_ids"].map(
                lambda ids: " ; ".join(
                    f"{i} · {names.loc[i, 'nom_commune']}" for i in ids.split("|")
                )
            ),
            f"Habitants à {band_km:g} km ou moins d'un site": models["covered"].map(fmt.number),
            "Part de la population de l'EPCI": models["covered_share"].map(
                lambda v: fmt.percent(v, 0)
            ),
            "Distance moyenne au site le plus proche": models["mean_km"].map(
                lambda v: f"{fmt.number(v, 1)}\u00a0km"
            ),
        }
    )


def robustness_table(robustness: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:

    table = robustness.merge(sites[["site_id", "nom", "rank"]], on="site_id")
    table = table.sort_values(["p_first", "rank", "site_id"], ascending=[False, True, True])
    return pd.DataFrame(
        {
            "Site": site_label(table).to_numpy(),
            "Rang (pondération retenue)": table["rank"].to_numpy(),
            "Probabilité d'être classé 1er": table["p_first"].map(lambda v: fmt.percent(v, 0)),
            "Probabilité d'être dans les 2 premiers": table["p_top2"].map(
                lambda v: fmt.percent(v, 0)
            ),
            "Rang moyen": table["mean_rank"].map(lambda v: fmt.number(v, 1)),
        }
    )


def stability_table(stability: pd.DataFrame, best: str) -> pd.DataFrame:
    """For each criterion: its weight, and the range over which `best` stays first."""

    def overtaken(site: str, side: str) -> str:
        return f"{side} : {site}" if site else ""

    return pd.DataFrame(
        {
            "Critère": stability["label"],
            "Poids retenu": stability["weight"].map(lambda v: fmt.percent(v, 0)),
            f"{best} reste 1er si le poids est compris entre": [
                f"{fmt.percent(lo, 1)} et {fmt.percent(hi, 1)}"
                for lo, hi in zip(stability["low"], stability["high"])
            ],
            "Site qui passe devant": [
                " ; ".join(x for x in (overtaken(b, "en dessous"), overtaken(a, "au-dessus")) if x)
                or "aucun"
                for b, a in zip(stability["below"], stability["above"])
            ],
        }
    )


def score_figure(sites: pd.DataFrame):
    from pipeline.core import figures

    frame = sites.assign(label=sites["site_id"] + " · " + sites["nom_commune"])
    fig = figures.bar(
        frame,
        x="label",
        y="score",
        title="Score TOPSIS des sites candidats",
        labels={"label": "", "score": "Score (0 à 1)"},
    )
    fig.update_traces(marker_color=figures.PALETTE[0])
    fig.update_yaxes(range=[0, 1])
    return fig


def robustness_figure(robustness: pd.DataFrame, sites: pd.DataFrame):
    """Bars: each site's probability of ranking first and of ranking in the first two."""
    from pipeline.core import figures

    table = robustness.merge(sites[["site_id", "nom_commune", "rank"]], on="site_id")
    table = table.sort_values(["rank", "site_id"], kind="stable")
    long = table.assign(label=table["site_id"] + " · " + table["nom_commune"]).melt(
        id_vars="label", value_vars=["p_first", "p_top2"], var_name="what", value_name="p"
    )
    names = {"p_first": "Classé 1er", "p_top2": "Dans les 2 premiers"}
    long["what"] = long["what"].map(names)
    draws = int(robustness["draws"].iloc[0]) if len(robustness) else 0
    fig = figures.bar(
        long,
        x="label",
        y="p",
        color="what",
        barmode="group",
        title=f"Robustesse du classement : {fmt.number(draws)} tirages aléatoires des poids",
        labels={"label": "", "p": "Probabilité", "what": ""},
        color_discrete_sequence=[figures.PALETTE[0], figures.PALETTE[4]],
    )
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    fig.update_layout(legend={"orientation": "h", "y": -0.15})
    return fig


def sites_map(communes, places: pd.DataFrame, sites: pd.DataFrame, models: pd.DataFrame):
    """Communes coloured by population, the study zone outlined, existing places, and the
    candidate sites sized by their TOPSIS score and labelled with their rank; the sites the
    coverage model picks for the largest p are circled."""
    from pipeline.core import figures, fmt
    from pipeline.offer import coverage as offer

    fig = figures.choropleth(
        communes,
        "population",
        "Sites candidats (taille : score multicritère) et lieux existants",
        "Habitants",
        outline=communes.loc[communes["in_study_zone"], "geometry"],
    )
    if "location" in places:
        outside = sorted(set(places.loc[places["location"] == "outside", "code_insee"]))
        offer.add_context(fig, communes, offer.outside_outlines(outside) if outside else None)
    figures.points_on_map(
        fig,
        communes,
        places["lon"],
        places["lat"],
        places["nom"],
        "Lieux existants",
        colour=figures.PALETTE[7],
        symbol="circle-open",
    )
    mclp = models[models["model"] == "mclp"].sort_values("p")
    if len(mclp):
        chosen = sites[sites["site_id"].isin(mclp["site_ids"].iloc[-1].split("|"))]
        figures.points_on_map(
            fig,
            communes,
            chosen["lon"],
            chosen["lat"],
            chosen["site_id"],
            f"Retenus par la couverture maximale ({n_sites(mclp['p'].iloc[-1])})",
            colour=figures.PALETTE[2],
            symbol="circle-open",
        )
        fig.data[-1].marker.size = 34
        fig.data[-1].marker.line.width = 3
    hover = [
        f"{r['site_id']} · {r['nom']} ({r['nom_commune']}) : rang {r['rank']}, score "
        f"{fmt.number(r['score'], 2)}"
        for _, r in sites.iterrows()
    ]
    figures.points_on_map(
        fig,
        communes,
        sites["lon"],
        sites["lat"],
        sites["site_id"] + " (" + sites["rank"].astype(str) + ")",
        "Sites candidats (rang)",
        colour=figures.PALETTE[5],
        symbol="star",
    )
    fig.data[-1].update(
        mode="markers+text",
        textposition="top center",
        hovertext=hover,
        marker={"size": (12 + 20 * sites["score"].clip(0, 1)).tolist()},
    )
    fig.update_layout(height=600)
    return fig


def answer_text(
    sites: pd.DataFrame,
    robustness: pd.DataFrame,
    models: pd.DataFrame,
    stability: pd.DataFrame,
    band_km: float,
) -> str:
    """The phase's answer in French: the best site, how robust its rank is, and what the
    coverage models pick."""

    best = sites.sort_values(["rank", "site_id"], kind="stable").iloc[0]
    p_first = robustness.set_index("site_id")["p_first"]
    leader = p_first.idxmax()
    draws = int(robustness["draws"].iloc[0])
    text = md(
        "**Où implanter le tiers-lieu ?** Le site le mieux classé par l'analyse multicritère est "
        "**{} · {}** ({}), score {}. Quand on fait varier les poids au hasard autour de ceux "
        "retenus ({} tirages), il reste premier dans {} des cas", best["site_id"], best["nom"],
        best["nom_commune"], fmt.number(best["score"], 2), fmt.number(draws),
        fmt.percent(p_first[best["site_id"]], 0),
    )  # fmt: skip
    if leader != best["site_id"]:
        text += md(" ; {} l'est dans {} des cas", leader, fmt.percent(p_first[leader], 0))
    fragile = stability[(stability["high"] - stability["low"]) < 0.999]
    if len(fragile):
        tight = (
            fragile.assign(
                room=np.minimum(
                    fragile["weight"] - fragile["low"], fragile["high"] - fragile["weight"]
                )
            )
            .sort_values("room", kind="stable")
            .iloc[0]
        )
        text += md(
            ". Le critère le plus sensible est « {} » : le classement change si son poids sort de "
            "l'intervalle {} – {} (poids retenu {})", lower_first(tight["label"]),
            fmt.percent(tight["low"], 0), fmt.percent(tight["high"], 0),
            fmt.percent(tight["weight"], 0),
        )  # fmt: skip
    names = sites.set_index("site_id")["nom_commune"]
    picks = [
        md("{} : {}, {} de la population à {} km ou moins", n_sites(r["p"]),
           ", ".join(f"{i} ({names[i]})" for i in r["site_ids"].split("|")),
           fmt.percent(r["covered_share"], 0), fmt.value(float(band_km)))  # fmt: skip
        for _, r in models[models["model"] == "mclp"].iterrows()
    ]
    if picks:
        text += md(". Le modèle de couverture maximale retient, pour {}", Md(" ; pour ".join(picks)))
    return Md(text + ".")


def sensitivity_table(sensitivity: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Rank of each site (rows, best first) under each weighting (columns)."""
    wide = sensitivity.pivot(index="site_id", columns="variant_label", values="rank")
    wide = wide[list(dict.fromkeys(sensitivity["variant_label"]))]
    order = sites.sort_values("rank")["site_id"]
    labels = (sites.set_index("site_id")["nom_commune"]).reindex(order)
    wide = wide.reindex(order)
    wide.insert(0, "Site", [f"{code} · {name}" for code, name in labels.items()])
    return wide.reset_index(drop=True).rename_axis(columns=None)
