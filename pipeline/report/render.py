"""Render the Quarto report `reports/rapport.qmd` to one self-contained HTML file.

With `quarto` on PATH, Quarto renders it. Otherwise this module renders the same sources
with PyPI packages only: the qmd's Python chunks run in one namespace (`output: asis` chunks
print Markdown, `include: false` chunks print nothing), inline `{python} expr` expressions are
evaluated, `{{< embed notebook.ipynb#label >}}` shortcodes take the outputs of the labelled
cell of an executed notebook, `::: {.class}` fenced divs become <div>s and `[text]{.class}`
spans <span>s. Markdown is read with raw HTML off and the template escapes every value, so no
text from the data can become markup; figure JSON cannot close its <script>. plotly.js is
embedded once; nothing is loaded from the network.

Usage: python -m pipeline.report.render [reports/rapport.qmd]
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import bleach
import jinja2
import nbformat
import plotly.offline
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin

from pipeline.core.config import ROOT
from pipeline.core.io import write_text_atomic
from pipeline.core.mdtext import escape

PLOTLY_MIME = "application/vnd.plotly.v1+json"
FALLBACK_GENERATOR = "pipeline.report.render (rendu de secours, paquets PyPI)"
CHUNK = re.compile(r"^```\{python\}[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
INLINE = re.compile(r"`\{python\}\s+([^`]+)`")
EMBED = re.compile(r"\{\{<\s*embed\s+([^#\s]+)#([\w-]+)\s*>\}\}")
DIV_ATTRS = re.compile(r"^\{\s*((?:\.[\w-]+\s*)+)\}$")  # ::: {.callout-warning .x}
OPTION = re.compile(r"^#\|\s*([\w-]+):\s*(.*)$")
TABLE_OPEN = re.compile(r"<table\b[^>]*>", re.I)
TABLE_TAGS = {"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "span", "br",
              "strong", "em", "abbr"}  # fmt: skip
TABLE_ATTRIBUTES = {"*": ["class", "title"], "table": ["border"], "th": ["colspan", "rowspan", "scope"],
                    "td": ["colspan", "rowspan"]}  # fmt: skip


class RenderError(RuntimeError):
    """The report sources cannot be rendered."""


class RawBlocks:
    """HTML made by the renderer itself (figures, tables of notebooks), kept out of the Markdown.

    The Markdown is parsed with raw HTML off, so that no text can inject markup; each block of
    the renderer's own HTML stands in it as a placeholder paragraph, put back after parsing.
    """

    MARK = "\ue000"  # a private-use character, removed from the sources first

    def __init__(self):
        self.blocks: list[str] = []

    def keep(self, block: str) -> str:
        self.blocks.append(block)
        return f"\n\n{self.MARK}{len(self.blocks) - 1}{self.MARK}\n\n"

    def restore(self, rendered: str) -> str:
        mark = re.escape(self.MARK)
        return re.sub(rf"<p>{mark}(\d+){mark}</p>", lambda m: self.blocks[int(m[1])], rendered)


def split_front_matter(text: str) -> tuple[dict, str]:
    if text.startswith("---\n"):
        end = text.index("\n---", 4)
        return yaml.safe_load(text[4:end]) or {}, text[end + 4 :].lstrip("\n")
    return {}, text


def chunk_options(code: str) -> dict:
    options = {}
    for line in code.splitlines():
        if match := OPTION.match(line.strip()):
            options[match[1]] = yaml.safe_load(match[2])
    return options


def run_chunks(body: str, namespace: dict, raw: RawBlocks) -> str:
    """Execute each Python chunk; replace it by its Markdown output (or nothing)."""

    def execute(match: re.Match) -> str:
        code = match[1]
        options = chunk_options(code)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, "rapport.qmd", "exec"), namespace)  # noqa: S102 (our own report source)
        if options.get("include") is False:
            return ""
        if options.get("output") == "asis":
            return out.getvalue()
        return raw.keep(f"<pre>{html.escape(out.getvalue())}</pre>") if out.getvalue() else ""

    return CHUNK.sub(execute, body)


def cell_label(cell) -> str | None:
    for line in cell.source.splitlines():
        if (match := OPTION.match(line.strip())) and match[1] == "label":
            return match[2].strip()
    return None


class Embedder:
    """Outputs of labelled cells of executed notebooks, turned into HTML."""

    def __init__(self, base: Path, raw: RawBlocks):
        self.base = base
        self.raw = raw
        self.notebooks: dict[Path, nbformat.NotebookNode] = {}
        self.figures: list[dict] = []

    def __call__(self, match: re.Match) -> str:
        path = (self.base / match[1]).resolve()
        if path not in self.notebooks:
            if not path.exists():
                raise RenderError(f"embed: notebook {match[1]} not found (has its stage run?)")
            self.notebooks[path] = nbformat.read(path, as_version=4)
        cells = [
            c
            for c in self.notebooks[path].cells
            if c.cell_type == "code" and cell_label(c) == match[2]
        ]
        if not cells:
            raise RenderError(f"embed: no cell labelled {match[2]!r} in {match[1]}")
        return self.outputs_html(cells[0], match[2])

    def outputs_html(self, cell, label: str) -> str:
        options = chunk_options(cell.source)
        parts = []
        for output in cell.outputs:
            if output.output_type == "error":
                raise RenderError(
                    f"embed {label}: the cell ended in {output.ename}: {output.evalue}"
                )
            data = output.get("data", {})
            if PLOTLY_MIME in data:
                figure = self.figure_html(data[PLOTLY_MIME], label, options.get("fig-alt", ""))
                parts.append(self.raw.keep(figure))
            elif "text/html" in data:
                table = sanitized("".join(data["text/html"]))
                if caption := options.get("tbl-cap"):
                    table = self.captioned(table, str(caption), label)
                parts.append(self.raw.keep(f'<div class="table-wrap" id="{label}">{table}</div>'))
            elif "text/markdown" in data:
                parts.append("".join(data["text/markdown"]))
        return "\n".join(parts)

    @staticmethod
    def captioned(table: str, caption: str, label: str) -> str:
        """The `tbl-cap` option as the table's first child: its title, read out by screen readers."""
        if not (match := TABLE_OPEN.search(table)):
            raise RenderError(f"embed {label}: tbl-cap given but the cell's output has no table")
        cap = f"<caption>{html.escape(caption)}</caption>"
        return table[: match.end()] + cap + table[match.end() :]

    def figure_html(self, spec: dict, label: str, alt: str) -> str:
        self.figures.append(
            {"id": label, "data": spec.get("data", []), "layout": spec.get("layout", {})}
        )
        title = spec.get("layout", {}).get("title", {})
        caption = title.get("text", "") if isinstance(title, dict) else str(title)
        return (
            f'<figure class="figure"><div class="plotly-figure" id="{label}" role="img" '
            f'aria-label="{html.escape(alt or caption)}"></div>'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        )


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def div_open(self, tokens, idx, options, env) -> str:
    """A Quarto fenced div, `::: {.class …}`, as a <div> with those classes."""
    if tokens[idx].nesting == 1:
        classes = DIV_ATTRS.match(tokens[idx].info.strip())[1].replace(".", " ").split()
        tokens[idx].attrSet("class", " ".join(classes))
    return self.renderToken(tokens, idx, options, env)


def markdown_to_html(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """HTML of the body and its table of contents (level, id, title).

    Raw HTML is off: whatever a text holds is shown as text. The report's own structure is
    written in Quarto's Markdown: fenced divs `::: {.class}` and spans `[text]{.class}`.
    """
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    container_plugin(md, "div", validate=lambda params, *_: bool(DIV_ATTRS.match(params.strip())),
                     render=div_open)  # fmt: skip
    attrs_plugin(md, spans=True, allowed=["class"])
    anchors_plugin(md, min_level=1, max_level=3, slug_func=slug)
    # Markdown tables scroll inside their own box on narrow screens, like embedded ones.
    md.add_render_rule("table_open", lambda *a: '<div class="table-wrap"><table>\n')
    md.add_render_rule("table_close", lambda *a: "</table></div>\n")
    tokens = md.parse(text)
    toc = [
        (int(t.tag[1]), t.attrs.get("id", ""), plain_text(tokens[i + 1]))
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag in {"h1", "h2"}
    ]
    return md.renderer.render(tokens, md.options, {}), toc


def plain_text(inline) -> str:
    return "".join(c.content for c in inline.children or [] if c.type in {"text", "code_inline"})


def sanitized(table: str) -> str:
    """A notebook's HTML table with nothing but table markup: any other tag shows as text."""
    return bleach.clean(table, tags=TABLE_TAGS, attributes=TABLE_ATTRIBUTES, strip=False)


def script_json(value) -> Markup:
    """JSON that cannot close the <script> block holding it (`<`, `>`, `&` as \\u escapes)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)


def render_fallback(qmd: Path, output: Path) -> Path:
    project = yaml.safe_load((qmd.parent / "_quarto.yml").read_text(encoding="utf-8")) or {}
    front, body = split_front_matter(qmd.read_text(encoding="utf-8"))
    namespace: dict = {"__name__": "rapport"}
    raw = RawBlocks()
    body = run_chunks(body.replace(RawBlocks.MARK, ""), namespace, raw)
    body = INLINE.sub(lambda m: escape(eval(m[1], namespace)), body)  # noqa: S307 (own source)
    embedder = Embedder(qmd.parent, raw)
    body = EMBED.sub(embedder, body)
    content, toc = markdown_to_html(body)
    template = jinja2.Environment(
        loader=jinja2.FileSystemLoader(qmd.parent),
        autoescape=True,
        keep_trailing_newline=True,
    ).get_template("template.html.j2")
    page = template.render(
        title=namespace.get("report_title", front.get("title", "")),
        subtitle=namespace.get("report_subtitle", front.get("subtitle", "")),
        lang=project.get("lang", "fr"),
        toc_title=project.get("format", {}).get("html", {}).get("toc-title", "Sommaire"),
        toc=toc,
        content=Markup(raw.restore(content)),
        generator=FALLBACK_GENERATOR,
        plotly_js=Markup(plotly.offline.get_plotlyjs()),
        figures=script_json(embedder.figures),
    )
    return write_text_atomic(page, output)


def render(qmd: Path = ROOT / "reports" / "rapport.qmd", output: Path | None = None) -> Path:
    qmd = Path(qmd)
    output = Path(output or qmd.with_suffix(".html"))
    if shutil.which("quarto"):
        subprocess.run(
            ["quarto", "render", str(qmd), "--output", output.name], check=True, cwd=qmd.parent
        )
        return output
    return render_fallback(qmd, output)


def main(argv: list[str]) -> int:
    try:
        path = render(*(Path(a) for a in argv[:1]))
    except RenderError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 1
    print(f"report: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
