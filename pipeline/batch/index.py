"""reports/index.html: the territories of a batch side by side, in French, offline.

One self-contained page: each row is a territory (its report linked), each column a key figure
of the report's synthesis, formatted as the report formats it; a header sorts the rows; on a
phone each row becomes a card. A territory whose study failed shows why. Every text that comes
from a territory file or the data is escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from pipeline.core import fmt
from pipeline.report.verdict import CONDITIONAL, NOT_NOW, YES, per_inhabitant

FAILED = "Échec de l'étude"
VERDICTS = {YES: ("yes", 0), CONDITIONAL: ("conditional", 1), NOT_NOW: ("no", 2)}


@dataclass
class Study:
    """A territory of the batch: its summary (reports/metrics/report.json) if it completed,
    else why it failed."""

    key: str
    name: str = ""
    summary: dict | None = None
    error: str = ""


@dataclass(frozen=True)
class Column:
    label: str
    text: Callable[[dict], str]
    sort: Callable[[dict], object]


def _site(s: dict) -> str:
    return f"{s['site']['name']} ({s['site']['commune']})"


COLUMNS = [
    Column("Habitants de la zone d'étude", lambda s: fmt.number(s["population_zone"]),
           lambda s: s["population_zone"]),
    Column("Usagers réguliers potentiels", lambda s: fmt.number(s["regular_users"]),
           lambda s: s["regular_users"]),
    Column("Scénario recommandé", lambda s: s["scenario"]["label"], lambda s: s["scenario"]["label"]),
    Column("Site recommandé", _site, _site),
    Column("Investissement (HT)", lambda s: fmt.euros(s["investment_ht"]),
           lambda s: s["investment_ht"]),
    Column("Reste à charge de l'EPCI par an", lambda s: fmt.euros(s["epci_net_cost_per_year"]),
           lambda s: s["epci_net_cost_per_year"]),
    Column("Reste à charge par habitant et par an",
           lambda s: per_inhabitant(s["epci_net_cost_per_inhabitant"]),
           lambda s: s["epci_net_cost_per_inhabitant"]),
    Column("Probabilité de déficit", lambda s: fmt.percent(s["deficit_probability"], 0),
           lambda s: s["deficit_probability"]),
    Column("Données", lambda s: "Démonstration" if s["demo_inputs"] else "Réelles",
           lambda s: int(bool(s["demo_inputs"]))),
]  # fmt: skip

STYLE = """
:root { --ink: #1f2933; --muted: #52606d; --accent: #0072B2; --line: #d9e2ec; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 1rem; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
.lead, footer { color: var(--muted); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .4rem .5rem; text-align: left;
  vertical-align: top; }
thead th { background: #f0f4f8; position: sticky; top: 0; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th button:focus-visible { outline: 2px solid var(--accent); }
th[aria-sort=ascending] button::after { content: " ▲"; }
th[aria-sort=descending] button::after { content: " ▼"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { min-width: 6.5rem; }
.epci { display: block; color: var(--muted); font-size: .8rem; }
.verdict { font-weight: 700; white-space: nowrap; }
.verdict.yes { color: #1a7f37; } .verdict.conditional { color: #9a6700; }
.verdict.no { color: #B35900; } .verdict.failed { color: #cf222e; }
.demo { background: #fff4e5; border-radius: 3px; padding: .05rem .35rem; }
.reason { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: .8rem; }
.callout { border-left: 5px solid #B35900; background: #fff4e5; padding: .6rem .9rem; margin: 1rem 0; }
@media (max-width: 760px) {
  thead { display: none; }
  table, tbody, tr, td { display: block; width: 100%; }
  tr { border: 1px solid var(--line); border-radius: 6px; margin: .75rem 0; padding: .25rem .5rem; }
  td { border: 0; padding: .2rem 0; }
  td.num { text-align: left; white-space: normal; }
  td[data-label]::before { content: attr(data-label) " : "; color: var(--muted); }
}
"""

# Sorting by the row's data-s<i> attributes (numbers as numbers, text in French order); rows
# without a value (failed studies) stay last either way.
SCRIPT = """
document.querySelectorAll("th button").forEach((button) => button.addEventListener("click", () => {
  const th = button.parentElement, col = "s" + th.dataset.col, body = document.querySelector("tbody");
  const dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
  document.querySelectorAll("th[aria-sort]").forEach((t) => t.removeAttribute("aria-sort"));
  th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
  const rows = [...body.rows].sort((a, b) => {
    const x = a.dataset[col] ?? "", y = b.dataset[col] ?? "";
    if (x === "" || y === "") return (x === "") - (y === "");
    const nx = Number(x), ny = Number(y);
    return dir * (isNaN(nx) || isNaN(ny) ? x.localeCompare(y, "fr") : nx - ny);
  });
  rows.forEach((row) => body.append(row));
}));
"""


def _name(study: Study) -> str:
    return (study.summary or {}).get("territory", {}).get("name") or study.name or study.key


def _territory_cell(study: Study) -> str:
    name = escape(_name(study))
    epci = (study.summary or {}).get("territory", {}).get("epci_name")
    epci = None if epci == _name(study) else epci  # said once
    label = f'<a href="{escape(study.key)}/rapport.html">{name}</a>' if study.summary else name
    return label + (f'<span class="epci">{escape(epci)}</span>' if epci else "")


def _row(study: Study) -> str:
    s = study.summary
    sorts = {"0": _name(study)}
    cells = [f'<td data-label="Territoire">{_territory_cell(study)}</td>']
    if s is None:
        sorts["1"] = "3"
        cells.append(f'<td data-label="Verdict" class="verdict failed">{FAILED}</td>')
        cells.append(
            f'<td data-label="Raison" class="reason" colspan="{len(COLUMNS)}">'
            f"{escape(study.error)}</td>"
        )
    else:
        kind, order = VERDICTS.get(s["verdict"], ("", 3))
        sorts["1"] = str(order)
        cells.append(f'<td data-label="Verdict" class="verdict {kind}">{escape(s["verdict"])}</td>')
        for i, column in enumerate(COLUMNS, start=2):
            sorts[str(i)] = str(column.sort(s))
            text = escape(column.text(s))
            numeric = isinstance(column.sort(s), int | float) and column.label != "Données"
            if text == "Démonstration":
                text = f'<span class="demo">{text}</span>'
            css = ' class="num"' if numeric else ""
            cells.append(f'<td data-label="{escape(column.label)}"{css}>{text}</td>')
    data = "".join(f' data-s{i}="{escape(v)}"' for i, v in sorts.items())
    return f'<tr data-key="{escape(study.key)}"{data}>{"".join(cells)}</tr>'


def page(studies: list[Study], commit: str) -> str:
    """The comparison page of `studies`, computed on the project's `commit`."""
    labels = ["Territoire", "Verdict", *(c.label for c in COLUMNS)]
    head = "".join(
        f'<th scope="col" data-col="{i}"><button type="button">{escape(label)}</button></th>'
        for i, label in enumerate(labels)
    )
    done = [s for s in studies if s.summary]
    failed = len(studies) - len(done)
    demo = sum(bool(s.summary["demo_inputs"]) for s in done)
    notes = []
    if demo:
        notes.append(
            f'<p class="callout"><strong>Données de démonstration.</strong> {demo} des études '
            "reposent en partie sur des données générées, non réelles (colonne « Données ») : "
            "leurs chiffres illustrent la méthode et ne décrivent pas le territoire.</p>"
        )
    counts = f"{fmt.number(len(done))} étude{'s' if len(done) > 1 else ''} terminée" + (
        "s" if len(done) > 1 else ""
    )
    if failed:
        counts += f", {fmt.number(failed)} en échec"
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Comparaison des territoires – tiers-lieu numérique</title>
<style>{STYLE}</style>
</head>
<body>
<h1>Comparaison des territoires</h1>
<p class="lead">Faut-il ouvrir un tiers-lieu numérique ? Réponse et chiffres clés de chaque étude
({counts}). Cliquez sur un titre de colonne pour trier, sur un territoire pour lire son rapport.</p>
{"".join(notes)}
<div class="table-wrap">
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(_row(s) for s in studies)}
</tbody>
</table>
</div>
<footer><p>Chiffres du scénario recommandé de chaque étude, tels que sa synthèse les donne
(définitions dans chaque rapport) : reste à charge de l'EPCI en moyenne annuelle sur la durée du
plan, et par habitant de la zone d'étude ; probabilité d'un résultat cumulé négatif sur la durée
du plan dans la simulation de Monte-Carlo, pertes de financements comprises. Études calculées sur la version {escape(commit[:12])} du projet, chacune comme une
expérience DVC (<code>dvc exp show</code>).</p></footer>
<script>{SCRIPT}</script>
</body>
</html>
"""
