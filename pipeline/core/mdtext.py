"""Markdown written by the project, with every value put into it escaped.

`md("Le site **{}** ({})", name, commune)` formats like `str.format`, but each value is escaped
unless it is itself `Md` (Markdown the project wrote): a site, a quote or a territory name can
never open a link, a heading, a table cell or an HTML tag, neither in the fallback renderer nor
in Quarto (pandoc). Hand-written because markupsafe does this for HTML only, not for Markdown.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

# CommonMark and pandoc both read a backslash before any ASCII punctuation as that character;
# the few that start no markup in either, and are common in French prose, are left as they are.
_PUNCTUATION = frozenset(string.punctuation) - set(",;%'/?")
# Characters that start markup in raw HTML are written as entities, so that even a renderer
# that lets raw HTML through shows them as text.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")  # not the (narrow) no-break spaces


class Md(str):
    """Markdown that is safe as it stands: the project's own text, or escaped values."""

    __slots__ = ()


def escape(value) -> Md:
    """`value` as literal Markdown text, on one line (a value cannot start a block)."""
    if isinstance(value, Md):
        return value
    text = _LINE_BREAKS.sub(" ", str(value)).strip()
    return Md(
        "".join(_ENTITIES.get(c) or (f"\\{c}" if c in _PUNCTUATION else c) for c in text)
    )


class _Formatter(string.Formatter):
    def format_field(self, value, format_spec: str) -> str:
        return escape(value if isinstance(value, Md) else format(value, format_spec))


def md(template: str, /, *args, **kwargs) -> Md:
    """`template` (the project's Markdown) with its `{}` fields filled by escaped values."""
    return Md(_Formatter().vformat(template, args, kwargs))


def join(separator: str, values: Iterable) -> Md:
    """Values escaped, then joined by `separator` (the project's Markdown)."""
    return Md(separator.join(escape(v) for v in values))
