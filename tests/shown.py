"""What a reader sees of the project's Markdown once rendered (for tests of prose)."""

from __future__ import annotations

import html
import re

from pipeline.report.render import markdown_to_html


def shown(markdown: str) -> str:
    """The visible text: Markdown rendered, tags dropped, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", markdown_to_html(markdown)))


def rows(markdown: str) -> list[list[str]]:
    """The cells of each row of the Markdown tables, as shown."""
    page = markdown_to_html(markdown)
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<t[hd]>(.*?)</t[hd]>", tr)]
        for tr in re.findall(r"<tr>(.*?)</tr>", page, re.S)
    ]
