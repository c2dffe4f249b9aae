"""Each method the report names is explained in plain words where it is used, and in the glossary."""

from __future__ import annotations

import re

import pytest

from pipeline.core.config import ROOT

METHODS = ["TOPSIS", "MCLP", "p-médiane", "Huff", "Kish", "rapport de cotes", "IPONDI", "TRANS = Z"]


def parts() -> tuple[str, str]:
    """The body's prose (no code, no embed) and the glossary of rapport.qmd."""
    text = (ROOT / "reports" / "rapport.qmd").read_text(encoding="utf-8")
    body, annexes = text.split("\n# Annexes\n")
    # Front matter, code chunks, embeds, inline code and comments are not read.
    prose = re.sub(
        r"\A---\n.*?\n---\n|```.*?```|\{\{<.*?>\}\}|`[^`]*`|<!--.*?-->", "", body, flags=re.S
    )
    glossary = annexes.split("## Glossaire\n")[1].split("\n## ")[0]
    return " ".join(prose.split()), " ".join(glossary.split())


@pytest.mark.parametrize("method", METHODS)
def test_each_method_is_explained_in_the_body_and_kept_in_the_glossary(method):
    prose, glossary = parts()
    assert method.lower() in prose.lower(), f"{method}: no sentence of the body explains it"
    assert f"**{method.lower()}" in glossary.lower() or method.lower() in glossary.lower()


def test_no_parameter_key_in_the_body():
    prose, _ = parts()
    assert "params.yaml" not in prose
    assert not re.search(r"\b[a-z]+\.[a-z_]+_[a-z_]+\b", prose)
