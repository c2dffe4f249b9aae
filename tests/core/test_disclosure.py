"""Disclosure control: primary and secondary suppression of small cells."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core import disclosure
from pipeline.survey import estimates as survey
from pipeline.survey import views as survey_tables


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


def published_ok(out: pd.DataFrame, count: str, min_cell: int, columns: list[str], groups):
    """The rule: no published cell under `min_cell`, blanked cells empty, never one alone."""
    shown = out[~out["suppressed"]]
    assert (shown[count] >= min_cell).all()
    assert out.loc[out["suppressed"], columns].isna().all().all()
    for _, cells in out.groupby(groups) if groups else [(None, out)]:
        assert cells["suppressed"].sum() != 1 or len(cells) == 1


@settings(max_examples=200, deadline=None)
@given(
    counts=st.lists(st.integers(0, 40), min_size=1, max_size=12),
    n_groups=st.integers(1, 3),
    min_cell=st.integers(1, 20),
)
def test_suppression_rule_holds_for_any_table(counts, n_groups, min_cell):
    table = pd.DataFrame(
        {"g": [i % n_groups for i in range(len(counts))], "n": counts, "v": np.arange(len(counts))}
    )
    out = disclosure.suppress(table, "n", min_cell, ["n", "v"], ["g"])
    assert len(out) == len(table)
    # What is published is what came in.
    kept = ~out["suppressed"]
    assert (out.loc[kept, "v"].to_numpy() == table.loc[kept.to_numpy(), "v"].to_numpy()).all()
    # Blanked counts cannot be recovered from their group's total: never one alone in a group.
    published_ok(out, "n", min_cell, ["n", "v"], ["g"])


def breakdown(sizes: dict[str, int], yes_share: float = 0.5):
    """Flags, weights and a one-column breakdown with levels of the given sizes."""
    levels = [level for level, n in sizes.items() for _ in range(n)]
    flags = pd.DataFrame({"x": [float(i % int(1 / yes_share) == 0) for i in range(len(levels))]})
    groups = pd.DataFrame({"activity": pd.Categorical(levels, categories=list(sizes))})
    return flags, pd.Series(1.0, index=flags.index), groups


def test_by_group_blanks_a_small_level_its_size_included_and_a_second_level():
    flags, weights, groups = breakdown({"Salarié": 40, "Retraité": 30, "Chômeur": 5})
    out = survey.by_group(flags, weights, groups, {"x": "X"}, 0.95, 11).set_index("group")
    assert out.loc["Chômeur", "suppression"] == "primary"
    assert out.loc["Retraité", "suppression"] == "secondary"  # else 75 - 40 - 30 = 5
    assert out.loc["Salarié", "n"] == 40 and not out.loc["Salarié", "suppressed"]
    columns = ["n", "respondents_yes", "unweighted", "weighted", "ci_low", "ci_high"]
    assert out.loc[["Chômeur", "Retraité"], columns].isna().all().all()
    published_ok(out, "n", 11, columns, ["breakdown", "indicator"])
    shown = survey_tables.groups_table(out.reset_index(), ["x"])
    assert shown["Répondants (n)"].tolist() == ["40", "s", "s"]


def test_by_group_publishes_every_level_reaching_the_threshold():
    flags, weights, groups = breakdown({"Salarié": 40, "Retraité": 11})
    out = survey.by_group(flags, weights, groups, {"x": "X"}, 0.95, 11)
    assert not out["suppressed"].any() and out["n"].tolist() == [40, 11]


def test_margins_blank_small_levels_and_every_age_sex_cell_with_them():
    rows = [("age", "A1", 8), ("age", "A2", 52), ("age", "A3", 40), ("sex", "H", 50),
            ("sex", "F", 50), ("age_sex", "A1 H", 4), ("age_sex", "A1 F", 4),
            ("age_sex", "A2 H", 26), ("age_sex", "A2 F", 26), ("age_sex", "A3 H", 20),
            ("age_sex", "A3 F", 20)]  # fmt: skip
    margins = pd.DataFrame(rows, columns=["variable", "level", "respondents"])
    margins = margins.assign(sample=margins["respondents"] / 100, weighted=0.1)
    out = survey.published_margins(margins, 11).set_index("level")
    assert out.loc["A1", "suppression"] == "primary" and out.loc["A3", "suppression"] == "secondary"
    assert not out.loc[["A2", "H", "F"], "suppressed"].any()
    # A2 × H published with A2 and H would give the rest back: no age × sex cell is left.
    crossed = out[out["variable"] == "age_sex"]
    assert crossed["suppressed"].all() and crossed[["respondents", "sample"]].isna().all().all()
