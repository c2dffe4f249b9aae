"""Phase 02: flows, distances, modes, telework pool, flow map and build on hand-computed fixtures."""

import numpy as np
import pandas as pd
import pytest

from pipeline.core import figures
from pipeline.core.config import ROOT
from pipeline.core.phase import Phase
from pipeline.core.settings import ConfigError, check
from pipeline.demo import mobpro as demo_mobpro
from pipeline.mobility import maps, telework, views
from pipeline.mobility.build import build
from pipeline.mobility.flows import (
    MODES,
    add_distances,
    commuting,
    flow_destinations,
    flow_map,
    key_figures,
    main_destinations,
    mode_shares,
    od_flows,
    parent_commune,
    stay_share,
)
from pipeline.sources import mobpro

# Town halls on the equator: 0.1° of longitude is 11.1195 km, 0.05° is 5.5597 km.
POINTS = pd.DataFrame(
    {"code": ["10001", "10002", "10003"], "lon": [0.0, 0.1, -0.05], "lat": [0.0, 0.0, 0.0]}
)
AB_KM = 11.1195 * 1.5
AC_KM = 5.5597 * 1.5
SHARES = {"1": 0.0, "2": 0.10, "3": 0.70, "4": 0.45, "5": 0.25, "6": 0.03}


def fixture_tables(tmp_path, mobpro_sample):
    table = mobpro.read_mobpro(mobpro_sample.write(tmp_path), mobpro_sample.territory)
    flows = add_distances(od_flows(table), 1.5, 40, points=POINTS)
    return table, flows


def test_cs1_file_of_an_old_vintage_reads_and_feeds_the_pool(tmp_path, mobpro_sample):
    header = mobpro_sample.header.replace(";GS", ";CS1")
    path = mobpro_sample.write(tmp_path, header=header, name="FD_MOBPRO_2021.csv")
    table = mobpro.read_mobpro(path, mobpro_sample.territory)
    assert "CS1" in table.columns and "GS" not in table.columns
    assert mobpro.group_of(table) == "CS1"
    flows = add_distances(od_flows(table), 1.5, 40, points=POINTS)
    pool = telework.telework_pool(table, flows, 10, SHARES).set_index("code")
    assert pool.loc["10001", "telework_pool"] == pytest.approx(1.11)


# ------------------------------------------------------------------- flows, distances, modes


def test_flows_are_weighted_sums(tmp_path, mobpro_sample):
    _, flows = fixture_tables(tmp_path, mobpro_sample)
    assert flows.set_index(["origin", "destination"])["workers"].to_dict() == {
        ("10001", "10002"): 4.5,
        ("10001", "10003"): 3.0,
        ("10001", "10001"): 2.0,
        ("10002", "10001"): 4.0,
        ("10002", "99999"): 1.0,
        ("10002", "10002"): 0.5,
    }


def test_distances_and_times_by_hand(tmp_path, mobpro_sample):
    _, flows = fixture_tables(tmp_path, mobpro_sample)
    f = flows.set_index(["origin", "destination"])
    assert f.loc[("10001", "10002"), "distance_km"] == pytest.approx(AB_KM, abs=0.01)
    assert f.loc[("10001", "10003"), "distance_km"] == pytest.approx(AC_KM, abs=0.01)
    assert f.loc[("10001", "10001"), "distance_km"] == 0
    assert np.isnan(f.loc[("10002", "99999"), "distance_km"])  # abroad: no distance
    assert f.loc[("10001", "10002"), "time_min"] == pytest.approx(AB_KM / 40 * 60, abs=0.1)


def test_real_town_hall_distances(tmp_path):
    flows = pd.DataFrame(
        {"origin": ["97225", "97225"], "destination": ["97209", "97225"], "workers": [1.0, 2.0]}
    )
    flows = add_distances(flows, detour=1.3, speed_kmh=40).set_index("destination")
    assert flows.loc["97225", "distance_km"] == 0
    # Saint-Pierre to Fort-de-France: about 19 km straight, × 1.3.
    assert 20 < flows.loc["97209", "distance_km"] < 35


def test_paris_districts_get_the_town_hall_of_paris():
    assert parent_commune("75112") == "75056"
    assert parent_commune("69381") == "69123"
    assert parent_commune("13201") == "13055"
    assert parent_commune("75056") == "75056"
    assert parent_commune("97225") == "97225"


def test_stay_share_and_commuting_scopes(tmp_path, mobpro_sample):
    _, flows = fixture_tables(tmp_path, mobpro_sample)
    stay = stay_share(flows).set_index("code")
    assert stay.loc["10001", "stay_share"] == pytest.approx(2.0 / 9.5)
    c = commuting(flows, mobpro_sample.territory).set_index("code")
    a = c.loc["10001"]
    assert (a["workers"], a["in_commune"], a["elsewhere_in_epci"], a["outside_epci"]) == (
        9.5,
        2.0,
        4.5,
        3.0,
    )
    assert a["epci_share"] == pytest.approx(6.5 / 9.5)
    assert a["mean_km"] == pytest.approx((4.5 * AB_KM + 3.0 * AC_KM) / 7.5, abs=0.01)
    b = c.loc["10002"]
    assert b["outside_epci"] == 1.0  # abroad counts outside the EPCI
    assert b["mean_km"] == pytest.approx(AB_KM, abs=0.01)  # abroad has no distance


def test_main_destinations_inside_and_outside(tmp_path, mobpro_sample):
    _, flows = fixture_tables(tmp_path, mobpro_sample)
    names = {"10001": "Alpha", "10002": "Bêta"}
    dest = main_destinations(flows, mobpro_sample.territory, names, top=1)
    assert dest["destination"].tolist() == ["10002", "10003"]
    assert dest["inside_epci"].tolist() == [True, False]
    assert dest["nom"].tolist() == ["Bêta", "10003"]
    assert dest["share_of_outflows"].tolist() == pytest.approx([4.5 / 12.5, 3.0 / 12.5])


def test_mode_shares_leave_out_trans_z(tmp_path, mobpro_sample):
    table, _ = fixture_tables(tmp_path, mobpro_sample)
    shares = mode_shares(table).set_index("trans")
    assert list(shares.index) == MODES
    declared = 15.0 - 4.0  # the Z row weighs 4
    assert shares.loc["5", "share"] == pytest.approx(6.5 / declared)
    assert shares.loc["6", "share"] == pytest.approx(1.0 / declared)
    assert shares["share"].sum() == pytest.approx(1.0)
    assert shares.loc["5", "mode"] == "Voiture"


def test_mode_shares_by_commune_of_residence(tmp_path, mobpro_sample):
    table, _ = fixture_tables(tmp_path, mobpro_sample)
    by = mode_shares(table, by="COMMUNE").set_index(["code", "trans"])["share"]
    assert by[("10001", "5")] == pytest.approx(6.5 / 9.5)
    assert by[("10002", "6")] == pytest.approx(1.0 / 1.5)  # B: 1 (TC) + 0.5 (none); Z left out
    assert by[("10002", "5")] == 0.0
    assert by.groupby(level="code").sum().tolist() == pytest.approx([1.0, 1.0])


# ----------------------------------------------------------------------------------- telework


def test_telework_pool_by_hand(tmp_path, mobpro_sample):
    table, flows = fixture_tables(tmp_path, mobpro_sample)
    pool = telework.telework_pool(table, flows, min_km=10, shares=SHARES).set_index("code")
    a, b = pool.loc["10001"], pool.loc["10002"]
    assert a["workers"] == pytest.approx(9.5)
    # Long: A→B cadre 1.5 and ouvrier 2.0; A→B at home (TRANS=1) and A→C (8.3 km) are not.
    assert a["long_commuters"] == pytest.approx(3.5)
    assert a["telework_pool"] == pytest.approx(1.5 * 0.70 + 2.0 * 0.03)
    assert a["teleworkable"] == pytest.approx(2 * 0.7 + 1.5 * 0.7 + 2 * 0.03 + 1 * 0.45 + 3 * 0.7)
    # B: the Z row (B→A, employé) counts by its distance; abroad is not a long commute.
    assert b["long_commuters"] == pytest.approx(4.0)
    assert b["telework_pool"] == pytest.approx(4.0 * 0.25)


def test_telework_pool_grows_with_a_lower_threshold(tmp_path, mobpro_sample):
    table, flows = fixture_tables(tmp_path, mobpro_sample)
    near = telework.telework_pool(table, flows, min_km=5, shares=SHARES).set_index("code")
    assert near.loc["10001", "telework_pool"] == pytest.approx(1.11 + 3.0 * 0.70)


def test_unknown_group_counts_as_not_teleworkable_with_a_warning(tmp_path, mobpro_sample):
    table, flows = fixture_tables(tmp_path, mobpro_sample)
    shares = {k: v for k, v in SHARES.items() if k != "5"}
    with pytest.warns(UserWarning, match="GS code.*5.*no teleworkable share"):
        pool = telework.telework_pool(table, flows, 10, shares).set_index("code")
    assert pool.loc["10002", "telework_pool"] == 0.0


def test_telework_groups_add_up_to_the_pool(tmp_path, mobpro_sample):
    table, flows = fixture_tables(tmp_path, mobpro_sample)
    groups = telework.telework_groups(table, flows, 10, SHARES).set_index("group")
    pool = telework.telework_pool(table, flows, 10, SHARES)
    assert groups["telework_pool"].sum() == pytest.approx(pool["telework_pool"].sum())
    assert groups.loc["3", "telework_pool"] == pytest.approx(1.05)
    assert groups.loc["1", "workers"] == 0.0  # every group of the params is listed
    assert groups.loc["3", "label"].startswith("Cadres")


def test_teleworkable_shares_read_from_params(params):
    p = params["mobility"]["teleworkable_share"]
    for group in ["GS", "CS1"]:
        shares = telework.teleworkable_shares(p, group)
        assert set(shares) == {"1", "2", "3", "4", "5", "6"}
        assert shares["3"] > shares["4"] > shares["5"] > shares["6"] >= shares["1"]
    mobility = {**params["mobility"], "teleworkable_share": {"GS": {"3": 1.5}}}
    with pytest.raises(
        ConfigError,
        match=r"(?m)^params\.yaml: key 'mobility\.teleworkable_share"
        r"\.GS\.3': expected .* share of teleworkable jobs from 0 to 1, found 1\.5$",
    ):
        check({**params, "mobility": mobility})
    with pytest.raises(ValueError, match="no CS1 table"):
        telework.teleworkable_shares({"GS": {"3": 0.5}}, "CS1")


def test_assumptions_table_lists_rules_and_shares(params):
    table = views.telework_assumptions(params["mobility"], "GS")
    assert {"telework_min_km", "detour_factor", "speed_kmh", "trans_z"} <= set(table["key"])
    assert "teleworkable_share.GS.3" in set(table["key"])
    readers = views.assumptions_table(table)
    assert list(readers.columns) == ["Hypothèse", "Valeur retenue", "Justification"]
    assert readers.notna().all().all()


def test_summary_by_hand(tmp_path, mobpro_sample):
    table, flows = fixture_tables(tmp_path, mobpro_sample)
    pool = telework.telework_pool(table, flows, 10, SHARES)
    summary = views.summary(key_figures(table, flows, mobpro_sample.territory, pool))
    s = summary.set_index("key")["value"]
    assert s["workers"] == pytest.approx(15.0)
    assert s["stay_share"] == pytest.approx(2.5 / 15)
    assert s["outside_share"] == pytest.approx(4.0 / 15)  # A→C and B→abroad
    assert s["trans_z_share"] == pytest.approx(4.0 / 15)
    assert s["car_share"] == pytest.approx(6.5 / 11)
    assert s["telework_pool"] == pytest.approx(2.11)
    shown = views.summary_table(summary)
    assert shown.loc[1, "Valeur"] == "16,7\u202f%"


# ----------------------------------------------------------------------------------- flow map


def real_flows():
    return pd.DataFrame(
        {
            "origin": ["97225", "97225", "97204", "97225", "97204"],
            "destination": ["97225", "97209", "97225", "97204", "99999"],
            "workers": [50.0, 30.0, 20.0, 5.0, 40.0],
        }
    )


def test_flow_map_keeps_large_flows_between_communes():
    names = {"97225": "Saint-Pierre", "97209": "Fort-de-France", "97204": "Le Carbet"}
    lines = views.label_flows(flow_map(real_flows(), names, min_workers=10, top=5))
    # internal flow, small flow and flow without a town hall (99999) are left out
    assert lines[["origin", "destination"]].values.tolist() == [
        ["97225", "97209"],
        ["97204", "97225"],
    ]
    assert lines.loc[0, "label"] == "Saint-Pierre → Fort-de-France : 30 actifs"
    assert lines[["o_lon", "o_lat", "d_lon", "d_lat"]].notna().all().all()
    top1 = flow_map(real_flows(), names, min_workers=0, top=1)
    assert top1["workers"].tolist() == [30.0]
    hubs = flow_destinations(lines, ["97225", "97204"])
    assert hubs["destination"].tolist() == ["97209"]


def test_flow_lines_width_grows_with_the_flow(default_base):
    base = default_base[default_base["code"].isin(["97225", "97204"])].copy()
    base["workers"] = [1.0, 2.0]
    lines = views.label_flows(flow_map(real_flows(), {}, min_workers=10, top=5))
    fig = figures.choropleth(base, "workers", "Flux", "Actifs")
    before = len(fig.data)
    fig = figures.flow_lines(
        fig,
        base,
        lines["o_lon"],
        lines["o_lat"],
        lines["d_lon"],
        lines["d_lat"],
        lines["workers"],
        lines["label"],
        "Flux",
        max_width=10,
    )
    added = fig.data[before:]
    assert len(added) == 2
    assert [t.line.width for t in added] == pytest.approx([1 + 9 * 20 / 30, 10])  # largest last
    assert [t.showlegend for t in added] == [True, False]
    assert all(t.mode == "lines" and len(t.x) == 3 for t in added)
    # same projected axes as the choropleth: metres, not degrees
    assert abs(added[-1].x[0]) > 1000


def test_flow_map_title_names_the_thresholds():
    assert maps.flow_map_title({"min_workers": 10, "top": 25}) == (
        "Principaux flux domicile-travail entre communes (au moins 10 actifs, 25 plus importants)"
    )


def test_flow_map_draws_residents_flows_and_workplaces_outside(default_base):
    communes = default_base[default_base["code"].isin(["97225", "97204"])]
    stay = pd.DataFrame({"code": ["97225", "97204"], "workers": [85.0, 60.0]})
    names = {"97225": "Saint-Pierre", "97209": "Fort-de-France", "97204": "Le Carbet"}
    lines = views.label_flows(flow_map(real_flows(), names, min_workers=10, top=5))
    thresholds = {"min_workers": 10, "top": 5}
    fig = maps.flow_map(communes, stay, lines, thresholds)
    assert fig.layout.title.text == maps.flow_map_title(thresholds)
    drawn = [t for t in fig.data if t.name == "Flux domicile-travail (épaisseur : nombre d'actifs)"]
    assert sorted(t.text[0] for t in drawn) == sorted(lines["label"])
    hubs = [t for t in fig.data if t.name == "Pôles d'emploi hors EPCI"]
    # Fort-de-France is outside the EPCI of the drawn communes; Saint-Pierre is not
    assert len(hubs) == 1 and list(hubs[0].text) == [
        "Fort-de-France : 30 actifs venus du territoire"
    ]
    residents = [t.text for t in fig.data if t.fill == "toself"]
    assert "Saint-Pierre : 85" in residents


def test_telework_map_colours_communes_by_their_pool(default_base):
    communes = default_base[default_base["code"].isin(["97225", "97204"])]
    pool = pd.DataFrame({"code": ["97225", "97204"], "telework_pool": [120.4, 80.0]})
    fig = maps.telework_map(communes, pool)
    assert fig.layout.title.text == "Télétravailleurs potentiels par commune"
    residents = {t.text for t in fig.data if t.fill == "toself"}
    assert {"Saint-Pierre : 120", "Le Carbet : 80"} <= residents


# ------------------------------------------------------------------------------ demo generator


def demo_inputs():
    communes = pd.DataFrame(
        {
            "code": ["97225", "97204"],
            "mairie_lon": [-61.18, -61.18],
            "mairie_lat": [14.74, 14.69],
            "population": [4000, 3000],
        }
    )
    hubs = pd.DataFrame({"code": ["97209"], "lon": [-61.07], "lat": [14.61], "population": [75000]})
    return communes, hubs


@pytest.mark.parametrize(("vintage", "column"), [(2022, "GS"), (2016, "CS1")])
def test_demo_group_column_follows_the_vintage(vintage, column):
    communes, hubs = demo_inputs()
    table = demo_mobpro.flows(communes, hubs, 0.38, np.random.default_rng(1), vintage)
    other = "CS1" if column == "GS" else "GS"
    assert column in table.columns and other not in table.columns
    assert set(table[column]) <= set(telework.GROUP_LABELS)


def test_demo_is_deterministic_and_has_a_few_trans_z():
    communes, hubs = demo_inputs()
    a = demo_mobpro.flows(communes, hubs, 0.38, np.random.default_rng(7))
    b = demo_mobpro.flows(communes, hubs, 0.38, np.random.default_rng(7))
    pd.testing.assert_frame_equal(a, b)
    z = a.loc[a["TRANS"] == "Z", "IPONDI"].sum() / a["IPONDI"].sum()
    assert 0 < z < 0.03
    assert set(a["TRANS"]) <= set(mobpro.TRANS_LABELS)
    assert demo_mobpro.filename(2022) == "FD_MOBPRO_2022.csv"


# ------------------------------------------------------------------------------------- build


def test_build_writes_the_tables_later_phases_read(
    tmp_path, params, default_territory, default_base, mobpro_sample
):
    key = default_territory["key"]
    communes = default_base[default_base["code"].isin(["97225", "97204"])]
    (tmp_path / "data/processed/01_portrait").mkdir(parents=True)
    communes.to_parquet(tmp_path / "data/processed/01_portrait/communes.parquet")
    pops = tmp_path / params["inputs"]["populations"]
    pops.parent.mkdir(parents=True, exist_ok=True)
    pops.write_bytes((ROOT / params["inputs"]["populations"]).read_bytes())
    raw = tmp_path / "data/raw" / key
    raw.mkdir(parents=True)
    rows = [
        "97225;ZZZZZ;97225;99999;3.0;2;1;030;1;3",
        "97225;ZZZZZ;97209;99999;2.0;5;2;040;1;3",
        "97204;ZZZZZ;97209;99999;4.0;Z;1;045;1;5",
        "97209;ZZZZZ;97209;99999;9.0;5;1;045;1;5",
    ]
    mobpro_sample.write(raw, rows=rows)
    phase = Phase("02_mobility", params, default_territory, root=tmp_path)
    tables = build(phase)
    assert {"telework_pool", "telework_assumptions", "flow_map", "summary"} <= set(tables)
    pool = tables["telework_pool"].set_index("code")
    assert {"nom", "workers", "long_commuters", "telework_pool"} <= set(pool.columns)
    assert pool.loc["97225", "nom"] == "Saint-Pierre"
    assert pool.loc["97225", "telework_pool"] == pytest.approx(2.0 * 0.70)
    assert pool.loc["97204", "telework_pool"] == pytest.approx(4.0 * 0.25)
    assert (tmp_path / "data/processed/02_mobility/telework_pool.parquet").exists()
    table = views.commuting_table(tables["stay_share"], tables["mode_shares_commune"])
    assert len(table) == 2 and "Hors EPCI" in table.columns


def test_build_refuses_a_file_without_the_territory(
    tmp_path, params, default_territory, default_base, mobpro_sample
):
    (tmp_path / "data/processed/01_portrait").mkdir(parents=True)
    default_base.to_parquet(tmp_path / "data/processed/01_portrait/communes.parquet")
    raw = tmp_path / "data/raw" / default_territory["key"]
    raw.mkdir(parents=True)
    mobpro_sample.write(raw)
    phase = Phase("02_mobility", params, default_territory, root=tmp_path)
    with pytest.raises(mobpro.MobproFormatError, match="no resident of the territory"):
        build(phase)


def test_readers_tables_are_in_french(tmp_path, mobpro_sample):
    table, flows = fixture_tables(tmp_path, mobpro_sample)
    groups = views.groups_table(telework.telework_groups(table, flows, 10, SHARES))
    assert groups.loc[2, "Part télétravaillable retenue"] == "70\u202f%"
    assert groups["Télétravailleurs potentiels"].sum() == 2  # 1.05 → 1, 1.0 → 1, others 0
