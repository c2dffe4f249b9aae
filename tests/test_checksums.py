import pytest

from pipeline import checksums
from pipeline.config import ROOT, load_params


def test_committed_raw_data_match_their_recorded_hashes():
    for folder in checksums.raw_folders(ROOT, load_params()["territory"]):
        checksums.verify(folder)


def test_changed_missing_and_unrecorded_files_are_refused(tmp_path):
    (tmp_path / "a.csv").write_text("x\n")
    (tmp_path / "b.csv").write_text("y\n")
    checksums.record(tmp_path)
    checksums.verify(tmp_path)
    (tmp_path / "a.csv").write_text("x edited\n")
    (tmp_path / "b.csv").unlink()
    (tmp_path / "c.csv").write_text("new\n")
    with pytest.raises(checksums.RawDataChanged) as err:
        checksums.verify(tmp_path)
    message = str(err.value)
    assert "a.csv: changed since recorded" in message
    assert "b.csv: recorded but missing" in message
    assert "c.csv: not recorded" in message
    assert "python -m pipeline.checksums record" in message


def test_folder_without_recorded_hashes(tmp_path):
    with pytest.raises(checksums.RawDataChanged, match="no recorded hashes"):
        checksums.verify(tmp_path)
