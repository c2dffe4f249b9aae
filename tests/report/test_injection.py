"""Markup typed into any input is shown as text: it never runs, loads or hides anything.

A hostile payload (an `onerror` image, a `</script>` that would close the figures' block, a
`file:` iframe) is planted in every family of user-supplied field that reaches the report: raw
files of the territory and shared ones, their provenance logs, labels of params.yaml and the
territory file. The interest question is also left blank in every answer: the headline must
say so rather than rest on NaN. The whole chain runs, then headless Chromium opens the report.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
import yaml
from study import copy_project, run

from pipeline.report.browser import check, print_pdf

PAYLOAD = (
    '<img src=x onerror=alert(1)></script><script>alert(2)</script>'
    '<iframe src="file:///etc/passwd"></iframe>'
)
# (file under data/raw/, separator, columns planted)
CSV_FIELDS = [
    ("{key}/sites_candidats.csv", ",", ["nom"]),
    ("{key}/lieux_mediation_numerique.csv", ",", ["nom"]),
    ("{key}/autres_lieux.csv", ",", ["nom"]),
    ("{key}/benchmark_tiers_lieux.csv", ",", ["nom", "territoire"]),
    ("{key}/atelier_idees.csv", ",", ["idee", "atelier"]),
    ("{key}/entretiens_grille.csv", ",", ["citation"]),
    ("{key}/sources.csv", ",", ["label", "source", "format"]),
    ("strategies/plan_numerique_martinique_2024_2027.csv", ",", ["action", "pilier"]),
    ("gouvernance_instances.csv", ",", ["instance", "composition", "role"]),
    ("formes_juridiques.csv", ",", ["description"]),
    ("plan_montee_en_charge.csv", ",", ["etape"]),
    ("programme_lancement.csv", ",", ["action"]),
    ("sources.csv", ",", ["source", "label"]),
]


def plant_csv(path, sep, columns):
    table = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
    for column in columns:
        table[column] = table[column] + " " + PAYLOAD
    table.to_csv(path, sep=sep, index=False, lineterminator="\n")


def plant_labels(node):
    """Every `label` of a settings mapping, and the codebook's question and answer labels."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"label", "title", "survey"} and isinstance(value, str):
                node[key] = f"{value} {PAYLOAD}"
            elif key == "codes" and isinstance(value, dict):
                node[key] = {code: f"{text} {PAYLOAD}" for code, text in value.items()}
            else:
                plant_labels(value)
    elif isinstance(node, list):
        for item in node:
            plant_labels(item)


def plant_yaml(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    plant_labels(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_study(tmp_path_factory):
    copy = copy_project(tmp_path_factory.mktemp("hostile"))
    params = yaml.safe_load((copy / "params.yaml").read_text(encoding="utf-8"))
    key = params["territory"]
    raw = copy / "data" / "raw"
    for name, sep, columns in CSV_FIELDS:
        plant_csv(raw / name.format(key=key), sep, columns)
    codebook = yaml.safe_load((raw / key / "enquete_codebook.yaml").read_text(encoding="utf-8"))
    answers = pd.read_csv(raw / key / "enquete_population.csv", sep=";", dtype=str,
                          keep_default_na=False)  # fmt: skip
    answers[codebook["indicators"]["interet_tiers_lieu"]["question"]] = ""
    answers.to_csv(raw / key / "enquete_population.csv", sep=";", index=False, lineterminator="\n")
    plant_yaml(raw / key / "enquete_codebook.yaml")
    plant_yaml(copy / "params.yaml")
    territory = copy / "territories" / f"{key}.yaml"
    plant_yaml(territory)
    data = yaml.safe_load(territory.read_text(encoding="utf-8"))
    data["name"] = f"{data['name']} {PAYLOAD}"
    territory.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run(["python", "-m", "pipeline.core.checksums", "record"], copy)
    run(["dvc", "repro"], copy)
    return copy / "reports" / "rapport.html"


def test_planted_markup_never_runs_and_every_figure_renders(hostile_study):
    result = check(hostile_study)
    assert result["dialogs"] == []
    assert result["blocked_requests"] == []
    assert result["console_errors"] == []
    assert result["figures"] >= 20 and result["rendered"] == result["figures"]


def test_planted_markup_is_shown_as_text(hostile_study):
    html = hostile_study.read_text(encoding="utf-8")
    assert "<iframe" not in html and "<img" not in html
    # plotly.js, the figures' loader and the what-if panel's lookup, plus the panel's grid as
    # JSON data: nothing else.
    assert html.count("<script") == 4
    assert html.count("<script>") == 3
    assert html.count('<script type="application/json" class="whatif-data">') == 1
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 20  # many fields, each literal
    assert "&lt;iframe src=&quot;file:///etc/passwd&quot;&gt;" in html


def test_a_report_with_planted_markup_prints(hostile_study):
    pdf = print_pdf(hostile_study, hostile_study.with_suffix(".pdf"))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_blank_interest_question_gives_a_plain_verdict(hostile_study):
    page = hostile_study.read_text(encoding="utf-8")
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page[: page.index("<script")])).split())
    assert "Faut-il ouvrir un tiers-lieu numérique ? Pas en l'état : la demande n'est pas établie" in text
    assert "n'a pas pu être mesuré" in text
    assert not re.search(r"\bNaN\b", text)
