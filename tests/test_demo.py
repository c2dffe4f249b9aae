import filecmp

import pytest

from pipeline.config import ROOT
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
    from pipeline import census, mobpro

    generate("nord_caraibe", tmp_path)
    codes = list(default_base["code"])
    if part == "census":
        pop = census.read_base_cc(tmp_path / "base-cc-evol-struct-pop-2022.zip", codes)
        assert pop["P22_POP"].sum() == pytest.approx(default_base["population"].sum())
    else:
        flows = mobpro.read_mobpro(tmp_path / "FD_MOBPRO_2022.csv", codes)
        workers = flows["IPONDI"].sum()
        assert 0.3 < workers / default_base["population"].sum() < 0.46
