import re
import shutil

import nbformat
import pytest
import yaml

from pipeline.core.config import ROOT
from pipeline.report.render import FALLBACK_GENERATOR, Embedder, RenderError, render_fallback

QMD = """---
title: "Essai"
---

```{python}
#| include: false
answer = 6 * 7
report_title = "Titre calculé"
```

# Synthèse

La réponse est `{python} answer`.

```{python}
#| output: asis
print("::: {.callout-warning}\\n**Démo** seulement\\n:::")
```

# Carte

{{< embed nb.ipynb#fig-essai >}}

{{< embed nb.ipynb#tbl-essai >}}
"""


def notebook(error=False):
    nb = nbformat.v4.new_notebook()
    fig = nbformat.v4.new_code_cell('#| label: fig-essai\n#| fig-alt: "Texte alternatif"\nfig')
    fig.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "application/vnd.plotly.v1+json": {
                    "data": [{"type": "bar", "x": [1], "y": [2]}],
                    "layout": {"title": {"text": "Une figure"}},
                }
            },
        )
    ]
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
    nb.cells = [fig, tbl]
    return nb


@pytest.fixture
def project(tmp_path):
    shutil.copy(ROOT / "reports" / "_quarto.yml", tmp_path)
    shutil.copy(ROOT / "reports" / "template.html.j2", tmp_path)
    (tmp_path / "r.qmd").write_text(QMD, encoding="utf-8")
    nbformat.write(notebook(), tmp_path / "nb.ipynb")
    return tmp_path


def test_fallback_renders_one_offline_file(project):
    html = render_fallback(project / "r.qmd", project / "r.html").read_text(encoding="utf-8")
    assert "<title>Titre calculé</title>" in html
    assert "La réponse est 42." in html
    assert '<div class="callout-warning">' in html and "<strong>Démo</strong>" in html
    assert 'aria-label="Texte alternatif"' in html and "<figcaption>Une figure</figcaption>" in html
    assert "<th>A</th>" in html
    assert html.count("Plotly.newPlot") == 1  # one call in the loader, fed every figure
    assert len(re.findall(r"plotly\.js v\d", html)) == 1  # the library embedded once
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"(https?:)?//", html)
    assert f'content="{FALLBACK_GENERATOR}"' in html
    assert 'href="#synthese"' in html and 'id="synthese"' in html


def test_table_caption_is_the_first_child_of_the_table(project):
    html = render_fallback(project / "r.qmd", project / "r.html").read_text(encoding="utf-8")
    assert (
        '<div class="table-wrap" id="tbl-essai"><table border="0" class="data-table">'
        "<caption>Population &amp; &lt;communes&gt; d&#x27;étude</caption><tbody><tr><th>A</th>"
    ) in html
    assert html.count("<caption>") == 1
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
    import yaml

    config = yaml.safe_load((ROOT / "reports" / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["lang"] == "fr"
    html = config["format"]["html"]
    assert html["embed-resources"] is True and html["toc"] is True
    assert html["output-file"] == "rapport.html"
    assert config["project"]["render"] == ["rapport.qmd"]


def test_every_embed_points_to_an_executed_notebook_the_report_stage_depends_on():
    import re

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
    assert front["lang"] == "fr" and front["title"]
