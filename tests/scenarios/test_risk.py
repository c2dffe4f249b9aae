"""Phase 09 risk: vectorised results, Monte Carlo reproducibility, sensitivities' directions."""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from pipeline.core.settings.scenarios import RiskSettings
from pipeline.core.vocabulary import RISK_MULTIPLIERS
from pipeline.scenarios import build, risk
from pipeline.scenarios import business_plan as bp

MODEL = risk.Model(
    units=("desk_days", "fablab_hours", "events"),
    demand_volume=np.array([100.0, 100.0, 0.0]),
    own_volume=np.array([0.0, 0.0, 2.0]),
    price=np.array([10.0, 5.0, 100.0]),
    capacity=np.array([np.inf, np.inf, np.inf]),
    ramp=np.array([0.5, 1.0, 1.0]),
    costs=1500.0,
    lines=("public", "anct", "partners"),
    grants=np.array([[100.0, 100.0, 100.0], [300.0, 300.0, 0.0], [10.0, 10.0, 10.0]]),
    private=np.array([False, False, True]),
    investment=1000.0,
    rate=0.1,
)


def test_results_by_hand():
    shocks = risk.base_shocks(3, 3, 4)
    shocks["price"][1] = 2.0
    shocks["obtained"][2, 1] = False
    shocks["obtained"][3, 2] = False
    shocks["partners"][3] = 5.0  # no effect: the partners' line is not obtained
    out = risk.results(MODEL, shocks)
    # central: 0.5 × 1 700 + 100 + 300 + 10 − 1 500, then 1 700 + 410 − 1 500, 1 700 + 110 − 1 500
    assert out[0].tolist() == pytest.approx([-240, 610, 310])
    assert out[1].tolist() == pytest.approx([-240 + 850, 610 + 1700, 310 + 1700])
    assert out[2].tolist() == pytest.approx([-540, 310, 310])  # the ANCT line not obtained
    assert out[3].tolist() == pytest.approx([-250, 600, 300])
    npv = risk.npvs(MODEL, shocks, out)
    assert npv[0] == pytest.approx(-1000 - 240 / 1.1 + 610 / 1.1**2 + 310 / 1.1**3)


def test_draws_never_sell_beyond_capacity():
    """Desk days capped at 150 (the scenario's own volume first), fablab hours at 60: a draw
    of twice the attendance and of the services sells the capacity, not more."""
    model = replace(MODEL, own_volume=np.array([40.0, 0.0, 2.0]),
                    capacity=np.array([150.0, 60.0, np.inf]))  # fmt: skip
    shocks = risk.base_shocks(3, 3, 3)
    shocks["attendance"][1] = 2.0
    shocks["services"][1] = 2.0
    shocks["attendance"][2] = 0.5
    out = risk.results(model, shocks)
    # revenue at full activity: central (40 + 100) × 10 + 60 × 5 + 2 × 100 = 1 900; doubled:
    # 150 × 10 + 60 × 5 + 4 × 100 = 2 200; half the demand: (40 + 50) × 10 + 50 × 5 + 200 = 1 350
    full = (out[:, 2] - 110 + 1500).tolist()  # year 3: ramp 1, grants 100 + 10, costs 1 500
    assert full == pytest.approx([1900, 2200, 1350])


def test_triangular_inverse_cdf():
    u = np.array([0.0, 0.5, 1.0])
    assert risk.triangular(u, 0.0, 1.0, 2.0).tolist() == pytest.approx([0, 1, 2])
    assert risk.triangular(u, 1.0, 1.0, 1.0).tolist() == [1.0, 1.0, 1.0]  # degenerate law
    draws = risk.triangular(np.random.default_rng(0).random(200_000), 0.5, 1.0, 2.0)
    assert draws.mean() == pytest.approx(3.5 / 3, abs=5e-3)
    assert draws.min() >= 0.5 and draws.max() <= 2.0


@pytest.fixture(scope="module")
def evaluated(settings, demand, site):
    s = settings()
    volumes = bp.demand_volumes(demand)
    plans = {
        name: bp.plan_scenario(name, sc, s, volumes, float(site["cost_per_m2_year"]))
        for name, sc in s["scenarios"].items()
    }
    models = {name: risk.scenario_model(t, s) for name, t in plans.items()}
    return s, volumes, plans, models


def test_central_shocks_reproduce_the_deterministic_plan(evaluated):
    s, _, plans, models = evaluated
    for name, model in models.items():
        central = risk.base_shocks(len(model.units), len(model.lines))
        got = risk.results(model, central)[0]
        assert got.tolist() == pytest.approx(plans[name]["pnl"]["result"].tolist())
        flows = bp.cash_flows(model.investment, got)
        npv = risk.npvs(model, central, got[None, :])[0]
        assert npv == pytest.approx(bp.npv(s["discount_rate"], flows))


def test_monte_carlo_is_reproducible_with_its_seed(evaluated, demand, site):
    s, volumes, _, models = evaluated
    first = risk.monte_carlo(models, volumes, s)
    again = risk.monte_carlo(models, volumes, s)
    for name in models:
        assert first[name].shape == (s["risk"]["draws"], s["years"])
        np.testing.assert_array_equal(first[name], again[name])
    other = copy.deepcopy(s)
    other["risk"]["seed"] = 8
    assert not np.array_equal(risk.monte_carlo(models, volumes, other)["a"], first["a"])
    tables = build.evaluate(s, 0.2, demand, site)
    pd.testing.assert_frame_equal(
        tables["risk_years"], build.evaluate(s, 0.2, demand, site)["risk_years"]
    )


def test_draws_respect_their_laws(evaluated):
    s, volumes, _, models = evaluated
    low, high = risk.attendance_ratios(volumes, models["a"].units)
    # every unit of scenarios.units; events, not in phase 07's demand, do not vary with it
    assert models["a"].units == ("desk_days", "mediation_sessions", "fablab_hours", "events")
    assert low.tolist() == pytest.approx([0.5, 0.5, 0.5, 1.0])
    assert high.tolist() == pytest.approx([1.5, 1.5, 1.5, 1.0])
    shocks = risk.draw({**s["risk"], "draws": 50_000}, low, high, risk.probabilities(s))
    assert shocks["attendance"].shape == (50_000, 4)
    assert list(models["a"].lines) == ["anct", "epci", "partners"]
    obtained = shocks["obtained"].mean(axis=0)
    assert obtained[0] == pytest.approx(0.5, abs=0.01) and obtained[1:].tolist() == [1.0, 1.0]
    assert shocks["price"].min() >= 0.8 and shocks["price"].max() <= 1.1
    assert (shocks["investment"] >= 1.0).all()


def test_risk_tables(evaluated):
    s, volumes, _, models = evaluated
    draws = risk.monte_carlo(models, volumes, s)
    years = risk.yearly_risk(draws)
    assert years["deficit_probability"].between(0, 1).all()
    assert (years["cumulative_p10"] <= years["cumulative_p50"]).all()
    assert (years["cumulative_p50"] <= years["cumulative_p90"]).all()
    by_hand = (draws["a"][:, :3].sum(axis=1) < 0).mean()
    assert risk.cumulative_deficit_probability(draws, 3)["a"] == pytest.approx(by_hand)
    hist = risk.histogram(draws, 3, s["risk"])
    assert hist.groupby("scenario")["share"].sum().tolist() == pytest.approx([1.0, 1.0])
    assert len(hist) == 2 * s["risk"]["bins"]


def test_a_line_never_obtained_raises_the_risk(evaluated):
    s, volumes, _, models = evaluated
    never = copy.deepcopy(s)
    never["operating_funding"]["anct"]["probability"] = 0.0
    always = copy.deepcopy(s)
    always["operating_funding"]["anct"]["probability"] = 1.0
    p_never = risk.cumulative_deficit_probability(risk.monte_carlo(models, volumes, never), 3)
    p_always = risk.cumulative_deficit_probability(risk.monte_carlo(models, volumes, always), 3)
    assert all(p_never[n] >= p_always[n] for n in models)
    assert any(p_never[n] > p_always[n] for n in models)


def test_sensitivities_move_in_the_expected_direction(evaluated):
    s, volumes, _, models = evaluated
    table = risk.sensitivities(models, volumes, s)
    for _, group in table.groupby("scenario"):
        d = group.set_index(["input", "side"])["delta_cumulative"]
        assert d[("price", "low")] <= 0 <= d[("price", "high")]
        assert d[("costs", "low")] > 0 > d[("costs", "high")]
        assert d[("subsidies", "low")] < 0 and d[("subsidies", "high")] == 0
        assert d[("sans_anct", "low")] < 0 and d[("sans_anct", "high")] == 0
        assert d[("sans_feder", "low")] == d[("sans_feder", "high")] == 0  # investment only
        assert d[("partners", "low")] < 0
        assert d[("investment", "low")] == d[("investment", "high")] == 0  # not an operating input
        n = group.set_index(["input", "side"])["delta_npv"]
        assert n[("investment", "high")] < 0
    a = table.query("scenario == 'a'").set_index(["input", "side"])["delta_cumulative"]
    assert a[("attendance", "low")] < 0 < a[("attendance", "high")]
    assert a[("services", "low")] < 0 < a[("services", "high")]
    assert "Sans ANCT" in table.query("input == 'sans_anct'")["label"].iloc[0]
    assert "tous" not in set(table["input"])  # the central case is the central plan


def test_every_multiplier_has_its_law_in_the_settings(settings):
    """Each input the Monte Carlo shocks (the vocabulary's list) takes a triangular law from
    params."""
    spec = settings()["risk"]
    assert RiskSettings.model_validate(spec).bins == spec["bins"]
    for name in RISK_MULTIPLIERS:
        with pytest.raises(ValidationError, match=name):
            RiskSettings.model_validate({**spec, name: {**spec[name], "range": [2.0, 1.0, 0.5]}})
        with pytest.raises(ValidationError, match=name):
            RiskSettings.model_validate({**spec, name: {**spec[name], "reason": ""}})
    assert set(risk.base_shocks(1, 1)) == {*RISK_MULTIPLIERS, "attendance", "obtained"}
