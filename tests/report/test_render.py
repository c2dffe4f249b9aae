import base64
import html
import json
import re
import shutil
from types import SimpleNamespace

import nbformat
import numpy as np
import plotly.graph_objects as go
import pytest
import yaml

from pipeline.core.config import ROOT
from pipeline.core.run import PLOTLY, clean_notebook
from pipeline.report.browser import check
from pipeline.report.render import (
    FALLBACK_GENERATOR,
    METADATA,
    PLOTLY_INCLUDE,
    TEMPLATE,
    Embedder,
    RenderError,
    render_fallback,
    write_metadata,
)

HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script>'\""
QMD = """---
lang: fr
---

```{python}
#| include: false
answer = 6 * 7
```

# Synthèse

La réponse est `{python} answer`.

```{python}
#| output: asis
print("::: {.callout-warning}\\n**Démo** seulement\\n:::")
```

::: {.key-figures}
[42]{.value}
:::

| A | B |
|---|---|
| 1 | 2 |

# Carte

{{< embed nb.ipynb#fig-essai >}}

{{< embed nb.ipynb#fig-autre >}}

{{< embed nb.ipynb#tbl-essai >}}
"""


def figure_cell(label: str, name: str) -> nbformat.NotebookNode:
    fig = go.Figure(go.Bar(x=np.array([13817.623876669584, 0.1 + 0.2]), y=[1, 2], name=name))
    fig.update_layout(title={"text": f"Titre {name}"})
    cell = nbformat.v4.new_code_cell(f'#| label: {label}\n#| fig-alt: "Texte alternatif"\nfig')
    cell.outputs = [nbformat.v4.new_output("display_data", data={PLOTLY: fig.to_plotly_json()})]
    return cell


def notebook(error=False):
    """An executed notebook as `pipeline.core.run` leaves it: figures cleaned, so with their HTML."""
    nb = nbformat.v4.new_notebook()
    tbl = nbformat.v4.new_code_cell(
        '#| label: tbl-essai\n#| tbl-cap: "Population & <communes> d\'étude"\ntable'
    )
    tbl.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={"text/html": '<table border="0" class="data-table"><tr><th>A</th></tr></table>'},
        )
    ]
    if error:
        tbl.outputs = [
            nbformat.v4.new_output("error", ename="ValueError", evalue="boom", traceback=[])
        ]
    nb.cells = [figure_cell("fig-essai", HOSTILE), figure_cell("fig-autre", "B"), tbl]
    return clean_notebook(nbformat.from_dict(nbformat.reads(nbformat.writes(nb), as_version=4)))


@pytest.fixture
def project(tmp_path):
    for name in ("_quarto.yml", TEMPLATE, "*.css", "*.lua"):
        for file in (ROOT / "reports").glob(name):
            shutil.copy(file, tmp_path)
    write_metadata(tmp_path, SimpleNamespace(title="Étude", subtitle=f"Territoire {HOSTILE}"))
    (tmp_path / "r.qmd").write_text(QMD, encoding="utf-8")
    nbformat.write(notebook(), tmp_path / "nb.ipynb")
    return tmp_path


def test_a_figure_carries_its_json_and_html_with_the_same_rounded_numbers():
    output = notebook().cells[0].outputs[0]
    spec = output.data[PLOTLY]
    assert np.frombuffer(base64.b64decode(spec["data"][0]["x"]["bdata"])).tolist() == [
        13817.62388,
        0.3,
    ]
    page = output.data["text/html"]
    assert page.startswith('<div class="plotly-figure" role="img" aria-label="Texte alternatif"')
    attribute = re.fullmatch(r".*data-plotly='([^']*)'></div>", page)[1]
    assert json.loads(html.unescape(attribute)) == json.loads(json.dumps(spec))
    assert "<img" not in page and "<script" not in page  # the data's text stays text


def test_fallback_renders_one_offline_file(project):
    page = render_fallback(project / "r.qmd", project / "r.html").read_text(encoding="utf-8")
    assert "<title>Étude – Territoire &lt;img" in page  # title and subtitle: document metadata
    assert '<h1 class="title">Étude</h1>' in page
    assert "La réponse est 42." in page
    assert '<div class="callout-warning">' in page and "<strong>Démo</strong>" in page
    assert '<div class="table-wrap">\n<table>' in page  # the Lua filter _quarto.yml lists
    assert page.count('<figure class="figure" id="fig-') == 2 and "<figcaption>" not in page
    assert 'aria-label="Texte alternatif"' in page and "<th>A</th>" in page
    assert len(re.findall(r"plotly\.js v\d", page)) == 1  # the library embedded once
    assert page.count("<script") == 2  # plotly.js and the figures' loader, nothing else
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"(https?:)?//", page)
    assert f'content="{FALLBACK_GENERATOR}"' in page
    assert 'href="#synthese"' in page and '<section id="synthese"' in page
    styles = (ROOT / "reports" / "styles.css").read_text(encoding="utf-8")
    assert ".verdict" in styles and ".key-figure" in styles and styles in page


def test_every_figure_is_drawn_offline_and_nothing_runs(project):
    result = check(render_fallback(project / "r.qmd", project / "r.html"), project / "shots")
    assert result["figures"] == result["rendered"] == 2
    assert result["dialogs"] == result["blocked_requests"] == result["console_errors"] == []


def test_table_caption_is_the_first_child_of_the_table(project):
    page = render_fallback(project / "r.qmd", project / "r.html").read_text(encoding="utf-8")
    assert (
        '<div class="table-wrap" id="tbl-essai"><table border="0" class="data-table">'
        "<caption>Population &amp; &lt;communes&gt; d&#x27;étude</caption><tbody><tr><th>A</th>"
    ) in page
    assert page.count("<caption>") == 1
    with pytest.raises(RenderError, match="tbl-essai: tbl-cap given but the cell's output has no"):
        Embedder.captioned("<p>pas de tableau</p>", "Titre", "tbl-essai")


def test_same_sources_same_bytes(project):
    first = render_fallback(project / "r.qmd", project / "a.html").read_bytes()
    assert render_fallback(project / "r.qmd", project / "b.html").read_bytes() == first


def test_missing_label_or_error_cell_is_refused(project):
    (project / "r.qmd").write_text(QMD.replace("tbl-essai", "tbl-absent"), encoding="utf-8")
    with pytest.raises(RenderError, match="no cell labelled 'tbl-absent' in nb.ipynb"):
        render_fallback(project / "r.qmd", project / "r.html")
    (project / "r.qmd").write_text(QMD, encoding="utf-8")
    nbformat.write(notebook(error=True), project / "nb.ipynb")
    with pytest.raises(RenderError, match="ended in ValueError: boom"):
        render_fallback(project / "r.qmd", project / "r.html")
    assert not (project / "r.html").exists()


def test_quarto_project_files_are_valid():
    config = yaml.safe_load((ROOT / "reports" / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["lang"] == "fr" and config["metadata-files"] == [METADATA]
    options = config["format"]["html"]
    assert options["embed-resources"] is True and options["toc"] is True
    assert options["output-file"] == "rapport.html"
    assert options["include-after-body"] == PLOTLY_INCLUDE and "styles.css" in options["css"]
    assert config["project"]["render"] == ["rapport.qmd"]
    for name in [*options["css"], *config["filters"], TEMPLATE]:
        assert (ROOT / "reports" / name).is_file(), name


def test_every_embed_points_to_an_executed_notebook_the_report_stage_depends_on():
    qmd = (ROOT / "reports" / "rapport.qmd").read_text(encoding="utf-8")
    report_deps = set(
        yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]["report"]["deps"]
    )
    embeds = re.findall(
        r"\{\{< embed \.\./(data/processed/(\w+)/notebook\.ipynb)#[\w-]+ >\}\}", qmd
    )
    assert len(embeds) >= 20
    for _, stage in embeds:
        assert f"data/processed/{stage}" in report_deps, stage
    front = yaml.safe_load(qmd.split("---")[1])
    assert front["lang"] == "fr" and "title" not in front  # the title comes from _metadata.yml
