"""A phase writes its tables in its own folder and reads earlier ones through their handles."""

import pandas as pd

from pipeline.core.phase import Phase, Table


def test_a_table_written_by_a_phase_is_read_back_through_its_handle(tmp_path):
    table = Table("01_portrait", "communes")
    assert table.path(tmp_path) == tmp_path / "data/processed/01_portrait/communes.parquet"
    frame = pd.DataFrame({"code": ["97201"], "population": [1200]})
    written = Phase("01_portrait", {}, {"key": "x"}, tmp_path).write(frame, "communes")
    assert written == table.path(tmp_path)
    later = Phase("02_mobility", {}, {"key": "x"}, tmp_path)
    pd.testing.assert_frame_equal(later.read(table), frame)
