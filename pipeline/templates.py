"""Spreadsheet templates of the inputs analysts fill in by hand: `make templates`.

For the interview grid, the candidate sites, the benchmark, the workshop ideas and the survey
codebook, writes `templates/<territory>/<input>.xlsx`, never over an existing file. Its first
sheet holds the headings the reader expects, with drop-down lists of the allowed values and
number rules; `exemple` shows one row of the territory's demo data, `colonnes` what each column
expects (in the words of the readers' error messages), `valeurs` the allowed values and
`communes` the territory's communes. The codebook's template has the three sheets its reader
reads (`questions`, `codes`, `settings`) and the demo codebook as example. Readers read the
first sheet (the codebook's by name) and ignore the others.

Filled in, a template goes to `data/raw/<territory>/` under its name, in place of the CSV (or
YAML) file: one of them only may be there. Templates are written as .xlsx only: pandas writes
.ods with odfpy, which is not installed; LibreOffice saves them as .ods, which is read too.

This is a command of its own, beside the demo generator (whose data give the examples): like
it, it writes inputs in the phases' formats, and nothing in the study imports it.

Usage: python -m pipeline.templates [territory_key] [--out DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.benchmark.grid import BENCHMARK_FILE, benchmark_schema
from pipeline.core.config import (
    ROOT,
    ConfigError,
    check_key,
    load_params,
    load_territory,
    study_params,
)
from pipeline.core.io import atomic_path
from pipeline.core.validate import BOUNDS
from pipeline.demand.workshop import FILE as IDEAS_FILE
from pipeline.demand.workshop import ideas_schema
from pipeline.demo import generate
from pipeline.demo.codebook import CODEBOOK
from pipeline.demo.survey import CODEBOOK_FILE
from pipeline.interviews.build import GRID_FILE
from pipeline.interviews.coding import grid_schema
from pipeline.sites.candidates import SITES_FILE, sites_schema
from pipeline.sources.communes import territory_base
from pipeline.survey.codebook import (
    QUESTION_KEYS,
    codes_schema,
    questions_schema,
    settings_schema,
)

ROWS = 1000  # rows of a sheet given the drop-down lists and number rules
BOLD = Font(bold=True)
HELP = ["feuille", "colonne", "colonne obligatoire", "attendu", "valeurs permises"]


def communes_of(key: str, root: Path = ROOT) -> pd.DataFrame:
    """The territory's communes (code, nom), with their geometry."""
    params = study_params(root, key)
    territory = load_territory(key, params, root)
    inputs = params["inputs"]
    return territory_base(territory, root / inputs["populations"], inputs["population_vintage"])


def demo_tables(key: str, root: Path = ROOT) -> dict[str, pd.DataFrame]:
    """The territory's demo inputs, generated aside (never a user's file): the examples."""
    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(io.StringIO()):
        generate(key, Path(tmp), root)
        return {
            name: pd.read_csv(Path(tmp) / name, dtype=str, keep_default_na=False)
            for name in (GRID_FILE, SITES_FILE, BENCHMARK_FILE, IDEAS_FILE)
        }


def codebook_sheets(book: dict) -> dict[str, list[list]]:
    """A codebook (as YAML gives it) as the rows of its sheets `questions`, `codes` and
    `settings`: the inverse of `pipeline.survey.codebook.workbook_codebook`."""

    def cell(value):
        return "|".join(map(str, value)) if isinstance(value, list) else value

    def flat(node: dict, prefix: str = ""):
        for key, value in node.items():
            if isinstance(value, dict):
                yield from flat(value, f"{prefix}{key}.")
            else:
                yield [f"{prefix}{key}", cell(value)]

    asked = book["questions"].items()
    return {
        "questions": [
            [name, *(cell(q.get(key, "")) for key in QUESTION_KEYS)] for name, q in asked
        ],
        "codes": [[name, *code] for name, q in asked for code in q.get("codes", {}).items()],
        "settings": list(flat({k: v for k, v in book.items() if k != "questions"})),
    }


def statistics(column: pa.Column, *keys: str) -> dict:
    """The statistics of the column's check that has `keys` (`one_of`, `list_of`, `number`)."""
    return next((c.statistics for c in column.checks if set(keys) <= set(c.statistics)), {})


def expected(column: pa.Column) -> str:
    """What a column expects, in the words of the readers' messages."""
    said = [check.error for check in column.checks if check.error]
    said += ["a value not already used on an earlier row"] if column.unique else []
    return "; ".join(said) or "free text"


def typed(value: str, column: pa.Column):
    """A number column's value as a number, as typed in a spreadsheet; other values as text."""
    if not (isinstance(value, str) and statistics(column, *BOUNDS)):
        return value
    number = pd.to_numeric(value, errors="coerce")
    return value if pd.isna(number) else number.item()


def validation(column: pa.Column, values: str | None) -> DataValidation | None:
    """A drop-down list of `values` (a range of sheet `valeurs` or `communes`), or the bounds of
    a number column, as a spreadsheet's rule; None for other columns."""
    rule = dict(allow_blank=True, showErrorMessage=True, errorTitle="Valeur refusée")
    if values:
        return DataValidation(type="list", formula1=values, error="Choisir dans la liste", **rule)
    bounds = statistics(column, *BOUNDS)
    low, high = bounds.get("low"), bounds.get("high")
    if low is None and high is None:
        return None
    operator = {(True, True): "between", (True, False): "greaterThanOrEqual"}.get(
        (low is not None, high is not None), "lessThanOrEqual"
    )
    formulas = [str(bound) for bound in (low, high) if bound is not None] + [None]
    return DataValidation(
        type="whole" if bounds["integer"] else "decimal",
        operator=operator,
        formula1=formulas[0],
        formula2=formulas[1],
        error=expected(column),
        **rule,
    )


def table_sheet(sheet, header: list[str], rows: list[list]) -> None:
    """Headings in bold, frozen above the rows; columns as wide as their text."""
    for row in (header, *rows):
        sheet.append(row)
    for i, heading in enumerate(header, start=1):
        sheet.cell(1, i).font = BOLD
        width = max(len(str(text)) for text in [heading, *(row[i - 1] for row in rows)])
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 10), 60)
    sheet.freeze_panes = "A2"


def workbook(parts: dict[str, tuple], communes: pd.DataFrame | None = None) -> Workbook:
    """A template: for each sheet to fill in, `parts[name]` = (schema, example rows, columns
    whose values are the territory's communes), in that order, then the sheets of examples,
    of help (`colonnes`), of allowed values (`valeurs`) and of `communes` when given."""
    book = Workbook()
    book.remove(book.active)
    sheets = {name: book.create_sheet(name) for name in parts}
    one = len(parts) == 1
    described, lists = [], {}
    for name, (schema, examples, commune_columns) in parts.items():
        table_sheet(sheets[name], list(schema.columns), [])
        rows = [[typed(v, c) for v, c in zip(row, schema.columns.values())] for row in examples]
        example = book.create_sheet("exemple" if one else f"exemple_{name}")
        table_sheet(example, list(schema.columns), rows)
        for i, (heading, column) in enumerate(schema.columns.items(), start=1):
            choices = statistics(column, "allowed")
            required = "oui" if column.required else "non"
            values = ", ".join(choices.get("allowed", []))
            described.append([name, heading, required, expected(column), values][one:])
            source = None
            if heading in commune_columns:
                source = f"communes!$A$2:$A${len(communes) + 1}"
            elif choices and "separator" not in choices:  # "|"-separated lists get no rule
                lists[heading] = choices["allowed"]
                letter = get_column_letter(len(lists))
                source = f"valeurs!${letter}$2:${letter}${len(choices['allowed']) + 1}"
            if rule := validation(column, source):
                sheets[name].add_data_validation(rule)
                letter = get_column_letter(i)
                rule.add(f"{letter}2:{letter}{ROWS + 1}")
    table_sheet(book.create_sheet("colonnes"), HELP[one:], described)
    longest = max(map(len, lists.values()), default=0)
    padded = [[v[i] if i < len(v) else "" for v in lists.values()] for i in range(longest)]
    table_sheet(book.create_sheet("valeurs"), list(lists), padded)
    if communes is not None:
        rows = communes.sort_values("code")[["code", "nom"]].to_numpy().tolist()
        table_sheet(book.create_sheet("communes"), ["code", "nom"], rows)
    return book


def templates(key: str, root: Path = ROOT) -> dict[str, Workbook]:
    """Every template of territory `key`, by file name."""
    communes, demo = communes_of(key, root), demo_tables(key, root)
    sites = sites_schema(communes["code"], tuple(communes.total_bounds))
    inputs = [
        (GRID_FILE, grid_schema(), (), communes),
        (SITES_FILE, sites, ("commune",), communes),
        (BENCHMARK_FILE, benchmark_schema(), (), None),
        (IDEAS_FILE, ideas_schema(), (), None),
    ]
    out = {}
    for name, schema, commune_columns, listed in inputs:
        example = [[demo[name].iloc[0].get(column, "") for column in schema.columns]]
        part = {Path(name).stem: (schema, example, commune_columns)}
        out[f"{Path(name).stem}.xlsx"] = workbook(part, listed)
    book = codebook_sheets(CODEBOOK)
    schemas = [questions_schema(), codes_schema([]), settings_schema()]
    parts = {sheet: (schema, book[sheet], ()) for sheet, schema in zip(book, schemas)}
    out[f"{Path(CODEBOOK_FILE).stem}.xlsx"] = workbook(parts)
    return out


def write(key: str, out_dir: Path, root: Path = ROOT) -> list[Path]:
    """Write the templates of territory `key` into `out_dir`, keeping any file already there;
    returns the paths written."""
    written = []
    for name, book in templates(key, root).items():
        path = Path(out_dir) / name
        if path.exists():
            print(f"templates: kept {path} (already there)")
            continue
        with atomic_path(path) as tmp:
            book.save(tmp)
        print(f"templates: {path}")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.templates", description=__doc__)
    parser.add_argument("territory", nargs="?", help="territory key (default: params.yaml)")
    parser.add_argument("--out", type=Path, help="output folder (default: templates/<key>/)")
    args = parser.parse_args(argv)
    try:
        key = check_key(args.territory or load_params()["territory"])
        write(key, args.out or ROOT / "templates" / key)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
