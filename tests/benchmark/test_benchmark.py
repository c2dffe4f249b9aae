from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from pipeline.benchmark import comparison, grid, lessons, views
from pipeline.benchmark.build import build
from pipeline.core import vocabulary
from pipeline.core.config import ROOT
from pipeline.core.phase import Phase
from pipeline.core.settings import ConfigError, check
from pipeline.core.validate import InputFileError, InputWarning
from pipeline.demo import benchmark as demo

HEADER = (
    "nom,territoire,type_territoire,surface_m2,fonctions,prix_jour_eur,prix_mois_eur,etp,"
    "chiffre_affaires_eur,part_financement_public,forme_juridique,annee_ouverture"
)
ROWS = [
    "A,Bourg X,bourg,100,coworking|fablab,10,100,2,200000,0.6,association,2015",
    "B,Commune Y,rural,200,coworking,14,,1.5,100000,0.4,SCIC,2018",
    "C,Ville Z,ville moyenne,400,digital_mediation|training,20,200,4,420000,0.2,association,2020",
]


def write(tmp_path, *rows, name=grid.BENCHMARK_FILE, header=HEADER):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def references():
    return pd.DataFrame(
        {
            "indicator": [
                "prix_coworking_jour_min",
                "prix_coworking_jour_max",
                "prix_coworking_mois_rural",
                "prix_coworking_mois_max",
                "chiffre_affaires_moyen",
                "part_subventions_publiques",
                "part_association",
                "part_bureaux_partages",
                "part_fablab",
                "part_recettes_propres",
            ],
            "value": [10, 26, 60, 350, 250_000, 0.5, 0.51, 0.55, 0.28, 0.5],
            "unit": ["€"] * 10,
            "year": [2016.0] * 4 + [2023.0, 2021.0, 2023.0, 2023.0, 2023.0, 2021.0],
            "source": ["zevillage"] * 4
            + ["Panorama"]
            + ["Rapport 2021"]
            + ["Panorama"] * 3
            + ["Rapport 2021"],
        }
    )


def test_benchmark_is_read_with_english_names_and_numbers(tmp_path):
    bench = grid.read_benchmark(write(tmp_path, *ROWS))
    assert list(bench.columns) == [
        *grid.COLUMNS.values(),
        "kind",
        "private_share",
        *grid.REVENUE_MIX.values(),
    ]
    assert bench["spaces_share"].isna().all()  # the revenue mix is optional
    assert bench["private_share"].isna().all()  # so is the private share
    assert (bench["kind"] == "tiers-lieu").all()  # no type_lieu column: all tiers-lieux
    assert bench["revenue_eur"].tolist() == [200000, 100000, 420000]
    assert np.isnan(bench.loc[1, "price_month_eur"])  # an empty price is allowed


def test_bad_benchmark_rows_name_line_column_and_value(tmp_path):
    path = write(
        tmp_path,
        ROWS[0],
        "B,Commune Y,campagne,200,coworking|karaoke,14,,1.5,100000,1.4,SCIC,2018.5",
    )
    with pytest.raises(InputFileError) as error:
        grid.read_benchmark(path)
    message = str(error.value)
    assert message.startswith(f"{path}: 4 problem(s)")
    assert (
        "line 3, column 'type_territoire': expected one of: rural, bourg, ville moyenne, "
        "found text of 8 characters (letters)"
    ) in message
    assert "line 3, column 'fonctions'" in message and "karaoke" not in message
    assert (
        "line 3, column 'part_financement_public': expected a number (decimal point) "
        "between 0 and 1, found a number of 2 digits"
    ) in message
    assert "line 3, column 'annee_ouverture': expected a whole number" in message


def test_a_header_alone_reads_as_no_comparable_place(tmp_path):
    with pytest.warns(InputWarning, match="holds no place .*: read as no comparable place"):
        bench = grid.read_benchmark(write(tmp_path))
    assert bench.empty and "revenue_eur" in bench
    summary = comparison.summary(bench, references(), "€ HT / jour")
    assert summary["value"].isna().all()
    assert comparison.positioning(bench).empty and lessons.lessons(summary, bench).empty


def test_positioning_ratios(tmp_path):
    table = comparison.positioning(grid.read_benchmark(write(tmp_path, *ROWS)))
    assert table["revenue_per_m2"].tolist() == [2000, 500, 1050]
    assert table["revenue_per_fte"].tolist() == [100000, 100000 / 1.5, 105000]
    assert table["n_functions"].tolist() == [2, 1, 2]
    assert table["has_fablab"].tolist() == [True, False, False]


def test_summary_medians_and_comparison_with_references(tmp_path):
    bench = grid.read_benchmark(write(tmp_path, *ROWS))
    summary = comparison.summary(bench, references(), "€ HT / jour").set_index("indicator")
    assert summary.loc["price_day", "value"] == 14
    assert summary.loc["price_day", "unit"] == "€ HT / jour"
    assert summary.loc["price_month", ["value", "n"]].tolist() == [150, 2]  # empty price skipped
    assert summary.loc["revenue_mean", "value"] == pytest.approx(240000)
    assert summary.loc["revenue_per_m2", "value"] == 1050
    assert summary.loc["public_share", "value"] == 0.4
    assert summary.loc["association_share", "value"] == pytest.approx(2 / 3)
    assert summary.loc["price_day", "position"] == "dans la fourchette de référence"
    assert summary.loc["revenue_mean", "position"] == "comparable à la référence"  # -4 %
    assert summary.loc["public_share", "position"] == "inférieur à la référence"  # -20 %
    assert summary.loc["association_share", "position"] == "supérieur à la référence"
    assert summary.loc["revenue_per_m2", "position"] == ""
    assert summary.loc["public_share", "reference_source"] == "Rapport 2021"


def test_position_against_a_value_or_a_range():
    assert comparison.position(115, 100, 100) == "comparable à la référence"
    assert comparison.position(116, 100, 100) == "supérieur à la référence"
    assert comparison.position(84, 100, 100) == "inférieur à la référence"
    assert comparison.position(30, 10, 26) == "supérieur à la référence"
    assert comparison.position(float("nan"), 10, 26) == ""


def test_a_missing_reference_is_named(tmp_path):
    bench = grid.read_benchmark(write(tmp_path, *ROWS))
    refs = references()
    with pytest.raises(KeyError, match="part_fablab"):
        comparison.summary(bench, refs[refs["indicator"] != "part_fablab"], "€")


def test_the_real_reference_file_is_valid_and_has_every_figure_used():
    refs = grid.read_references(ROOT / "data" / "raw" / grid.REFERENCES_FILE)
    used = {key for spec in comparison.indicators("€") for key in (spec["reference"] or ())}
    assert used <= set(refs["indicator"])
    known = refs.set_index("indicator")["value"]
    assert known["chiffre_affaires_moyen"] == 250_000
    assert known["part_association"] == 0.51
    assert refs["source"].str.len().gt(0).all()


def test_summary_table_formats_in_french(tmp_path):
    bench = grid.read_benchmark(write(tmp_path, *ROWS))
    table = views.summary_table(comparison.summary(bench, references(), "€ HT / jour"))
    row = table.set_index("Indicateur").loc["Prix d'une journée de coworking (médiane)"]
    assert row["Valeur observée"] == "14\u00a0€ HT / jour"
    assert row["Référence nationale"] == "10 à 26\u00a0€ HT / jour"
    public = table.set_index("Indicateur").loc["Part des financements publics (médiane)"]
    assert public["Valeur observée"] == "40\u202f%"  # Babel: narrow no-break space


def test_demo_benchmark_file_is_valid_and_calibrated(tmp_path):
    ctx = SimpleNamespace(out_dir=tmp_path, demo={"benchmark_rows": 40}, territory={})
    (path,) = demo.write(ctx, np.random.default_rng(3))
    bench = grid.read_benchmark(path)
    assert len(bench) == 40 and bench["name"].is_unique
    assert 150_000 < bench["revenue_eur"].mean() < 350_000  # Panorama 2023: about 250 k€
    assert 0.35 < bench["public_share"].mean() < 0.65  # about half public funding
    assert (bench["legal_form"] == "association").mean() > 0.4
    assert (bench["kind"] == "tiers-lieu").all()  # no call for tenders: tiers-lieux only
    assert bench["private_share"].between(0.01, 0.06).all()  # a few percent


MIX_HEADER = HEADER + ",part_recettes_espaces,part_recettes_prestations,part_recettes_animation"


def test_revenue_mix_is_read_and_must_add_up_with_public_funding(tmp_path):
    good = write(
        tmp_path,
        ROWS[0] + ",0.2,0.15,0.05",
        ROWS[1] + ",,,",
        header=MIX_HEADER,
    )
    bench = grid.read_benchmark(good)
    assert bench.loc[0, ["spaces_share", "services_share", "events_share"]].tolist() == [
        0.2,
        0.15,
        0.05,
    ]
    assert bench.loc[1, ["spaces_share", "services_share", "events_share"]].isna().all()
    bad = write(
        tmp_path,
        ROWS[0] + ",0.3,0.3,0.3",
        ROWS[1] + ",0.6,,",
        header=MIX_HEADER,
        name="bad.csv",
    )
    with pytest.raises(InputFileError) as error:
        grid.read_benchmark(bad)
    message = str(error.value)
    assert (
        "line 2: expected part_financement_public, part_financement_prive (when its column is "
        "there) and the part_recettes_espaces, part_recettes_prestations, "
        "part_recettes_animation shares all given and adding up to 1"
    ) in message
    assert "line 3: expected part_financement_public, part_financement_prive" in message


def test_lessons_are_computed_from_the_table(tmp_path):
    bench = grid.read_benchmark(write(tmp_path, *ROWS))
    summary = comparison.summary(bench, references(), "€ HT / jour")
    drawn = lessons.lessons(summary, bench).set_index("indicator")
    assert drawn.loc["price_day", "lesson"] == (
        "Prix d'une journée de coworking (médiane) : 14\u00a0€ HT / jour (3 lieux), dans la "
        "fourchette de référence ; référence nationale : 10 à 26\u00a0€ HT / jour "
        "(2016, zevillage)."
    )
    assert "40\u202f% (3 lieux), inférieur à la référence" in drawn.loc["public_share", "lesson"]
    assert drawn.loc["revenue_per_m2", "theme"] == "Modèle économique"
    # Median surface 200 m² x median revenue per m² 1 050 € = 210 000 €, with 2 FTE.
    assert "(200 m²)" in drawn.loc["typical_place", "lesson"]
    assert "210\u202f000\u00a0€" in drawn.loc["typical_place", "lesson"]
    assert "entre 2015 et 2020 (médiane : 2018)" in drawn.loc["opening_years", "lesson"]
    assert "spaces_share" not in drawn.index  # no revenue mix given: no lesson about it
    assert list(dict.fromkeys(drawn["theme"]))[0] == "Tarifs"


def test_demo_benchmark_covers_every_function_and_keeps_the_territory_mix(tmp_path):
    table = demo.rows(8, np.random.default_rng(5))
    functions = set("|".join(table["fonctions"]).split("|"))
    assert functions == set(demo.FUNCTIONS)
    assert table["type_territoire"].value_counts().to_dict() == {
        "rural": 3,
        "bourg": 3,
        "ville moyenne": 2,
    }
    mix = table[["part_financement_public", grid.PRIVATE, *grid.REVENUE_MIX]].sum(axis=1)
    np.testing.assert_allclose(mix, 1.0, atol=1e-9)
    no_desks = ~table["fonctions"].str.contains("coworking|occasional_telework")
    assert (table.loc[no_desks, "prix_jour_eur"] == "").all()


def test_function_labels_keep_the_benchmark_wording():
    assert grid.FUNCTIONS == {
        "coworking": "coworking",
        "occasional_telework": "télétravail ponctuel",
        "fablab": "fablab",
        "digital_mediation": "médiation numérique",
        "project_support": "accompagnement de projets",
        "training": "formation",
        "cafe": "café-restauration",
    }
    assert set(vocabulary.FUNCTIONS) <= set(grid.FUNCTIONS)  # the five functions, and more


def test_reference_range_of_a_summary_row(tmp_path):
    bench = grid.read_benchmark(write(tmp_path, *ROWS))
    summary = comparison.summary(bench, references(), "€ HT / jour").set_index("indicator")
    assert lessons.reference_range(summary.loc["price_day"]) == "10 à 26\u00a0€ HT / jour"
    assert lessons.reference_range(summary.loc["public_share"]) == "50\u202f%"
    assert lessons.reference_range(summary.loc["revenue_per_m2"]) == ""


def test_build_writes_every_table(tmp_path):
    raw = tmp_path / "data" / "raw"
    (raw / "demo").mkdir(parents=True)
    write(raw / "demo", *ROWS)
    references().rename(
        columns={"indicator": "indicateur", "value": "valeur", "unit": "unite", "year": "annee"}
    ).assign(annee=lambda t: t["annee"].astype(int)).to_csv(raw / grid.REFERENCES_FILE, index=False)
    phase = Phase(
        stage="06_benchmark",
        params={"benchmark": {"price_day_unit": "€ HT / jour"}},
        territory={"key": "demo"},
        root=tmp_path,
    )
    tables = build(phase)
    assert sorted(tables) == [
        "benchmark",
        "benchmark_kinds",
        "benchmark_lessons",
        "benchmark_summary",
    ]
    assert sorted(path.stem for path in phase.out_dir.glob("*.parquet")) == sorted(tables)
    assert tables["benchmark_summary"].set_index("indicator").loc["price_day", "value"] == 14


def test_benchmark_settings_are_typed_and_checked():
    unit = "€ HT / jour"
    assert check({"benchmark": {"price_day_unit": unit}}).benchmark.price_day_unit == unit
    for found in (" ", 3):
        with pytest.raises(ConfigError) as error:
            check({"benchmark": {"price_day_unit": found}})
        assert str(error.value) == (
            "params.yaml: key 'benchmark.price_day_unit': expected the unit shown with the price "
            f'of a coworking day, such as "€ HT / jour", found {found!r}'
        )
