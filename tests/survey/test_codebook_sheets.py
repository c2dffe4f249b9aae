"""A survey codebook kept as a spreadsheet: sheets questions, codes and settings."""

import openpyxl
import pytest

from pipeline.core.validate import InputFileError
from pipeline.survey.codebook import read_codebook

QUESTIONS = [
    ["question", "type", "label", "page", "relevance", "min", "max", "exclusive"],
    ["Q1", "single", "Sexe", 1, None, None, None, None],
    ["Q2", "multiple", "Services", 2, "Q1 == 'A1'", None, None, "AUCUN"],
    ["Q3", "numeric", "Trajet", 2.0, None, 0, 240.0, None],
]
CODES = [
    ["question", "code", "label"],
    ["Q1", "A1", "Homme"],
    ["Q1", "A2", "Femme"],
    ["Q2", "COWORK", "Coworking"],
    ["Q2", "AUCUN", "Aucun"],
]
SETTINGS = [
    ["key", "value"],
    ["format", "limesurvey"],
    ["identifiers", "Q9_email"],
    ["profile.sex.question", "Q1"],
    ["profile.age.census.A1", 1529],
    ["profile.age.census.A4", "6074|75P"],
    ["profile.commute.long_minutes", 30],
    ["indicators.coworking.yes", "A1"],
    ["prices.Q3.bands", "5|10|12.5"],
]


def workbook(path, **changes):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in {"questions": QUESTIONS, "codes": CODES, "settings": SETTINGS}.items():
        sheet = book.create_sheet(name)
        for row in changes.get(name, rows):
            sheet.append(row)
    book.save(path)
    return path


def test_the_sheets_read_as_the_yaml_mapping(tmp_path):
    book = read_codebook(workbook(tmp_path / "enquete_codebook.xlsx"))
    assert book["questions"] == {
        "Q1": {
            "type": "single",
            "label": "Sexe",
            "page": 1,
            "codes": {"A1": "Homme", "A2": "Femme"},
        },
        "Q2": {
            "type": "multiple",
            "label": "Services",
            "page": 2,
            "relevance": "Q1 == 'A1'",
            "codes": {"COWORK": "Coworking", "AUCUN": "Aucun"},
            "exclusive": ["AUCUN"],
        },
        "Q3": {"type": "numeric", "label": "Trajet", "page": 2, "min": 0, "max": 240},
    }
    assert {k: v for k, v in book.items() if k != "questions"} == {
        "format": "limesurvey",
        "identifiers": ["Q9_email"],  # always a list
        "profile": {
            "sex": {"question": "Q1"},
            "age": {"census": {"A1": "1529", "A4": ["6074", "75P"]}},  # text, or a list
            "commute": {"long_minutes": 30},
        },
        "indicators": {"coworking": {"yes": ["A1"]}},
        "prices": {"Q3": {"bands": [5, 10, 12.5]}},
    }


@pytest.mark.parametrize(
    "sheet, row, message",
    [
        ("codes", ["Q7", "A1", "x"], r"sheet 'codes': 1 problem.*\n  row 6, column 'question': "
         r"expected a question of sheet 'questions'"),
        ("codes", ["Q1", "A1", "x"], r"row 6: expected values not already used together"),
        ("settings", ["prices.Q3.label", "Jour"], None),
        ("settings", ["prices.Q3.bands.x", "1"], r"row 10, column 'key': bands was given a value"),
        ("settings", ["profile", "x"], r"row 10, column 'key': expected a key path not used"),
        ("settings", ["questions.Q1.type", "text"], r"row 10, column 'key': expected a key path"),
        ("settings", ["profile..question", "x"], r"row 10, column 'key': expected a key path"),
        ("settings", ["indicators.x.not_applicable", "zéro"],
         r"sheet 'settings', row 10, column 'value': expected numbers, '\|'-separated, found text"),
        ("questions", ["Q4", "choix", "x"], r"row 5, column 'type': expected one of: commune"),
    ],
)  # fmt: skip
def test_errors_name_the_sheet_row_and_column(tmp_path, sheet, row, message):
    rows = {"questions": QUESTIONS, "codes": CODES, "settings": SETTINGS}[sheet]
    path = workbook(tmp_path / "book.xlsx", **{sheet: [*rows, row]})
    if message is None:  # a sibling of an existing key is fine
        assert read_codebook(path)["prices"]["Q3"]["label"] == "Jour"
        return
    with pytest.raises(InputFileError, match=message) as error:
        read_codebook(path)
    assert "zéro" not in str(error.value)


def test_the_three_sheets_are_needed(tmp_path):
    path = workbook(tmp_path / "book.xlsx")
    book = openpyxl.load_workbook(path)
    del book["settings"]
    book.save(path)
    with pytest.raises(InputFileError, match=r"no sheet named 'settings' \(sheets: 'questions'"):
        read_codebook(path)


def test_a_codebook_saved_twice_is_refused(tmp_path):
    workbook(tmp_path / "book.xlsx")
    (tmp_path / "book.yaml").write_text("questions: {}\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"book\.xlsx and .*book\.yaml: the same input"):
        read_codebook(tmp_path / "book.yaml")
