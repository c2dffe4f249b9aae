"""ARCEP's eligibility by commune and technology (commune_techno.csv), read as published."""

import pytest

from pipeline.core.validate import InputFileError
from pipeline.sources.broadband import read_broadband

HEADER = (
    "code_insee;nom_com;code_dep;code_reg;nbr;type;elig_ftth;elig_coax;elig_cu;elig_thdr;"
    "elig_4gf;elig_hdr;elig_sat;date"
)
ROWS = [
    "01001;L'Abergement-Clémenciat;01;84;450;all;430;0;420;0;300;0;450;2026-03-31",
    "97209;Fort-de-France;972;02;50000;all;47500;0;45000;0;20000;0;50000;2026-03-31",
    "97219;Le Prêcheur;972;02;1000;all;200;0;900;0;600;0;1000;2026-03-31",
    "97225;Saint-Pierre;972;02;0;all;0;0;0;0;0;0;0;2026-03-31",
]


def write(tmp_path, rows, header=HEADER):
    path = tmp_path / "commune_techno.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_ftth_share_of_the_territory_communes(tmp_path):
    table = read_broadband(write(tmp_path, ROWS), ["97209", "97219", "97225", "97230"])
    assert table["code_insee"].tolist() == ["97209", "97219", "97225"]  # 97230: not in the file
    assert table["ftth_share"].iloc[:2].tolist() == [0.95, 0.2]
    assert table["ftth_share"].isna().iloc[2]  # no premises: coverage unknown
    assert table["date"].iloc[0] == "2026-03-31"


def test_only_the_territory_rows_are_checked(tmp_path):
    rows = [ROWS[0].replace(";430;", ";abc;"), *ROWS[1:]]
    assert len(read_broadband(write(tmp_path, rows), ["97209"])) == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (ROWS[1].replace(";47500;", ";x;"), r"line 2.*elig_ftth"),
        (ROWS[1].replace(";47500;", ";60000;"), r"line 2.*elig_ftth at most nbr"),
    ],
)
def test_bad_rows_name_file_line_and_column(tmp_path, row, message):
    with pytest.raises(InputFileError, match=message):
        read_broadband(write(tmp_path, [row]), ["97209"])


def test_bad_layouts_are_refused(tmp_path):
    with pytest.raises(InputFileError, match=r"line 1: column code_insee missing"):
        read_broadband(write(tmp_path, ROWS, HEADER.replace("code_insee", "insee")), ["97209"])
    with pytest.raises(InputFileError, match=r"line 3, column code_insee: commune listed twice"):
        read_broadband(write(tmp_path, [ROWS[1], ROWS[1]]), ["97209"])
    with pytest.raises(InputFileError, match="elig_ftth"):
        read_broadband(write(tmp_path, ROWS, HEADER.replace("elig_ftth", "ftth")), ["97209"])
