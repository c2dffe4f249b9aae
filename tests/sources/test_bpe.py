"""INSEE's BPE detail file, read as published: one `;` CSV (quoted fields) inside BPE<yy>.zip."""

import warnings
import zipfile

import pytest

from pipeline.core.validate import InputWarning
from pipeline.sources import bpe

HEADER = '"AN";"NOMRS";"DEPCOM";"DEP";"TYPEQU";"LAMBERT_X";"LAMBERT_Y";"LONGITUDE";"LATITUDE"'
ROWS = [
    '"2025";"FRANCE SERVICES DU PRECHEUR";"97219";"972";"A128";"703000.00";"1633000.00";"-61.2243";"14.8010"',
    '"2025";"CABINET MEDICAL";"97219";"972";"D265";"703100.00";"1633100.00";"-61.2239";"14.8017"',
    '"2025";"PHARMACIE";"97210";"972";"D307";"_Z";"_Z";"_Z";"_Z"',
    '"2025";"MAIRIE";"01001";"01";"A129";"870000.00";"6570000.00";"4.9190";"46.1530"',
    '"2025";"BUREAU DE POSTE";"75104";"75";"A206";"652000.00";"6862000.00";"2.3522";"48.8566"',
]


def write_zip(tmp_path, rows, member="BPE25.csv", name="BPE25.zip"):
    path = tmp_path / name
    text = "\n".join([HEADER, *rows]) + "\n"
    path.write_bytes(bpe.zip_csv(member, text.encode("utf-8")))
    return path


def test_official_names():
    assert bpe.bpe_file(2025) == "BPE25.zip" and bpe.bpe_member(2025) == "BPE25.csv"


def test_territory_rows_with_arrondissements_and_unplaced_facilities(tmp_path):
    path = write_zip(tmp_path, ROWS)
    with pytest.warns(
        InputWarning, match=r"1 facilities without coordinates set aside \(lines 4\)"
    ):
        table = bpe.read_bpe(path, ["97219", "97210", "75056"])
    assert table["commune"].tolist() == ["97219", "97219", "75056"]  # Paris 4e -> Paris
    assert table["typequ"].tolist() == ["A128", "D265", "A206"]
    assert table["line"].tolist() == [2, 3, 6]
    assert table["lon"].iloc[0] == pytest.approx(-61.2243)
    assert table["nom"].iloc[0] == "FRANCE SERVICES DU PRECHEUR"


def test_plain_csv_is_read_too(tmp_path):
    path = tmp_path / "BPE25.csv"
    path.write_text("\n".join([HEADER, ROWS[0]]) + "\n", encoding="utf-8")
    assert bpe.read_bpe(path, ["97219"])["typequ"].tolist() == ["A128"]


def test_extract_keeps_every_column_and_the_official_layout(tmp_path):
    path = write_zip(tmp_path, ROWS)
    extract = tmp_path / "out" / "BPE25.zip"
    extract.parent.mkdir()
    extract.write_bytes(bpe.territory_extract(path, ["97219"], 2025))
    with zipfile.ZipFile(extract) as zf:
        assert zf.namelist() == ["BPE25.csv"]
        lines = zf.read("BPE25.csv").decode("utf-8").splitlines()
    assert lines == [HEADER, *ROWS[:2]]
    assert bpe.territory_extract(path, ["97219"], 2025) == extract.read_bytes()  # deterministic


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([ROWS[0].replace('"-61.2243"', '"-61,2243"')],
         r"BPE25\.zip \(BPE25\.csv\), line 2, column LONGITUDE: expected a number"),
        ([ROWS[0].replace('"A128"', '"FS"')],
         r"line 2, column TYPEQU: expected a facility type"),
        ([ROWS[1], ROWS[0].replace('"14.8010"', '"95"')], r"line 3, column LATITUDE"),
    ],
)  # fmt: skip
def test_bad_values_name_file_line_and_column(tmp_path, rows, message):
    with pytest.raises(bpe.BpeFormatError, match=message):
        bpe.read_bpe(write_zip(tmp_path, rows), ["97219"])


def test_bad_layouts_are_refused(tmp_path):
    with pytest.raises(bpe.BpeFormatError, match=r"line 1: column\(s\) LONGITUDE missing"):
        path = tmp_path / "a.csv"
        path.write_text(HEADER.replace('"LONGITUDE"', '"LON"') + "\n", encoding="utf-8")
        bpe.read_bpe(path, ["97219"])
    with pytest.raises(bpe.BpeFormatError, match="expected columns separated by ';'"):
        path = tmp_path / "b.csv"
        path.write_text(HEADER.replace(";", ",") + "\n", encoding="utf-8")
        bpe.read_bpe(path, ["97219"])
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as zf:
        zf.writestr("BPE25.csv", HEADER)
        zf.writestr("other.csv", HEADER)
    with pytest.raises(bpe.BpeFormatError, match="expected one CSV member"):
        bpe.read_bpe(two, ["97219"])
    (tmp_path / "cut.zip").write_bytes(write_zip(tmp_path, ROWS).read_bytes()[:40])
    with pytest.raises(bpe.BpeFormatError, match="not a readable zip file"):
        bpe.read_bpe(tmp_path / "cut.zip", ["97219"])
    with pytest.raises(FileNotFoundError, match="BPE file not found"):
        bpe.read_bpe(tmp_path / "none.zip", ["97219"])


def test_no_warning_when_every_facility_is_placed(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(bpe.read_bpe(write_zip(tmp_path, ROWS[:2]), ["97219"])) == 2
