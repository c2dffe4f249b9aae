"""`make templates`: spreadsheet templates that, filled in and saved as .xlsx, read as the CSV
(or YAML) inputs they replace."""

import csv
import datetime as dt
import re
import shutil
import sys

import openpyxl
import pandas as pd
import pytest
import yaml
from openpyxl.utils import get_column_letter
from study import run

from pipeline import templates
from pipeline.benchmark.grid import BENCHMARK_FILE, read_benchmark
from pipeline.core.config import ROOT
from pipeline.core.validate import InputFileError
from pipeline.core.vocabulary import ACTORS
from pipeline.demand.workshop import FILE as IDEAS_FILE
from pipeline.demand.workshop import read_ideas
from pipeline.demo.codebook import CODEBOOK
from pipeline.interviews.build import GRID_FILE
from pipeline.interviews.coding import read_grid
from pipeline.sites.candidates import SITES_FILE, read_sites
from pipeline.survey.codebook import read_codebook

DEMO = ROOT / "data" / "raw" / "nord_caraibe"
NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")  # a number a spreadsheet would store as one
TABLES = [GRID_FILE, SITES_FILE, BENCHMARK_FILE, IDEAS_FILE]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("templates")
    written = templates.write("nord_caraibe", out)
    assert sorted(p.name for p in written) == sorted(
        [*(name.replace(".csv", ".xlsx") for name in TABLES), "enquete_codebook.xlsx"]
    )
    return out


@pytest.fixture
def readers(default_base):
    return {
        GRID_FILE: read_grid,
        SITES_FILE: lambda path: read_sites(path, default_base),
        BENCHMARK_FILE: read_benchmark,
        IDEAS_FILE: read_ideas,
    }


def typed(text: str):
    """A cell as an analyst types it: numbers and dates stored as such."""
    if NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text)
    return text or None


def fill(template, out, rows: dict[str, list[list]]):
    """The template with `rows` (text, typed as an analyst would) added to its sheets."""
    book = openpyxl.load_workbook(template)
    for name, values in rows.items():
        for row in values:
            book[name].append([typed(str(v)) for v in row])
    book.save(out)
    return out


def demo_rows(name: str, header: list[str]) -> list[list[str]]:
    with open(DEMO / name, encoding="utf-8", newline="") as fh:
        return [[row.get(h, "") for h in header] for row in csv.DictReader(fh)]


def headings(path, sheet=0) -> list[str]:
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[sheet] if isinstance(sheet, int) else book[sheet]
    return [c.value for c in ws[1]]


@pytest.mark.parametrize("name", TABLES)
def test_a_filled_in_template_reads_as_the_csv(folder, readers, tmp_path, name):
    template = folder / name.replace(".csv", ".xlsx")
    header = headings(template)
    rows = demo_rows(name, header)
    (tmp_path / "csv").mkdir()
    (tmp_path / "xlsx").mkdir()
    with open(tmp_path / "csv" / name, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    sheet = openpyxl.load_workbook(template).sheetnames[0]
    fill(template, tmp_path / "xlsx" / template.name, {sheet: rows})
    expected = readers[name](tmp_path / "csv" / name)
    pd.testing.assert_frame_equal(readers[name](tmp_path / "xlsx" / name), expected)
    assert len(expected) == len(rows)


def codebook_yaml(path):
    path.write_text(yaml.safe_dump(CODEBOOK, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_a_filled_in_codebook_template_reads_as_the_yaml(folder, tmp_path):
    filled = fill(
        folder / "enquete_codebook.xlsx",
        tmp_path / "enquete_codebook.xlsx",
        templates.codebook_sheets(CODEBOOK),
    )
    assert read_codebook(filled) == read_codebook(codebook_yaml(tmp_path / "b.yaml"))


def test_a_bad_cell_is_named_by_sheet_row_and_column(folder, readers, tmp_path):
    template = folder / "sites_candidats.xlsx"
    rows = demo_rows(SITES_FILE, headings(template))
    rows[1][headings(template).index("surface_m2")] = "grand"
    path = fill(template, tmp_path / template.name, {"sites_candidats": rows})
    with pytest.raises(InputFileError) as error:
        readers[SITES_FILE](path)
    assert str(error.value).startswith(f"{path}, sheet 'sites_candidats': 1 problem(s)")
    assert "row 3, column 'surface_m2': expected a number" in str(error.value)

    book = templates.codebook_sheets(CODEBOOK)
    book["questions"][2][1] = "choix"
    path = fill(folder / "enquete_codebook.xlsx", tmp_path / "enquete_codebook.xlsx", book)
    with pytest.raises(
        InputFileError, match=r"sheet 'questions': 1 problem.*\n  row 4, column 'type'"
    ):
        read_codebook(path)


def test_the_example_rows_are_valid(folder, readers, tmp_path):
    for name in TABLES:
        book = openpyxl.load_workbook(folder / name.replace(".csv", ".xlsx"))
        book.move_sheet("exemple", offset=-1)  # the sheet the readers read
        book.save(tmp_path / name.replace(".csv", ".xlsx"))
        assert len(readers[name](tmp_path / name)) == 1
    book = openpyxl.load_workbook(folder / "enquete_codebook.xlsx")
    for sheet in ("questions", "codes", "settings"):
        del book[sheet]
        book[f"exemple_{sheet}"].title = sheet
    book.save(tmp_path / "enquete_codebook.xlsx")
    assert read_codebook(tmp_path / "enquete_codebook.xlsx") == read_codebook(
        codebook_yaml(tmp_path / "yaml.yaml")
    )


def test_templates_offer_the_allowed_values(folder):
    book = openpyxl.load_workbook(folder / "entretiens_grille.xlsx")
    lists = {c[0].value: [v.value for v in c[1:] if v.value] for c in book["valeurs"].iter_cols()}
    assert lists["type_acteur"] == list(ACTORS)
    rules = {str(r.sqref): r for r in book.worksheets[0].data_validations.dataValidation}
    column = get_column_letter(headings(folder / "entretiens_grille.xlsx").index("type_acteur") + 1)
    listed = get_column_letter(list(lists).index("type_acteur") + 1)
    assert rules[f"{column}2:{column}1001"].type == "list"
    assert rules[f"{column}2:{column}1001"].formula1 == f"valeurs!${listed}$2:${listed}$6"
    sites = openpyxl.load_workbook(folder / "sites_candidats.xlsx")
    rules = {str(r.sqref): r for r in sites.worksheets[0].data_validations.dataValidation}
    assert rules["C2:C1001"].formula1 == f"communes!$A$2:$A${sites['communes'].max_row}"
    assert (rules["F2:F1001"].type, rules["F2:F1001"].formula1) == ("decimal", "1")
    assert ("surface_m2", "oui", "a number (decimal point) of at least 1") in [
        row[:3] for row in sites["colonnes"].values
    ]


def test_an_input_saved_twice_is_refused(tmp_path):
    (tmp_path / IDEAS_FILE).write_text("idee_id,atelier,idee,service,votes\n", encoding="utf-8")
    openpyxl.Workbook().save(tmp_path / "atelier_idees.xlsx")
    with pytest.raises(InputFileError, match=r"atelier_idees\.csv and .*atelier_idees\.xlsx"):
        read_ideas(tmp_path / IDEAS_FILE)


def test_templates_never_overwrite_a_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(
        templates,
        "templates",
        lambda key, root: {"a.xlsx": openpyxl.Workbook(), "b.xlsx": openpyxl.Workbook()},
    )
    (tmp_path / "a.xlsx").write_bytes(b"mine")
    assert templates.write("nord_caraibe", tmp_path) == [tmp_path / "b.xlsx"]
    assert (tmp_path / "a.xlsx").read_bytes() == b"mine"
    assert "kept" in capsys.readouterr().out


def test_a_filled_in_template_saved_as_xlsx_runs_through_the_study(study, folder, tmp_path):
    """The candidate sites typed into their template and saved as .xlsx in place of the CSV:
    `dvc repro` reruns the stages that read the folder and phase 08 comes out identical."""
    copy = tmp_path / "study"
    shutil.copytree(study, copy, symlinks=True)
    raw = copy / "data" / "raw" / "nord_caraibe"
    template = folder / SITES_FILE.replace(".csv", ".xlsx")
    sheet = openpyxl.load_workbook(template).sheetnames[0]  # the sheet to fill in
    header = headings(template)
    fill(template, raw / template.name, {sheet: demo_rows(SITES_FILE, header)})
    before = {p.name: p.read_bytes() for p in (copy / "data/processed/08_sites").glob("*.parquet")}
    (raw / SITES_FILE).unlink()
    run([sys.executable, "-m", "pipeline.core.checksums", "record"], copy)
    out = run(["dvc", "repro"], copy)
    assert "Running stage '08_sites'" in out
    after = {p.name: p.read_bytes() for p in (copy / "data/processed/08_sites").glob("*.parquet")}
    assert after == before
    assert (copy / "reports" / "rapport.html").exists()
