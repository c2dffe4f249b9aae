"""Phase 08's metrics for DVC: the recommended site and its robustness; the ranking's data."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.core.io import read_table
from pipeline.sites.metrics import build, ranking_plot, site_metrics
from pipeline.sites.outputs import SITES

SITES_TABLE = pd.DataFrame(
    {"site_id": ["S1", "S2", "S3"], "nom": ["Mairie", "Médiathèque", "Mairie"],
     "score": [0.4, 0.7, 0.5], "rank": [3, 1, 2], "p_first": [0.1, 0.8, 0.1],
     "recommended": [False, True, False]}
)  # fmt: skip
MONTE_CARLO = pd.DataFrame({"site_id": ["S2", "S3", "S1"], "p_first": [0.8, 0.1, 0.1],
                            "p_top2": [0.9, 0.7, 0.4], "mean_rank": [1.2, 2.1, 2.7]})  # fmt: skip
VARIANTS = pd.DataFrame({"site_id": ["S1", "S2", "S3"] * 4, "variant": list("aaabbbcccddd"),
                         "rank": [3, 1, 2, 3, 2, 1, 2, 1, 3, 3, 1, 2]})  # fmt: skip


def test_the_recommended_site_with_its_draws_and_the_share_of_variants_ranking_it_first():
    best = site_metrics(SITES_TABLE, MONTE_CARLO, VARIANTS)["best_site"]
    assert best["site_id"] == "S2" and best["name"] == "Médiathèque" and best["rank"] == 1
    assert (best["p_top2"], best["mean_rank"]) == (0.9, 1.2)
    assert best["first_in_variants"] == 0.75


def test_ranking_lists_sites_best_first_with_distinct_names():
    plot = ranking_plot(SITES_TABLE)
    assert plot["site"].tolist() == ["S2 Médiathèque", "S3 Mairie", "S1 Mairie"]
    assert plot["score"].tolist() == [0.7, 0.5, 0.4]


@pytest.mark.e2e
def test_default_study_metrics_name_the_recommended_site(study):
    sites = read_table(SITES.path(study))
    results = build(study)
    chosen = sites.loc[sites["recommended"], "site_id"].item()
    assert results.metrics["best_site"]["site_id"] == chosen
    assert len(results.plots["ranking"]) == len(sites)
    written = json.loads(
        (study / "reports" / "metrics" / "08_sites.json").read_text(encoding="utf-8")
    )
    assert written["best_site"]["site_id"] == chosen
    assert (study / "reports" / "plots" / "08_sites" / "ranking.csv").exists()
