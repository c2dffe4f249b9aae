"""Phase 08's results for DVC (`pipeline.core.metrics`): the recommended site and its
robustness; the data of the ranking chart (score of each site)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.core.io import read_table
from pipeline.core.metrics import Results
from pipeline.sites.outputs import MONTE_CARLO, RANK_SENSITIVITY, SITES, recommended_site


def site_metrics(sites: pd.DataFrame, monte_carlo: pd.DataFrame, variants: pd.DataFrame) -> dict:
    """The recommended site: its score and rank; how often it ranks first under drawn weights
    (`p_first`), in the top two (`p_top2`), its mean rank; the share of the weight variants
    (equal weights, each criterion left out) that still rank it first."""
    best = recommended_site(sites)
    drawn = monte_carlo.set_index("site_id").loc[best["site_id"]]
    ranks = variants.loc[variants["site_id"] == best["site_id"], "rank"]
    return {
        "best_site": {
            "site_id": best["site_id"],
            "name": best["nom"],
            "score": best["score"],
            "rank": best["rank"],
            "p_first": drawn["p_first"],
            "p_top2": drawn["p_top2"],
            "mean_rank": drawn["mean_rank"],
            "first_in_variants": float((ranks == 1).mean()),
        },
        "sites": len(sites),
    }


def ranking_plot(sites: pd.DataFrame) -> pd.DataFrame:
    """Score of each site, best first, named `<site_id> <name>` (names may repeat)."""
    table = sites.sort_values(["rank", "site_id"])
    site = table["site_id"] + " " + table["nom"]
    return pd.DataFrame({"site": site, "score": table["score"], "p_first": table["p_first"]})


def build(root: Path) -> Results:
    sites = read_table(SITES.path(root))
    metrics = site_metrics(
        sites, read_table(MONTE_CARLO.path(root)), read_table(RANK_SENSITIVITY.path(root))
    )
    return Results(metrics, {"ranking": ranking_plot(sites)})
