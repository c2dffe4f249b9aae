import pandas as pd
import pytest

from pipeline import demand

SEGMENTS = {
    "teleworkers": {"capture": [0.1, 0.2, 0.5], "days_per_year": 40, "unit": "desk_days"},
    "independents": {"capture": [0.05, 0.1, 0.15], "days_per_year": 60, "unit": "desk_days"},
    "job_seekers": {
        "capture": [0.02, 0.05, 0.08],
        "days_per_year": 6,
        "unit": "mediation_sessions",
    },
}


def inputs():
    indicators = pd.DataFrame(
        {
            "code": ["A", "B", "C"],
            "population": [1000.0, 2000.0, 9000.0],
            "employed_15p": [400.0, 600.0, 5000.0],
            "unemployed_1564": [50.0, 70.0, 900.0],
            "students_1564": [30.0, 20.0, 800.0],
        }
    )
    pool = pd.DataFrame(
        {"code": ["A", "B", "C"], "nom": ["a", "b", "c"], "telework_pool": [12.0, 8.0, 500.0]}
    )
    return indicators, pool


def test_segment_bases_sum_the_study_zone_only():
    indicators, pool = inputs()
    bases = demand.segment_bases(
        indicators, pool, ["A", "B"], independents_share=0.1, digital_help_share=0.15
    )
    assert bases == pytest.approx(
        {
            "teleworkers": 20.0,
            "independents": 100.0,
            "job_seekers": 120.0,
            "students": 50.0,
            "digital_help": 450.0,
        }
    )


def test_study_zone_codes():
    communes = pd.DataFrame({"code": ["A", "B", "C"], "in_study_zone": [True, False, True]})
    assert demand.study_zone_codes(communes) == ["A", "C"]


def test_volumes_are_base_times_capture_times_frequency():
    table = demand.volumes(
        {"teleworkers": 20.0, "independents": 100.0, "job_seekers": 120.0}, SEGMENTS
    )
    assert list(table.columns) == ["segment", "label", "unit", "base", "low", "central", "high"]
    row = table.set_index("segment").loc["teleworkers"]
    assert [row["low"], row["central"], row["high"]] == pytest.approx([80, 160, 400])
    assert row["label"] == demand.SEGMENT_LABELS["teleworkers"]
    row = table.set_index("segment").loc["job_seekers"]
    assert [row["low"], row["central"], row["high"]] == pytest.approx([14.4, 36, 57.6])


def test_volumes_by_unit_add_segments_of_the_same_unit():
    table = demand.volumes(
        {"teleworkers": 20.0, "independents": 100.0, "job_seekers": 120.0}, SEGMENTS
    )
    by_unit = demand.by_unit(table).set_index("unit")
    assert list(by_unit.index) == ["desk_days", "mediation_sessions"]
    assert by_unit.loc["desk_days"].tolist() == pytest.approx([80 + 300, 160 + 600, 400 + 900])
    desks = demand.desk_equivalent(by_unit.reset_index(), working_days=380)
    assert desks.tolist() == pytest.approx([1.0, 2.0, 1300 / 380])


def test_unknown_segment_is_named():
    with pytest.raises(ValueError, match="demand.segments retirees unknown"):
        demand.volumes({"teleworkers": 1.0}, {"retirees": SEGMENTS["teleworkers"]})


@pytest.mark.parametrize("capture", [[0.1, 0.2], [0.3, 0.2, 0.1], [0.1, 0.2, 1.5]])
def test_bad_capture_rates_are_refused(capture):
    spec = {**SEGMENTS["teleworkers"], "capture": capture}
    with pytest.raises(ValueError, match=r"demand.segments.teleworkers.capture"):
        demand.volumes({"teleworkers": 1.0}, {"teleworkers": spec})


def test_params_segments_all_have_a_base(params):
    indicators, pool = inputs()
    bases = demand.segment_bases(indicators, pool, ["A"], 0.1, 0.1)
    table = demand.volumes(bases, params["demand"]["segments"])
    assert set(table["segment"]) == set(params["demand"]["segments"])
    assert (table["low"] <= table["central"]).all() and (table["central"] <= table["high"]).all()


def test_demand_table_and_text_are_french():
    table = demand.volumes({"teleworkers": 2000.0}, {"teleworkers": SEGMENTS["teleworkers"]})
    shown = demand.demand_table(table)
    assert shown.loc[0, "Effectif (personnes)"] == "2\u202f000"
    assert shown.loc[0, "Unité"] == "journées de poste de travail"
    text = demand.desk_text(demand.by_unit(table), 220)
    assert "**72,7 postes**" in text  # 2000 x 0.2 x 40 = 16 000 desk days, / 220


def test_build_writes_the_columns_phase_09_reads(tmp_path):
    from pipeline.phase import Phase

    indicators, pool = inputs()
    processed = tmp_path / "data" / "processed"
    (processed / "01_portrait").mkdir(parents=True)
    (processed / "02_mobility").mkdir()
    pd.DataFrame({"code": ["A", "B", "C"], "in_study_zone": [True, True, False]}).to_parquet(
        processed / "01_portrait" / "communes.parquet"
    )
    indicators.to_parquet(processed / "01_portrait" / "indicators.parquet")
    pool.to_parquet(processed / "02_mobility" / "telework_pool.parquet")
    settings = {
        "segments": SEGMENTS,
        "independents_share": 0.1,
        "digital_help_share": 0.15,
        "working_days": 220,
    }
    phase = Phase(
        stage="07_demand", params={"demand": settings}, territory={"key": "demo"}, root=tmp_path
    )
    tables = demand.build(phase)
    assert list(tables["demand"].columns) == [
        "segment",
        "label",
        "unit",
        "base",
        "low",
        "central",
        "high",
    ]
    assert list(tables["demand_by_unit"].columns) == ["unit", "low", "central", "high"]
    teleworkers = tables["demand"].set_index("segment").loc["teleworkers"]
    assert teleworkers["base"] == 20.0 and teleworkers["central"] == pytest.approx(160.0)
