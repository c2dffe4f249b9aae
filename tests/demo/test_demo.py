import filecmp
import shutil

import pytest

from pipeline.core.config import ROOT
from pipeline.demo import GENERATORS, MANIFEST, generate, rng_for


def test_generator_reproduces_the_committed_demo_files_byte_for_byte(tmp_path):
    generate("nord_caraibe", tmp_path)
    committed = ROOT / "data" / "raw" / "nord_caraibe"
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "SHA256SUMS" in names and "sources.csv" in names
    assert names == sorted(p.name for p in committed.iterdir() if p.is_file())
    match, mismatch, errors = filecmp.cmpfiles(committed, tmp_path, names, shallow=False)
    assert mismatch == [] and errors == []


def test_every_generator_declares_its_format():
    import importlib

    for part in GENERATORS:
        assert importlib.import_module(f"pipeline.demo.{part}").FORMAT


def test_parts_get_independent_seeds():
    a = rng_for("x", 1, "survey").random()
    assert a == rng_for("x", 1, "survey").random()
    assert a != rng_for("x", 1, "census").random()
    assert a != rng_for("y", 1, "survey").random()


def test_manifest_marks_every_file_as_demo(tmp_path):
    import pandas as pd

    generate("nord_caraibe", tmp_path)
    manifest = pd.read_csv(tmp_path / MANIFEST)
    assert set(manifest["kind"]) == {"demo"}
    assert len(manifest) == len(list(tmp_path.iterdir())) - 2  # all but itself and SHA256SUMS


@pytest.mark.parametrize("part", ["census", "mobpro"])
def test_demo_census_totals_are_calibrated_on_legal_populations(tmp_path, default_base, part):
    from pipeline.sources import census, mobpro

    generate("nord_caraibe", tmp_path)
    codes = list(default_base["code"])
    if part == "census":
        pop = census.read_base_cc(tmp_path / census.census_file("population", 2022), codes)
        assert pop["P22_POP"].sum() == pytest.approx(default_base["population"].sum())
    else:
        flows = mobpro.read_mobpro(tmp_path / mobpro.csv_name(2022), codes)
        workers = flows["IPONDI"].sum()
        assert 0.3 < workers / default_base["population"].sum() < 0.46


def test_demo_census_zips_are_laid_out_as_insee_publishes_them(tmp_path):
    import io
    import zipfile

    import pandas as pd

    from pipeline.sources import census

    generate("nord_caraibe", tmp_path)
    for theme in census.THEMES:
        with zipfile.ZipFile(tmp_path / census.census_file(theme, 2022)) as zf:
            data = census.data_member(theme, 2022)
            assert zf.namelist() == [data, census.META_PREFIX + data]
            header = zf.read(data).decode("utf-8").split("\n")[0].split(";")
            meta = pd.read_csv(io.BytesIO(zf.read(census.META_PREFIX + data)), sep=";", dtype=str)
        assert list(meta.columns) == ["COD_VAR", "LIB_VAR", "LIB_VAR_LONG", "COD_MOD", "LIB_MOD",
                                      "TYPE_VAR", "LONG_VAR"]  # fmt: skip
        assert meta["COD_VAR"].tolist() == header and meta["LIB_VAR"].notna().all()
        if theme == "population":  # the communal file's sex-by-age columns, not the IRIS one's
            assert {"P22_H7589", "P22_H90P", "P22_F7589", "P22_F90P"} <= set(header)
            assert not {"P22_H75P", "P22_F75P"} & set(header)


# User files are sacred (issue 13): the generator never writes over a file it did not write.
USER_SITES = b"nom,commune\nMa vraie liste,97234\n"


def log_of(folder):
    import pandas as pd

    return pd.read_csv(folder / MANIFEST, dtype=str, keep_default_na=False).set_index("file")


def test_files_placed_before_the_first_run_are_kept_used_and_logged_as_real(tmp_path):
    from pipeline.core import checksums
    from pipeline.core.config import load_params, load_territory
    from pipeline.report import appendix as report_appendix
    from pipeline.report.numbers import Report

    out = tmp_path / "data" / "raw" / "nord_caraibe"
    out.mkdir(parents=True)
    (out / "sites_candidats.csv").write_bytes(USER_SITES)
    generate("nord_caraibe", out, if_missing=True)
    assert (out / "sites_candidats.csv").read_bytes() == USER_SITES
    log = log_of(out)
    assert log.loc["sites_candidats.csv", "kind"] == "real"
    assert log.loc["sites_candidats.csv", "demo_sha256"] == ""
    assert log.loc["enquete_population.csv", "kind"] == "demo"
    assert checksums.recorded(out)["sites_candidats.csv"] == checksums.sha256(
        out / "sites_candidats.csv"
    )
    checksums.verify(out)
    # The report's provenance: no demo banner for the sites, « réelle » in the appendix.
    shutil.copy(ROOT / "data" / "raw" / "sources.csv", tmp_path / "data" / "raw" / "sources.csv")
    params = load_params()
    report = Report(tmp_path, params, load_territory("nord_caraibe", params))
    assert "sites candidats" not in report.demo_inputs()
    assert "enquête auprès de la population" in report.demo_inputs()
    [line] = [x for x in str(report_appendix.sources(report)).splitlines() if "candidats" in x]
    assert "réelle" in line and "démonstration" not in line


def test_if_missing_writes_only_the_missing_files(tmp_path):
    generate("nord_caraibe", tmp_path)
    demo_survey = (tmp_path / "enquete_population.csv").read_bytes()
    (tmp_path / "enquete_population.csv").unlink()
    (tmp_path / "sites_candidats.csv").write_bytes(USER_SITES)  # a user's file after the run
    generate("nord_caraibe", tmp_path, if_missing=True)
    assert (tmp_path / "enquete_population.csv").read_bytes() == demo_survey
    assert (tmp_path / "sites_candidats.csv").read_bytes() == USER_SITES
    assert log_of(tmp_path).loc["sites_candidats.csv", "kind"] == "real"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left


def test_if_missing_with_every_file_present_writes_nothing(tmp_path):
    generate("nord_caraibe", tmp_path)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert generate("nord_caraibe", tmp_path, if_missing=True) == []
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize("how", ["edited", "marked_real", "unlogged"])
def test_regenerating_refuses_to_overwrite_a_user_file_and_names_it(tmp_path, how):
    generate("nord_caraibe", tmp_path)
    target = tmp_path / "sites_candidats.csv"
    if how == "edited":
        target.write_bytes(USER_SITES)
    elif how == "marked_real":
        log = (tmp_path / MANIFEST).read_text(encoding="utf-8")
        (tmp_path / MANIFEST).write_text(
            log.replace("sites_candidats.csv,demo,", "sites_candidats.csv,real,"), encoding="utf-8"
        )
    else:
        log = (tmp_path / MANIFEST).read_text(encoding="utf-8").splitlines(keepends=True)
        (tmp_path / MANIFEST).write_text(
            "".join(x for x in log if not x.startswith("sites_")), encoding="utf-8"
        )
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(RuntimeError, match=r"sites_candidats\.csv: not written by the demo"):
        generate("nord_caraibe", tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_regenerating_rewrites_the_generators_own_files(tmp_path):
    generate("nord_caraibe", tmp_path)
    (tmp_path / "atelier_idees.csv").unlink()
    written = generate("nord_caraibe", tmp_path)
    assert tmp_path / "atelier_idees.csv" in written
    match, mismatch, errors = filecmp.cmpfiles(
        ROOT / "data" / "raw" / "nord_caraibe", tmp_path, ["atelier_idees.csv", MANIFEST], False
    )
    assert mismatch == errors == []


def test_a_folder_logged_by_the_older_generator_is_still_recognised(tmp_path):
    """Logs without `demo_sha256`: the hashes of SHA256SUMS, recorded by the generator, count."""
    import pandas as pd

    generate("nord_caraibe", tmp_path)
    log = pd.read_csv(tmp_path / MANIFEST, dtype=str).drop(columns="demo_sha256")
    log.to_csv(tmp_path / MANIFEST, index=False, lineterminator="\n")
    from pipeline.core import checksums

    checksums.record(tmp_path)
    generate("nord_caraibe", tmp_path)  # no refusal: every file is the generator's
    assert set(log_of(tmp_path)["kind"]) == {"demo"}


@pytest.mark.parametrize("key", ["../../x", "yes", "010", "a: b", "Nord"])
def test_the_demo_cli_refuses_an_invalid_territory_key(tmp_path, capsys, key):
    from pipeline.demo import main

    assert main([key, "--out", str(tmp_path)]) == 1
    assert f"invalid territory key {key!r}" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
