"""User text put into the project's Markdown is shown literally, in any position."""

from __future__ import annotations

import pytest
from shown import rows, shown

from pipeline.core.mdtext import Md, escape, join, md
from pipeline.report.render import markdown_to_html

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    '<iframe src="file:///etc/passwd"></iframe>',
    "[clic](javascript:alert(3)) ![x](http://example.com/x.png)",
    "**gras** _ital_ `code` ~~barré~~ $x$ @cle ^sup^ {.classe}",
    "# Titre\n\n- liste\n1. un\n> citation\n| a | b |",
    "a\\b &amp; &lt; \u2028 fin",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_as_itself_and_as_no_markup(text):
    page = markdown_to_html(md("Le site **{}** ({}).", text, text))
    assert page.count("<strong>") == 1 and "<img" not in page and "<a " not in page
    assert "<iframe" not in page and "<script" not in page and "<h1" not in page
    assert " ".join(shown(md("{}", text)).split()) == " ".join(text.split())


def test_a_value_cannot_break_a_table_or_a_list():
    table = Md("| A | B |\n|---|---|\n") + md("| {} | {} |", "x | y", "1. z")
    assert rows(table) == [["A", "B"], ["x | y", "1. z"]]
    items = md("1. {}\n2. {}", "- a", "# b")
    assert markdown_to_html(items).count("<li>") == 2


def test_project_markdown_is_kept_and_values_are_escaped_once():
    inner = md("*{}*", "a*b")
    assert md("**{}**", inner) == "***a\\*b***"
    assert escape(inner) is inner
    assert join(", ", ["<a>", Md("**b**")]) == "&lt;a&gt;, **b**"
    assert md("{:.1f} %", 3.14159) == "3\\.1 %"  # format specs still apply
