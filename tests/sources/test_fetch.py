"""Fetch code without the network: pooch's downloader is replaced by a local copy."""

import shutil

import pandas as pd
import pytest
import requests

from pipeline.sources import fetch, mobpro

TERRITORY = ["10001", "10002"]


@pytest.fixture
def national(tmp_path):
    """A tiny stand-in for INSEE's national Parquet file."""
    frame = pd.DataFrame(
        {
            "COMMUNE": ["10001", "10002", "20001", "10001"],
            "ARM": ["ZZZZZ"] * 4,
            "DCLT": ["10001", "10001", "20001", "30001"],
            "IPONDI": [1.25, 2.5, 9.0, 0.75],
            "TRANS": ["5", "Z", "6", "2"],
            "SEXE": ["1", "2", "1", "2"],
            "AGEREVQ": ["030", "040", "050", "025"],
            "GS": ["3", "5", "6", "4"],
        }
    )
    path = tmp_path / "source" / "RP2022_mobpro.parquet"
    path.parent.mkdir()
    frame.to_parquet(path)
    return path


def local_downloader(source, calls=None):
    """A pooch downloader that copies a local file instead of using the network."""

    def download(url, output_file, pooch, check_only=False):
        if calls is not None:
            calls.append(url)
        shutil.copyfile(source, output_file)

    return download


def offline_downloader(url, output_file, pooch, check_only=False):
    raise requests.exceptions.ConnectionError("Failed to resolve 'www.insee.fr'")


def test_mobpro_url_is_the_official_rp2022_file():
    assert fetch.MOBPRO_URL.startswith("https://www.insee.fr/fr/statistiques/fichier/8589904/")
    assert fetch.MOBPRO_URL.endswith("RP2022_mobpro.parquet")
    assert fetch.MOBPRO_VINTAGE == 2022
    assert "mobpro" in fetch.FETCHERS and "populations" in fetch.FETCHERS


def test_unpinned_hash_refuses_before_any_download(tmp_path, national, monkeypatch):
    monkeypatch.setattr(fetch, "MOBPRO_SHA256", None)
    calls = []
    with pytest.raises(fetch.FetchError, match=r"not pinned.*--pin"):
        fetch.fetch_mobpro(
            out_dir=tmp_path / "out",
            codes=TERRITORY,
            downloader=local_downloader(national, calls),
            cache=tmp_path / "cache",
        )
    assert calls == []
    assert not (tmp_path / "out").exists()


def test_pin_downloads_and_prints_the_hash(tmp_path, national, monkeypatch, capsys):
    monkeypatch.setattr(fetch, "MOBPRO_SHA256", None)
    path = fetch.fetch_mobpro(
        pin=True, downloader=local_downloader(national), cache=tmp_path / "cache"
    )
    digest = fetch.sha256(national)
    assert path == tmp_path / "cache" / "RP2022_mobpro.parquet"
    assert fetch.sha256(path) == digest
    out = capsys.readouterr().out
    assert f'MOBPRO_SHA256 = "{digest}"' in out


def test_pinned_file_becomes_the_territory_extract(tmp_path, national, monkeypatch):
    monkeypatch.setattr(fetch, "MOBPRO_SHA256", fetch.sha256(national))
    out_dir = tmp_path / "raw"
    out_dir.mkdir()
    pd.DataFrame(
        [
            ["FD_MOBPRO_2022.csv", "demo", "x", "pipeline.demo", "MIT", "navettes"],
            ["a.csv", "demo", "y", "z", "MIT", "a"],
        ],
        columns=["file", "kind", "format", "source", "licence", "label"],
    ).to_csv(out_dir / "sources.csv", index=False)
    calls = []
    out = fetch.fetch_mobpro(
        out_dir=out_dir,
        codes=TERRITORY,
        downloader=local_downloader(national, calls),
        cache=tmp_path / "cache",
    )
    assert out == out_dir / "FD_MOBPRO_2022.csv"
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("COMMUNE;ARM;DCLT")
    extract = mobpro.read_mobpro(out, TERRITORY)
    assert extract["IPONDI"].tolist() == [1.25, 2.5, 0.75]
    assert extract["TRANS"].tolist() == ["5", "Z", "2"]
    log = pd.read_csv(out_dir / "sources.csv").set_index("file")
    assert log.loc["FD_MOBPRO_2022.csv", "kind"] == "real"
    assert "8589904" in log.loc["FD_MOBPRO_2022.csv", "source"]
    assert log.loc["a.csv", "kind"] == "demo"
    assert log.loc["FD_MOBPRO_2022.csv", "label"] == "navettes"  # kept for the report
    # a second run uses the cached, checked file: no new download
    fetch.fetch_mobpro(
        out_dir=out_dir,
        codes=TERRITORY,
        downloader=local_downloader(national, calls),
        cache=tmp_path / "cache",
    )
    assert len(calls) == 1


def test_file_with_another_hash_is_refused(tmp_path, national, monkeypatch):
    monkeypatch.setattr(fetch, "MOBPRO_SHA256", "0" * 64)
    with pytest.raises(fetch.FetchError, match="refused"):
        fetch.fetch_mobpro(
            out_dir=tmp_path / "out",
            codes=TERRITORY,
            downloader=local_downloader(national),
            cache=tmp_path / "cache",
        )
    assert not (tmp_path / "out" / "FD_MOBPRO_2022.csv").exists()


def test_cached_file_that_changed_is_refused(tmp_path, national, monkeypatch):
    """A tampered cache is downloaded again; if the new copy differs too, it is refused."""
    monkeypatch.setattr(fetch, "MOBPRO_SHA256", fetch.sha256(national))
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "RP2022_mobpro.parquet").write_bytes(b"tampered")
    other = tmp_path / "other.parquet"
    other.write_bytes(b"not the pinned file")
    with pytest.raises(fetch.FetchError, match="refused"):
        fetch.download(fetch.MOBPRO_URL, fetch.MOBPRO_SHA256, cache, local_downloader(other))


def test_offline_error_is_clear(tmp_path, monkeypatch):
    monkeypatch.setattr(fetch, "MOBPRO_SHA256", "0" * 64)
    with pytest.raises(fetch.FetchError) as err:
        fetch.fetch_mobpro(
            out_dir=tmp_path, codes=TERRITORY, downloader=offline_downloader, cache=tmp_path
        )
    assert str(err.value).startswith("cannot reach insee.fr: run `make fetch` with network access")


def test_main_reports_every_failure_and_goes_on(monkeypatch, capsys):
    done = []

    def ok():
        done.append("populations")
        return "populations_legales.csv"

    def unpinned():
        raise fetch.FetchError("the sha256 of the MOBPRO file is not pinned yet")

    monkeypatch.setattr(fetch, "FETCHERS", {"mobpro": unpinned, "populations": ok})
    assert fetch.main([]) == 1
    assert done == ["populations"]
    err = capsys.readouterr().err
    assert "mobpro: the sha256 of the MOBPRO file is not pinned yet" in err


def test_main_arguments(monkeypatch, capsys):
    pins = []
    monkeypatch.setattr(
        fetch,
        "FETCHERS",
        {"mobpro": lambda pin=False: pins.append(pin) or "ok", "populations": lambda: "ok"},
    )
    assert fetch.main(["nothing"]) == 2
    assert fetch.main(["populations", "--pin"]) == 2
    assert fetch.main(["--pin"]) == 0
    assert pins == [True]
    assert "unknown dataset(s): nothing" in capsys.readouterr().err


def test_census_zips_are_kept_whole_under_their_official_names(tmp_path, monkeypatch):
    import zipfile

    source = tmp_path / "national.zip"
    with zipfile.ZipFile(source, "w") as zf:
        zf.writestr("base-cc.CSV", "CODGEO;P22_POP\n01001;10\n")
    digest = fetch.sha256(source)
    with pytest.raises(fetch.FetchError, match=r'not pinned.*CENSUS_SHA256\["population"\]'):
        fetch.fetch_census(out_dir=tmp_path / "out", cache=tmp_path / "cache")
    monkeypatch.setattr(fetch, "CENSUS_SHA256", {theme: digest for theme in fetch.CENSUS})
    written = fetch.fetch_census(out_dir=tmp_path / "out", cache=tmp_path / "cache",
                                 downloader=local_downloader(source))  # fmt: skip
    assert [p.name for p in written] == [
        "base-cc-evol-struct-pop-2022_csv.zip", "base-cc-emploi-pop-active-2022_csv.zip",
        "base-cc-diplomes-formation-2022_csv.zip",
    ]  # fmt: skip
    assert all(p.read_bytes() == source.read_bytes() for p in written)
    log = pd.read_csv(tmp_path / "out" / "sources.csv")
    assert set(log["kind"]) == {"real"} and len(log) == 3
    for _, (_page, url) in fetch.CENSUS.items():
        assert url.startswith("https://www.insee.fr/fr/statistiques/fichier/") and url.endswith(
            "_csv.zip"
        )
