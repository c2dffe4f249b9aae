"""Phase 09's funding lines of digital mediation: a State grant per FTE of mediator
(« Conseillers numériques ») and a label that needs a minimum staff (« France Services »)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.core.config import ConfigError, load_params
from pipeline.core.settings import check
from pipeline.scenarios.funding import operating_funding

ADVISERS = {
    "label": "Conseillers numériques",
    "kind": "public",
    "eur": [17500, 12500, 12500],
    "after": "zero",
    "per_fte": "mediator",
    "functions": ["digital_mediation"],
}
LABEL = {
    "label": "France Services",
    "kind": "public",
    "eur": [50000],
    "after": "repeat",
    "min_fte": {"mediator": 2.0},
    "functions": ["digital_mediation"],
}


def place(mediators: float, functions=("digital_mediation",)) -> dict:
    return {"functions": list(functions), "staff_fte": {"manager": 1.0, "mediator": mediators}}


def test_a_grant_per_fte_follows_the_mediators():
    lines = {"advisers": ADVISERS}
    one = operating_funding(place(1.0), lines, 4)["advisers"]
    np.testing.assert_allclose(one, [17500, 12500, 12500, 0])
    np.testing.assert_allclose(operating_funding(place(1.5), lines, 4)["advisers"], 1.5 * one)
    assert operating_funding(place(1.0, ["coworking"]), lines, 4) == {}


def test_a_cap_holds_after_the_grant_per_fte():
    lines = {"advisers": {**ADVISERS, "cap_year_eur": 30000}}
    np.testing.assert_allclose(
        operating_funding(place(2.0), lines, 3)["advisers"], [30000, 25000, 25000]
    )


def test_a_label_needs_its_minimum_staff():
    lines = {"label": LABEL}
    assert operating_funding(place(1.5), lines, 2) == {}
    np.testing.assert_allclose(operating_funding(place(2.0), lines, 2)["label"], [50000, 50000])


def test_the_plan_counts_the_grant_of_the_mediators_it_is_sized_to(settings, evaluate):
    """Scenario b (digital mediation, half a mediator) gets half the grant; a has no mediator."""
    s = settings()
    s["operating_funding"]["advisers"] = ADVISERS
    lines = evaluate(s)["pnl_lines"]
    grant = lines.loc[lines["item"] == "advisers"].pivot_table(
        index="year", columns="scenario", values="amount"
    )
    assert grant["b"].tolist() == [8750, 6250, 6250, 0]
    assert grant["a"].eq(0).all()


def test_a_line_per_fte_of_an_unknown_post_is_refused(settings):
    s = settings()
    s["operating_funding"]["advisers"] = {**ADVISERS, "per_fte": "advisor"}
    s["operating_funding"]["label"] = {**LABEL, "min_fte": {"agent": 2.0}}
    with pytest.raises(ConfigError) as error:
        check({"scenarios": s})
    assert "scenarios.operating_funding.advisers.advisor" in str(error.value)
    assert "scenarios.operating_funding.label.agent" in str(error.value)


def test_the_study_gives_mediation_its_own_uncertain_lines():
    lines = load_params()["scenarios"]["operating_funding"]
    mediation = {k: v for k, v in lines.items() if v.get("functions") == ["digital_mediation"]}
    assert {"conseillers_numeriques", "france_services"} <= set(mediation)
    assert mediation["conseillers_numeriques"]["per_fte"] == "mediator"
    assert all(v["probability"] < 1 and v["probability_reason"] for v in mediation.values())
