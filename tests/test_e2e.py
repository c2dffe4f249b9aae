"""End to end: the whole DVC chain on the default territory, in a temporary copy."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from study import PHASES, run

from pipeline.core.config import ROOT

pytestmark = pytest.mark.e2e


def ran_stages(output: str) -> list[str]:
    return re.findall(r"Running stage '([\w]+)'", output)


def test_report_has_every_phase_and_the_communes(study, default_base):
    html = (study / "reports" / "rapport.html").read_text(encoding="utf-8")
    for phase in PHASES:
        assert f">{phase}</h2>" in html, phase
    for name in default_base["nom"]:
        assert name.replace("'", "&#x27;") in html or name in html, name
    total = f"{default_base['population'].sum():,}".replace(",", "\u202f")
    assert f"{len(default_base)} communes de l'EPCI comptent {total} habitants" in html
    assert "Données de démonstration" in html
    assert '<html lang="fr">' in html
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"(https?:)?//", html)


def test_no_error_cell_in_any_executed_notebook(study):
    notebooks = sorted((study / "data" / "processed").glob("*/notebook.ipynb"))
    assert len(notebooks) == 10
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        errors = [
            o
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.outputs
            if o.output_type == "error"
        ]
        assert errors == [], path


def test_tables_are_parquet(study):
    tables = list((study / "data" / "processed").glob("*/*.parquet"))
    assert len(tables) >= 20
    assert (study / "data" / "processed" / "01_portrait" / "communes.parquet").exists()


def test_outputs_match_the_committed_dvc_lock(study):
    """Same inputs, same bytes: the fresh run reproduces every hash of the committed dvc.lock."""
    committed = yaml.safe_load((ROOT / "dvc.lock").read_text(encoding="utf-8"))["stages"]
    produced = yaml.safe_load((study / "dvc.lock").read_text(encoding="utf-8"))["stages"]
    assert set(produced) == set(committed)
    for stage, spec in produced.items():
        assert spec["outs"] == committed[stage]["outs"], f"{stage}: outputs differ from dvc.lock"


def result_fingerprints(root: Path) -> dict[str, str]:
    """sha256 of every processed table and of the report (executed notebooks aside: they hold code)."""
    files = [p for p in (root / "data" / "processed").glob("*/*") if p.suffix != ".ipynb"]
    files.append(root / "reports" / "rapport.html")
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_results_are_those_recorded_before_the_restructuring(study):
    """Structure changes keep every number: tables and report byte for byte as recorded in
    tests/expected/outputs.json. A change meant to alter results records them again with
    `python tests/test_e2e.py record` after `make study`."""
    expected = json.loads((ROOT / "tests" / "expected" / "outputs.json").read_text(encoding="utf-8"))
    produced = result_fingerprints(study)
    changed = sorted(name for name in expected.keys() | produced.keys()
                     if expected.get(name) != produced.get(name))
    assert not changed, f"results differ from tests/expected/outputs.json: {changed}"


def test_second_repro_does_nothing_and_a_phase_09_change_reruns_09_onward(study):
    again = run(["dvc", "repro"], study)
    assert ran_stages(again) == []
    params = yaml.safe_load((study / "params.yaml").read_text(encoding="utf-8"))
    text = (study / "params.yaml").read_text(encoding="utf-8")
    old = params["scenarios"]["discount_rate"]
    text = text.replace(f"  discount_rate: {old}", f"  discount_rate: {old + 0.01:.2f}", 1)
    (study / "params.yaml").write_text(text, encoding="utf-8")
    rerun = ran_stages(run(["dvc", "repro"], study))
    assert rerun[0] == "09_scenarios"
    assert set(rerun) <= {"09_scenarios", "10_governance", "report"}
    assert "report" in rerun


def test_notebook_runs_interactively_with_its_default_parameters(study):
    """As in JupyterLab: working directory notebooks/, no injected parameters."""
    from nbclient import NotebookClient

    nb = nbformat.read(study / "notebooks" / "02_mobility.ipynb", as_version=4)
    NotebookClient(
        nb,
        kernel_name="python3",
        resources={"metadata": {"path": str(study / "notebooks")}},
        timeout=600,
    ).execute()
    assert any(
        o.output_type in {"display_data", "execute_result"}
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )


REPORT_BUDGET_MB = 8  # stated in README: plotly.js (4.6 MB) once, plus the figures' data


def test_report_opens_offline_in_chromium(study):
    from pipeline.report.browser import check

    result = check(study / "reports" / "rapport.html", study / "reports" / "screenshots")
    assert result["console_errors"] == []
    assert result["blocked_requests"] == [] and result["dialogs"] == []
    assert result["figures"] >= 20 and result["rendered"] == result["figures"]
    assert not result["horizontal_overflow"]  # readable on a phone
    assert result["synthesis_screens_desktop"] <= 1  # the answer and key figures on one screen
    assert [shot.name for shot in result["screenshots"]] == [
        "rapport-desktop.png",
        "rapport-phone.png",
    ]
    for shot in result["screenshots"]:
        assert shot.stat().st_size > 10_000
    size_mb = (study / "reports" / "rapport.html").stat().st_size / 1e6
    assert size_mb < REPORT_BUDGET_MB


def test_report_prints_to_pdf(study):
    from pipeline.report.browser import print_pdf

    pdf = print_pdf(study / "reports" / "rapport.html", study / "reports" / "rapport.pdf")
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    html = (study / "reports" / "rapport.html").read_text(encoding="utf-8")
    chapters = len(re.findall(r"<h1 id=", html))
    assert data.startswith(b"%PDF") and pages > chapters  # each chapter starts a page
    assert len(data) > 50_000


def test_printed_chapters_start_a_page_and_figures_stay_whole(study):
    from pipeline.report.browser import PRINT_WIDTH, offline_page

    with offline_page(PRINT_WIDTH, 1000) as page:
        page.emulate_media(media="print")
        page.open(study / "reports" / "rapport.html")
        styles = page.evaluate(
            """() => ({
              chapters: [...document.querySelectorAll('main > section.level1 > h1')].slice(1)
                .map(h => getComputedStyle(h).breakBefore),
              figures: [...document.querySelectorAll('figure, .key-figure, tr')]
                .map(f => getComputedStyle(f).breakInside),
              toc: getComputedStyle(document.querySelector('nav.toc')).display})"""
        )
    assert len(styles["chapters"]) >= 8 and set(styles["chapters"]) == {"page"}
    assert len(styles["figures"]) >= 20 and set(styles["figures"]) == {"avoid"}
    assert styles["toc"] == "none"


if __name__ == "__main__" and sys.argv[1:] == ["record"]:
    (ROOT / "tests" / "expected" / "outputs.json").write_text(
        json.dumps(result_fingerprints(ROOT), indent=1, sort_keys=True) + "\n", encoding="utf-8")
