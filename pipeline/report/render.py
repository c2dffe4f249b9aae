"""Render the Quarto report `reports/rapport.qmd` to one self-contained HTML file.

Both renderers read the same sources: `_quarto.yml`, the qmd, the files the render step writes
first (`_metadata.yml`: title and subtitle; `_plotly.html`: plotly.js and the figures' loader,
included once after the body) and the Lua filters `_quarto.yml` lists. With `quarto` on PATH,
Quarto renders them. Otherwise pandoc, the engine Quarto is built on (from the PyPI package
`pypandoc-binary`), does, after a pre-pass in Python that does what Quarto adds to pandoc: the
qmd's Python chunks run in one namespace (`output: asis` chunks print Markdown, `include: false`
chunks print nothing), inline `{python} expr` expressions are evaluated, and each
`{{< embed notebook.ipynb#label >}}` shortcode takes the outputs of the labelled cell of an
executed notebook. Pandoc reads the Markdown with raw HTML off, so no text from the data can
become markup; the renderer's own HTML (embedded tables, bleached; figures) is put back after.

Usage: python -m pipeline.report.render [reports/rapport.qmd]
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import bleach
import nbformat
import plotly.offline
import pypandoc
import yaml

from pipeline.core.config import ROOT
from pipeline.core.figures import FIGURES_JS
from pipeline.core.io import write_text_atomic
from pipeline.core.mdtext import escape
from pipeline.core.metrics import write_stage
from pipeline.report.numbers import Report, load
from pipeline.scenarios import whatif_views

REPORTS = ROOT / "reports"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
FALLBACK_GENERATOR = "pipeline.report.render (rendu de secours : pandoc, paquets PyPI)"
METADATA = "_metadata.yml"  # written by the render step, listed in _quarto.yml `metadata-files`
PLOTLY_INCLUDE = "_plotly.html"  # idem, listed in `format.html.include-after-body`
TEMPLATE = "template.html"  # the fallback's pandoc template (Quarto has its own)
# Quarto's reader, as `format.html.from` gives it, with raw HTML, raw blocks and TeX off: the
# fallback takes no markup from the text; its own HTML goes in after pandoc (`RawBlocks`).
NO_RAW = "-raw_html-raw_attribute-raw_tex"
CHUNK = re.compile(r"^```\{python\}[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
INLINE = re.compile(r"`\{python\}\s+([^`]+)`")
EMBED = re.compile(r"\{\{<\s*embed\s+([^#\s]+)#([\w-]+)\s*>\}\}")
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

    Pandoc reads the Markdown with raw HTML off, so that no text can inject markup; each block
    of the renderer's own HTML stands in it as a placeholder paragraph, put back after pandoc.
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


def chunk_options(code: str) -> dict:
    options = {}
    for line in code.splitlines():
        if match := OPTION.match(line.strip()):
            options[match[1]] = yaml.safe_load(match[2])
    return options


def run_chunks(text: str, namespace: dict, raw: RawBlocks) -> str:
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

    return CHUNK.sub(execute, text)


def cell_label(cell) -> str | None:
    for line in cell.source.splitlines():
        if (match := OPTION.match(line.strip())) and match[1] == "label":
            return match[2].strip()
    return None


class Embedder:
    """Outputs of labelled cells of executed notebooks, as Quarto's `embed` shortcode takes them:
    the HTML representation of each output (a figure's is made by `pipeline.core.run`)."""

    def __init__(self, base: Path, raw: RawBlocks):
        self.base = base
        self.raw = raw
        self.notebooks: dict[Path, nbformat.NotebookNode] = {}

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
                parts.append(self.raw.keep(self.figure(data, label, options.get("fig-cap"))))
            elif whatif_views.MIME in data:  # the what-if panel, rebuilt from its data
                panel = whatif_views.panel_html(data[whatif_views.MIME])
                parts.append(self.raw.keep(f'<div id="{label}">{panel}</div>'))
            elif "text/html" in data:
                table = sanitized("".join(data["text/html"]))
                if caption := options.get("tbl-cap"):
                    table = self.captioned(table, str(caption), label)
                parts.append(self.raw.keep(f'<div class="table-wrap" id="{label}">{table}</div>'))
            elif "text/markdown" in data:
                parts.append("".join(data["text/markdown"]))
        return "\n".join(parts)

    @staticmethod
    def figure(data: dict, label: str, caption: str | None) -> str:
        """The figure's HTML (`pipeline.core.figures.figure_html`, the one Quarto shows), with the
        cell's `fig-cap` as its caption if it has one (the figure's own title is no caption)."""
        if "text/html" not in data:
            raise RenderError(f"embed {label}: the figure has no HTML (rerun its stage)")
        cap = f"<figcaption>{html.escape(str(caption))}</figcaption>" if caption else ""
        return f'<figure class="figure" id="{label}">{"".join(data["text/html"])}{cap}</figure>'

    @staticmethod
    def captioned(table: str, caption: str, label: str) -> str:
        """The `tbl-cap` option as the table's first child: its title, read out by screen readers."""
        if not (match := TABLE_OPEN.search(table)):
            raise RenderError(f"embed {label}: tbl-cap given but the cell's output has no table")
        cap = f"<caption>{html.escape(caption)}</caption>"
        return table[: match.end()] + cap + table[match.end() :]


def sanitized(table: str) -> str:
    """A notebook's HTML table with nothing but table markup: any other tag shows as text."""
    return bleach.clean(table, tags=TABLE_TAGS, attributes=TABLE_ATTRIBUTES, strip=False)


def listed(value) -> list[str]:
    """A `_quarto.yml` entry that may be one file or a list of files."""
    return [value] if isinstance(value, str) else list(value or [])


def stylesheets(folder: Path, html_format: dict) -> str:
    """The CSS files `_quarto.yml` lists for Quarto (`format.html.css`), inlined as Quarto's
    `embed-resources` does: the project's own files, refused if one could close its <style>."""
    css = "\n".join(
        (folder / name).read_text(encoding="utf-8") for name in listed(html_format.get("css"))
    )
    if "</style" in css.lower():
        raise RenderError(f"{folder}: a stylesheet listed in _quarto.yml contains </style")
    return css


def pandoc(text: str, reader: str, folder: Path, args: list[str]) -> str:
    """HTML of Pandoc Markdown, through the Lua filters `_quarto.yml` lists."""
    project = quarto_project(folder)
    filters = [f"--lua-filter={folder / name}" for name in listed(project.get("filters"))]
    try:
        return pypandoc.convert_text(
            text, "html5", format=reader + NO_RAW, extra_args=["--wrap=none", *filters, *args]
        )
    except RuntimeError as exc:
        raise RenderError(f"pandoc could not render {folder}: {exc}") from exc


def quarto_project(folder: Path) -> dict:
    return yaml.safe_load((folder / "_quarto.yml").read_text(encoding="utf-8")) or {}


def html_options(project: dict) -> dict:
    return project.get("format", {}).get("html", {})


def markdown_to_html(text: str, folder: Path = REPORTS) -> str:
    """HTML of the project's Markdown, read as the report reads it (tests of prose)."""
    page = pandoc(text, html_options(quarto_project(folder)).get("from", "markdown"), folder, [])
    return page.lstrip("\n")  # pandoc writes an empty document as one blank line


def write_metadata(folder: Path, report: Report) -> Path:
    """The document's title and subtitle, for `metadata-files`: pandoc and Quarto read metadata
    as Markdown, so both are escaped (a territory's name is text)."""
    meta = {"title": str(escape(report.title)), "subtitle": str(escape(report.subtitle))}
    return write_text_atomic(yaml.safe_dump(meta, allow_unicode=True), folder / METADATA)


def write_plotly(folder: Path) -> Path:
    """plotly.js, from the installed plotly package, and the loader that draws every figure."""
    return write_text_atomic(
        f"<script>{plotly.offline.get_plotlyjs()}</script>\n<script>\n{FIGURES_JS}\n</script>\n",
        folder / PLOTLY_INCLUDE,
    )


def render_fallback(qmd: Path, output: Path) -> Path:
    folder = qmd.parent
    project = quarto_project(folder)
    options = html_options(project)
    write_plotly(folder)
    raw = RawBlocks()
    namespace: dict = {"__name__": "rapport"}
    text = run_chunks(qmd.read_text(encoding="utf-8").replace(RawBlocks.MARK, ""), namespace, raw)
    text = INLINE.sub(lambda m: escape(eval(m[1], namespace)), text)  # noqa: S307 (own source)
    text = EMBED.sub(Embedder(folder, raw), text)
    with tempfile.TemporaryDirectory() as tmp:
        # Project-wide metadata, under the document's front matter as in Quarto.
        defaults = Path(tmp) / "project.yml"
        keys = {"lang": project.get("lang", "fr"), "toc-title": options.get("toc-title")}
        defaults.write_text(yaml.safe_dump({k: v for k, v in keys.items() if v}), encoding="utf-8")
        args = [
            "--standalone",
            f"--template={folder / TEMPLATE}",
            "--section-divs",
            f"--metadata-file={defaults}",
            *(f"--metadata-file={folder / m}" for m in listed(project.get("metadata-files"))),
            *(f"--include-after-body={folder / f}" for f in listed(options["include-after-body"])),
            f"--variable=generator:{FALLBACK_GENERATOR}",
            f"--variable=inline-css:{stylesheets(folder, options)}",
        ]
        if options.get("toc"):
            args += ["--toc", f"--toc-depth={options.get('toc-depth', 3)}"]
        page = pandoc(text, options.get("from", "markdown"), folder, args)
    return write_text_atomic(raw.restore(page), output)


def render(qmd: Path = REPORTS / "rapport.qmd", output: Path | None = None) -> Path:
    qmd = Path(qmd)
    output = Path(output or qmd.with_suffix(".html"))
    write_metadata(qmd.parent, load())
    if shutil.which("quarto"):
        write_plotly(qmd.parent)
        subprocess.run(
            ["quarto", "render", str(qmd), "--output", output.name], check=True, cwd=qmd.parent
        )
        return output
    return render_fallback(qmd, output)


def main(argv: list[str]) -> int:
    try:
        path = render(*(Path(a) for a in argv[:1]))
        write_stage("report", ROOT)  # reports/metrics/report.json: the synthesis, for DVC
    except RenderError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 1
    print(f"report: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
