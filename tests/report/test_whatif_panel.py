"""The what-if panel in a browser, offline, at phone width: moving a slider shows the grid's
figures of the chosen point, and no text of the settings becomes markup."""

from __future__ import annotations

import itertools
import json

import pandas as pd
import pytest

from pipeline.core import fmt
from pipeline.core.config import load_params
from pipeline.report.browser import VIEWPORTS, offline_page
from pipeline.scenarios.whatif_views import Panel, panel, panel_html

HOSTILE = "Sans <img src=x onerror=alert(1)> l'État"
SETTINGS = {"plan_years": 5, "years": 10}


def grid() -> pd.DataFrame:
    """Two cases × 3 prices × 3 attendances × 2 grants, each figure its own distinct value."""
    rows = []
    points = itertools.product([("tous", "Tous obtenus"), ("sans", HOSTILE)],
                               [0.8, 1.0, 1.2], [0.5, 1.0, 1.5], [0.0, 40000.0])  # fmt: skip
    for i, ((case, label), price, attendance, grant) in enumerate(points):
        rows.append({"scenario": "a", "case": case, "case_label": label, "price": price,
                     "main_price": 12.0 * price, "attendance": attendance, "epci_grant_eur": grant,
                     "epci_net_cost_per_year": 1000.0 * (i + 1),
                     "break_even_year": i % 4 + 1 if i % 3 else pd.NA,
                     "deficit_probability": i / 40, "main_unit": "Journées de poste",
                     "plan": price == 1.0 and attendance == 1.0 and grant == 40000.0})  # fmt: skip
    return pd.DataFrame(rows).astype({"break_even_year": "Int64"})


def expected(table: pd.DataFrame, **point) -> list[str]:
    row = table.loc[(table[list(point)] == pd.Series(point)).all(axis=1)].iloc[0]
    even = ("non atteint sur 10 ans" if pd.isna(row["break_even_year"])
            else f"année {int(row['break_even_year'])}")  # fmt: skip
    return [
        fmt.euros(row["epci_net_cost_per_year"]),
        even,
        fmt.percent(row["deficit_probability"], 0),
    ]


def shown(page) -> list[str]:
    return page.locator("[data-value]").all_inner_texts()


def test_the_panel_carries_its_html_and_its_data():
    bundle = panel(grid(), SETTINGS)._repr_mimebundle_()
    mime = next(k for k in bundle if k != "text/html")
    stored = json.loads(json.dumps(bundle[mime], sort_keys=True))  # as the notebook keeps it
    assert panel_html(stored) == bundle["text/html"]
    assert isinstance(panel(grid(), SETTINGS), Panel)
    html = bundle["text/html"]
    assert html == panel_html(bundle[next(k for k in bundle if k != "text/html")])
    assert "<img" not in html and "&lt;img" in html and "\\u003cimg" in html
    assert html.count('type="range"') == 3


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_moving_a_slider_shows_the_grids_figures_of_that_point(tmp_path, viewport):
    table = grid()
    page_file = tmp_path / "panel.html"
    page_file.write_text(
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
        + panel_html(panel(table, SETTINGS).data) + "</body></html>",
        encoding="utf-8",
    )  # fmt: skip
    with offline_page(*VIEWPORTS[viewport]) as page:
        page.open(page_file)
        page.wait_for_load_state("load")
        assert shown(page) == expected(table, case="tous", price=1.0, attendance=1.0,
                                       epci_grant_eur=40000.0)  # fmt: skip
        page.locator('input[data-axis="attendance"]').fill("2")
        assert shown(page) == expected(table, case="tous", price=1.0, attendance=1.5,
                                       epci_grant_eur=40000.0)  # fmt: skip
        page.locator('input[data-axis="price"]').fill("0")
        page.locator('select[data-axis="case"]').select_option("1")
        assert shown(page) == expected(table, case="sans", price=0.8, attendance=1.5,
                                       epci_grant_eur=40000.0)  # fmt: skip
        assert page.locator('output[data-for="price"]').inner_text().startswith("9,60")
        assert HOSTILE in page.locator("select").inner_text()
        assert page.dialogs == [] and page.refused == []
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS[viewport][0]  # nothing wider than the phone


def check_report_panel(root) -> None:
    """In the study's report at phone width: the panel starts at the plan's point and, once
    the attendance slider moves up, shows the grid's figures of that point (phase 09's table)."""
    table = pd.read_parquet(root / "data" / "processed" / "09_scenarios" / "whatif.parquet")
    horizon = load_params(root)["scenarios"]["years"]
    plan = table[table["plan"]].iloc[0]
    attendances = sorted(table["attendance"].unique())
    up = attendances[attendances.index(plan["attendance"]) + 1]
    with offline_page(*VIEWPORTS["phone"]) as page:
        page.open(root / "reports" / "rapport.html")
        page.wait_for_load_state("load")
        panel = page.locator(".whatif")
        point = {"case": plan["case"], "price": 1.0, "epci_grant_eur": plan["epci_grant_eur"]}
        values = [
            fmt.euros(plan["epci_net_cost_per_year"]),
            fmt.percent(plan["deficit_probability"], 0),
        ]
        got = panel.locator("[data-value]").all_inner_texts()
        assert [got[0], got[2]] == values
        panel.locator('input[data-axis="attendance"]').fill(str(attendances.index(up)))
        want = expected(table, attendance=up, **point)
        got = panel.locator("[data-value]").all_inner_texts()
        assert [got[0], got[2]] == [want[0], want[2]]
        assert got[1] == want[1].replace("10 ans", f"{horizon} ans")
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"][0]


@pytest.mark.e2e
def test_the_reports_panel_looks_up_the_grid_of_phase_09(study):
    check_report_panel(study)
