"""No code path depends on a particular territory: the package names no territory of
territories/ (key, name, EPCI SIREN, commune code or name), only its files and params do."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pipeline.core.config import ROOT, read_yaml
from pipeline.sources.communes import epci_communes

SOURCES = sorted((ROOT / "pipeline").rglob("*.py"))


def docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes: examples in prose are not code paths."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def constants(path: Path) -> list[tuple[int, object]]:
    """Every literal of a module outside docstrings, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and id(node) not in skip
    ]


def territory_marks() -> dict[str, list[str]]:
    """What would betray a territory hard-coded: key, name, SIREN, commune codes and names."""
    marks = {}
    for path in sorted((ROOT / "territories").glob("*.yaml")):
        spec = read_yaml(path)
        communes = epci_communes(spec["epci"])
        marks[path.stem] = [path.stem, spec["name"], spec["epci"], *communes["code"]] + [
            name for name in communes["nom"] if len(name) > 6
        ]  # short names ("Anor", "Vimy") are also common words
    return marks


@pytest.fixture(scope="module")
def marks():
    return territory_marks()


def test_the_scan_knows_both_reference_territories(marks):
    assert {"nord_caraibe", "bethune"} <= set(marks)
    assert "200041788" in marks["nord_caraibe"] and "97234" in marks["nord_caraibe"]
    assert "62119" in marks["bethune"]  # Béthune


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_names_a_territory(path, marks):
    found = []
    for line, value in constants(path):
        text = str(value)
        for key, words in marks.items():
            found += [
                f"{path.name}:{line}: {text!r} names {key} ({w})"
                for w in words
                if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)
            ]
    assert found == []


def test_the_scan_would_catch_a_hard_coded_territory(tmp_path, marks):
    bad = tmp_path / "bad.py"
    bad.write_text('"""Docstrings may cite Le Carbet."""\nCODE = "97204"\nKEY = "bethune"\n')
    hits = [
        v for _, v in constants(bad) for w in marks["nord_caraibe"] + marks["bethune"] if w == v
    ]
    assert hits == ["97204", "bethune"]
