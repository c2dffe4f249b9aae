"""Any EPCI from a territory file holding only `name` and `epci` (issue 9): its demo inputs are
generated, every phase runs and the report is complete — a small EPCI studied in the shared batch
(`make studies`, tests/conftest.py `any_territory`), and Béthune's 100 communes through
`make study TERRITORY=bethune`."""

from __future__ import annotations

import re
import sys
from html import unescape
from pathlib import Path

import nbformat
import pytest
import yaml
from study import PHASES, copy_project, run

from pipeline.core.config import ROOT, load_params, read_yaml
from pipeline.core.io import read_table
from pipeline.sources.communes import epci_communes, read_populations

pytestmark = pytest.mark.e2e


def test_the_territory_file_holds_only_name_and_epci(any_territory):
    copy, _ = any_territory
    assert set(read_yaml(copy / "territories" / "essai.yaml")) == {"name", "epci"}
    assert (
        yaml.safe_load((copy / "params.yaml").read_text(encoding="utf-8"))["territory"] == "essai"
    )


def test_demo_inputs_are_generated_for_it(any_territory):
    copy, _ = any_territory
    raw = copy / "data" / "raw" / "essai"
    for name in ("FD_MOBPRO_2022.csv", "enquete_population.csv", "entretiens_grille.csv",
                 "sites_candidats.csv", "sources.csv", "SHA256SUMS"):  # fmt: skip
        assert (raw / name).stat().st_size > 0, name


def test_every_phase_ran_without_error(any_territory):
    copy, _ = any_territory
    notebooks = sorted((copy / "data" / "processed").glob("*/notebook.ipynb"))
    assert len(notebooks) == len(PHASES)
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                  if o.output_type == "error"]  # fmt: skip
        assert errors == [], path


def test_the_report_is_complete_and_names_the_territory(any_territory):
    copy, epci = any_territory
    html = (copy / "reports" / "rapport.html").read_text(encoding="utf-8")
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    assert "Territoire d'essai" in text
    for phase in PHASES:
        assert f">{phase}</h2>" in html, phase
    communes = epci_communes(epci)
    populations = read_populations(ROOT / load_params()["inputs"]["populations"])
    for name in populations.set_index("code").loc[communes["code"], "nom"]:
        assert name in text, name
    assert f"Les {len(communes)} communes de l'EPCI" in text
    assert "Données de démonstration" in text
    assert "Nord Caraïbe" not in text and "Béthune" not in text  # the reference territories


@pytest.fixture(scope="module")
def bethune(tmp_path_factory) -> Path:
    copy = copy_project(tmp_path_factory.mktemp("bethune"))
    venv = Path(sys.executable).parent.parent
    run(["make", "-o", f"{venv}/.installed", "study", "TERRITORY=bethune", f"VENV={venv}"], copy)
    return copy


def test_bethune_report_has_its_100_communes_la_fabrique_and_the_incubator(bethune):
    html = (bethune / "reports" / "rapport.html").read_text(encoding="utf-8")
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    assert "Béthune-Bruay, Artois-Lys Romane" in text
    assert "Les 100 communes de l'EPCI" in text
    assert "La Fabrique (Béthune)" in text  # the place the call for tenders names
    assert "Incubateur territorial à La Fabrique" in text  # its own scenario
    # metropolitan context: no overseas FEDER line nor its rule (the grant checklist may quote
    # the rate of every category of region)
    assert "Nord Caraïbe" not in text and "FEDER – région ultrapériphérique" not in text
    assert "Région ultrapériphérique : le FEDER" not in text
    scenarios = read_table(bethune / "data" / "processed" / "09_scenarios" / "scenarios.parquet")
    ratio = scenarios["investment_ttc"] / scenarios["investment_ht"]
    assert ratio.round(6).eq(1.2).all()  # metropolitan VAT


def test_bethune_report_answers_its_call_for_tenders_mission_by_mission(bethune):
    """Seed 003's three missions, each ask answered; its themes, methods, stakeholders and the
    kinds of places it asks to compare reach the report; the call counts in the needs fit."""
    html = (bethune / "reports" / "rapport.html").read_text(encoding="utf-8")
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    call = yaml.safe_load((bethune / "territories" / "bethune.yaml").read_text())["call"]
    assert "Réponse au cahier des charges" in text
    for mission in call["missions"]:
        assert mission["title"] in text
    answers = read_table(bethune / "data" / "processed" / "10_governance" / "call_answers.parquet")
    assert len(answers) == sum(len(m["asks"]) for m in call["missions"])
    for theme in call["themes"]:
        assert f"Atelier d'innovation ouverte « {theme} »" in text  # in the launch programme
    for method in call["methods"]:
        assert f"Formation de l'équipe d'animation : {method['name']}" in text
    for person in call["stakeholders"]:
        assert person["name"] in text
    kinds = read_table(bethune / "data" / "processed" / "06_benchmark" / "benchmark_kinds.parquet")
    assert set(call["benchmark_kinds"]) <= set(kinds["kind"])
    fit = read_table(bethune / "data" / "processed" / "09_scenarios" / "needs_fit.parquet")
    served = fit.loc[fit["source"] == "call"].set_index("scenario")["served"]
    assert served["incubateur"] > served["proximite"] and fit["weight"].gt(0).any()
