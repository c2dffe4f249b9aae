"""Phase 10, the budget that makes each scenario viable and the public funding it needs."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.governance import plan_views, viability

PNL = pd.DataFrame(
    {
        "scenario": ["a"] * 3 + ["b"] * 3,
        "year": [1, 2, 3] * 2,
        "revenue": [20.0, 40.0, 50.0, 90.0, 120.0, 130.0],
        "partner_funding": [5.0, 5.0, 10.0, 10.0, 10.0, 10.0],
        "public_funding": [80.0, 60.0, 30.0, 20.0, 0.0, 0.0],
        "costs": [100.0] * 3 + [120.0] * 3,
    }
)
SCENARIOS = pd.DataFrame({"scenario": ["a", "b"], "label": ["Lieu A", "Lieu B"],
                          "recommended": [True, False]})  # fmt: skip


def test_public_funding_needed_each_year():
    table = viability.viability(PNL, SCENARIOS, plan_years=3).set_index(["scenario", "year"])
    assert table.loc[("a", 1), "public_needed"] == 75  # 100 - 20 - 5
    assert table.loc[("a", 3), "gap"] == 10  # 40 needed, 30 planned
    assert table.loc[("b", 2), "public_needed"] == 0  # revenue covers the costs
    assert table.loc[("a", 3), "public_share_needed"] == pytest.approx(0.4)
    assert viability.viability(PNL, SCENARIOS, plan_years=2)["year"].max() == 2


def test_summary_and_sentence_follow_the_accounts():
    summary = viability.summary(viability.viability(PNL, SCENARIOS, 3)).set_index("scenario")
    assert summary.loc["a", "budget"] == 100 and summary.loc["a", "public_needed_full_year"] == 40
    assert summary.loc["a", "short_years"] == "3" and summary.loc["a", "max_gap"] == 10
    assert summary.loc["b", "short_years"] == ""
    text = plan_views.viability_text(summary.reset_index(), SCENARIOS)
    assert "100\u00a0€ par an" in text and "40\u00a0€ de financements publics" in text
    assert "il manque jusqu'à 10\u00a0€ par an (année 3)" in text
    richer = PNL.assign(public_funding=PNL["public_funding"] + 20)
    text = plan_views.viability_text(
        viability.summary(viability.viability(richer, SCENARIOS, 3)), SCENARIOS
    )
    assert "le plan les couvre chaque année" in text
