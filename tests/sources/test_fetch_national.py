"""`make fetch` for the national mediation file, INSEE's BPE and ARCEP's broadband statistics,
without the network: pooch's downloader copies fixtures in the official formats."""

import shutil
import zipfile

import pandas as pd
import pytest
import requests

from pipeline.sources import bpe, fetch
from pipeline.sources.mediation import MEDIATION_FILE, read_mediation

TERRITORY = ["97219", "97225"]  # Le Prêcheur, Saint-Pierre (Martinique)

# The national file as La Cartographie Nationale writes it: `,`, every field in double quotes.
MEDIATION_HEADER = (
    '"id","pivot","nom","commune","code_postal","code_insee","adresse","complement_adresse",'
    '"latitude","longitude","typologie","telephone","courriels","site_web","horaires",'
    '"presentation_resume","presentation_detail","source","itinerance","structure_parente",'
    '"date_maj","services","publics_specifiquement_adresses","prise_en_charge_specifique",'
    '"frais_a_charge","dispositif_programmes_nationaux","formations_labels",'
    '"autres_formations_labels","modalites_acces","modalites_accompagnement",'
    '"fiche_acces_libre","prise_rdv"'
)


def mediation_row(id_, nom, commune, postcode, code, lat="", lon=""):
    fields = [id_, "21972190100011", nom, commune, postcode, code, "Le Bourg", "", lat, lon,
              "MUNI", "", "", "", "", "", "", "Cartographie", "", "", "2025-11-04",
              "Maîtrise des outils numériques du quotidien", "", "", "", "", "", "", "", "",
              "", ""]  # fmt: skip
    return ",".join(f'"{f}"' for f in fields)


MEDIATION_ROWS = [
    mediation_row("a1", "Médiathèque du Prêcheur", "Le Prêcheur", "97250", "97219", "14.80", "-61.22"),
    mediation_row("a2", "Espace numérique de Saint-Pierre", "Saint-Pierre", "97250", ""),  # by name
    mediation_row("a3", "Médiathèque de Bourg", "Bourg-en-Bresse", "01000", "01053", "46.2", "5.22"),
]  # fmt: skip
BPE_ROWS = [
    '"2025";"FRANCE SERVICES";"97219";"972";"A128";"-61.2243";"14.8010"',
    '"2025";"MAIRIE";"01001";"01";"A129";"4.9190";"46.1530"',
]
BPE_HEADER = '"AN";"NOMRS";"DEPCOM";"DEP";"TYPEQU";"LONGITUDE";"LATITUDE"'
BROADBAND = (
    "code_insee;nom_com;code_dep;code_reg;nbr;type;elig_ftth;elig_coax;elig_cu;elig_thdr;"
    "elig_4gf;elig_hdr;elig_sat;date\n"
    "97219;Le Prêcheur;972;02;1000;all;200;0;900;0;600;0;1000;2026-03-31\n"
)


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "source"
    folder.mkdir()
    (folder / "national.csv").write_text("\n".join([MEDIATION_HEADER, *MEDIATION_ROWS]) + "\n",
                                         encoding="utf-8")  # fmt: skip
    (folder / "BPE25.zip").write_bytes(
        bpe.zip_csv("BPE25.csv", "\n".join([BPE_HEADER, *BPE_ROWS]).encode())
    )
    (folder / "commune_techno.csv").write_text(BROADBAND, encoding="utf-8")
    return folder


def copying(source, calls):
    def download(url, output_file, pooch, check_only=False):
        calls.append(url)
        shutil.copyfile(source, output_file)

    return download


def offline(url, output_file, pooch, check_only=False):
    raise requests.exceptions.ConnectionError("Failed to resolve host")


# name of the fetcher, its hash constant, its fixture, its keyword arguments
CASES = {
    "mediation": ("MEDIATION_SHA256", "national.csv", {"codes": TERRITORY}),
    "bpe": ("BPE_SHA256", "BPE25.zip", {"codes": TERRITORY}),
    "broadband": ("BROADBAND_SHA256", "commune_techno.csv", {}),
}


def run(name, tmp_path, downloader, **extra):
    kwargs = CASES[name][2]
    return fetch.FETCHERS[name](out_dir=tmp_path / "raw", downloader=downloader,
                                cache=tmp_path / "cache", **kwargs, **extra)  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_unpinned_file_is_refused_before_any_download(name, tmp_path, sources, monkeypatch):
    constant, fixture, _ = CASES[name]
    monkeypatch.setattr(fetch, constant, None)
    calls = []
    with pytest.raises(
        fetch.FetchError, match=rf"not pinned.*{constant} = None.*fetch {name} --pin"
    ):
        run(name, tmp_path, copying(sources / fixture, calls))
    assert calls == [] and not (tmp_path / "raw").exists()


@pytest.mark.parametrize("name", CASES)
def test_pin_prints_the_hash(name, tmp_path, sources, monkeypatch, capsys):
    constant, fixture, _ = CASES[name]
    monkeypatch.setattr(fetch, constant, None)
    run(name, tmp_path, copying(sources / fixture, []), pin=True)
    assert f'{constant} = "{fetch.sha256(sources / fixture)}"' in capsys.readouterr().out
    assert not (tmp_path / "raw").exists()


@pytest.mark.parametrize("name", CASES)
def test_another_hash_is_refused(name, tmp_path, sources, monkeypatch):
    constant, fixture, _ = CASES[name]
    monkeypatch.setattr(fetch, constant, "0" * 64)
    with pytest.raises(fetch.FetchError, match="refused"):
        run(name, tmp_path, copying(sources / fixture, []))
    assert not (tmp_path / "raw").exists()


@pytest.mark.parametrize("name", CASES)
def test_offline_error_is_clear(name, tmp_path, monkeypatch):
    monkeypatch.setattr(fetch, CASES[name][0], "0" * 64)
    with pytest.raises(fetch.FetchError, match=r"^cannot reach .*: run `make fetch` with network"):
        run(name, tmp_path, offline)


def pinned(name, sources, monkeypatch):
    constant, fixture, _ = CASES[name]
    monkeypatch.setattr(fetch, constant, fetch.sha256(sources / fixture))


def test_mediation_keeps_the_territory_places_in_the_standard_format(
    tmp_path, sources, monkeypatch
):
    pinned("mediation", sources, monkeypatch)
    calls = []
    out = run("mediation", tmp_path, copying(sources / "national.csv", calls))
    assert out == tmp_path / "raw" / MEDIATION_FILE
    assert out.read_text(encoding="utf-8").splitlines() == [MEDIATION_HEADER, *MEDIATION_ROWS[:2]]
    places = read_mediation(out)
    assert places["code_insee"].tolist() == ["97219", "97225"]  # the second found by its name
    log = pd.read_csv(tmp_path / "raw" / "sources.csv").set_index("file")
    assert log.loc[MEDIATION_FILE, "kind"] == "real"
    assert fetch.MEDIATION_URL in log.loc[MEDIATION_FILE, "source"]
    run("mediation", tmp_path, copying(sources / "national.csv", calls))
    assert len(calls) == 1  # the cached, checked file is used again


def test_bpe_keeps_the_territory_facilities_zipped_as_insee_ships_them(
    tmp_path, sources, monkeypatch
):
    pinned("bpe", sources, monkeypatch)
    out = run("bpe", tmp_path, copying(sources / "BPE25.zip", []))
    assert out == tmp_path / "raw" / "BPE25.zip"
    with zipfile.ZipFile(out) as zf:
        assert zf.namelist() == ["BPE25.csv"]
        assert zf.read("BPE25.csv").decode().splitlines() == [BPE_HEADER, BPE_ROWS[0]]
    assert bpe.read_bpe(out, TERRITORY)["typequ"].tolist() == ["A128"]
    log = pd.read_csv(tmp_path / "raw" / "sources.csv").set_index("file")
    assert log.loc["BPE25.zip", "kind"] == "real" and "8217525" in log.loc["BPE25.zip", "source"]


def test_broadband_keeps_the_national_file_whole(tmp_path, sources, monkeypatch):
    pinned("broadband", sources, monkeypatch)
    out = run("broadband", tmp_path, copying(sources / "commune_techno.csv", []))
    assert out.read_bytes() == (sources / "commune_techno.csv").read_bytes()
    assert out.name == "commune_techno.csv"
    log = pd.read_csv(tmp_path / "raw" / "sources.csv").set_index("file")
    assert fetch.BROADBAND_QUARTER in log.loc["commune_techno.csv", "source"]


def test_official_urls_and_make_fetch_lists_the_new_datasets():
    assert fetch.BPE_URL == "https://www.insee.fr/fr/statistiques/fichier/8217525/BPE25.zip"
    assert fetch.BROADBAND_URL.startswith("https://data.arcep.fr/fixe/maconnexioninternet/")
    assert fetch.BROADBAND_URL.endswith(f"/{fetch.BROADBAND_QUARTER}/commune/commune_techno.csv")
    assert fetch.MEDIATION_URL.startswith("https://www.data.gouv.fr/api/1/datasets/r/")
    assert {"mediation", "bpe", "broadband"} <= set(fetch.FETCHERS) & fetch.PINNABLE
