"""Phase 01: the zone and EPCI summary, its rates and long tables, and the phase's build."""

import shutil

import pandas as pd
import pytest

from pipeline.core.config import ROOT
from pipeline.core.phase import Phase
from pipeline.portrait import indicators
from pipeline.portrait.build import build
from pipeline.portrait.outputs import (
    COMMUNES,
    INDICATORS,
    IRIS_GEOGRAPHY,
    IRIS_SUMMARY,
    SUMMARY,
    ZONE_LEVEL,
)
from pipeline.sources import census


def test_summary_sums_counts_before_computing_rates(census_sample):
    t = census_sample.themes(2022)
    counts = census.counts(t["population"], t["employment"], t["diplomas"], 2022)
    communes = pd.DataFrame({"code": census_sample.codes, "in_study_zone": [True, False]})
    summary = indicators.summarise(counts, communes, "EPCI").set_index("level")
    assert summary.loc["Zone d'étude", "population"] == 100
    assert summary.loc["EPCI", "population"] == 400
    # not a mean of rates
    assert summary.loc["EPCI", "unemployment_rate"] == pytest.approx(25 / 190)
    assert summary.loc["Zone d'étude", "annual_change"] == pytest.approx((100 / 110) ** (1 / 6) - 1)
    for long in (
        indicators.age_structure,
        indicators.socio_groups,
        indicators.diploma_levels,
        indicators.commuting_modes,
    ):
        shares = long(summary.reset_index()).groupby("level")["share"].sum()
        assert shares.tolist() == pytest.approx([1.0, 1.0])
    pyramid = indicators.pyramid(summary.reset_index())
    assert set(pyramid["sex"]) == {"Hommes", "Femmes"}
    zone = pyramid[pyramid["level"] == "Zone d'étude"]
    assert zone.loc[zone["sex"] == "Femmes", "share"].sum() == pytest.approx(0.52)


def test_rates_by_hand(census_sample):
    t = census_sample.themes(2022)
    counts = census.counts(t["population"], t["employment"], t["diplomas"], 2022)
    rates = indicators.rates(counts)
    assert rates["activity_rate"].tolist() == pytest.approx([40 / 60, 150 / 200])
    assert rates["employment_rate"].tolist() == pytest.approx([30 / 60, 135 / 200])
    assert rates["share_0014"].tolist() == pytest.approx([1 / 7, 1 / 7])  # seven equal bands
    assert rates["share_60p"].tolist() == pytest.approx([3 / 7, 3 / 7])
    assert rates["car_share"].tolist() == pytest.approx([1 / 6, 1 / 6])  # six equal modes
    assert rates["share_higher_education"].tolist() == pytest.approx([3 / 7, 3 / 7])
    assert rates["share_workers_employees"].iloc[1] == pytest.approx((100 + 120) / 720)
    assert "annual_change" not in indicators.rates(counts.drop(columns="population_earlier"))


def test_zone_level_names_the_study_zone_row(census_sample):
    t = census_sample.themes(2022)
    counts = census.counts(t["population"], t["employment"], t["diplomas"], 2022)
    communes = pd.DataFrame({"code": census_sample.codes, "in_study_zone": [False, True]})
    summary = indicators.summarise(counts, communes, "CA Exemple")
    assert summary["level"].tolist() == [ZONE_LEVEL, "CA Exemple"]
    assert summary.loc[0, "population"] == 300


def test_build_writes_every_table_later_phases_read(tmp_path, params, default_territory):
    raw = ROOT / "data" / "raw"
    key = default_territory["key"]
    shutil.copytree(raw / "strategies", tmp_path / "data" / "raw" / "strategies")
    (tmp_path / "data" / "raw" / key).mkdir(parents=True)
    for theme in census.THEMES:
        name = census.census_file(theme, params["portrait"]["census_vintage"])
        shutil.copy(raw / key / name, tmp_path / "data" / "raw" / key / name)
    shutil.copy(ROOT / params["inputs"]["populations"], tmp_path / params["inputs"]["populations"])
    phase = Phase("01_portrait", params, default_territory, root=tmp_path)
    tables = build(phase)
    written = {p.stem for p in (tmp_path / "data" / "processed" / "01_portrait").iterdir()}
    assert written == set(tables)
    communes, counts = phase.read(COMMUNES), phase.read(INDICATORS)
    assert len(communes) == len(counts) == 18
    assert communes["code"].tolist() == counts["code"].tolist()
    summary = phase.read(SUMMARY).set_index("level")
    zone = counts[counts["code"].isin(communes.loc[communes["in_study_zone"], "code"])]
    assert summary.loc[ZONE_LEVEL, "population"] == pytest.approx(zone["population"].sum())
    assert summary.drop(index=ZONE_LEVEL)["population"].item() == pytest.approx(
        counts["population"].sum()
    )
    assert len(tables["strategy_actions"]) == 23
    iris_summary = phase.read(IRIS_SUMMARY).set_index("level")  # real RP2021 counts, any territory
    assert iris_summary.drop(index=ZONE_LEVEL)["pop"].item() == 95_641
    assert (iris_summary["vintage"] == "RP2021").all()
    assert (phase.read(IRIS_GEOGRAPHY)["match"] == "same").all()
