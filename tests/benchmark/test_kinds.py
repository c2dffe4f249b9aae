"""Kinds of comparable places (tiers-lieux, incubators, innovation labs) and their private
funding: the grid's optional columns, the demo generator, the per-kind table and the lesson a
call for tenders asks for."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from test_benchmark import HEADER, MIX_HEADER, ROWS, references, write

from pipeline.benchmark import comparison, grid, lessons, views
from pipeline.benchmark.build import build
from pipeline.core.phase import Phase
from pipeline.core.validate import InputFileError
from pipeline.demo import benchmark as demo

KINDS_HEADER = MIX_HEADER + ",type_lieu,part_financement_prive"
# Two tiers-lieux and three incubators; private share last.
KIND_ROWS = [
    "A,Bourg X,bourg,100,coworking|fablab,10,100,2,200000,0.6,association,2015,"
    "0.2,0.15,0.03,tiers-lieu,0.02",
    "B,Commune Y,rural,200,coworking,14,,1.5,100000,0.4,SCIC,2018,0.3,0.2,0.06,,0.04",
    "C,Ville Z,ville moyenne,400,project_support|training,20,200,4,420000,0.2,association,2020,"
    "0.2,0.25,0.05,incubateur,0.3",
    "D,Ville W,ville moyenne,300,project_support,,,3,300000,0.3,SAS,2016,0.1,0.4,0,incubateur,0.2",
    "E,Bourg V,bourg,500,coworking|project_support,18,180,5,500000,0.4,SAS,2012,"
    "0.2,0.25,0.05,incubateur,0.1",
]
CALL = ["incubateur", "laboratoire d'innovation"]


def kinds_bench(tmp_path, rows=KIND_ROWS):
    return grid.read_benchmark(write(tmp_path, *rows, header=KINDS_HEADER, name="kinds.csv"))


def test_the_kind_and_the_private_share_are_read(tmp_path):
    bench = kinds_bench(tmp_path)
    assert bench["kind"].tolist() == ["tiers-lieu"] * 2 + ["incubateur"] * 3  # empty: tiers-lieu
    assert bench["private_share"].tolist() == [0.02, 0.04, 0.3, 0.2, 0.1]
    own = comparison.positioning(bench)["own_share"]
    np.testing.assert_allclose(own, [0.38, 0.56, 0.5, 0.5, 0.5])


def test_a_file_with_the_private_share_and_no_revenue_mix_is_read(tmp_path):
    path = write(
        tmp_path, ROWS[0] + ",0.1", ROWS[1] + ",", header=HEADER + ",part_financement_prive"
    )
    bench = grid.read_benchmark(path)
    assert bench["private_share"].iloc[0] == 0.1 and np.isnan(bench["private_share"].iloc[1])
    assert bench["spaces_share"].isna().all() and (bench["kind"] == "tiers-lieu").all()


def test_a_bad_kind_is_refused_naming_line_and_column(tmp_path):
    rows = [KIND_ROWS[0], KIND_ROWS[2].replace(",incubateur,", ",pépinière,")]
    with pytest.raises(InputFileError) as error:
        kinds_bench(tmp_path, rows)
    assert (
        "line 3, column 'type_lieu': expected one of: tiers-lieu, incubateur, "
        "laboratoire d'innovation or nothing, found text of 9 characters (letters)"
    ) in str(error.value)
    assert "pépinière" not in str(error.value)  # a refused value is never quoted


def test_a_funding_mix_not_adding_up_is_refused_naming_line_and_columns(tmp_path):
    rows = [
        KIND_ROWS[0],
        KIND_ROWS[2].removesuffix("0.3") + "0.4",  # 0.2 + 0.4 + 0.5 = 1.1
        KIND_ROWS[3].removesuffix("0.2"),  # a revenue mix without its private share
    ]
    with pytest.raises(InputFileError) as error:
        kinds_bench(tmp_path, rows)
    message = str(error.value)
    expected = (
        "expected part_financement_public, part_financement_prive (when its column is there) "
        "and the part_recettes_espaces, part_recettes_prestations, part_recettes_animation "
        "shares all given and adding up to 1 (within 0.02)"
    )
    assert f"line 3: {expected}" in message and f"line 4: {expected}" in message
    assert "line 2" not in message


def test_public_and_private_funding_beyond_the_whole_is_refused(tmp_path):
    path = write(
        tmp_path, ROWS[0] + ",0.5", ROWS[1] + ",0.5", header=HEADER + ",part_financement_prive"
    )
    with pytest.raises(InputFileError) as error:
        grid.read_benchmark(path)
    message = str(error.value)
    assert (
        "line 2: expected part_financement_public plus part_financement_prive of at most 1"
    ) in message  # 0.6 + 0.5
    assert "line 3" not in message  # 0.4 + 0.5


def test_kinds_table_matches_the_hand_computed_medians(tmp_path):
    kinds = comparison.by_kind(kinds_bench(tmp_path)).set_index("kind")
    assert list(kinds.index) == ["tiers-lieu", "incubateur"]  # kinds absent are left out
    tiers = kinds.loc["tiers-lieu"]
    assert tiers["places"] == 2 and tiers["surface_m2"] == 150 and tiers["fte"] == 1.75
    assert tiers["revenue_eur"] == 150_000 and tiers["public_share"] == pytest.approx(0.5)
    assert tiers["private_share"] == pytest.approx(0.03)
    assert tiers["own_share"] == pytest.approx(0.47)
    assert tiers["legal_form"] == "association"  # a tie goes to the first legal form
    incubators = kinds.loc["incubateur"]
    assert incubators[["places", "surface_m2", "fte", "revenue_eur"]].tolist() == [
        3,
        400,
        4,
        420_000,
    ]
    assert incubators[["public_share", "private_share", "own_share"]].tolist() == pytest.approx(
        [0.3, 0.2, 0.5]
    )
    assert incubators["legal_form"] == "SAS"
    shown = views.kinds_table(kinds.reset_index()).set_index("Type de lieu")
    assert shown.loc["Incubateur", "Part privée"] == "20\u202f%"
    assert shown.loc["Tiers-lieu", "Chiffre d'affaires"] == "150\u202f000\u00a0€"


def test_summary_gives_the_median_private_share(tmp_path):
    summary = comparison.summary(kinds_bench(tmp_path), references(), "€").set_index("indicator")
    # over the two tiers-lieux only: the national references describe tiers-lieux
    assert summary.loc["private_share", ["value", "n"]].tolist() == [pytest.approx(0.03), 2]
    incubators = kinds_bench(tmp_path, KIND_ROWS[2:])  # no tiers-lieu: every place counts
    alone = comparison.summary(incubators, references(), "€").set_index("indicator")
    assert alone.loc["private_share", ["value", "n"]].tolist() == [pytest.approx(0.2), 3]
    old = comparison.summary(grid.read_benchmark(write(tmp_path, *ROWS)), references(), "€")
    assert old.set_index("indicator").loc["private_share", "n"] == 0  # not given: no value


def test_the_call_lesson_appears_only_with_a_call_and_follows_the_numbers(tmp_path):
    bench = kinds_bench(tmp_path)
    summary = comparison.summary(bench, references(), "€")
    assert "call_kinds" not in set(lessons.lessons(summary, bench)["indicator"])
    drawn = lessons.lessons(summary, bench, CALL).set_index("indicator")
    text = drawn.loc["call_kinds", "lesson"]
    assert drawn.loc["call_kinds", "theme"] == "Financement"
    assert text.startswith(
        "L'appel d'offres demande de comparer des incubateurs et des laboratoires d'innovation."
    )
    assert (
        "incubateurs (3 lieux), 20\u202f% de financements privés et 30\u202f% de financements "
        "publics, soit 17 points de plus en financements privés et 20 points de moins en "
        "financements publics que les tiers-lieux"
    ) in text
    assert "aucun laboratoire d'innovation dans la grille" in text
    assert "tiers-lieux (2 lieux), 3\u202f% de financements privés et 50\u202f%" in text
    # More public money for the incubators: the lesson turns.
    public = "I,Ville Z,ville moyenne,400,project_support,,,4,420000,0.6,SAS,2020,0.1,0.15,0.05"
    rows = [*KIND_ROWS[:2], *(public.replace("I,", f"{n},", 1) + ",incubateur,0.1" for n in "CD")]
    text = lessons.call_kinds_lesson(comparison.by_kind(kinds_bench(tmp_path, rows)), CALL)
    assert (
        "incubateurs (2 lieux), 10\u202f% de financements privés et 60\u202f% de financements "
        "publics, soit 7 points de plus en financements privés et 10 points de plus en "
        "financements publics"
    ) in text["lesson"]


def test_build_draws_the_call_lesson_from_the_territory(tmp_path):
    raw = tmp_path / "data" / "raw"
    (raw / "demo").mkdir(parents=True)
    write(raw / "demo", *KIND_ROWS, header=KINDS_HEADER)
    references().rename(
        columns={"indicator": "indicateur", "value": "valeur", "unit": "unite", "year": "annee"}
    ).assign(annee=lambda t: t["annee"].astype(int)).to_csv(raw / grid.REFERENCES_FILE, index=False)

    def lessons_of(territory):
        params = {"benchmark": {"price_day_unit": "€"}}
        tables = build(Phase("06_benchmark", params, {"key": "demo", **territory}, tmp_path))
        assert tables["benchmark_kinds"]["kind"].tolist() == ["tiers-lieu", "incubateur"]
        assert {"kind", "private_share"} <= set(tables["benchmark"])
        return set(tables["benchmark_lessons"]["indicator"])

    assert "call_kinds" not in lessons_of({})
    assert "call_kinds" not in lessons_of({"call": {"benchmark_kinds": []}})
    assert "call_kinds" in lessons_of({"call": {"benchmark_kinds": CALL}})


def demo_file(tmp_path, territory, rows=10, seed=7):
    ctx = SimpleNamespace(out_dir=tmp_path, demo={"benchmark_rows": rows}, territory=territory)
    (path,) = demo.write(ctx, np.random.default_rng(seed))
    return path


def test_demo_with_a_call_writes_the_kinds_asked(tmp_path):
    path = demo_file(tmp_path, {"call": {"benchmark_kinds": CALL}})
    bench = grid.read_benchmark(path)  # a valid grid
    counts = bench["kind"].value_counts().to_dict()
    assert counts == {"tiers-lieu": 6, "incubateur": 2, "laboratoire d'innovation": 2}
    others = bench[bench["kind"] != "tiers-lieu"]
    assert not set(others["name"]) & set(demo.NAMES)  # names of their own
    incubators = bench[bench["kind"] == "incubateur"]
    assert (
        incubators["functions"]
        .map(lambda f: {"project_support", "training", "coworking"} <= set(f.split("|")))
        .all()
    )
    labs = bench[bench["kind"] == "laboratoire d'innovation"]
    assert labs["functions"].map(lambda f: {"fablab", "project_support"} <= set(f.split("|"))).all()
    again = demo_file(tmp_path / "again", {"call": {"benchmark_kinds": CALL}})
    assert again.read_bytes() == path.read_bytes()  # deterministic


def test_demo_without_a_call_writes_tiers_lieux_with_both_columns(tmp_path):
    path = demo_file(tmp_path, {})
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"type_lieu", "part_financement_prive"} <= set(header)
    assert set(pd.read_csv(path)["type_lieu"]) == {"tiers-lieu"}
    only = grid.read_benchmark(demo_file(tmp_path / "one", {"call": {"benchmark_kinds": CALL[:1]}}))
    assert set(only["kind"]) == {"tiers-lieu", "incubateur"}


def test_demo_profiles_differ_in_funding():
    table = demo.rows(300, np.random.default_rng(2), CALL)
    means = table.groupby("type_lieu")[["part_financement_public", "part_financement_prive"]].mean()
    assert means.loc["tiers-lieu", "part_financement_prive"] < 0.05  # a few percent
    assert (
        means.loc["incubateur", "part_financement_prive"]
        > 3 * means.loc["tiers-lieu", "part_financement_prive"]
    )
    assert (
        means.loc["laboratoire d'innovation", "part_financement_public"]
        > means.loc["tiers-lieu", "part_financement_public"] + 0.1
    )
    services = table.groupby("type_lieu")["part_recettes_prestations"].mean()
    assert services["incubateur"] > services["tiers-lieu"]
    assert demo.call_kinds_count(8, CALL) == 3 and demo.call_kinds_count(1, CALL) == 0


def test_the_gaps_of_the_lesson_are_those_of_the_percentages_shown():
    kinds = pd.DataFrame(
        {
            "kind": ["tiers-lieu", "incubateur"],
            "places": [5, 2],
            "public_share": [0.75, (0.44 + 0.55) / 2],  # 49.5 %, shown 50 %
            "private_share": [0.03, 0.16],
        }
    )
    text = lessons.call_kinds_lesson(kinds, ["incubateur"])["lesson"]
    assert "incubateurs (2 lieux), 16\u202f% de financements privés et 50\u202f%" in text
    assert "13 points de plus en financements privés et 25 points de moins" in text
    assert text.startswith("L'appel d'offres demande de comparer des incubateurs. ")
