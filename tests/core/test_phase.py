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


def test_a_notebook_says_which_of_its_inputs_are_demo_data(capsys):
    """The default study's interviews are demo data: the notebook says so, naming only them."""
    from pipeline.core.phase import open_phase

    open_phase("04_interviews")
    said = capsys.readouterr().out
    assert "Données de démonstration en entrée de cette étape : entretiens avec les acteurs" in said
    assert "recensement" not in said  # the interviews do not read the census
