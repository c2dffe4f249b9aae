import numpy as np
import pandas as pd
import pytest

from pipeline import survey
from pipeline.demo.survey import CODEBOOK
from pipeline.demo.survey import respondents as demo_respondents

COMMUNES = ["97225", "97204"]


def export(tmp_path, rows=None, sep=";", encoding="utf-8"):
    communes = pd.DataFrame(
        {"code": COMMUNES, "population": [4000, 3700], "in_study_zone": [True, False]}
    )
    table = rows if rows is not None else demo_respondents(communes, 60, np.random.default_rng(1))
    path = tmp_path / "export.csv"
    path.write_bytes(table.to_csv(sep=sep, index=False).encode(encoding))
    return path, table


def test_read_export_validates_and_drops_identifiers(tmp_path):
    path, raw = export(tmp_path)
    table = survey.read_export(path, CODEBOOK, COMMUNES)
    assert len(table) == 60
    assert "Q12_email" not in table.columns and "Q11_commentaire" not in table.columns
    assert not table.apply(lambda c: c.astype(str).str.contains("@").any()).any()


def test_comma_separator_and_latin1_are_read_with_a_warning(tmp_path):
    path, _ = export(tmp_path, sep=",", encoding="cp1252")
    with pytest.warns(UserWarning, match="not UTF-8"):
        table = survey.read_export(path, CODEBOOK, COMMUNES)
    assert len(table) == 60


def test_bad_code_names_line_and_column(tmp_path):
    _, raw = export(tmp_path)
    raw.loc[4, "Q06_interet"] = "7"
    path, _ = export(tmp_path, raw)
    with pytest.raises(
        survey.SurveyFormatError,
        match=r"line 6, column Q06_interet: expected one of 1, 2, 3, 4, found '7'",
    ):
        survey.read_export(path, CODEBOOK, COMMUNES)


def test_unknown_commune_and_duplicated_id(tmp_path):
    _, raw = export(tmp_path)
    bad = raw.copy()
    bad.loc[0, "Q01_commune"] = "75056"
    with pytest.raises(
        survey.SurveyFormatError, match="line 2, column Q01_commune: expected an INSEE code"
    ):
        survey.read_export(export(tmp_path, bad)[0], CODEBOOK, COMMUNES)
    dup = raw.copy()
    dup.loc[3, "id"] = dup.loc[2, "id"]
    with pytest.raises(survey.SurveyFormatError, match="line 5, column id: duplicated id"):
        survey.read_export(export(tmp_path, dup)[0], CODEBOOK, COMMUNES)


def test_out_of_range_number_and_missing_column(tmp_path):
    _, raw = export(tmp_path)
    bad = raw.copy()
    idx = bad.index[bad["Q09_prix_jour"] != ""][0]
    bad.loc[idx, "Q09_prix_jour"] = "500"
    with pytest.raises(
        survey.SurveyFormatError, match=f"line {idx + 2}, column Q09_prix_jour: expected a number"
    ):
        survey.read_export(export(tmp_path, bad)[0], CODEBOOK, COMMUNES)
    with pytest.raises(survey.SurveyFormatError, match=r"missing column\(s\) Q05_teletravail"):
        survey.read_export(
            export(tmp_path, raw.drop(columns="Q05_teletravail"))[0], CODEBOOK, COMMUNES
        )


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(survey.SurveyFormatError, match="empty"):
        survey.read_export(path, CODEBOOK, COMMUNES)


def test_codebook_needs_codes(tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text("questions:\n  Q1: {type: single}\n")
    with pytest.raises(survey.SurveyFormatError, match="Q1: a single question needs 'codes'"):
        survey.read_codebook(path)


def test_raking_hits_the_margins():
    rng = np.random.default_rng(3)
    table = pd.DataFrame(
        {
            "id": range(500),
            "Q03_age": rng.choice(["A1", "A2"], 500, p=[0.8, 0.2]),
            "Q02_sexe": rng.choice(["A1", "A2"], 500, p=[0.3, 0.7]),
        }
    )
    margins = {"Q03_age": {"A1": 0.4, "A2": 0.6}, "Q02_sexe": {"A1": 0.5, "A2": 0.5}}
    weights = survey.rake(table, margins)
    assert weights.mean() == pytest.approx(1.0)
    for var, levels in margins.items():
        for code, share in levels.items():
            assert weights[table[var] == code].sum() / weights.sum() == pytest.approx(
                share, abs=1e-3
            )
    assert survey.design_effect(weights) > 1.0


def test_design_effect_of_equal_weights_is_one():
    assert survey.design_effect(pd.Series([2.0] * 10)) == pytest.approx(1.0)
    assert survey.design_effect(pd.Series([1.0, 3.0])) == pytest.approx(2 * 10 / 16)


def test_estimates_have_ordered_intervals():
    flags = pd.DataFrame({"x": [1, 0, 1, 1, 0, 1, 0, 1, 1, 1]})
    est = survey.estimates(flags, pd.Series([1.0] * 10), {"x": "X"}, 0.95).iloc[0]
    assert est["unweighted"] == pytest.approx(0.7)
    assert est["weighted"] == pytest.approx(0.7)
    assert est["ci_low"] < 0.7 < est["ci_high"]


def test_small_cells_are_suppressed():
    table = pd.DataFrame({"n": [5, 20], "weighted": [0.3, 0.4]})
    out = survey.suppress_small(table, "n", 11, ["weighted"])
    assert out["weighted"].isna().tolist() == [True, False]
    assert out["suppressed"].tolist() == [True, False]
