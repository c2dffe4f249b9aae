import pytest

from pipeline.core import checksums
from pipeline.core.config import ROOT, load_params


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
    assert "python -m pipeline.core.checksums record" in message


def test_folder_without_recorded_hashes(tmp_path):
    with pytest.raises(checksums.RawDataChanged, match="no recorded hashes"):
        checksums.verify(tmp_path)


def test_update_records_new_and_written_files_and_keeps_the_other_records(tmp_path):
    (tmp_path / "a.csv").write_text("x\n")
    (tmp_path / "b.csv").write_text("y\n")
    checksums.record(tmp_path)
    (tmp_path / "a.csv").write_text("x edited by hand\n")
    (tmp_path / "b.csv").write_text("y rewritten by the generator\n")
    (tmp_path / "c.csv").write_text("a user's new file\n")
    before = (tmp_path / "c.csv").read_bytes()
    checksums.update(tmp_path, ["b.csv"])
    sums = checksums.recorded(tmp_path)
    assert sums["b.csv"] == checksums.sha256(tmp_path / "b.csv")
    assert sums["c.csv"] == checksums.sha256(tmp_path / "c.csv")
    assert (tmp_path / "c.csv").read_bytes() == before  # recorded, not altered
    with pytest.raises(checksums.RawDataChanged, match=r"a\.csv: changed since recorded"):
        checksums.verify(tmp_path)  # a hand edit is still refused


def test_the_cli_refuses_an_unsafe_territory_key(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(checksums, "load_params", lambda *a: {"territory": "../../x"})
    monkeypatch.setattr(checksums, "ROOT", tmp_path)  # whatever happens, nothing written here
    assert checksums.main(["record"]) == 2
    assert "invalid territory key '../../x'" in capsys.readouterr().err
