"""Printed, every page of a report built on any demo input says so; with none, no page does.

The PDF's text is read with pypdf (a test dependency); Chromium prints it (`make pdf`)."""

from __future__ import annotations

import re
import shutil
from types import SimpleNamespace

import pandas as pd
import pypdf

from pipeline.core.config import ROOT
from pipeline.report.browser import print_pdf
from pipeline.report.render import render_fallback, write_metadata

HEADER = "Données de démonstration : ce rapport ne décrit pas le territoire"
QMD = """---
title: "Essai"
---

```{{python}}
#| include: false
from pathlib import Path
from pipeline.report.numbers import Report

report = Report(root=Path({root!r}), params={{}}, territory={{"key": "t", "name": "T"}})
```

# Synthèse

```{{python}}
#| output: asis
print(report.demo_banner())
```

# Détail

{body}
"""


def page_texts(pdf) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(pdf).pages]


def heights(page) -> list[tuple[float, str]]:
    """Each piece of text of a page with its height on the page (points), highest first."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((tm[5] * cm[3] + cm[5], text.strip()))

    page.extract_text(visitor_text=visit)
    return sorted(found, reverse=True)


def printed(tmp_path, kinds: list[str]) -> list[str]:
    """A report of a few pages on inputs of these kinds, printed: the text of each page."""
    for name in (
        "_quarto.yml",
        "template.html",
        *(p.name for p in (ROOT / "reports").glob("*.css")),
        *(p.name for p in (ROOT / "reports").glob("*.lua")),
    ):
        shutil.copy(ROOT / "reports" / name, tmp_path)
    write_metadata(tmp_path, SimpleNamespace(title="Essai", subtitle=""))
    raw = tmp_path / "data" / "raw" / "t"
    raw.mkdir(parents=True)
    log = pd.DataFrame(
        [
            [f"f{i}.csv", kind, "CSV", "source", "MIT", f"entrée {i}", ""]
            for i, kind in enumerate(kinds)
        ],
        columns=["file", "kind", "format", "source", "licence", "label", "demo_sha256"],
    )
    log.to_csv(raw / "sources.csv", index=False)
    body = "\n\n".join(f"Paragraphe {i} : " + "texte du rapport " * 30 for i in range(60))
    qmd = tmp_path / "r.qmd"
    qmd.write_text(QMD.format(root=str(tmp_path), body=body), encoding="utf-8")
    pdf = print_pdf(render_fallback(qmd, tmp_path / "r.html"), tmp_path / "r.pdf")
    return page_texts(pdf)


def test_every_printed_page_carries_the_demo_header(tmp_path):
    pages = printed(tmp_path, ["real", "demo"])
    assert len(pages) >= 3
    for number, text in enumerate(pages, 1):
        assert HEADER in text, f"page {number}: {text[:200]}"
    # The header takes room of its own, above the page's first line: none is hidden under it.
    for number, page in enumerate(pypdf.PdfReader(tmp_path / "r.pdf").pages, 1):
        (top, first), *others = heights(page)
        assert first.startswith("Données de démonstration"), f"page {number}"
        body = [y for y, text in others if text not in f"{HEADER} (encadré de la synthèse)."]
        assert top - max(body) > 15, f"page {number}: text under the header"


def test_no_page_is_marked_when_every_input_is_real(tmp_path):
    pages = printed(tmp_path, ["real", "real"])
    assert len(pages) >= 3
    assert not any("démonstration" in text.lower() for text in pages)


def test_the_built_study_is_marked_on_screen_and_on_every_printed_page(study, tmp_path):
    html = (study / "reports" / "rapport.html").read_text(encoding="utf-8")
    embeds = len(
        re.findall(
            r'<figure class="figure"[ >]|<div class="table-wrap" id=|<div class="whatif"', html
        )
    )
    marks = re.findall(r'<span class="provenance( provenance-demo)?">', html)
    assert len(marks) == embeds > 50
    assert all(marks)  # the default study's every stage reads demo data
    pages = page_texts(print_pdf(study / "reports" / "rapport.html", tmp_path / "rapport.pdf"))
    missing = [n for n, text in enumerate(pages, 1) if HEADER not in text]
    assert not missing, f"pages without the demo header: {missing} of {len(pages)}"
