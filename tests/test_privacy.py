"""Personal data end to end (issue 7): canary identifiers planted in the raw survey export and
interview grid never reach the processed tables nor anything under reports/; and the chain run
twice on the same inputs writes the same bytes."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from study import copy_project, run

from pipeline.core.config import load_params

pytestmark = pytest.mark.e2e

# Plain ASCII, so that no HTML or JSON escaping can hide a leak from the search.
NAME = "Zorglub Canarinovski"
EMAIL = "zorglub.canarinovski@canari-test.example"
PHONES = ["+596 (0)696 12 34 56", "06 12 34 56 78"]
ADDRESS = "12 rue des Lilas, 97200 Fort-de-France"
THIRD_PARTY = "Mme Adelaide Canarinette"
ROLE = "Directrice de la Canarinerie"
CONTACTS = f"{EMAIL}, {PHONES[0]}, {PHONES[1]}, {ADDRESS}"
# What must be found nowhere ("Fort-de-France" alone is a commune the report may name).
CANARIES = [
    *NAME.split(), EMAIL, "canari-test", *PHONES, "(0)696", "12 34 56", "rue des Lilas",
    "Lilas", "Adelaide", "Canarinette", "Canarinerie",
]  # fmt: skip


def rewrite_csv(path: Path, sep: str, change) -> None:
    """Read a raw CSV as rows of text, let `change` edit them, write it back the same way."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [dict(r) for r in csv.DictReader(fh, delimiter=sep)]
    header = change(rows)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header, delimiter=sep, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def plant_in_survey(rows: list[dict]) -> list[str]:
    """Free-text comment and e-mail identifier, plus LimeSurvey's own identifier columns."""
    header = [*rows[0], "firstname", "lastname", "token", "ipaddr"]
    first, last = NAME.split()
    for row in rows:
        row.update(firstname="", lastname="", token="", ipaddr="")
    for row in rows[:3]:
        row["Q19_commentaire"] = f"Je suis {NAME}, écrivez-moi : {CONTACTS}. Voyez {THIRD_PARTY}."
        row["Q20_email"] = EMAIL
        row.update(firstname=first, lastname=last, token=EMAIL, ipaddr=PHONES[1])
    return header


def plant_in_interviews(rows: list[dict]) -> list[str]:
    """The interlocutor's name, role and contacts, and quotes naming them or a third party."""
    rows[0].update(interlocuteur=NAME, fonction=ROLE, courriel=EMAIL, telephone=PHONES[0])
    rows[0]["citation"] = f"Je suis {NAME} ({CONTACTS}) : un lieu au bourg, vite."
    rows[1]["citation"] = f"Voyez {NAME.upper()} ou {THIRD_PARTY} au {PHONES[1]}, {ADDRESS}."
    rows[2]["citation"] = f"{NAME.split()[1]} a raison, il faut un lieu ouvert le samedi."
    return list(rows[0])


@pytest.fixture(scope="module")
def canary_study(tmp_path_factory) -> Path:
    copy = copy_project(tmp_path_factory.mktemp("canary"))
    raw = copy / "data" / "raw" / load_params()["territory"]
    rewrite_csv(raw / "enquete_population.csv", ";", plant_in_survey)
    rewrite_csv(raw / "entretiens_grille.csv", ",", plant_in_interviews)
    run(["python", "-m", "pipeline.core.checksums", "record"], copy)  # as `make checksums` does
    run(["dvc", "repro"], copy)
    return copy


def texts(folder: Path):
    """(file, text) of every file below `folder`: Parquet tables as their values and column
    names, other files as text."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".parquet":
            table = pd.read_parquet(path)
            cells = [*table.columns, *table.to_numpy().ravel()]  # geometries as bytes
            yield path, "\n".join(map(str, cells))
        else:
            yield path, path.read_bytes().decode("utf-8", errors="replace")


def test_the_canaries_were_planted_where_the_chain_reads(canary_study):
    raw = canary_study / "data" / "raw" / load_params()["territory"]
    for name in ("enquete_population.csv", "entretiens_grille.csv"):
        text = (raw / name).read_text(encoding="utf-8")
        assert NAME in text and EMAIL in text and PHONES[1] in text and ADDRESS in text, name
    assert (canary_study / "reports" / "rapport.html").exists()
    quotes = pd.read_parquet(canary_study / "data/processed/04_interviews/quotes.parquet")
    assert quotes["quote"].str.contains("un lieu au bourg, vite.", regex=False).any()


def test_no_canary_in_processed_tables_nor_report(canary_study):
    searched = [
        *texts(canary_study / "data" / "processed"),
        *texts(canary_study / "reports"),
    ]
    assert any(p.suffix == ".parquet" for p, _ in searched)
    assert any(p.name == "notebook.ipynb" for p, _ in searched)
    leaks = [
        f"{path.relative_to(canary_study)}: {canary!r}"
        for path, text in searched
        for canary in CANARIES
        if canary.lower() in text.lower()
    ]
    assert leaks == []


def test_a_rerun_writes_the_same_bytes(canary_study):
    """No wall-clock time, random id or unstable order in outputs: forcing the interviews stage
    and the report to run again, seconds later, rewrites them byte for byte."""
    outputs = sorted((canary_study / "data" / "processed" / "04_interviews").iterdir())
    outputs.append(canary_study / "reports" / "rapport.html")
    before = {path: path.read_bytes() for path in outputs}
    run(["dvc", "repro", "--force", "--single-item", "04_interviews", "report"], canary_study)
    assert {path: path.read_bytes() for path in outputs} == before
