"""Phase 10, legal forms and governance scheme: each scenario's legal forms scored on the
criteria of params (`governance.legal_forms.criteria`), which read the scenario's facts
(`legal_facts`), and the bodies of the recommended form.

A criterion reads one fact and puts the scenario in situation `oui` when the fact reaches its
`at_least`, `non` otherwise. `data/raw/formes_juridiques_notes.csv` scores each form from 1 to 5
in each situation of each criterion (5 suits the project best), with the justification of each
score; `data/raw/formes_juridiques.csv` describes each form and its legal texts. A form's score
for a scenario is the weighted sum of its notes in that scenario's situations. The bodies of each
form (who sits, their role, how often they meet) are data, in `data/raw/gouvernance_instances.csv`:
the scheme shown is the rows of the form recommended for the recommended scenario.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.core.validate import (
    InputFileError,
    non_empty,
    number,
    one_of,
    read_checked_csv,
    to_integers,
)

LEGAL_FORMS_FILE = "data/raw/formes_juridiques.csv"
NOTES_FILE = "data/raw/formes_juridiques_notes.csv"
SCHEME_FILE = "data/raw/gouvernance_instances.csv"
SCORE_RANGE = (1, 5)
YES, NO = "oui", "non"  # the two situations of a criterion
SCHEME_COLUMNS = ["forme", "ordre", "instance", "composition", "role", "frequence"]


# --- legal forms and their notes ------------------------------------------------------------


def read_legal_forms(path: Path) -> pd.DataFrame:
    """The legal forms: name, description and legal texts, each form once."""
    text = pa.Column(str, non_empty())
    schema = pa.DataFrameSchema(
        {
            "forme": pa.Column(str, non_empty(), unique=True, report_duplicates="exclude_first"),
            "description": text,
            "source": text,
        },
        strict=True,
    )
    return read_checked_csv(path, schema)


def read_notes(path: Path, forms: list[str], criteria: list[str]) -> pd.DataFrame:
    """The notes of each form in each situation of each criterion, checked: every note an
    integer 1-5 with its justification, each (form, criterion, situation) once, and every form
    scored in both situations of every criterion of params (the file may score more criteria).

    Errors name the file, the line (header = line 1), the column and what is missing."""
    low, high = SCORE_RANGE
    schema = pa.DataFrameSchema(
        {
            "forme": pa.Column(str, one_of(forms)),
            "critere": pa.Column(str, non_empty()),
            "situation": pa.Column(str, one_of([YES, NO])),
            "note": pa.Column(str, number(low, high, integer=True)),
            "justification": pa.Column(str, non_empty()),
        },
        strict=True,
        unique=["forme", "critere", "situation"],
        report_duplicates="exclude_first",
    )
    notes = to_integers(read_checked_csv(path, schema), ["note"])
    have = set(zip(notes["forme"], notes["critere"], notes["situation"]))
    missing = [
        f"{f} / {c} / {s}"
        for c in criteria
        for f in forms
        for s in (YES, NO)
        if (f, c, s) not in have
    ]
    if missing:
        raise InputFileError(
            f"{path}: expected a note for every form, criterion of params.yaml "
            f"(governance.legal_forms.criteria) and situation ({YES}, {NO}); none for "
            + ", ".join(missing)
        )
    return notes


def situations(facts: pd.DataFrame, criteria: dict) -> pd.DataFrame:
    """Each scenario's situation on each criterion (long table: scenario, criterion, fact,
    value, at_least, situation): `oui` when the fact reaches `at_least`."""
    rows = [
        {
            "scenario": f["scenario"],
            "criterion": key,
            "fact": spec["fact"],
            "value": float(f[spec["fact"]]),
            "at_least": float(spec["at_least"]),
            "situation": YES if float(f[spec["fact"]]) >= float(spec["at_least"]) else NO,
        }
        for _, f in facts.iterrows()
        for key, spec in criteria.items()
    ]
    return pd.DataFrame(rows)


def score_forms(notes: pd.DataFrame, situation: pd.DataFrame, criteria: dict) -> pd.DataFrame:
    """Every form scored for every scenario of `situation`: the note of each criterion in the
    scenario's situation, the weighted score, the rank within the scenario (1 = best) and the
    recommended form (the best; ties go to the form named first in alphabetical order)."""
    picked = situation.merge(
        notes, left_on=["criterion", "situation"], right_on=["critere", "situation"]
    )
    picked["weighted"] = picked["note"] * picked["criterion"].map(
        {k: float(c["weight"]) for k, c in criteria.items()}
    )
    wide = picked.pivot_table(
        index=["scenario", "forme"], columns="criterion", values="note", aggfunc="first"
    )[list(criteria)]
    table = wide.assign(score=picked.groupby(["scenario", "forme"])["weighted"].sum()).reset_index()
    order = list(dict.fromkeys(situation["scenario"]))
    table["order"] = table["scenario"].map(order.index)
    table["rank"] = (
        table.groupby("scenario")["score"].rank(ascending=False, method="min").astype(int)
    )
    table = table.sort_values(["order", "rank", "forme"], kind="stable").reset_index(drop=True)
    table["recommended"] = ~table.duplicated("scenario")
    columns = ["scenario", "forme", "score", "rank", "recommended", *criteria]
    return table[columns].rename_axis(columns=None)


def recommended_forms(by_scenario: pd.DataFrame, scenario: str, forms: pd.DataFrame):
    """The forms scored for `scenario`, best first, with their description and legal texts."""
    rows = by_scenario.loc[by_scenario["scenario"] == scenario].drop(columns="scenario")
    return rows.merge(forms, on="forme", how="left").reset_index(drop=True)


def justifications(notes: pd.DataFrame, situation: pd.DataFrame, form: str, scenario: str):
    """For `form` and `scenario`: each criterion, the scenario's situation, the form's note and
    its justification (criteria in the order of `situation`)."""
    rows = situation.loc[situation["scenario"] == scenario]
    chosen = notes.loc[notes["forme"] == form, ["critere", "situation", "note", "justification"]]
    return rows.merge(
        chosen, left_on=["criterion", "situation"], right_on=["critere", "situation"]
    ).drop(columns="critere")


def switches(notes: pd.DataFrame, situation: pd.DataFrame, criteria: dict, scenario: str):
    """For `scenario`, each criterion's situation turned over alone: the form that would then be
    recommended, its score, and whether it differs from the form recommended now."""
    mine = situation.loc[situation["scenario"] == scenario]
    now = score_forms(notes, mine, criteria)
    form = now.loc[now["recommended"], "forme"].iloc[0]
    rows = []
    for key in criteria:
        turned = mine.copy()
        at = turned["criterion"] == key
        turned.loc[at, "situation"] = turned.loc[at, "situation"].map({YES: NO, NO: YES})
        best = score_forms(notes, turned, criteria).iloc[0]
        rows.append({
            "scenario": scenario, "criterion": key, "fact": mine.loc[at, "fact"].iloc[0],
            "at_least": float(mine.loc[at, "at_least"].iloc[0]),
            "situation": mine.loc[at, "situation"].iloc[0],
            "turned": turned.loc[at, "situation"].iloc[0], "forme": best["forme"],
            "score": float(best["score"]), "changes": best["forme"] != form,
        })  # fmt: skip
    return pd.DataFrame(rows)


# --- governance scheme ----------------------------------------------------------------------


def read_scheme(path: Path, forms: list[str]) -> pd.DataFrame:
    """Bodies of each legal form, checked: every form of the grid has at least one body, and
    each (form, order) pair appears once. Errors name the file, line, column and value."""
    text = pa.Column(str, non_empty())
    schema = pa.DataFrameSchema(
        {
            "forme": pa.Column(str, one_of(forms)),
            "ordre": pa.Column(str, number(1, integer=True)),
            "instance": text,
            "composition": text,
            "role": text,
            "frequence": text,
        },
        strict=True,
        unique=["forme", "ordre"],
        report_duplicates="exclude_first",
    )
    table = read_checked_csv(path, schema)
    absent = [f for f in forms if f not in set(table["forme"])]
    if absent:
        raise InputFileError(
            f"{path}: column 'forme': expected at least one body for every form of "
            f"{LEGAL_FORMS_FILE}, found none for {', '.join(absent)}"
        )
    return to_integers(table, ["ordre"])[SCHEME_COLUMNS]


def governance_scheme(scheme: pd.DataFrame, form: str) -> pd.DataFrame:
    """The bodies of `form`, in their order."""
    rows = scheme.loc[scheme["forme"] == form].sort_values("ordre", kind="stable")
    if rows.empty:
        raise ValueError(f"{SCHEME_FILE}: no body for the recommended form {form!r}")
    return rows.reset_index(drop=True)
