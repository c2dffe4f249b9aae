import copy
import csv
import io
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.validate import InputFileError, InputWarning, decode, read_records, separator
from pipeline.demo.survey import CODEBOOK, kobo_export
from pipeline.demo.survey import respondents as demo_respondents
from pipeline.survey import codebook, exports
from pipeline.survey.answers import answer_status, non_response
from pipeline.survey.codebook import SurveyFormatError, SurveyWarning

COMMUNES = ["97225", "97204", "97222"]


def demo_table(n=60, seed=1):
    communes = pd.DataFrame(
        {"code": COMMUNES, "population": [4000, 3700, 21000], "in_study_zone": [True, True, False]}
    )
    return demo_respondents(communes, n, np.random.default_rng(seed))


def write(tmp_path, table, sep=";", encoding="utf-8", name="export.csv"):
    path = tmp_path / name
    path.write_bytes(table.to_csv(sep=sep, index=False).encode(encoding))
    return path


def book(**changes):
    out = copy.deepcopy(CODEBOOK)
    out.update(changes)
    return out


# Codebook -------------------------------------------------------------------------------------


def test_codebook_needs_codes(tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text("questions:\n  Q1: {type: single}\n")
    with pytest.raises(SurveyFormatError, match="Q1: a single question needs 'codes'"):
        codebook.read_codebook(path)


def test_codebook_codes_become_text(tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text("questions:\n  Q1: {type: single, label: x, codes: {1: a, 2: b}}\n")
    assert list(codebook.read_codebook(path)["questions"]["Q1"]["codes"]) == ["1", "2"]


@pytest.mark.parametrize(
    "relevance, message",
    [
        ("Q2 == 'A1'", "Q2 is not a coded or numeric question asked before"),
        ("Q1 in ['A1', 'A9']", "'A9' is not a code of Q1"),
        ("Q1 == 1", "1 is not a code of Q1"),
        ("Q1 ==", "not a valid condition"),
        ("len(Q1) > 0", "Call is not allowed"),
    ],
)
def test_relevance_is_checked_against_earlier_questions(relevance, message):
    questions = {
        "Q1": {"type": "single", "label": "x", "codes": {"A1": "a", "A2": "b"}},
        "Q2": {"type": "single", "label": "y", "codes": {"A1": "a"}, "relevance": relevance},
    }
    with pytest.raises(SurveyFormatError, match=re.escape(message)):
        codebook.compile_codebook({"questions": questions})


def test_relevance_semantics():
    earlier = {
        "S": {"type": "single", "codes": {"A1": "a", "A2": "b"}},
        "N": {"type": "numeric"},
        "M": {"type": "multiple", "codes": {"X": "x", "Y": "y"}},
    }
    rule = codebook.compile_relevance("S == 'A1' and (N >= 30 or 'X' in M)", earlier)
    assert rule({"S": "A1", "N": 45.0, "M": None})
    assert rule({"S": "A1", "N": None, "M": frozenset({"X"})})
    assert not rule({"S": "A1", "N": 10.0, "M": frozenset({"Y"})})
    assert not rule({"S": None, "N": 45.0, "M": None})  # unanswered: condition false
    assert not codebook.compile_relevance("S != 'A1'", earlier)({"S": None})
    assert codebook.compile_relevance("not S in ['A2']", earlier)({"S": "A1"})


# Reading and validating -----------------------------------------------------------------------


def test_read_export_validates_and_drops_identifiers_and_free_text(tmp_path):
    raw = demo_table()
    raw.loc[0, "Q19_commentaire"] = "Mon voisin, Jean Dupont, 12 rue des Lilas"
    table = exports.read_export(write(tmp_path, raw), CODEBOOK, COMMUNES)
    assert len(table) == 60
    assert "Q20_email" not in table.columns and "Q19_commentaire" not in table.columns
    assert not any(c in table.columns for c in ["submitdate", "startlanguage"])
    text = table.astype(str).to_string()
    assert "@" not in text and "Dupont" not in text
    assert table["Q13_prix_jour"].dtype == "Float64"
    assert table["Q11_services[COWORK]"].dtype == "boolean"


def test_latin1_and_utf8_bom_are_read_with_a_warning(tmp_path):
    raw = demo_table()
    raw.loc[0, "Q19_commentaire"] = "Être près de chez moi, ça compte"
    with pytest.warns(InputWarning, match="not UTF-8"):
        latin = exports.load_export(write(tmp_path, raw, ",", "cp1252"), CODEBOOK, COMMUNES)
    assert (latin.encoding, latin.separator) == ("cp1252", ",")
    with pytest.warns(InputWarning, match="byte-order mark"):
        bom = exports.load_export(write(tmp_path, raw, ";", "utf-8-sig"), CODEBOOK, COMMUNES)
    assert (bom.encoding, bom.separator) == ("utf-8", ";")
    pd.testing.assert_frame_equal(latin.table, bom.table)


def test_bad_code_names_line_and_column(tmp_path):
    raw = demo_table()
    raw.loc[4, "Q09_interet"] = "7"
    with pytest.raises(
        SurveyFormatError,
        match=r"export.csv, line 6, column Q09_interet: expected one of 1, 2, 3, 4, "
        "found a number of 1 digit",
    ):
        exports.read_export(write(tmp_path, raw), CODEBOOK, COMMUNES)


def test_messages_never_quote_an_answer(tmp_path):
    """A phone number typed into a numeric answer, a name in the commune field: the warning
    (on_invalid: blank) and the refusal say where and what was expected, not what was typed."""
    raw = demo_table()
    raw = raw.astype({c: object for c in ("id", "Q06_trajet", "Q01_commune", "Q02_sexe")})
    raw.loc[0, "Q06_trajet"] = "0696 12 34 56"
    raw.loc[1, "Q01_commune"] = "Jean DUPONT"
    raw.loc[2, "Q02_sexe"] = "Mme Lebrun"
    raw.loc[4, "id"] = raw.loc[3, "id"] = "jean.dupont@example.org"
    path = write(tmp_path, raw)
    with pytest.raises(SurveyFormatError) as error:
        exports.read_export(path, CODEBOOK, COMMUNES)
    assert "line 6, column id: duplicated id (already used on line 5)" in str(error.value)
    raw.loc[4, "id"] = "autre"
    path = write(tmp_path, raw)
    with pytest.raises(SurveyFormatError) as error:
        exports.read_export(path, CODEBOOK, COMMUNES)
    with pytest.warns(SurveyWarning) as warned:
        exports.load_export(path, CODEBOOK, COMMUNES, on_invalid="blank")
    for message in [str(error.value), *(str(w.message) for w in warned)]:
        for secret in ("0696", "12 34 56", "DUPONT", "Jean", "Lebrun", "example.org"):
            assert secret not in message
    message = str(error.value)
    assert "line 2, column Q06_trajet: expected a number between" in message
    assert "found text of 13 characters (digits, spaces)" in message
    assert "line 3, column Q01_commune: expected an INSEE code" in message
    assert "line 4, column Q02_sexe: expected one of" in message


def test_skip_logic_violation_names_line_and_column(tmp_path):
    raw = demo_table()
    i = raw.index[raw["Q10_intention"].isin(["A3", "A4"]) & (raw["lastpage"] == 4)][0]
    raw.loc[i, "Q13_prix_jour"] = "12"
    path = write(tmp_path, raw)
    with pytest.raises(
        SurveyFormatError,
        match=re.escape(
            f"export.csv, line {i + 2}, column Q13_prix_jour: answered although its condition "
            "is false (Q10_intention in ['A1', 'A2'])"
        ),
    ):
        exports.read_export(path, CODEBOOK, COMMUNES)
    with pytest.warns(SurveyWarning, match="1 invalid answer"):
        export = exports.load_export(path, CODEBOOK, COMMUNES, on_invalid="blank")
    assert pd.isna(export.table.loc[i, "Q13_prix_jour"])
    assert export.issues.to_dict("records") == [
        {
            "line": i + 2,
            "column": "Q13_prix_jour",
            "question": "Q13_prix_jour",
            "problem": "relevance",
        }
    ]


def test_multiple_choice_violations_name_their_column(tmp_path):
    raw = demo_table()
    i = raw.index[raw["Q10_intention"].isin(["A3", "A4"]) & (raw["lastpage"] == 4)][0]
    raw.loc[i, "Q17_horaires[SOIR]"] = "Y"
    with pytest.raises(SurveyFormatError, match=rf"line {i + 2}, column Q17_horaires\[SOIR\]"):
        exports.read_export(write(tmp_path, raw), CODEBOOK, COMMUNES)
    raw = demo_table()
    j = raw.index[raw["Q11_services[COWORK]"] == "Y"][0]
    raw.loc[j, "Q11_services[AUCUN]"] = "Y"
    with pytest.raises(SurveyFormatError, match=rf"line {j + 2}, .*exclusive answer"):
        exports.read_export(write(tmp_path, raw), CODEBOOK, COMMUNES)


def test_line_numbers_count_answers_spanning_lines(tmp_path):
    raw = demo_table()
    raw.loc[1, "Q19_commentaire"] = "Première ligne\nseconde ligne\ntroisième"
    raw.loc[3, "Q02_sexe"] = "X"
    with pytest.raises(SurveyFormatError, match="line 7, column Q02_sexe"):
        exports.read_export(write(tmp_path, raw), CODEBOOK, COMMUNES)


def test_unknown_commune_and_duplicated_id(tmp_path):
    raw = demo_table()
    bad = raw.copy()
    bad.loc[0, "Q01_commune"] = "75056"
    with pytest.raises(SurveyFormatError, match="line 2, column Q01_commune: expected an INSEE"):
        exports.read_export(write(tmp_path, bad), CODEBOOK, COMMUNES)
    dup = raw.copy()
    dup.loc[3, "id"] = dup.loc[2, "id"]
    with pytest.raises(SurveyFormatError, match="line 5, column id: duplicated id"):
        exports.read_export(write(tmp_path, dup), CODEBOOK, COMMUNES)


def test_out_of_range_number_missing_column_and_ragged_row(tmp_path):
    raw = demo_table()
    bad = raw.copy()
    idx = bad.index[bad["Q13_prix_jour"] != ""][0]
    bad.loc[idx, "Q13_prix_jour"] = "500"
    with pytest.raises(SurveyFormatError, match=f"line {idx + 2}, column Q13_prix_jour: expected"):
        exports.read_export(write(tmp_path, bad), CODEBOOK, COMMUNES)
    with pytest.raises(SurveyFormatError, match=r"missing column\(s\) Q05_teletravail"):
        exports.read_export(
            write(tmp_path, raw.drop(columns="Q05_teletravail")), CODEBOOK, COMMUNES
        )
    path = write(tmp_path, raw)
    lines = path.read_text().splitlines()
    lines[2] += ";extra"
    path.write_text("\n".join(lines))
    with pytest.raises(InputFileError, match="line 3: expected 35 fields, found 36"):
        exports.read_export(path, CODEBOOK, COMMUNES)


def test_decimal_comma_is_a_number_with_a_warning(tmp_path):
    raw = demo_table()
    idx = raw.index[raw["Q13_prix_jour"] != ""][0]
    raw.loc[idx, "Q13_prix_jour"] = "12,5"
    with pytest.warns(SurveyWarning, match="decimal comma read as a point in column.*Q13_prix"):
        table = exports.read_export(write(tmp_path, raw), CODEBOOK, COMMUNES)
    assert table.loc[idx, "Q13_prix_jour"] == 12.5


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(InputFileError, match="empty"):
        exports.read_export(path, CODEBOOK, COMMUNES)


def test_identifier_and_free_text_columns_may_be_absent(tmp_path):
    raw = demo_table().drop(columns=["Q19_commentaire", "Q20_email"])
    table = exports.read_export(write(tmp_path, raw), CODEBOOK, COMMUNES)
    assert len(table) == 60


def test_undeclared_columns_are_dropped_with_a_warning(tmp_path):
    raw = demo_table().assign(telephone="0696 00 00 00")
    with pytest.warns(SurveyWarning, match="not in the codebook dropped: telephone"):
        table = exports.read_export(write(tmp_path, raw), CODEBOOK, COMMUNES)
    assert "telephone" not in table.columns


# LimeSurvey as published ----------------------------------------------------------------------

# A LimeSurvey survey: a list with "Other" (`-oth-` and its `[other]` text), a multiple choice
# with "Other", a number; `text` is each question as LimeSurvey shows it.
LS_BOOK = {
    "format": "limesurvey",
    "questions": {
        "Q1": {
            "type": "single",
            "label": "Situation",
            "text": "Quelle est votre situation / activité ?",
            "page": 1,
            "codes": {"A1": "Salarié(e)", "A2": "Indépendant(e)", "-oth-": "Autre"},
        },
        "Q2": {
            "type": "multiple",
            "label": "Services",
            "text": "Quels services vous intéressent ?",
            "page": 2,
            "codes": {"SQ001": "Coworking", "SQ002": "Fablab", "AUTRE": "Autre"},
        },
        "Q3": {"type": "numeric", "label": "Trajet", "text": "Temps de trajet (minutes)",
               "page": 2, "min": 0, "max": 240},
    },
}  # fmt: skip
LS_FIXED = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"]
LS_FIXED_FR = ["ID de la réponse", "Date de soumission", "Dernière page", "Langue de départ",
               "Tête de série", "Date de lancement", "Date de la dernière action"]  # fmt: skip
LS_DATES = ["2025-03-03 09:02:59", "2", "fr", "1482210352", "2025-03-03 08:58:01"]
LS_CODES = ["Q1", "Q1[other]", "Q2[SQ001]", "Q2[SQ002]", "Q2[AUTRE]", "Q3"]
LS_ANSWERS = [  # answer codes; what respondents typed in the `[other]` columns
    ["1", *LS_DATES, "2025-03-03 09:02:59", "A1", "", "Y", "", "", "25"],
    ["2", *LS_DATES, "2025-03-04 10:11:12", "-oth-", "En invalidité", "", "Y", "", "12.5"],
    ["3", "", "1", "fr", "77", "2025-03-05 18:00:00", "2025-03-05 18:01:00", "A2", "", "", "",
     "", ""],
]  # fmt: skip
LS_TIMINGS = ["interviewtime", "groupTime12", "groupTime13", "Q1Time", "Q2Time", "Q3Time"]


def limesurvey_csv(tmp_path, header, rows, sep=",", name="results-survey123456.csv"):
    """An export as LimeSurvey's CsvWriter writes it: UTF-8 with a byte-order mark, every
    field quoted, CRLF line ends, and an empty last line."""

    def record(fields):
        return sep.join('"' + f.replace('"', '""') + '"' for f in fields) + "\r\n"

    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + "".join(map(record, [header, *rows])).encode() + b"\r\n")
    return path


def load_limesurvey(path, book=LS_BOOK):
    """The export read, with the warnings it gave but the byte-order mark's (LimeSurvey always
    writes one)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        export = exports.load_export(path, book, COMMUNES)
    return export, [str(w.message) for w in caught if "byte-order mark" not in str(w.message)]


def test_a_limesurvey_export_by_question_codes_reads_other_answers_and_ignores_timings(tmp_path):
    timings = [["245.3", "120.5", "124.8", "10.1", "30.2", "5.0"]] * 3
    rows = [r + t for r, t in zip(LS_ANSWERS, timings)]
    path = limesurvey_csv(tmp_path, LS_FIXED + LS_CODES + LS_TIMINGS, rows)
    export, warned = load_limesurvey(path)
    assert export.style == "limesurvey" and warned == []  # timings dropped without a word
    table = export.table
    assert table["Q1"].tolist() == ["A1", "-oth-", "A2"]
    assert table["Q2[SQ002]"].tolist() == [False, True, pd.NA]
    assert table["Q3"].tolist() == [25.0, 12.5, pd.NA]
    assert "En invalidité" not in table.astype(str).to_string()
    assert {"Q1[other]", "interviewtime", "Q2Time", "seed"} <= set(export.dropped)


def test_a_filled_other_text_ticks_the_other_choice_of_a_multiple_question(tmp_path):
    header = LS_FIXED + ["Q1", "Q2[SQ001]", "Q2[SQ002]", "Q2[other]", "Q3"]
    rows = [["1", *LS_DATES, "x", "A1", "Y", "", "Jardinage partagé", "5"],
            ["2", *LS_DATES, "x", "A2", "", "Y", "", "5"]]  # fmt: skip
    export, warned = load_limesurvey(limesurvey_csv(tmp_path, header, rows))
    assert warned == []
    assert export.table["Q2[AUTRE]"].tolist() == [True, False]
    assert "Jardinage" not in export.table.astype(str).to_string()


def test_a_limesurvey_export_by_question_texts_and_full_answers_reads_the_same(tmp_path):
    codes = limesurvey_csv(tmp_path, LS_FIXED + LS_CODES, LS_ANSWERS, name="codes.csv")
    texts = ["Quelle est votre situation / activité ?",  # a "/" does not make it a Kobo export
             "Quelle est votre situation / activité ? [Autre]",
             "Quels services vous intéressent ? [Coworking]",
             "Quels services vous intéressent ? [Fablab]",
             "Quels services vous intéressent ? [Autre]", "Temps de trajet (minutes)"]  # fmt: skip
    full = [["Salarié(e)" if f == "A1" else "Indépendant(e)" if f == "A2" else f for f in r]
            for r in LS_ANSWERS]  # fmt: skip
    full[1][7] = "Autre"  # LimeSurvey's full answer for `-oth-`
    for r in full:
        r[9:12] = ["Oui" if f == "Y" else "Non" for f in r[9:12]]
    path = limesurvey_csv(tmp_path, LS_FIXED_FR + texts, full, sep=";", name="texts.csv")
    by_codes, _ = load_limesurvey(codes)
    by_texts, warned = load_limesurvey(path)
    assert (by_texts.style, warned) == ("limesurvey", [])
    pd.testing.assert_frame_equal(by_texts.table, by_codes.table)
    assert "Quelle est votre situation / activité ? [Autre]" in by_texts.dropped


def test_limesurvey_text_headings_in_english_with_timings_and_code_text_headings(tmp_path):
    fixed = ["Response ID", "Date submitted", "Last page", "Start language", "Seed",
             "Date started", "Date last action"]  # fmt: skip
    texts = [LS_BOOK["questions"]["Q1"]["text"], "Quelle est votre situation / activité ? [Other]",
             "Quels services vous intéressent ? [Coworking]",
             "Quels services vous intéressent ? [Fablab]",
             "Quels services vous intéressent ? [Autre]", "Temps de trajet (minutes)",
             "Total time", "Group time: Profil", "Question time: Q1"]  # fmt: skip
    rows = [r + ["240", "100", "10"] for r in LS_ANSWERS]
    english, warned = load_limesurvey(limesurvey_csv(tmp_path, fixed + texts, rows))
    assert warned == []
    codetext = [f"{c}. {t}" for c, t in zip(LS_FIXED + LS_CODES, LS_FIXED_FR + texts)]
    both, warned = load_limesurvey(limesurvey_csv(tmp_path, codetext, LS_ANSWERS, name="ct.csv"))
    assert warned == []
    pd.testing.assert_frame_equal(english.table, both.table)
    assert english.table["Q1"].tolist() == ["A1", "-oth-", "A2"]


@pytest.mark.filterwarnings("ignore:.*byte-order mark:UserWarning")
def test_limesurvey_errors_name_the_files_own_heading(tmp_path):
    texts = ["Quelle est votre situation / activité ?", "Temps de trajet (minutes)"]
    rows = [["1", *LS_DATES, "x", "A7", "25"]]
    path = limesurvey_csv(tmp_path, LS_FIXED_FR + texts, rows)
    book = {**LS_BOOK, "questions": {k: LS_BOOK["questions"][k] for k in ("Q1", "Q3")}}
    with pytest.raises(SurveyFormatError, match=r"line 2, column Quelle est votre situation / ac"):
        exports.load_export(path, book, COMMUNES)
    with pytest.raises(SurveyFormatError, match=r"missing column\(s\) Q2\[SQ001\].*question texts"):
        exports.load_export(path, LS_BOOK, COMMUNES)


@pytest.mark.filterwarnings("ignore:.*byte-order mark:UserWarning")
def test_an_other_answer_needs_an_other_code_in_the_codebook(tmp_path):
    book = copy.deepcopy(LS_BOOK)
    del book["questions"]["Q1"]["codes"]["-oth-"]
    path = limesurvey_csv(tmp_path, LS_FIXED + LS_CODES, LS_ANSWERS)
    with pytest.raises(SurveyFormatError, match=r"column Q1: LimeSurvey's answer '-oth-' .* line"):
        exports.load_export(path, book, COMMUNES)
    book["questions"]["Q1"]["codes"]["A9"] = "Autre"  # a code labelled « Autre » holds it
    assert load_limesurvey(path, book)[0].table["Q1"].tolist() == ["A1", "A9", "A2"]


def test_limesurvey_and_kobo_are_told_apart_by_their_own_columns():
    assert exports.detect_style(["ID de la réponse", "Votre avis / vos idées"]) == "limesurvey"
    assert exports.detect_style(["id. Response ID", "Q1. Avis / idées"]) == "limesurvey"
    assert exports.detect_style(["_id", "profil/Q1", "submitdate"]) == "kobo"
    assert exports.detect_style(["profil/Q1", "profil/Q2"]) == "kobo"
    assert exports.detect_style(["Q1", "Avis / idées"], declared="limesurvey") == "limesurvey"


# KoboToolbox ----------------------------------------------------------------------------------


@pytest.mark.parametrize("multiple", ["joined", "split", "both"])
@pytest.mark.parametrize("sep", [",", ";"])
def test_kobo_and_limesurvey_exports_of_the_same_answers_agree(tmp_path, multiple, sep):
    raw = demo_table(80)
    complete = raw[raw["lastpage"] == 4].reset_index(drop=True)  # Kobo keeps whole forms only
    lime = exports.load_export(write(tmp_path, complete, name="lime.csv"), CODEBOOK, COMMUNES)
    kobo_book = book(format=None)
    kobo_path = write(tmp_path, kobo_export(complete, multiple), sep=sep, name="kobo.csv")
    kobo = exports.load_export(kobo_path, kobo_book, COMMUNES)
    assert (lime.style, kobo.style) == ("limesurvey", "kobo")
    pd.testing.assert_frame_equal(lime.table, kobo.table)
    assert "_uuid" in kobo.dropped and "start" in kobo.dropped


def test_kobo_errors_name_the_kobo_column(tmp_path):
    raw = demo_table()
    complete = raw[raw["lastpage"] == 4].reset_index(drop=True)
    kobo = kobo_export(complete, "both")
    i = kobo.index[kobo["services/Q11_services/COWORK"] == "1"][0]
    kobo.loc[i, "services/Q11_services/COWORK"] = "0"
    with pytest.raises(
        SurveyFormatError,
        match=rf"line {i + 2}, column services/Q11_services: its codes disagree with the one-column",
    ):
        exports.read_export(write(tmp_path, kobo), book(format=None), COMMUNES)
    kobo = kobo_export(complete, "joined")
    kobo.loc[0, "services/Q11_services"] = "COWORK piscine"
    with pytest.raises(SurveyFormatError, match="line 2, column services/Q11_services: expected"):
        exports.read_export(write(tmp_path, kobo), book(format=None), COMMUNES)


def test_declared_style_must_match(tmp_path):
    complete = demo_table().query("lastpage == 4").reset_index(drop=True)
    with pytest.raises(SurveyFormatError, match="declares a limesurvey export.*looks like kobo"):
        exports.read_export(write(tmp_path, kobo_export(complete)), CODEBOOK, COMMUNES)


# Item non-response --------------------------------------------------------------------------


def test_answer_status_tells_skips_break_offs_and_filters_apart(tmp_path):
    raw = demo_table(200)
    table = exports.read_export(write(tmp_path, raw), CODEBOOK, COMMUNES)
    status = answer_status(table, CODEBOOK)
    partial = raw["lastpage"] < 3
    assert (status.loc[partial, "Q11_services"] == "not_reached").all()
    not_working = raw["Q04_statut"].isin(["A3", "A4", "A5", "A6"]) & (raw["lastpage"] >= 1)
    assert (status.loc[not_working, "Q05_teletravail"] == "not_applicable").all()
    skipped = (raw["Q13_prix_jour"] == "") & raw["Q10_intention"].isin(["A1", "A2"])
    skipped &= raw["lastpage"] >= 3
    assert skipped.any()
    assert (status.loc[skipped, "Q13_prix_jour"] == "non_response").all()
    summary = non_response(table, CODEBOOK).set_index("question")
    row = summary.loc["Q13_prix_jour"]
    assert row["asked"] == row["answered"] + row["non_response"]
    assert row["non_response"] == skipped.sum()
    assert summary["not_reached"].sum() > 0


# Property: the CSV reader ---------------------------------------------------------------------

NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,8}", fullmatch=True)
ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)
# Windows-1252 text: ASCII and accented letters (bytes ≥ 0xC0, which UTF-8 cannot mistake).
LATIN_TEXT = st.text(alphabet="abcXYZ 019,;\"'\n\r\t-àâçéèêëîïôùûüÀÂÇÉÈÊÔ", max_size=12)


@st.composite
def csv_files(draw):
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    sep = draw(st.sampled_from([",", ";"]))
    header = draw(st.lists(NAMES, min_size=2, max_size=5, unique_by=str.lower))
    text = LATIN_TEXT if encoding == "cp1252" else ANY_TEXT
    rows = draw(st.lists(st.lists(text, min_size=len(header), max_size=len(header)), max_size=6))
    # Exporters quote a field holding a line break; a minimal-quoting writer only does so for
    # the characters of its own line ending, so it gets "\r\n".
    quoting, ending = draw(
        st.sampled_from(
            [(csv.QUOTE_MINIMAL, "\r\n"), (csv.QUOTE_ALL, "\n"), (csv.QUOTE_ALL, "\r\n")]
        )
    )
    return encoding, sep, header, rows, quoting, ending


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files())
def test_csv_reader_round_trips_any_separator_encoding_and_text(spec):
    encoding, sep, header, rows, quoting, ending = spec
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=sep, lineterminator=ending, quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    raw = buffer.getvalue().encode(encoding)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        text, _ = decode(raw)
    assert separator(text) == sep
    got_header, records = read_records(text, sep)
    assert got_header == header
    # Rows of empty strings only are blank lines when there is a single column: not here.
    assert [fields for _, fields in records] == rows
    expected, line = [], 2
    for row in rows:
        expected.append(line)
        line += 1 + sum(len(re.findall(r"\r\n|\r|\n", f)) for f in row)
    assert [line for line, _ in records] == expected
