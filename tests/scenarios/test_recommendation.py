"""Phase 09's recommendation: criteria on absolute scales that cannot vanish, and a plan beaten
on every count never recommended."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from pipeline.core.config import load_params
from pipeline.scenarios.recommendation import (
    criterion_scores,
    dominated,
    ranking_robustness,
    recommend,
)

SCALES = load_params()["scenarios"]["ranking"]
WEIGHTS = load_params()["scenarios"]["criteria"]
POPULATION = 10_000.0
# The weights of params before the EPCI's net cost was a criterion.
OLD_WEIGHTS = {
    "npv": 0.25, "own_revenue_share": 0.20, "functions_covered": 0.25, "deficit_probability": 0.30
}  # fmt: skip
COLUMNS = [
    "npv", "own_revenue_share", "functions_covered", "deficit_probability",
    "epci_net_cost_per_inhabitant",
]  # fmt: skip


def plans(rows: dict[str, tuple]) -> pd.DataFrame:
    """A comparison of scenarios from (npv, own share, functions, deficit prob., EPCI cost);
    their fit to the needs is their share of the five functions."""
    table = pd.DataFrame.from_dict(rows, orient="index", columns=COLUMNS)
    table["needs_fit"] = table["functions_covered"] / 5
    return table.rename_axis("scenario").reset_index().assign(functions_ok=True)


def chosen(table: pd.DataFrame, weights=WEIGHTS) -> str:
    out = recommend(table, weights, SCALES, POPULATION)
    assert out["recommended"].sum() == 1
    return out.loc[out["recommended"], "scenario"].item()


def old_min_max_choice(table: pd.DataFrame, weights: dict) -> str:
    """The former ranking, for contrast: each criterion rescaled between the scenarios (a
    criterion equal for all gives 1 to all)."""
    score = 0.0
    for c, w in weights.items():
        v = (
            table[c]
            if c not in ("deficit_probability", "epci_net_cost_per_inhabitant")
            else -table[c]
        )
        span = v.max() - v.min()
        score = score + w * ((v - v.min()) / span if span else 1.0)
    return table.loc[pd.Series(score).idxmax(), "scenario"]


def test_a_plan_losing_more_on_every_money_count_is_not_preferred():
    """Issue 15's Creuse case: every plan in deficit for sure, the hub losing six times more
    than the proximity place; min-max between scenarios let its extra functions win."""
    table = plans(
        {
            "proximite": (-92_122.0, 0.19, 2, 1.0, 2.4),
            "hub": (-601_576.0, 0.35, 4, 1.0, 6.3),
            "reseau": (-300_000.0, 0.23, 3, 1.0, 3.6),
        }
    )
    assert old_min_max_choice(table, OLD_WEIGHTS) == "hub"
    assert chosen(table, OLD_WEIGHTS) != "hub"  # same weights, absolute scales
    assert chosen(table) == "proximite"  # with the EPCI's net cost weighed


def test_a_dominated_plan_is_never_recommended_even_on_a_tied_score():
    """`c` (listed first) equals `a` on every score once clipped to the scales, but its NPV is
    lower: the tie would go to `c`; the dominance rule gives `a`."""
    table = plans(
        {
            "c": (1_000.0, 0.5, 3, 0.2, 0.0),
            "a": (9_000.0, 0.5, 3, 0.2, 0.0),
            "b": (-500_000.0, 0.6, 2, 0.9, 8.0),
        }
    )
    scores = recommend(table, WEIGHTS, SCALES, POPULATION).set_index("scenario")["score"]
    assert scores["c"] == scores["a"]
    assert dominated(table.set_index("scenario")[["npv"]]).tolist() == [True, False, True]
    assert chosen(table) == "a"


row = st.tuples(
    st.floats(-1e6, 1e6), st.floats(0, 1), st.integers(0, 5), st.floats(0, 1), st.floats(0, 20)
)


@hsettings(max_examples=200, deadline=None)
@given(st.lists(row, min_size=2, max_size=5), st.lists(st.floats(0.01, 1), min_size=5, max_size=5))
def test_the_recommended_plan_is_beaten_on_every_count_by_no_other(rows, raw_weights):
    table = plans({f"s{i}": r for i, r in enumerate(rows)})
    weights = {c: w / sum(raw_weights) for c, w in zip(COLUMNS, raw_weights, strict=True)}
    best = (
        recommend(table, weights, SCALES, POPULATION)
        .set_index("scenario")
        .loc[chosen(table, weights)]
    )
    for _, other in table.iterrows():
        better = [
            other[c] > best[c]
            if c in ("npv", "own_revenue_share", "functions_covered")
            else other[c] < best[c]
            for c in COLUMNS
        ]
        at_least = [
            other[c] >= best[c]
            if c in ("npv", "own_revenue_share", "functions_covered")
            else other[c] <= best[c]
            for c in COLUMNS
        ]
        assert not (all(at_least) and any(better))


@pytest.mark.parametrize("probability", [0.0, 0.5, 1.0])
def test_a_criterion_equal_for_all_keeps_its_weight_and_the_order(probability):
    """All plans with the same deficit probability (e.g. all certain to lose money): the
    criterion adds the same amount to every score, and the order is the other criteria's."""
    table = plans(
        {
            "a": (-50_000.0, 0.20, 2, probability, 2.0),
            "b": (-400_000.0, 0.40, 4, probability, 7.0),
            "c": (-150_000.0, 0.30, 3, probability, 4.0),
        }
    )
    with_it = recommend(table, WEIGHTS, SCALES, POPULATION)["score"]
    others = {c: w for c, w in WEIGHTS.items() if c != "deficit_probability"}
    without = recommend(table, others, SCALES, POPULATION)["score"]
    pd.testing.assert_series_equal(
        with_it - without,
        pd.Series(WEIGHTS["deficit_probability"] * (1 - probability), index=table.index),
        check_names=False,
    )
    assert list(with_it.rank()) == list(without.rank())
    assert chosen(table) == chosen(table, others)


def test_scores_are_on_fixed_scales():
    table = plans({"a": (-SCALES["npv_per_inhabitant"] * POPULATION / 2, 0.3, 5, 0.25, 20.0)})
    scores = criterion_scores(table, SCALES, POPULATION).iloc[0]
    assert scores.tolist() == pytest.approx([0.5, 0.3, 1.0, 1.0, 0.75, 0.0])
    assert list(scores.index) == [
        "npv", "own_revenue_share", "functions_covered", "needs_fit", "deficit_probability",
        "epci_net_cost_per_inhabitant",
    ]  # fmt: skip


# --- robustness to the weights ----------------------------------------------------------------

SPEC = {"draws": 1000, "seed": 5, "concentration": 40}


def tiny() -> pd.DataFrame:
    """Three plans: `a` best on money, `b` on its fit to the needs, `c` dominated by `a`."""
    table = plans(
        {
            "a": (-10_000.0, 0.5, 2, 0.3, 1.0),
            "b": (-700_000.0, 0.3, 5, 0.6, 6.0),
            "c": (-20_000.0, 0.4, 2, 0.4, 2.0),
        }
    )
    return table.assign(label=table["scenario"].str.upper())


def test_robustness_counts_how_often_each_plan_is_recommended():
    weights = {"npv": 0.5, "needs_fit": 0.5}
    out = ranking_robustness(tiny(), weights, SCALES, POPULATION, SPEC).set_index("scenario")
    assert out["p_first"].sum() == pytest.approx(1.0)
    assert out.loc["c", "p_first"] == 0  # dominated by a whatever the weights
    assert 0 < out.loc["b", "p_first"] < out.loc["a", "p_first"]
    assert (out["mean_rank"] >= 1).all() and out.loc["a", "mean_rank"] < out.loc["c", "mean_rank"]
    assert out["draws"].eq(1000).all()
    assert chosen(tiny(), weights) == "a"


def test_robustness_follows_the_weights_and_their_spread():
    """More weight on the fit to the needs, and `b` is recommended more often; weights drawn
    closer to those of params (higher concentration), and the choice is steadier."""
    table = tiny()
    p_b = {
        w: ranking_robustness(table, {"npv": 1 - w, "needs_fit": w}, SCALES, POPULATION, SPEC)
        .set_index("scenario")
        .loc["b", "p_first"]
        for w in (0.3, 0.5, 0.7)
    }
    assert p_b[0.3] < p_b[0.5] < p_b[0.7]
    steady = ranking_robustness(
        table, {"npv": 0.5, "needs_fit": 0.5}, SCALES, POPULATION, {**SPEC, "concentration": 1000}
    ).set_index("scenario")
    assert steady.loc["a", "p_first"] > 1 - p_b[0.5]


def test_robustness_is_reproducible_and_a_single_weight_never_moves():
    table = tiny()
    once = ranking_robustness(table, {"npv": 0.5, "needs_fit": 0.5}, SCALES, POPULATION, SPEC)
    again = ranking_robustness(table, {"npv": 0.5, "needs_fit": 0.5}, SCALES, POPULATION, SPEC)
    pd.testing.assert_frame_equal(once, again)
    alone = ranking_robustness(table, {"needs_fit": 1.0}, SCALES, POPULATION, SPEC)
    assert alone.set_index("scenario")["p_first"].to_dict() == {"a": 0.0, "b": 1.0, "c": 0.0}
