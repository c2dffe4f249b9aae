"""Phase 10, the grant applications of the recommended scenario: each funding line its plan asks
money of, with what its funder requires (data) and the amount asked."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.core.config import ROOT, load_params
from pipeline.core.validate import InputFileError
from pipeline.governance import dossiers, plan_views

PLAN = pd.DataFrame(
    {
        "scenario": "a",
        "kind": ["uses", "sources", "sources", "sources", "sources"],
        "line": ["works", "feder", "detr", "leader", "epci"],
        "item": ["Travaux", "FEDER", "État – DETR", "LEADER", "EPCI (autofinancement)"],
        "amount_eur": [100.0, 40.0, 25.0, 0.0, 35.0],
    }
)
LINES = pd.DataFrame(
    {
        "scenario": "a",
        "year": [1, 2, 3, 1, 2, 3, 1],
        "kind": ["funding_public"] * 3 + ["funding_public"] * 3 + ["revenue"],
        "item": ["anct"] * 3 + ["epci"] * 3 + ["desk_days"],
        "label": ["ANCT"] * 3 + ["EPCI"] * 3 + ["Postes"],
        "amount": [50.0, 50.0, 0.0, 40.0, 40.0, 40.0, 9.0],
    }
)
FILE = (
    "ligne,financeur,dispositif,eligibilite,taux,plafond,pieces,calendrier,source\n"
    "feder,UE,FEDER,Projet,85 %,Selon AAP,Formulaire|Devis,Au fil de l'eau,Règlement\n"
    "epci,EPCI,Autofinancement,Compétence,20 %,Sans objet,Délibération,Budget,CGCT\n"
    "anct,État,Fabrique,Tiers-lieu,Forfait,150 000 €,Dossier,AMI,ANCT\n"
)


def read(tmp_path, text=FILE):
    path = tmp_path / "dossiers.csv"
    path.write_text(text, encoding="utf-8")
    return dossiers.read_dossiers(path)


def test_lines_asked_with_their_amounts():
    asks = dossiers.asked("a", PLAN, LINES, plan_years=2).set_index("line")
    assert list(asks.index) == ["feder", "detr", "epci", "anct"]  # leader asks nothing
    assert asks.loc["epci", "investment_eur"] == 35 and asks.loc["epci", "operating_eur"] == 80
    assert asks.loc["anct", "operating_years"] == 2 and asks.loc["feder", "operating_eur"] == 0
    assert asks.loc["epci", "label"] == "EPCI (autofinancement)"


def test_checklist_joins_the_funders_requirements(tmp_path):
    asks = dossiers.asked("a", PLAN, LINES, plan_years=3)
    with pytest.warns(UserWarning, match="detr"):
        table = dossiers.checklist(asks, read(tmp_path)).set_index("line")
    assert table.loc["feder", "pieces"] == "Formulaire|Devis"
    assert not table.loc["detr", "documented"] and table.loc["detr", "pieces"] == "à documenter"
    shown = plan_views.checklist_table(table.reset_index()).set_index("Financeur et dispositif")
    assert shown.loc["FEDER — FEDER", "Pièces à fournir"] == "Formulaire ; Devis"
    assert shown.loc["EPCI (autofinancement) — Autofinancement", "Montant demandé"] == (
        "35\u00a0€ d'investissement ; 120\u00a0€ de fonctionnement sur 3 ans"
    )
    text = plan_views.checklist_text(table.reset_index(), "Lieu A")
    assert "4 lignes de financement" in text and "à documenter pour : État – DETR" in text


def test_a_changed_plan_changes_the_checklist(tmp_path):
    richer = PLAN.assign(amount_eur=PLAN["amount_eur"].where(PLAN["line"] != "leader", 10.0))
    asks = dossiers.asked("a", richer, LINES, plan_years=3)
    assert "leader" in set(asks["line"])


def test_bad_file_is_named(tmp_path):
    with pytest.raises(InputFileError, match=r"line 3, column 'ligne'"):
        read(tmp_path, FILE.replace("epci,EPCI", "feder,EPCI"))
    with pytest.raises(InputFileError, match=r"line 2, column 'pieces'"):
        read(tmp_path, FILE.replace("Formulaire|Devis", ""))


def test_project_file_describes_every_funding_line_of_params():
    table = dossiers.read_dossiers(ROOT / dossiers.DOSSIERS_FILE)
    params = load_params()["scenarios"]
    keys = set(params["investment_funding"]) | set(params["operating_funding"])
    assert keys <= set(table["ligne"])
    assert (table["pieces"].str.split("|").map(len) >= 1).all()
