import pytest

from pipeline import mobility


def mobpro_file(tmp_path, header="COMMUNE;DCLT;IPONDI;TRANS;SEXE"):
    rows = [
        "97225;97225;1.5;2;1",
        "97225;97209;2.0;5;2",
        "97225;97209;1.0;6;1",
        "97204;97225;3.0;5;1",
        "01001;01001;9.0;5;1",
    ]
    path = tmp_path / "FD_MOBPRO_2022.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_read_mobpro_keeps_only_the_territory(tmp_path):
    table = mobility.read_mobpro(mobpro_file(tmp_path), ["97225", "97204"])
    assert len(table) == 4
    assert set(table["COMMUNE"]) == {"97225", "97204"}
    assert table["IPONDI"].sum() == pytest.approx(7.5)


def test_read_mobpro_parquet(tmp_path):
    csv = mobility.read_mobpro(mobpro_file(tmp_path), ["97225", "97204", "01001"])
    csv.to_parquet(tmp_path / "m.parquet")
    table = mobility.read_mobpro(tmp_path / "m.parquet", ["01001"])
    assert table["IPONDI"].tolist() == [9.0]


def test_missing_columns_are_named(tmp_path):
    with pytest.raises(mobility.MobproFormatError, match="missing column.*IPONDI"):
        mobility.read_mobpro(mobpro_file(tmp_path, "COMMUNE;DCLT;POIDS;TRANS;SEXE"), ["97225"])


def test_flows_shares_and_telework_pool(tmp_path):
    table = mobility.read_mobpro(mobpro_file(tmp_path), ["97225", "97204"])
    flows = mobility.od_flows(table)
    assert flows.set_index(["origin", "destination"])["workers"].to_dict() == {
        ("97204", "97225"): 3.0,
        ("97225", "97209"): 3.0,
        ("97225", "97225"): 1.5,
    }
    flows = mobility.add_distances(flows, detour=1.3, speed_kmh=40)
    same = flows[flows["origin"] == flows["destination"]]
    assert (same["distance_km"] == 0).all()
    far = flows.set_index(["origin", "destination"]).loc[("97225", "97209")]
    assert (
        20 < far["distance_km"] < 35
    )  # Saint-Pierre to Fort-de-France, about 19 km straight × 1.3
    assert far["time_min"] == pytest.approx(far["distance_km"] / 40 * 60, abs=0.1)
    stay = mobility.stay_share(flows).set_index("code")
    assert stay.loc["97225", "stay_share"] == pytest.approx(1.5 / 4.5)
    pool = mobility.telework_pool(flows, min_km=10, teleworkable_share=0.5).set_index("code")
    assert pool.loc["97225", "long_commuters"] == 3.0
    assert pool.loc["97225", "telework_pool"] == 1.5
    assert pool.loc["97204", "long_commuters"] == 0.0  # Le Carbet to Saint-Pierre is under 10 km


def test_mode_shares_are_weighted(tmp_path):
    table = mobility.read_mobpro(mobpro_file(tmp_path), ["97225"])
    shares = mobility.mode_shares(table).set_index("trans")["share"]
    assert shares["5"] == pytest.approx(2.0 / 4.5)
    assert shares.sum() == pytest.approx(1.0)
