"""The demand-by-public chart: no label overlaps another, on a desktop or a phone (Chromium)."""

from __future__ import annotations

import pandas as pd
import plotly.io as pio
import pytest

from pipeline.demand.estimate import SEGMENT_LABELS
from pipeline.demand.views import demand_figure
from pipeline.report.browser import VIEWPORTS, offline_page

UNITS = {"teleworkers": "desk_days", "independents": "desk_days", "visitors": "desk_days",
         "job_seekers": "mediation_sessions", "digital_help": "mediation_sessions",
         "students": "fablab_hours", "organisations": "room_bookings"}  # fmt: skip
# Every text plotly draws: ticks, panel titles (annotations), axis and figure titles.
BOXES = """() => [...document.querySelectorAll('svg.main-svg text')]
  .map(e => { const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.top, r.right, r.bottom]; })
  .filter(b => b[3] > b[1] && b[0].trim())"""


def demand() -> pd.DataFrame:
    rows = [(SEGMENT_LABELS[s], u, 900.0 * (i + 1), 400.0 * (i + 1), 1500.0 * (i + 1))
            for i, (s, u) in enumerate(UNITS.items())]  # fmt: skip
    return pd.DataFrame(rows, columns=["label", "unit", "central", "low", "high"])


def overlaps(boxes) -> list[tuple[str, str]]:
    found = []
    for i, (a, *ra) in enumerate(boxes):
        for b, *rb in boxes[i + 1 :]:
            if ra[0] < rb[2] - 1 and rb[0] < ra[2] - 1 and ra[1] < rb[3] - 1 and rb[1] < ra[3] - 1:
                found.append((a, b))
    return found


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_no_label_of_the_demand_chart_overlaps_another(viewport, tmp_path):
    page_file = tmp_path / "figure.html"
    page_file.write_text(
        pio.to_html(demand_figure(demand()), include_plotlyjs=True), encoding="utf-8"
    )
    width, height = VIEWPORTS[viewport]
    with offline_page(width, height) as page:
        page.open(page_file)
        page.wait_for_function("document.querySelectorAll('.ytick text').length > 0")
        boxes = page.evaluate(BOXES)
        frame = page.evaluate(
            "(() => { const r = document.querySelector('.main-svg').getBoundingClientRect();"
            " return [r.left, r.right]; })()"
        )
    assert len(boxes) > 10
    assert not overlaps(boxes), f"{viewport}: {overlaps(boxes)}"
    left, right = frame
    cut = [b[0] for b in boxes if b[1] < left - 1 or b[3] > right + 1]
    assert not cut, f"{viewport}: text cut off at the figure's edge: {cut}"
