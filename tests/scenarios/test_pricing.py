"""Phase 09's prices: the survey's willingness to pay shrinks the demand a price leaves out (in
the plan, its sizing, its capacity and its Monte Carlo), and the price grid by user type gives
the average price of what is sold."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.scenarios import build, pricing

DAY = "Q13"


def bands(shares, suppressed=None, edges=(5, 10, 15)) -> pd.DataFrame:
    """A price question's published bands, as phase 03 writes them."""
    labels = [f"moins de {edges[0]:g} €"]
    labels += [f"{a:g} à moins de {b:g} €" for a, b in zip(edges, edges[1:])]
    labels += [f"{edges[-1]:g} € ou plus"]
    hidden = suppressed or [False] * len(shares)
    return pd.DataFrame(
        {
            "question": DAY,
            "label": "Journée",
            "band": labels,
            "order": range(len(labels)),
            "n": 100,
            "weighted": [None if h else v for v, h in zip(shares, hidden, strict=True)],
            "suppressed": hidden,
        }
    )


def priced(settings, price: float = 12.0, grid=None, wtp=True) -> dict:
    """The small plan with the day price of the survey measured for desk days."""
    s = settings()
    s["units"]["desk_days"]["price"] = price
    s["pricing"]["willingness_to_pay"] = {"desk_days": DAY} if wtp else {}
    s["pricing"]["grid"] = grid or {}
    return s


def desk(tables: dict, scenario: str = "a") -> pd.Series:
    activity = tables["activity"]
    return activity.loc[
        (activity["scenario"] == scenario) & (activity["unit"] == "desk_days")
    ].iloc[0]


def test_band_bounds_are_read_from_phase_03_labels():
    out = pricing.band_edges(bands([0.1, 0.4, 0.3, 0.2]))
    assert out["low"].tolist() == [0, 5, 10, 15]
    assert out["high"].tolist() == [5, 10, 15, 20]  # the open band as wide as the one below
    with pytest.raises(ValueError, match="Q13"):
        pricing.band_edges(bands([0.5, 0.5], edges=(5,)).assign(band=["peu", "beaucoup"]))


def test_share_priced_out_by_bands_evenly_spread():
    law = pricing.distribution(bands([0.1, 0.4, 0.3, 0.2]))
    assert pricing.priced_out(law, 0) == 0
    assert pricing.priced_out(law, 5) == pytest.approx(0.1)
    assert pricing.priced_out(law, 12) == pytest.approx(0.1 + 0.4 + 0.3 * 2 / 5)
    assert pricing.priced_out(law, 100) == pytest.approx(1.0)


def test_masked_bands_share_what_the_published_ones_leave():
    masked = bands([0.1, 0.5, 0.3, 0.1], suppressed=[True, False, False, True])
    equal, low, high = (
        pricing.distribution(masked, m)["share"].tolist() for m in ("equal", "low", "high")
    )
    assert equal == pytest.approx([0.1, 0.5, 0.3, 0.1])
    assert low == pytest.approx([0.2, 0.5, 0.3, 0.0])
    assert high == pytest.approx([0.0, 0.5, 0.3, 0.2])


def test_revenue_price_tops_price_times_share_paying():
    law = pricing.distribution(bands([0.5, 0.5, 0.0], edges=(5, 10)))  # even on 0-10 €
    assert pricing.revenue_price(law) == pytest.approx(5.0)


def test_raising_the_price_lowers_the_volume_sold(settings, evaluate):
    volumes = {p: desk(evaluate(priced(settings, p)))["volume"] for p in (8.0, 12.0, 14.0)}
    assert volumes[8.0] > volumes[12.0] > volumes[14.0]
    wanted = desk(evaluate(priced(settings, 12.0)))["volume_wanted"]
    assert wanted == pytest.approx(5000 * (1 - (0.1 + 0.4 + 0.3 * 2 / 5)))  # a's demand share: 1
    sized = evaluate(priced(settings, 14.0))["sizing"].set_index(["scenario", "resource"])
    unsized = evaluate(priced(settings, 8.0))["sizing"].set_index(["scenario", "resource"])
    assert sized.loc[("a", "desk_m2"), "needed"] < unsized.loc[("a", "desk_m2"), "needed"]


def test_the_monte_carlo_sees_the_demand_that_pays(settings, evaluate):
    """A price that leaves out part of the demand lowers the simulated results too."""
    low, high = (evaluate(priced(settings, p))["risk_years"] for p in (10.0, 14.0))
    a = (low["scenario"] == "a") & (low["year"] == 2)
    assert high.loc[a, "result_p50"].item() < low.loc[a, "result_p50"].item()


def test_a_price_under_everyones_willingness_keeps_the_whole_demand(
    settings, evaluate, demand, site, measures
):
    cheap = bands([0.0, 0.5, 0.3, 0.2])  # nobody below 5 €
    s = priced(settings, 5.0)
    tables = build.evaluate(s, 0.2, demand, site, {**measures, "price_distribution": cheap})
    free = evaluate(priced(settings, 5.0, wtp=False))
    assert desk(tables)["volume_wanted"] == pytest.approx(desk(free)["volume_wanted"])
    assert desk(tables)["volume_wanted"] == pytest.approx(5000)
    assert tables["prices"].set_index("unit").loc["desk_days", "paying_share"] == 1.0


def test_the_grid_gives_each_user_type_its_price_and_the_plan_their_average(settings, evaluate):
    """Teleworkers (3 000 desk days) pay 12 €, independents (2 000) 18 €: 60 % and 40 % of the
    demand, each with its share priced out."""
    grid = {"desk_days": {"teleworker": 1.0, "independent": 1.5}}
    tables = evaluate(priced(settings, 12.0, grid))
    rows = tables["price_grid"].set_index(["unit", "user_type"])
    assert rows.loc[("desk_days", "independent"), "price"] == 18.0
    assert rows.loc[("desk_days", "independent"), "mix"] == pytest.approx(0.4)
    assert rows.loc[("desk_days", "resident"), "mix"] == 0  # listed in the grid, not in demand
    out_12, out_18 = 0.1 + 0.4 + 0.3 * 2 / 5, 0.1 + 0.4 + 0.3 + 0.2 * 3 / 5
    paying = 0.6 * (1 - out_12) + 0.4 * (1 - out_18)
    unit = tables["prices"].set_index("unit").loc["desk_days"]
    assert unit["paying_share"] == pytest.approx(paying)
    assert unit["price"] == pytest.approx(
        (0.6 * (1 - out_12) * 12 + 0.4 * (1 - out_18) * 18) / paying
    )
    assert desk(tables)["price"] == pytest.approx(unit["price"])
    assert unit["priced_out_full"] == pytest.approx(out_12)


def test_a_unit_without_demand_takes_its_mix_from_params(settings, evaluate):
    s = priced(settings, 12.0, {"events": {"company": 2.0, "association": 0.5}}, wtp=False)
    s["pricing"]["mix"] = {"events": {"company": 0.5, "association": 0.5}}
    unit = evaluate(s)["prices"].set_index("unit").loc["events"]
    assert unit["price"] == pytest.approx(100 * (0.5 * 2.0 + 0.5 * 0.5))


def test_a_segment_without_user_types_is_named(settings, evaluate):
    s = settings()
    s["pricing"]["segments"].pop("students")
    with pytest.raises(ValueError, match="students"):
        evaluate(s)
