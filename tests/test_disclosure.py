"""Disclosure control: primary and secondary suppression of small cells."""

import numpy as np
import pandas as pd

from pipeline import disclosure


def test_small_cells_are_suppressed_with_a_secondary_cell():
    table = pd.DataFrame(
        {
            "indicator": ["a"] * 4 + ["b"] * 3 + ["c"] * 2,
            "n": [5, 40, 20, 30, 3, 4, 50, 60, 70],
            "weighted": np.linspace(0.1, 0.9, 9),
        }
    )
    out = disclosure.suppress(table, "n", 11, ["weighted"], ["indicator"])
    # a: 5 is primary, the next smallest (20) secondary; b: two primaries, no secondary needed;
    # c: nothing small.
    assert out["suppression"].tolist() == [
        "primary",
        "",
        "secondary",
        "",
        "primary",
        "primary",
        "",
        "",
        "",
    ]
    assert out.loc[out["suppressed"], "weighted"].isna().all()
    assert out.loc[~out["suppressed"], "weighted"].notna().all()
    # What is left cannot give back a blanked cell from the total of its group.
    for _, group in out.groupby("indicator"):
        assert (group["suppressed"]).sum() != 1


def test_suppression_blanks_counts_as_missing_integers():
    table = pd.DataFrame({"g": ["x", "x"], "respondents": [3, 40], "weighted": [0.1, 0.9]})
    out = disclosure.suppress(table, "respondents", 11, ["respondents", "weighted"], ["g"])
    assert out["respondents"].dtype == "Int64" and out["respondents"].isna().all()
