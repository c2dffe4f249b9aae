"""The report's what-if panel, from phase 09's `whatif` grid: sliders for the price, the
attendance and the EPCI's operating grant, a list of the funding cases, and the three figures of
the chosen point, looked up in the grid.

Every figure is computed and formatted in French here (`pipeline.scenarios.whatif` computes
them): the page's script only reads the point the controls name in the grid embedded as JSON,
so no rule of the business plan is written in JavaScript. The panel is one block of HTML with
its own style and script, offline, that Quarto displays as the cell's `text/html` output; the
fallback renderer rebuilds it from the `MIME` output with `panel_html`. Every text is escaped.
"""

from __future__ import annotations

import html
import json

import pandas as pd

from pipeline.core import fmt
from pipeline.core.io import rounded

MIME = "application/vnd.tiers-lieu.whatif+json"
AXES = ("price", "attendance", "epci_grant_eur")
STYLE = """<style>
.whatif{border:1px solid #c8ccd4;border-radius:6px;padding:1rem;margin:1rem 0;max-width:100%;box-sizing:border-box}
.whatif label{display:block;margin:.6rem 0}.whatif input,.whatif select{width:100%;box-sizing:border-box}
.whatif output{font-weight:bold}.whatif dl{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0 0}
.whatif dl div{flex:1 1 12rem;background:#f3f5f8;border-radius:6px;padding:.6rem}
.whatif dt{font-size:.9rem}.whatif dd{margin:0;font-size:1.4rem;font-weight:bold}
@media print{.whatif input,.whatif select{display:none}}
</style>"""
# Looks up the chosen point: its key is the controls' positions; nothing is computed.
SCRIPT = """<script>(function(){
var root=document.currentScript.parentElement,spec=JSON.parse(root.querySelector('.whatif-data').textContent);
function show(){var key=[];root.querySelectorAll('[data-axis]').forEach(function(c){
var i=Number(c.value);key.push(i);var o=root.querySelector('output[data-for="'+c.dataset.axis+'"]');
if(o){o.textContent=spec.axes[c.dataset.axis][i];c.setAttribute('aria-valuetext',spec.axes[c.dataset.axis][i]);}});
var v=spec.values[key.join('-')];root.querySelectorAll('[data-value]').forEach(function(d,j){d.textContent=v[j];});}
root.querySelectorAll('[data-axis]').forEach(function(c){c.addEventListener('input',show);c.addEventListener('change',show);});
show();})();</script>"""


def even_text(year, horizon: int) -> str:
    return f"non atteint sur {horizon} ans" if pd.isna(year) else f"année {int(year)}"


def spec(grid: pd.DataFrame, plan_years: int, horizon: int) -> dict:
    """The panel's data: each axis's positions in words, the plan's (its first case: the
    list's first), and the three
    figures of every point, in French, keyed by the positions « price-attendance-grant-case »."""
    positions = {axis: sorted(grid[axis].unique()) for axis in AXES}
    cases = list(dict.fromkeys(grid["case"]))
    prices = grid.drop_duplicates("price").set_index("price")["main_price"]
    unit = str(grid["main_unit"].iloc[0])
    axes = {
        "price": [f"{fmt.euros(prices[p], 2)} HT ({unit.lower()}, {change(p)})" for p in positions["price"]],
        "attendance": [f"{fmt.percent(a, 0)} de la demande estimée" for a in positions["attendance"]],
        "epci_grant_eur": [f"{fmt.euros(g)} par an" for g in positions["epci_grant_eur"]],
        "case": list(dict.fromkeys(grid["case_label"])),
    }  # fmt: skip
    index = {axis: {v: i for i, v in enumerate(positions[axis])} for axis in AXES}
    values = {}
    for row in grid.itertuples():
        key = [index[axis][getattr(row, axis)] for axis in AXES] + [cases.index(row.case)]
        values["-".join(map(str, key))] = [
            fmt.euros(row.epci_net_cost_per_year),
            even_text(row.break_even_year, horizon),
            fmt.percent(row.deficit_probability, 0),
        ]
    plan = grid[grid["plan"]].iloc[0]
    start = {axis: index[axis][plan[axis]] for axis in AXES}
    return {"axes": axes, "start": start, "values": values, "plan_years": plan_years}


def change(multiplier: float) -> str:
    return (
        "prix du plan"
        if multiplier == 1
        else f"{'+' if multiplier > 1 else '−'}{fmt.percent(abs(multiplier - 1), 0)}"
    )


def script_json(value) -> str:
    """JSON that cannot close the <script> block holding it (`<`, `>`, `&` as \\u escapes)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def slider(axis: str, label: str, data: dict) -> str:
    last, at = len(data["axes"][axis]) - 1, data["start"][axis]
    return (
        f'<label>{html.escape(label)} : <output data-for="{axis}"></output>'
        f'<input type="range" min="0" max="{last}" step="1" value="{at}" data-axis="{axis}">'
        "</label>"
    )


def panel_html(data: dict) -> str:
    """The panel's HTML: controls, the three figures, the grid as JSON and the lookup script."""
    options = "".join(
        f'<option value="{i}">{html.escape(label)}</option>'
        for i, label in enumerate(data["axes"]["case"])
    )
    years = int(data["plan_years"])
    results = (
        (f"Reste à charge de l'EPCI, moyenne annuelle sur {years} ans", "cost"),
        ("Équilibre d'exploitation durable", "even"),
        (f"Probabilité de déficit cumulé à {years} ans", "deficit"),
    )
    figures = "".join(
        f'<div><dt>{html.escape(label)}</dt><dd data-value="{key}"></dd></div>'
        for label, key in results
    )
    return (
        f'<div class="whatif" role="group" aria-label="Simulateur du scénario recommandé">{STYLE}'
        + slider("price", "Prix", data)
        + slider("attendance", "Fréquentation", data)
        + slider("epci_grant_eur", "Subvention de fonctionnement de l'EPCI", data)
        + f'<label>Financements obtenus<select data-axis="case">{options}</select></label>'
        + f'<dl aria-live="polite">{figures}</dl>'
        + f'<script type="application/json" class="whatif-data">{script_json(data)}</script>'
        + SCRIPT
        + "</div>"
    )


class Panel:
    """The panel as a notebook output: `text/html` for Quarto and JupyterLab, its data under
    `MIME` for the fallback renderer."""

    def __init__(self, data: dict):
        self.data = data

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": panel_html(self.data), MIME: self.data}

    def __repr__(self) -> str:  # the text/plain output: the default one holds a memory address
        return "Simulateur du scénario recommandé"


def panel(grid: pd.DataFrame, settings: dict) -> Panel:
    """The what-if panel of phase 09's `whatif` grid (`scenarios` settings: the plan's years
    and horizon)."""
    # Rounded as the written table is: the panel's numbers must not carry the machine's last bits.
    return Panel(spec(rounded(grid), int(settings["plan_years"]), int(settings["years"])))
