"""The hypotheses appendix in French words: every parameter labelled, no raw key, no « True »."""

from __future__ import annotations

import re

import pytest
import yaml

from pipeline.core.config import ROOT, declared_params
from pipeline.report import appendix
from pipeline.report.numbers import load


def cells(markdown: str) -> list[list[str]]:
    """The cells of the Markdown tables' body rows, escapes removed (the renderer is not needed)."""
    lines = [line for line in markdown.splitlines() if line.startswith("| ") and "---" not in line]
    return [
        [re.sub(r"\\(.)", r"\1", c).strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in lines
        if not line.startswith("| Hypothèse |")
    ]


def test_every_parameter_of_params_yaml_has_a_label():
    params = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    words = appendix.Labels(params)
    sections = [k for k in declared_params("report") if k in words.sections]
    assert len(sections) >= 10
    unlabelled = []
    for path, _ in appendix.leaves({k: params[k] for k in sections}):
        try:
            words.spec(path)
        except KeyError:
            unlabelled.append(".".join(path))
    assert not unlabelled, f"keys of params.yaml without a label: {unlabelled}"


def test_a_new_parameter_without_a_label_is_refused():
    params = {"mobility": {"telework_min_km": 10, "new_setting": 3}}
    words = appendix.Labels(params)
    assert words.row(("mobility", "telework_min_km"), 10)[1] == "10 km"
    with pytest.raises(KeyError, match="mobility.new_setting: no label"):
        words.row(("mobility", "new_setting"), 3)


def test_values_are_written_in_words_with_their_unit():
    params = {"scenarios": {"units": {"desk_days": {"price": 12, "functions": ["coworking"]}},
                            "investment_funding": {"epci": {"label": "EPCI", "balance": True}},
                            "discount_rate": 0.04}}  # fmt: skip
    words = appendix.Labels(params)
    assert words.row(("scenarios", "discount_rate"), 0.04)[:2] == (
        "Taux d'actualisation (hors inflation)", "4\u202f%")  # fmt: skip
    label, value, _ = words.row(("scenarios", "units", "desk_days", "functions"), ["coworking"])
    assert label == "Fonctions qui vendent l'unité : journées de poste de travail"
    assert value == "coworking"
    assert words.row(("scenarios", "investment_funding", "epci", "balance"), True)[:2] == (
        "EPCI : finance le solde de l'investissement", "oui")  # fmt: skip
    assert words.value(2016, "année") == "2016"
    assert words.value("2027-09-01", "date") == "1 septembre 2027"
    assert words.row(("inputs", "populations"), "data/raw/populations_legales.csv") is None


def test_default_appendix_is_grouped_by_phase_in_french_words():
    text = appendix.assumptions(load())
    headings = re.findall(r"^### (.+)$", text, re.M)
    assert headings[0] == "Données d'entrée" and "02 · Mobilités" in headings
    table = cells(text)
    assert len(table) > 300
    assert all(len(row) == 3 for row in table)
    visible = " ".join(" ".join(row) for row in table)
    assert not re.search(r"\w_\w|\bTrue\b|\bFalse\b|data/raw|\.csv|\w\.\w+\.\w", visible)
    labels = {row[0]: row[1] for row in table}
    assert labels["Taux d'actualisation (hors inflation)"] == "4\u202f%"
    assert labels["Millésime du recensement (portrait)"] == "2022"
    reasons = [
        row[2] for row in table if row[0].startswith("État – ANCT") and "probabilité" in row[0]
    ]
    assert reasons and reasons[0].startswith("Le projet de loi de finances 2025")
