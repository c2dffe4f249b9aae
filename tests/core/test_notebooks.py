import nbformat
import pytest

from pipeline.core.config import ROOT, read_yaml
from pipeline.core.notebooks import problems
from pipeline.report.render import cell_label, chunk_options

STAGES = [s for s in read_yaml(ROOT / "dvc.yaml")["stages"] if s != "report"]


def test_there_is_one_stage_per_phase():
    assert [s[:2] for s in STAGES] == [f"{i:02d}" for i in range(1, 11)]


@pytest.mark.parametrize("stage", STAGES)
def test_notebook_is_stripped_and_parameterised(stage):
    nb = nbformat.read(ROOT / "notebooks" / f"{stage}.ipynb", as_version=4)
    assert problems(nb) == []
    params_cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert params_cell.source.splitlines()[0] == "params = {}"  # then a commented example
    assert f'open_phase("{stage}", params)' in "".join(c.source for c in nb.cells)


@pytest.mark.parametrize("stage", STAGES)
def test_notebook_cells_are_thin(stage):
    """Logic belongs in pipeline/: no loops over data, no function or class definitions."""
    nb = nbformat.read(ROOT / "notebooks" / f"{stage}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            for line in cell.source.splitlines():
                assert not line.lstrip().startswith(("def ", "class ", "while ")), (
                    f"{stage}: {line}"
                )


@pytest.mark.parametrize("stage", STAGES)
def test_stage_declares_its_notebook_and_outputs(stage):
    spec = read_yaml(ROOT / "dvc.yaml")["stages"][stage]
    assert f"notebooks/{stage}.ipynb" in spec["deps"]
    assert spec["outs"] == [{f"data/processed/{stage}": {"persist": True}}]
    assert spec["cmd"] == f"sh pipeline/core/stage.sh {stage}"


def test_report_embeds_only_existing_labels():
    import re

    qmd = (ROOT / "reports" / "rapport.qmd").read_text(encoding="utf-8")
    for notebook, label in re.findall(
        r"embed \.\./data/processed/(\w+)/notebook\.ipynb#([\w-]+)", qmd
    ):
        nb = nbformat.read(ROOT / "notebooks" / f"{notebook}.ipynb", as_version=4)
        assert label in {cell_label(c) for c in nb.cells}, (
            f"{notebook} has no cell labelled {label}"
        )


def test_cell_labels_are_unique_across_notebooks():
    """One report, one id per figure or table: a label used twice would clash in the HTML."""
    labels = [
        cell_label(c)
        for stage in STAGES
        for c in nbformat.read(ROOT / "notebooks" / f"{stage}.ipynb", as_version=4).cells
        if cell_label(c)
    ]
    assert sorted({x for x in labels if labels.count(x) > 1}) == []


@pytest.mark.parametrize("stage", STAGES)
def test_every_table_has_a_title(stage):
    """Accessibility: each `tbl-` cell carries a `tbl-cap`, the <caption> of its table; it
    describes the table and types no number (numbers come from the data)."""
    nb = nbformat.read(ROOT / "notebooks" / f"{stage}.ipynb", as_version=4)
    tables = [c for c in nb.cells if (cell_label(c) or "").startswith("tbl-")]
    for cell in tables:
        caption = chunk_options(cell.source).get("tbl-cap")
        assert isinstance(caption, str) and caption.strip(), f"{cell_label(cell)}: no tbl-cap"
        assert not any(ch.isdigit() for ch in caption), f"{cell_label(cell)}: {caption}"
