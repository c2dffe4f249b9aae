"""Printed, no table of the built study loses a column: each header cell is on the table's page.

A column cut at the page's edge is clipped out of the PDF, text included: its header is missing
from pypdf's text of the page where the table starts (its whole header row, in reading order)."""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser

import pypdf

from pipeline.report.browser import print_pdf


class HeaderCells(HTMLParser):
    """The text of each `<thead>` cell, table by table, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[str]] = []
        self.cell: list[str] | None = None
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "thead":
            self.in_head = True
        elif tag == "th" and self.in_head:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "thead":
            self.in_head = False
        elif tag == "th" and self.cell is not None:
            if text := squeezed("".join(self.cell)):
                self.tables[-1].append(text)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def squeezed(text: str) -> str:
    """Text without spaces or line breaks, ligatures undone (ﬁ → fi): cells wrap in print."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def header_cells(html: str) -> list[list[str]]:
    parser = HeaderCells()
    parser.feed(html)
    return [cells for cells in parser.tables if cells]


def lost_columns(tables: list[list[str]], pages: list[str]) -> list[str]:
    """For each table whose header row is on no page (from the previous table's page on),
    the cells missing from the page that holds most of them."""
    problems, start = [], 0
    for number, cells in enumerate(tables, 1):
        row = "".join(cells)
        found = next((p for p in range(start, len(pages)) if row in pages[p]), None)
        if found is not None:
            start = found
            continue
        best = max(range(start, len(pages)), key=lambda p: sum(c in pages[p] for c in cells))
        missing = [c for c in cells if c not in pages[best]]
        problems.append(f"table {number} ({cells[0]}…), page {best + 1}: missing {missing}")
    return problems


def test_lost_columns_are_found():
    tables = [["Commune", "Population"], ["Site", "Score", "Probabilité"]]
    pages = [squeezed("Commune Population Le Carbet 3 500"), squeezed("Site Score S1 0,5")]
    assert lost_columns(tables, pages) == ["table 2 (Site…), page 2: missing ['Probabilité']"]
    assert lost_columns(tables[:1], pages) == []


def test_every_column_of_every_table_is_printed(study, tmp_path):
    html = study / "reports" / "rapport.html"
    tables = header_cells(html.read_text(encoding="utf-8"))
    assert len(tables) > 50
    pdf = print_pdf(html, tmp_path / "rapport.pdf")
    pages = [squeezed(page.extract_text()) for page in pypdf.PdfReader(pdf).pages]
    assert not lost_columns(tables, pages)
    landscape = [p for p in pypdf.PdfReader(pdf).pages if p.mediabox.width > p.mediabox.height]
    assert landscape  # the widest tables are set on pages of their own, in landscape
