"""Bad inputs (issue 7): every loader reads what can be read safely, with a warning, and refuses
the rest, naming the file, the line, the column, what was expected and what was found.

Each broken file is a transformed copy of a clean one, built from the inputs in data/raw (read
only: copies go to tmp_path). `MATRIX` says, for each loader, which cases apply and what must
happen: WARN (read to the same result as the clean file, with an InputWarning), READ (the same
result; the case is not a fault for this format), or REFUSE (an InputFileError whose message
names the file and, where they exist, the line, the column and what was found). A refusal never
quotes the value of a project file (PERSONAL: a name and a phone number typed into a cell): it
may be personal data, and messages reach the executed notebooks.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pandas as pd
import pandera.pandas as pa
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.benchmark import grid as benchmark
from pipeline.core import checksums, config
from pipeline.core.config import ROOT
from pipeline.core.validate import (
    InputFileError,
    InputWarning,
    non_empty,
    number,
    one_of,
    read_checked_csv,
    read_records,
)
from pipeline.demand import workshop
from pipeline.governance import launch, stakeholders
from pipeline.governance import legal_form as governance
from pipeline.interviews import coding as interviews
from pipeline.sites import candidates as sites
from pipeline.sources import census, mobpro, strategy
from pipeline.sources.communes import read_populations, territory_base
from pipeline.sources.mediation import MEDIATION_FILE
from pipeline.sources.places import OTHER_FILE, read_places
from pipeline.survey import exports
from pipeline.survey.codebook import read_codebook

RAW = ROOT / "data" / "raw"
DEMO = RAW / "nord_caraibe"
ROW = 2  # the data row (0-based) that cell cases break
EXTRA = "colonne_inconnue"

WARN, READ, REFUSE = "warn", "read", "refuse"
# Cases of CSV files
SEP, DECIMAL, LATIN1, BOM = "separator", "decimal comma", "latin-1", "bom"
MISSING, UNEXPECTED, WRONG_TYPE = "missing column", "unexpected column", "wrong type"
OUT_OF_RANGE, DUPLICATE, COMMUNE = "out-of-range code", "duplicated id", "unknown commune"
EMPTY, CUT_ROW, CUT_QUOTE = "empty file", "truncated mid-row", "truncated mid-quote"
COORDINATES = "coordinates outside"
PERSONAL = "personal data in a cell"
PERSONAL_VALUE = "Jean DUPONT 0696 12 34 56"
# Cases of YAML files (with LATIN1, BOM, MISSING, WRONG_TYPE, OUT_OF_RANGE, COMMUNE, EMPTY)
BAD_YAML, DUPLICATE_KEY, TRUNCATED = "bad yaml", "duplicated key", "truncated"
UNKNOWN_KEY, UNKNOWN_EPCI = "unknown territory key", "unknown epci"


# --- readers: each takes the (copied, perhaps broken) file and the territory's communes -------


def column_values(path: Path, column: str) -> list[str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [row[column] for row in csv.DictReader(fh)]


FORMS = list(dict.fromkeys(column_values(RAW / "gouvernance_instances.csv", "forme")))
CRITERIA = list(dict.fromkeys(column_values(RAW / "formes_juridiques_notes.csv", "critere")))
PROGRAMME = RAW / "programme_lancement.csv"
SEGMENTS = sorted({p for text in column_values(PROGRAMME, "publics") for p in text.split("|")}
                  - {launch.ALL_PUBLICS})  # fmt: skip
MONTHS = max(int(m) for m in column_values(PROGRAMME, "mois"))


def read_survey(path, base):
    book = read_codebook(DEMO / "enquete_codebook.yaml")
    return exports.read_export(path, book, list(base["code"]))


def read_params(path, base):
    """The territory params.yaml selects, and every stage's params as `pipeline.core.run` hands them."""
    params, stages = config.load_params(path.parent), config.read_yaml(path.parent / "dvc.yaml")
    territory = config.load_territory(params["territory"], params, path.parent)
    return territory, {stage: config.stage_params(stage, path.parent) for stage in stages["stages"]}


def read_territory(path, base):
    params = config.load_params()
    territory = config.load_territory(path.stem, params, path.parent.parent)
    communes = territory_base(territory, ROOT / params["inputs"]["populations"], "v")
    return territory, communes.drop(columns="geometry")


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def head(path: Path, rows: int = 300) -> str:
    return "\n".join(read_text(path).split("\n")[: rows + 1]) + "\n"


def census_text(path: Path) -> str:
    """The CSV of a census zip, with commune names so that its encoding matters."""
    with zipfile.ZipFile(path) as zf:
        lines = zf.read(zf.namelist()[0]).decode("utf-8").rstrip("\n").split("\n")
    return "\n".join([lines[0] + ";LIBGEO", *(f"{line};Le Prêcheur" for line in lines[1:])])


def mobpro_text(path: Path) -> str:
    """The demo MOBPRO file's first rows, with an accented value in a column not read."""
    return head(path).replace(";ZZZZZ;", ";Zoné;")


@dataclass(frozen=True)
class Loader:
    """A loader, the clean file it reads, and what to break in it."""

    source: Path
    read: Callable  # (path, communes) -> table, or anything comparable
    sep: str | None = ","  # None: a YAML file
    name: str | None = None  # file name of the copy (default: the source's)
    required: str | None = None  # a column (or YAML line) the loader needs
    number: str | None = None  # a column of numbers
    cells: dict = field(default_factory=dict)  # case -> (column, bad value or None: row 0's)
    # YAML case -> (old text, new text, words); no new text: the file is cut after the old one
    edits: dict = field(default_factory=dict)
    text: Callable[[Path], str] = read_text  # the clean text, from the source
    also: tuple = ()  # other files the loader needs beside it (YAML roots)
    streamed: bool = False  # a file too large to count its lines: errors name the "last line"


POP_ZIP = census.census_file("population", 2022)
# fmt: off
LOADERS = {
    "census": Loader(
        DEMO / POP_ZIP, lambda p, b: census.read_base_cc(p, list(b["code"])), sep=";",
        name=POP_ZIP.replace(".zip", ".csv"), text=census_text,
        required="CODGEO", number="P22_POP0014",
        cells={WRONG_TYPE: ("P22_POP", "beaucoup"), DUPLICATE: ("CODGEO", None),
               COMMUNE: ("CODGEO", "97299")},
    ),
    "mobpro": Loader(
        DEMO / "FD_MOBPRO_2022.csv", lambda p, b: mobpro.read_mobpro(p, list(b["code"]), 2022),
        sep=";", text=mobpro_text, required="TRANS", number="IPONDI", streamed=True,
        cells={WRONG_TYPE: ("IPONDI", "beaucoup"), OUT_OF_RANGE: ("TRANS", "9")},
    ),
    "survey export": Loader(
        DEMO / "enquete_population.csv", read_survey, sep=";", required="Q05_teletravail",
        number="Q06_trajet",
        cells={WRONG_TYPE: ("Q06_trajet", "une heure"), OUT_OF_RANGE: ("Q02_sexe", "A9"),
               DUPLICATE: ("id", None), COMMUNE: ("Q01_commune", "99999")},
    ),
    "interviews": Loader(
        DEMO / "entretiens_grille.csv", lambda p, b: interviews.read_grid(p),
        required="position",
        cells={WRONG_TYPE: ("besoin_fablab", "oui"), OUT_OF_RANGE: ("type_acteur", "Ministre"),
               DUPLICATE: ("id_entretien", None), COMMUNE: ("commune", "972")},
    ),
    "places: mediation": Loader(
        DEMO / MEDIATION_FILE, lambda p, b: read_places(p, DEMO / OTHER_FILE),
        required="pivot", number="latitude",
        cells={WRONG_TYPE: ("date_maj", "hier"), OUT_OF_RANGE: ("services", "Jardinage"),
               DUPLICATE: ("id", None), COMMUNE: ("code_insee", "972"),
               COORDINATES: ("latitude", "114.6")},
    ),
    "places: other": Loader(
        DEMO / OTHER_FILE, lambda p, b: read_places(DEMO / MEDIATION_FILE, p),
        required="services", number="longitude",
        cells={WRONG_TYPE: ("longitude", "ouest"), OUT_OF_RANGE: ("services", "sauna"),
               DUPLICATE: ("id", None), COMMUNE: ("code_insee", "972"),
               COORDINATES: ("longitude", "-260.9")},
    ),
    "benchmark": Loader(
        DEMO / benchmark.BENCHMARK_FILE, lambda p, b: benchmark.read_benchmark(p),
        required="surface_m2", number="etp",
        cells={WRONG_TYPE: ("surface_m2", "grand"), OUT_OF_RANGE: ("type_territoire", "métropole"),
               DUPLICATE: ("nom", None)},
    ),
    "references": Loader(
        RAW / benchmark.REFERENCES_FILE, lambda p, b: benchmark.read_references(p),
        required="valeur", number="valeur",
        cells={WRONG_TYPE: ("valeur", "beaucoup"), OUT_OF_RANGE: ("annee", "1850"),
               DUPLICATE: ("indicateur", None)},
    ),
    "sites": Loader(
        DEMO / sites.SITES_FILE, sites.read_sites, required="surface_m2", number="latitude",
        cells={WRONG_TYPE: ("surface_m2", "grand"), OUT_OF_RANGE: ("fibre", "peut-être"),
               DUPLICATE: ("site_id", None), COMMUNE: ("commune", "97299"),
               COORDINATES: ("latitude", "48.8566")},
    ),
    "workshop ideas": Loader(
        DEMO / workshop.FILE, lambda p, b: workshop.read_ideas(p), required="service",
        number="votes",
        cells={WRONG_TYPE: ("votes", "sept"), OUT_OF_RANGE: ("service", "sauna"),
               DUPLICATE: ("idee_id", None)},
    ),
    "legal forms": Loader(
        RAW / "formes_juridiques_notes.csv",
        lambda p, b: governance.read_notes(p, FORMS, CRITERIA), required="justification",
        number="note",
        cells={WRONG_TYPE: ("note", "fort"), OUT_OF_RANGE: ("note", "7"),
               DUPLICATE: ("critere", None)},
    ),
    "governance scheme": Loader(
        RAW / "gouvernance_instances.csv", lambda p, b: governance.read_scheme(p, FORMS),
        required="role", number="ordre",
        cells={WRONG_TYPE: ("ordre", "premier"), OUT_OF_RANGE: ("forme", "Fondation"),
               DUPLICATE: ("ordre", None)},
    ),
    "governance colleges": Loader(
        RAW / "gouvernance_colleges.csv", lambda p, b: stakeholders.read_colleges(p, FORMS),
        required="place",
        cells={WRONG_TYPE: ("college", "12"), OUT_OF_RANGE: ("college", "clergé"),
               DUPLICATE: ("college", None)},
    ),
    "launch plan": Loader(
        RAW / "plan_montee_en_charge.csv", lambda p, b: launch.read_plan(p), required="axe",
        number="duree_mois",
        cells={WRONG_TYPE: ("debut_mois", "bientôt"), OUT_OF_RANGE: ("fonctions", "sauna")},
    ),
    "launch programme": Loader(
        PROGRAMME, lambda p, b: launch.read_programme(p, SEGMENTS, MONTHS), required="type",
        number="participants",
        cells={WRONG_TYPE: ("seances", "deux"), OUT_OF_RANGE: ("type", "banquet")},
    ),
    "strategy": Loader(
        RAW / "strategies" / "plan_numerique_martinique_2024_2027.csv",
        lambda p, b: strategy.read_strategy(p), required="pilier", number="cout_keur",
        cells={WRONG_TYPE: ("cout_keur", "cher"), OUT_OF_RANGE: ("fonctions_tiers_lieu", "sauna"),
               DUPLICATE: ("numero", None)},
    ),
    "populations": Loader(
        RAW / "populations_legales.csv", lambda p, b: read_populations(p), required="nom",
        number="population_municipale", text=head,
        cells={WRONG_TYPE: ("population_municipale", "beaucoup"), OUT_OF_RANGE: ("epci", "123"),
               DUPLICATE: ("code", None), COMMUNE: ("code", "0100")},
    ),
    "survey codebook": Loader(
        DEMO / "enquete_codebook.yaml", lambda p, b: read_codebook(p), sep=None,
        edits={
            MISSING: ("questions:", "questionnaire:", ["'questions'"]),
            WRONG_TYPE: ("    type: numeric", "    type: nombre", ["Q06_trajet", "'nombre'"]),
            OUT_OF_RANGE: ("    page: 2", "    page: 0", ["page must be a whole number"]),
            TRUNCATED: ("relevance: Q04_statut in ['A", None, ["Q05_teletravail"]),
        },
    ),
    "params": Loader(
        ROOT / "params.yaml", read_params, sep=None, also=("dvc.yaml", "territories"),
        edits={
            # The message names the territory file that does not exist.
            UNKNOWN_KEY: ("territory: nord_caraibe", "territory: nulle_part",
                          ["nulle_part.yaml", "unknown territory key", "nord_caraibe"]),
            WRONG_TYPE: ("  vat_rate: 0.20 ", "  vat_rate: vingt ",
                         ["key 'territory_context.vat_rate': expected a VAT rate", "'vingt'"]),
            MISSING: ("\ninputs:", "\nentrees:", ["'inputs", "missing"]),
            TRUNCATED: ("\ngovernance:", None, ["missing"]),
        },
    ),
    "territory": Loader(
        ROOT / "territories" / "nord_caraibe.yaml", read_territory, sep=None,
        name="territories/nord_caraibe.yaml",
        edits={
            MISSING: ('epci: "200041788"\n', "", ["missing required key", "epci"]),
            WRONG_TYPE: ("name: Nord Caraïbe", "name: [Nord, Caraïbe]", ["key 'name': expected text"]),
            OUT_OF_RANGE: ('"200041788"', '"20004178"', ["9-digit", "'20004178'"]),
            UNKNOWN_EPCI: ('"200041788"', '"999999999"', ["key 'epci'", "'999999999'"]),
            COMMUNE: ('"97234"', '"97299"', ["study_zone", "97299", "EPCI 200041788"]),
            TRUNCATED: ('["97234", "97205", "972', None, ["line", "invalid YAML"]),
        },
    ),
}

# The cases each kind of file gets, then each loader's own: None marks a case that does not
# apply (no identifier, no code, no decimal number...).
CSV_CASES = {SEP: WARN, DECIMAL: WARN, LATIN1: WARN, BOM: WARN, MISSING: REFUSE,
             UNEXPECTED: REFUSE, WRONG_TYPE: REFUSE, OUT_OF_RANGE: REFUSE, DUPLICATE: REFUSE,
             EMPTY: REFUSE, CUT_ROW: REFUSE, PERSONAL: REFUSE}
YAML_CASES = {LATIN1: WARN, BOM: WARN, BAD_YAML: REFUSE, DUPLICATE_KEY: REFUSE, EMPTY: REFUSE,
              MISSING: REFUSE, WRONG_TYPE: REFUSE, TRUNCATED: REFUSE}
MATRIX = {
    # Open national formats: the census and MOBPRO have hundreds of variables, the loaders read
    # those they need; the survey drops undeclared columns (with a warning), and its export may
    # use any separator (LimeSurvey asks which). Truncated mid-quote: files with quoted fields.
    # They hold no free text (INSEE's national files): their readers quote the values refused.
    "census": {**CSV_CASES, UNEXPECTED: READ, OUT_OF_RANGE: None, COMMUNE: REFUSE, PERSONAL: None},
    "mobpro": {**CSV_CASES, UNEXPECTED: READ, DUPLICATE: None, PERSONAL: None},
    "survey export": {**CSV_CASES, SEP: READ, UNEXPECTED: WARN, COMMUNE: REFUSE},
    "survey codebook": {**YAML_CASES, OUT_OF_RANGE: REFUSE},
    "interviews": {**CSV_CASES, DECIMAL: None, COMMUNE: REFUSE, CUT_QUOTE: REFUSE},
    # LaMednum's standard has many optional fields: others than those used are not faults.
    "places: mediation": {**CSV_CASES, UNEXPECTED: READ, COMMUNE: REFUSE, COORDINATES: REFUSE},
    "places: other": {**CSV_CASES, COMMUNE: REFUSE, COORDINATES: REFUSE},
    "benchmark": {**CSV_CASES, CUT_QUOTE: REFUSE},
    "references": {**CSV_CASES, CUT_QUOTE: REFUSE},
    "sites": {**CSV_CASES, COMMUNE: REFUSE, COORDINATES: REFUSE},
    "workshop ideas": CSV_CASES,
    "legal forms": {**CSV_CASES, CUT_QUOTE: REFUSE},
    "governance scheme": {**CSV_CASES, CUT_QUOTE: REFUSE},
    "governance colleges": {**CSV_CASES, CUT_QUOTE: REFUSE, DECIMAL: None},
    "launch plan": {**CSV_CASES, DUPLICATE: None, CUT_QUOTE: None},  # no quoted field
    "launch programme": {**CSV_CASES, DUPLICATE: None},
    "strategy": CSV_CASES,
    "populations": {**CSV_CASES, COMMUNE: REFUSE},
    "params": {**YAML_CASES, UNKNOWN_KEY: REFUSE},
    "territory": {**YAML_CASES, OUT_OF_RANGE: REFUSE, UNKNOWN_EPCI: REFUSE, COMMUNE: REFUSE},
}
# fmt: on


# --- building the broken files ------------------------------------------------------------


def parse(text: str, sep: str) -> tuple[list[str], list[list[str]]]:
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep) if r]
    return rows[0], rows[1:]


def unparse(header: list[str], rows: list[list[str]], sep: str) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\n")
    writer.writerows([header, *rows])
    return buffer.getvalue()


def decimal_comma(value: str) -> str:
    """'14.6' -> '14,6'; '7' -> '7,0' (the same number)."""
    if re.fullmatch(r"-?\d+\.\d+", value):
        return value.replace(".", ",")
    return f"{value},0" if re.fullmatch(r"-?\d+", value) else value


def line_of(text: str, sep: str, index: int) -> int:
    return read_records(text, sep)[1][index][0]


def broken_csv(loader: Loader, case: str, text: str) -> tuple[bytes | str, list[str]]:
    """A broken version of a clean CSV text, and words its refusal must show."""
    sep = loader.sep
    header, rows = parse(text, sep)
    if case == SEP:
        return unparse(header, rows, ";" if sep == "," else ","), []
    if case == DECIMAL:
        i = header.index(loader.number)
        changed = [[*r[:i], decimal_comma(r[i]), *r[i + 1 :]] for r in rows]
        assert changed != rows
        return unparse(header, changed, sep), []
    if case == LATIN1:
        assert text.encode("cp1252") != text.encode("utf-8"), "no accent: nothing to test"
        return text.encode("cp1252"), []
    if case == BOM:
        return codecs.BOM_UTF8 + text.encode("utf-8"), []
    if case == MISSING:
        i = header.index(loader.required)
        return unparse(header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows], sep), [
            loader.required,
            "missing",
        ]
    if case == UNEXPECTED:
        return unparse([*header, EXTRA], [[*r, "x"] for r in rows], sep), [EXTRA, "unexpected"]
    if case == PERSONAL:  # in the column of the wrong-type case; the refusal must not quote it
        column = loader.cells[WRONG_TYPE][0]
        header_i, rows = header.index(column), [list(r) for r in rows]
        rows[ROW][header_i] = PERSONAL_VALUE
        broken = unparse(header, rows, sep)
        return broken, [f"line {line_of(broken, sep, ROW)}", column, "!DUPONT", "!0696", "!34 56"]
    if case in loader.cells:
        column, value = loader.cells[case]
        i = header.index(column)
        rows = [list(r) for r in rows]
        if value is None:  # a duplicate of the first row's
            value = rows[0][i]
        original, rows[ROW][i] = rows[ROW][i], value
        broken = unparse(header, rows, sep)
        if case == COMMUNE and loader.source.name == POP_ZIP:  # the commune asked is missing
            return broken, [original, "no row for commune"]
        return broken, [f"line {line_of(broken, sep, ROW)}", column]
    if case == EMPTY:
        return "", ["empty"]
    if case == CUT_ROW:  # the last line cut after its first field
        start = text.rstrip("\n").rindex("\n") + 1
        cut = text[: text.index(sep, start) + 1]
        return cut, ["last line" if loader.streamed else f"line {cut.count(chr(10)) + 1}"]
    if case == CUT_QUOTE:  # cut inside the last quoted field
        opening = [m.end() for m in re.finditer(rf'(?m)(^|{re.escape(sep)})"', text)]
        cut = text[: opening[-1] + 2]
        return cut, [f"line {cut.count(chr(10)) + 1}", "malformed"]
    raise AssertionError(f"no such CSV case: {case}")


def broken_yaml(loader: Loader, case: str, text: str) -> tuple[bytes | str, list[str]]:
    """A broken version of a clean YAML text, and words its refusal must show."""
    lines = text.count("\n")
    if case == LATIN1:
        assert text.encode("cp1252") != text.encode("utf-8"), "no accent: nothing to test"
        return text.encode("cp1252"), []
    if case == BOM:
        return codecs.BOM_UTF8 + text.encode("utf-8"), []
    if case == EMPTY:
        return "", ["empty"]
    if case == BAD_YAML:
        return text + "clef: valeur: autre\n", [f"line {lines + 1}", "column", "invalid YAML"]
    if case == DUPLICATE_KEY:
        key = next(line for line in text.split("\n") if re.match(r"\w+:", line))
        return text + key + "\n", [f"line {lines + 1}", "duplicated key"]
    old, new, words = loader.edits[case]
    assert old in text, old
    if new is None:
        return text[: text.index(old) + len(old)], words
    return text.replace(old, new, 1), words


def copy_clean(loader: Loader, folder: Path) -> Path:
    """The clean file (and what it needs beside it) under `folder`."""
    path = folder / (loader.name or loader.source.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = loader.text(loader.source)
    if loader.sep:
        text = unparse(*parse(text, loader.sep), loader.sep)
    path.write_text(text, encoding="utf-8")
    for name in loader.also:
        source = loader.source.parent / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy(source, folder / name)
    return path


def same(got, expected) -> None:
    if isinstance(expected, tuple):
        for g, e in zip(got, expected, strict=True):
            same(g, e)
    elif isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(got.drop(columns=EXTRA, errors="ignore"), expected)
    else:
        assert got == expected


# --- the matrix -----------------------------------------------------------------------------


CASES = [
    pytest.param(name, case, expectation, id=f"{name}: {case}")
    for name, cases in MATRIX.items()
    for case, expectation in cases.items()
    if expectation is not None
]


@pytest.mark.parametrize("name, case, expectation", CASES)
def test_bad_input(tmp_path, default_base, name, case, expectation):
    loader = LOADERS[name]
    clean_path = copy_clean(loader, tmp_path / "clean")
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)  # the clean file reads without a warning
        clean = loader.read(clean_path, default_base)
    path = copy_clean(loader, tmp_path / "broken")
    text = path.read_text(encoding="utf-8")
    broken, words = (broken_csv if loader.sep else broken_yaml)(loader, case, text)
    if isinstance(broken, str):
        broken = broken.encode("utf-8")
    path.write_bytes(broken)

    if expectation == REFUSE:
        with pytest.raises(InputFileError) as error:
            loader.read(path, default_base)
        message = str(error.value)
        named = [] if case == UNKNOWN_KEY else [path.name]
        for word in [*named, *words]:
            if word.startswith("!"):
                assert word[1:] not in message, f"{word[1:]!r} quoted in: {message}"
            else:
                assert word in message, f"{word!r} not in: {message}"
    elif expectation == WARN:
        with pytest.warns(InputWarning):
            same(loader.read(path, default_base), clean)
    else:
        same(loader.read(path, default_base), clean)


def test_the_matrix_names_every_loader_and_case():
    assert set(MATRIX) == set(LOADERS)
    for name, cases in MATRIX.items():
        csv_file = LOADERS[name].sep is not None
        allowed = {SEP, DECIMAL, LATIN1, BOM, MISSING, UNEXPECTED, WRONG_TYPE, OUT_OF_RANGE,
                   DUPLICATE, COMMUNE, EMPTY, CUT_ROW, CUT_QUOTE, COORDINATES, PERSONAL} if csv_file else {
                   LATIN1, BOM, BAD_YAML, DUPLICATE_KEY, EMPTY, MISSING, WRONG_TYPE,
                   OUT_OF_RANGE, TRUNCATED, UNKNOWN_KEY, UNKNOWN_EPCI, COMMUNE}  # fmt: skip
        assert set(cases) <= allowed, name


def test_a_truncated_census_zip_is_refused(tmp_path):
    path = tmp_path / POP_ZIP
    path.write_bytes((DEMO / POP_ZIP).read_bytes()[:-40])
    with pytest.raises(InputFileError, match=f"{POP_ZIP}: not a readable zip file"):
        census.read_base_cc(path)


# --- a failing stage ------------------------------------------------------------------------


def test_a_stage_refusing_an_input_fails_cleanly(tmp_path):
    """`python -m pipeline.core.run` exits 1 with the loader's message; the stage leaves no output
    (the executed notebook is kept aside) and the raw file is untouched."""
    settings = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(settings | {"territory": "t"}), "utf-8")
    (tmp_path / "dvc.yaml").write_text(
        "stages:\n  x:\n    cmd: python -m pipeline.core.run x\n    params: [territory]\n",
        encoding="utf-8",
    )
    (tmp_path / "territories").mkdir()
    (tmp_path / "territories" / "t.yaml").write_text('name: T\nepci: "200041788"\n')
    raw = tmp_path / "data" / "raw"
    ideas = raw / "t" / workshop.FILE
    ideas.parent.mkdir(parents=True)
    (raw / "strategies").mkdir()
    header, rows = parse(read_text(DEMO / workshop.FILE), ",")
    rows[ROW][header.index("votes")] = "sept"
    ideas.write_text(unparse(header, rows, ","), encoding="utf-8")
    for folder in checksums.raw_folders(tmp_path, "t"):
        checksums.record(folder)
    before = ideas.read_bytes()
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.cells = [
        nbformat.v4.new_code_cell("params = {}", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            f"from pipeline.demand.workshop import read_ideas\nread_ideas('{ideas.relative_to(tmp_path)}')"
        ),
    ]
    (tmp_path / "notebooks").mkdir()
    nbformat.write(notebook, tmp_path / "notebooks" / "x.ipynb")
    previous = tmp_path / "data" / "processed" / "x" / "ideas.parquet"
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"previous output")

    done = subprocess.run(
        [sys.executable, "-m", "pipeline.core.run", "x"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 1, done.stderr
    assert "x: InputFileError: " in done.stderr
    assert f"line {ROW + 2}, column 'votes': expected a whole number" in done.stderr
    assert "found text of 4 characters (letters)" in done.stderr and "sept" not in done.stderr
    assert not previous.parent.exists()  # no half-written output
    assert (tmp_path / "data" / "processed" / "failed" / "x.ipynb").exists()
    assert ideas.read_bytes() == before


# --- property-based tests of the CSV readers ----------------------------------------------

QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252"]
# Text that Windows-1252 can hold: ASCII (separators, quotes, line breaks) and accented letters,
# whose bytes (0xC0 and above) cannot be mistaken for UTF-8.
TEXT = st.text(alphabet="abcXYZ 019,;\t\"'\n-àâçéèêëîïôùûüÉÈÇ", max_size=10)
DECIMALS = st.tuples(st.integers(-(10**6), 10**6), st.integers(0, 999)).map(
    lambda p: f"{p[0]}.{p[1]:03d}"
)
# Bytes that look like CSV enough to reach the parsers: separators, quotes, line breaks, a BOM,
# Latin-1 bytes, NUL, header names and numbers with a decimal comma.
PIECES = [b",", b";", b"\t", b'"', b"\n", b"\r\n", b"\r", b"\xef\xbb\xbf", b"\xe9", b"\x00",
          b"id", b"nom", b"valeur", b"code", b"CODGEO", b"P22_POP", b"COMMUNE", b"TRANS",
          b"IPONDI", b"97201", b"1,5", b"2.5", b"x", b" "]  # fmt: skip
JUNK = st.one_of(
    st.binary(max_size=200), st.lists(st.sampled_from(PIECES), max_size=40).map(b"".join)
)


def checked_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": pa.Column(checks=non_empty(), unique=True),
            "nom": pa.Column(str),
            "valeur": pa.Column(checks=number()),
            "code": pa.Column(checks=one_of(["A1", "A2"])),
        }
    )


@st.composite
def checked_tables(draw):
    n = draw(st.integers(1, 6))
    ids = draw(st.lists(st.from_regex(r"[a-z0-9]{1,6}", fullmatch=True), min_size=n,
                        max_size=n, unique=True))  # fmt: skip
    names = draw(st.lists(TEXT, min_size=n, max_size=n))
    values = draw(st.lists(DECIMALS, min_size=n, max_size=n))
    codes = draw(st.lists(st.sampled_from(["A1", "A2"]), min_size=n, max_size=n))
    return pd.DataFrame({"id": ids, "nom": names, "valeur": values, "code": codes}, dtype=str)


def write_csv(path: Path, table: pd.DataFrame, sep: str, encoding: str, comma: bool) -> Path:
    rows = table.to_numpy().tolist()
    if comma:
        i = list(table.columns).index("valeur")
        rows = [[*r[:i], r[i].replace(".", ","), *r[i + 1 :]] for r in rows]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows([list(table.columns), *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@QUICK
@given(
    checked_tables(),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(ENCODINGS),
    st.booleans(),
)
def test_checked_csv_round_trips_any_separator_encoding_bom_and_decimal_comma(
    table, sep, encoding, comma
):
    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(Path(tmp) / "t.csv", table, sep, encoding, comma)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = read_checked_csv(path, checked_schema())
    expected = table.apply(lambda column: column.str.strip())
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    latin = encoding == "cp1252" and not "".join(table["nom"]).isascii()
    unusual = sep != "," or encoding == "utf-8-sig" or latin or comma
    assert any(issubclass(w.category, InputWarning) for w in caught) == unusual


@st.composite
def census_tables(draw):
    n = draw(st.integers(1, 6))
    codes = draw(st.lists(st.from_regex(r"[0-9]{5}|2[AB][0-9]{3}", fullmatch=True), min_size=n,
                          max_size=n, unique=True))  # fmt: skip
    counts = draw(st.lists(DECIMALS, min_size=n, max_size=n))
    return pd.DataFrame({"CODGEO": codes, "P22_POP": counts}, dtype=str)


@QUICK
@given(
    census_tables(),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(ENCODINGS),
    st.booleans(),
)
def test_census_reader_round_trips_any_separator_encoding_bom_and_decimal_comma(
    table, sep, encoding, comma
):
    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(Path(tmp) / "base.csv", table.rename(columns={"P22_POP": "valeur"}),
                         sep, encoding, comma)  # fmt: skip
        path.write_bytes(path.read_bytes().replace(b"valeur", b"P22_POP"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InputWarning)
            got = census.read_base_cc(path, list(table["CODGEO"]))
    assert got["CODGEO"].tolist() == table["CODGEO"].tolist()
    assert got["P22_POP"].tolist() == pytest.approx(table["P22_POP"].astype(float).tolist())


@st.composite
def mobpro_tables(draw):
    n = draw(st.integers(1, 8))
    column = lambda values: draw(st.lists(values, min_size=n, max_size=n))  # noqa: E731
    return pd.DataFrame(
        {
            "COMMUNE": column(st.sampled_from(["97201", "97234", "2A004"])),
            "DCLT": column(st.sampled_from(["97201", "99999"])),
            "TRANS": column(st.sampled_from(list(mobpro.TRANS_LABELS))),
            "IPONDI": column(DECIMALS.filter(lambda v: not v.startswith("-"))),
            "SEXE": column(st.sampled_from(["1", "2"])),
            "AGEREVQ": column(st.sampled_from(["015", "040"])),
            "GS": column(st.sampled_from(["1", "3", "6"])),
        },
        dtype=str,
    )


@QUICK
@given(
    mobpro_tables(), st.sampled_from([",", ";", "\t"]), st.sampled_from(ENCODINGS), st.booleans()
)
def test_mobpro_reader_round_trips_any_separator_encoding_bom_and_decimal_comma(
    table, sep, encoding, comma
):
    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(Path(tmp) / "FD_MOBPRO_2022.csv", table.rename(columns={"IPONDI": "valeur"}),
                         sep, encoding, comma)  # fmt: skip
        path.write_bytes(path.read_bytes().replace(b"valeur", b"IPONDI"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InputWarning)
            got = mobpro.read_mobpro(path, ["97201", "97234"], 2022)
    kept = table[table["COMMUNE"] != "2A004"].reset_index(drop=True)
    assert got[["COMMUNE", "DCLT", "TRANS", "GS"]].astype(str).to_numpy().tolist() == (
        kept[["COMMUNE", "DCLT", "TRANS", "GS"]].to_numpy().tolist()
    )
    assert got["IPONDI"].tolist() == pytest.approx(kept["IPONDI"].astype(float).tolist())


def only_input_errors(read: Callable[[Path], object], data: bytes, name: str) -> None:
    """Reading `data` returns something or raises an InputFileError: nothing else leaks."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InputWarning)
            try:
                read(path)
            except InputFileError:
                pass


@QUICK
@given(JUNK)
def test_any_bytes_give_a_table_or_an_input_error_checked_csv(data):
    only_input_errors(lambda p: read_checked_csv(p, checked_schema()), data, "t.csv")


@QUICK
@given(JUNK)
def test_any_bytes_give_records_or_an_input_error_survey_csv(data):
    only_input_errors(exports.read_csv, data, "export.csv")


@QUICK
@given(JUNK)
def test_any_bytes_give_a_table_or_an_input_error_census(data):
    only_input_errors(lambda p: census.read_base_cc(p, ["97201"]), data, "base.csv")


@QUICK
@given(JUNK)
def test_any_bytes_give_a_table_or_an_input_error_mobpro(data):
    only_input_errors(lambda p: mobpro.read_mobpro(p, ["97201"], 2022), data, "FD_MOBPRO_2022.csv")


@QUICK
@given(JUNK)
def test_any_bytes_give_a_mapping_or_an_input_error_yaml(data):
    only_input_errors(config.read_yaml, data, "settings.yaml")
