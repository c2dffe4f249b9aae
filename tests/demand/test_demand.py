import numpy as np
import pandas as pd
import pytest

from pipeline.core.phase import Phase, Table
from pipeline.core.settings import ConfigError, check
from pipeline.core.settings.demand import SEGMENTS as SEGMENT_NAMES
from pipeline.demand import build, estimate, rates, views

SEGMENTS = {
    "teleworkers": {"capture": [0.1, 0.2, 0.5], "days_per_year": 40, "unit": "desk_days"},
    "independents": {"capture": [0.05, 0.1, 0.15], "days_per_year": 60, "unit": "desk_days"},
    "job_seekers": {
        "capture": [0.02, 0.05, 0.08],
        "days_per_year": 6,
        "unit": "mediation_sessions",
    },
}
PARAMS_RATE = {"low": 0.15, "central": 0.15, "high": 0.15, "source": rates.PARAMS_SOURCE}


def check_demand(params, **changes):
    """params.yaml checked with the demand section's keys `changes` replaced."""
    return check({**params, "demand": {**params["demand"], **changes}})


def inputs():
    indicators = pd.DataFrame(
        {
            "code": ["A", "B", "C"],
            "population": [1000.0, 2000.0, 9000.0],
            "age_0014": [200.0, 400.0, 1000.0],
            "group_craftsmen": [40.0, 60.0, 500.0],
            "employed_15p": [400.0, 600.0, 5000.0],
            "unemployed_1564": [50.0, 70.0, 900.0],
            "students_1564": [30.0, 20.0, 800.0],
        }
    )
    pool = pd.DataFrame(
        {"code": ["A", "B", "C"], "nom": ["a", "b", "c"], "telework_pool": [12.0, 8.0, 500.0]}
    )
    return indicators, pool


def estimates(**rows):
    """Survey estimates: indicator -> (weighted, ci_low, ci_high)."""
    return pd.DataFrame(
        [
            {
                "indicator": name,
                "label": f"Libellé {name}",
                "n": 400,
                "weighted": w,
                "ci_low": lo,
                "ci_high": hi,
            }
            for name, (w, lo, hi) in rows.items()
        ],
        columns=["indicator", "label", "n", "weighted", "ci_low", "ci_high"],
    )


def bases(rate=PARAMS_RATE, visitors=500.0):
    indicators, pool = inputs()
    by_commune = estimate.commune_bases(indicators, pool, rate, associations_per_1000=20)
    return estimate.zone_bases(by_commune, ["A", "B"], visitors, rate["source"])


def test_head_counts_by_commune():
    indicators, pool = inputs()
    rate = {"low": 0.1, "central": 0.2, "high": 0.3, "source": "enquête"}
    table = estimate.commune_bases(indicators, pool, rate, associations_per_1000=20)
    a = table[table["code"] == "A"].set_index("segment")
    assert a.loc["teleworkers", "base"] == 12
    assert a.loc["independents", "base"] == 40  # artisans, shopkeepers, business heads
    assert a.loc["job_seekers", "base"] == 50 and a.loc["students", "base"] == 30
    assert a.loc["organisations", "base"] == 40 + 1000 * 20 / 1000
    # People aged 15+ (800) times the share needing help, with its range.
    assert a.loc["digital_help", ["base_low", "base", "base_high"]].tolist() == pytest.approx(
        [80, 160, 240]
    )
    assert list(dict.fromkeys(table["segment"]))[:2] == ["teleworkers", "independents"]


def test_missing_census_columns_are_named():
    indicators, pool = inputs()
    with pytest.raises(ValueError, match=r"01_portrait/indicators: missing column\(s\) age_0014"):
        estimate.commune_bases(indicators.drop(columns="age_0014"), pool, PARAMS_RATE, 20)


def test_zone_head_counts_sum_the_study_zone_and_add_visitors():
    table = bases().set_index("segment")
    assert table.loc["teleworkers", "base"] == 20
    assert table.loc["independents", "base"] == 100
    assert table.loc["job_seekers", "base"] == 120
    assert table.loc["digital_help", "base"] == pytest.approx(0.15 * 2400)
    assert table.loc["visitors", "base"] == 500
    assert table.loc["visitors", "base_source"] == rates.PARAMS_SOURCE
    assert table.loc["digital_help", "base_source"].startswith("recensement (15 ans ou plus)")


def test_study_zone_codes():
    communes = pd.DataFrame({"code": ["A", "B", "C"], "in_study_zone": [True, False, True]})
    assert estimate.study_zone_codes(communes) == ["A", "C"]


def test_survey_rate_present_absent_or_suppressed():
    est = estimates(service_x=(0.3, 0.25, 0.35), vide=(np.nan, np.nan, np.nan))
    rate = rates.survey_rate(est, "service_x")
    assert [rate["low"], rate["central"], rate["high"], rate["n"]] == [0.25, 0.3, 0.35, 400]
    assert rates.survey_rate(est, "absent") is None
    assert rates.survey_rate(est, "vide") is None
    assert rates.survey_rate(None, "service_x") is None
    assert rates.survey_rate(est.assign(suppressed=True), "service_x") is None


def test_capture_rates_from_the_survey_or_from_params():
    spec = {**SEGMENTS["teleworkers"], "survey": "service_x"}
    est = estimates(service_x=(0.3, 0.2, 0.4))
    capture = rates.capture_rates(spec, est, [0.1, 0.15, 0.2])
    assert [capture[lv] for lv in rates.LEVELS] == pytest.approx([0.02, 0.045, 0.08])
    assert "enquête (phase 03)" in capture["source"] and "service_x" in capture["source"]
    assert "taux de concrétisation 10,0 % – 15,0 % – 20,0 %" in capture["source"].replace(
        "\u202f", " "
    )
    fallback = rates.capture_rates(spec, estimates(), [0.1, 0.15, 0.2])
    assert [fallback[lv] for lv in rates.LEVELS] == [0.1, 0.2, 0.5]
    assert fallback["source"] == (
        rates.PARAMS_SOURCE + " (indicateur service_x absent de l'enquête)"
    )


def test_frequencies_from_the_share_of_weekly_users():
    spec = {**SEGMENTS["teleworkers"], "frequency_survey": "hebdo"}
    est = estimates(hebdo=(0.5, 0.4, 0.6))
    days = {"weekly": 60, "occasional": 10}
    freq = rates.frequencies(spec, est, days)
    # p x 60 + (1 - p) x 10 = 10 + 50 p
    assert [freq[lv] for lv in rates.LEVELS] == pytest.approx([30, 35, 40])
    fallback = rates.frequencies(spec, estimates(), days)
    assert [fallback[lv] for lv in rates.LEVELS] == [40, 40, 40]


def test_survey_days_must_put_weekly_users_first(params):
    with pytest.raises(ConfigError) as error:
        check_demand(params, survey_frequency_days={"weekly": 5, "occasional": 9})
    assert str(error.value) == (
        "params.yaml: key 'demand.survey_frequency_days': expected {weekly: days, occasional: "
        "days} with weekly >= occasional >= 0, found {'weekly': 5, 'occasional': 9}"
    )


def test_volumes_are_head_count_times_capture_times_frequency_level_by_level():
    table = estimate.volumes(bases(), SEGMENTS)
    assert list(table.columns[:7]) == ["segment", "label", "unit", "base", "low", "central", "high"]
    row = table.set_index("segment").loc["teleworkers"]
    assert [row["low"], row["central"], row["high"]] == pytest.approx([80, 160, 400])
    assert row["label"] == estimate.SEGMENT_LABELS["teleworkers"]
    assert row["capture_source"] == row["frequency_source"] == rates.PARAMS_SOURCE
    assert row["users"] == pytest.approx(4)  # 20 heads x 0.2: the central volume / 40 days
    row = table.set_index("segment").loc["job_seekers"]
    assert [row["low"], row["central"], row["high"]] == pytest.approx([14.4, 36, 57.6])
    assert row["users"] == pytest.approx(6)  # 120 heads x 0.05


def test_a_survey_range_on_the_head_count_carries_into_the_volumes():
    rate = {"low": 0.1, "central": 0.2, "high": 0.3, "source": "enquête"}
    spec = {
        "digital_help": {
            "capture": [0.1, 0.1, 0.1],
            "days_per_year": 2,
            "unit": "mediation_sessions",
        }
    }
    row = estimate.volumes(bases(rate), spec).iloc[0]
    # 2 400 people aged 15+ x (0.1, 0.2, 0.3) x 0.1 x 2 sessions
    assert [row["low"], row["central"], row["high"]] == pytest.approx([48, 96, 144])
    assert [row["base_low"], row["base"], row["base_high"]] == pytest.approx([240, 480, 720])


def test_survey_based_volumes_hand_computed():
    spec = {
        "teleworkers": {
            **SEGMENTS["teleworkers"],
            "survey": "service_x",
            "frequency_survey": "hebdo",
        }
    }
    est = estimates(service_x=(0.3, 0.2, 0.4), hebdo=(0.5, 0.4, 0.6))
    row = estimate.volumes(
        bases(), spec, est, [0.1, 0.15, 0.2], {"weekly": 60, "occasional": 10}
    ).iloc[0]
    # 20 teleworkers x (0.02, 0.045, 0.08) x (30, 35, 40) days
    assert [row["low"], row["central"], row["high"]] == pytest.approx([12, 31.5, 64])


def test_volumes_by_unit_add_segments_of_the_same_unit():
    table = estimate.volumes(bases(), SEGMENTS)
    by_unit = estimate.by_unit(table).set_index("unit")
    assert list(by_unit.index) == ["desk_days", "mediation_sessions"]
    assert by_unit.loc["desk_days"].tolist() == pytest.approx([80 + 300, 160 + 600, 400 + 900])
    desks = estimate.desk_equivalent(by_unit.reset_index(), working_days=380)
    assert desks.tolist() == pytest.approx([1.0, 2.0, 1300 / 380])
    eq = estimate.equivalents(by_unit.reset_index(), 220).set_index("unit")
    assert eq.loc["mediation_sessions", "central"] == pytest.approx(36 / 44)  # 44 weeks


def test_unknown_segment_and_unit_are_named(params):
    segments = params["demand"]["segments"]
    with pytest.raises(ConfigError, match=r"key 'demand.segments': expected a mapping of "
                       r"segments among teleworkers, .* \(unknown: retirees\), found"):  # fmt: skip
        check_demand(params, segments={**segments, "retirees": SEGMENTS["teleworkers"]})
    spec = {**SEGMENTS["teleworkers"], "unit": "coffees"}
    with pytest.raises(
        ConfigError,
        match=r"key 'demand.segments.teleworkers.unit': expected one of .*found 'coffees'",
    ):
        check_demand(params, segments={"teleworkers": spec})


@pytest.mark.parametrize("capture", [[0.1, 0.2], [0.3, 0.2, 0.1], [0.1, 0.2, 1.5]])
def test_bad_capture_rates_are_refused(params, capture):
    spec = {**SEGMENTS["teleworkers"], "capture": capture}
    with pytest.raises(ConfigError) as error:
        check_demand(params, segments={"teleworkers": spec})
    assert str(error.value) == (
        "params.yaml: key 'demand.segments.teleworkers.capture': expected [low, central, high]: "
        f"three rates between 0 and 1 in increasing order, found {capture!r}"
    )


@pytest.mark.parametrize("realisation", [[0.1, 0.2], [0.3, 0.2, 0.1]])
def test_bad_realisation_rates_are_refused(params, realisation):
    with pytest.raises(ConfigError, match="key 'demand.survey_realisation': expected"):
        check_demand(params, survey_realisation=realisation)


def test_params_demand_settings_are_valid_and_name_known_segments(params):
    settings = check_demand(params).demand
    assert settings.segments["teleworkers"].unit == "desk_days"
    assert set(estimate.SEGMENT_LABELS) == set(SEGMENT_NAMES)  # a label for every segment


def test_params_segments_all_have_a_base(params):
    settings = params["demand"]
    table = estimate.volumes(
        bases(visitors=settings["visitors_per_year"]),
        settings["segments"],
        estimates(),
        settings["survey_realisation"],
        settings["survey_frequency_days"],
    )
    assert set(table["segment"]) == set(settings["segments"])
    assert set(table["unit"]) == {
        "desk_days",
        "mediation_sessions",
        "fablab_hours",
        "room_bookings",
    }
    assert (table["low"] <= table["central"]).all() and (table["central"] <= table["high"]).all()


def test_demand_tables_and_texts_are_french():
    spec = {"teleworkers": SEGMENTS["teleworkers"]}
    table = estimate.volumes(bases().assign(base=2000.0, base_low=2000.0, base_high=2000.0), spec)
    shown = views.demand_table(table)
    assert shown.loc[0, "Effectif (personnes)"] == "2\u202f000"
    assert shown.loc[0, "Unité"] == "journées de poste de travail"
    text = views.desk_text(estimate.by_unit(table), 220)
    assert "**72,7 postes**" in text  # 2000 x 0.2 x 40 = 16 000 desk days, / 220
    sources = views.assumptions_table(table).iloc[0]
    assert sources["Source du taux"] == rates.PARAMS_SOURCE
    assert sources["Taux de captation (bas – central – haut)"].replace("\u202f", " ") == (
        "10,0 % – 20,0 % – 50,0 %"
    )
    answer = views.answer_text(
        estimate.by_unit(table), 220, estimates(interet_tiers_lieu=(0.4, 0.35, 0.45))
    )
    assert answer.startswith("**Y a-t-il une demande ?** 40")
    assert "72,7 postes occupés à temps plein (36,4 à 181,8)" in answer


def test_build_writes_the_columns_phases_08_and_09_read(tmp_path):
    indicators, pool = inputs()
    processed = tmp_path / "data" / "processed"
    for stage in ("01_portrait", "02_mobility", "03_survey"):
        (processed / stage).mkdir(parents=True)
    pd.DataFrame(
        {"code": ["A", "B", "C"], "nom": ["a", "b", "c"], "in_study_zone": [True, True, False]}
    ).to_parquet(processed / "01_portrait" / "communes.parquet")
    indicators.to_parquet(processed / "01_portrait" / "indicators.parquet")
    pool.to_parquet(processed / "02_mobility" / "telework_pool.parquet")
    estimates(interet_tiers_lieu=(0.4, 0.35, 0.45), service_x=(0.3, 0.2, 0.4)).to_parquet(
        processed / "03_survey" / "estimates.parquet"
    )
    pd.DataFrame(
        {"question": "Q12", "question_label": "Fréquence", "code": ["A1", "A2"],
         "answer": ["Souvent", "Rarement"], "n": 50, "weighted": [0.3, 0.7]}
    ).to_parquet(processed / "03_survey" / "distributions.parquet")  # fmt: skip
    raw = tmp_path / "data" / "raw" / "demo"
    raw.mkdir(parents=True)
    (raw / "atelier_idees.csv").write_text(
        "idee_id,atelier,idee,service,votes\nA1-01,Atelier 1,Des bureaux,coworking,5\n",
        encoding="utf-8",
    )
    settings = {
        "segments": {**SEGMENTS, "teleworkers": {**SEGMENTS["teleworkers"], "survey": "service_x"}},
        "survey_realisation": [0.1, 0.15, 0.2],
        "digital_help_share": 0.15,
        "associations_per_1000": 20,
        "visitors_per_year": 100,
        "working_days": 220,
        "regular_users": {
            "min_visits_per_month": 1, "question": "Q12", "visits_per_month": {"A1": 4, "A2": 0}
        },
    }  # fmt: skip
    phase = Phase(
        stage="07_demand", params={"demand": settings}, territory={"key": "demo"}, root=tmp_path
    )
    built = build.build(phase)
    assert list(built["demand"].columns[:7]) == [
        "segment",
        "label",
        "unit",
        "base",
        "low",
        "central",
        "high",
    ]
    assert list(built["demand_by_unit"].columns) == ["unit", "low", "central", "high"]
    teleworkers = built["demand"].set_index("segment").loc["teleworkers"]
    assert teleworkers["base"] == 20.0 and teleworkers["central"] == pytest.approx(20 * 0.045 * 40)
    assert teleworkers["regular_users"] == pytest.approx(20 * 0.045)  # 40 days a year: monthly
    by_commune = built["segments_by_commune"]
    assert list(by_commune.columns) == ["code", "nom", "in_study_zone", "segment", "label", "base"]
    assert set(by_commune["segment"]) == set(SEGMENTS) and len(by_commune) == 9
    assert built["workshop_services"].iloc[0]["service"] == "coworking"
    for name, table in built.items():  # written too, as later phases read them
        pd.testing.assert_frame_equal(phase.read(Table("07_demand", name)), table)
