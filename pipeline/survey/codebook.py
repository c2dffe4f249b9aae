"""Phase 03 codebook: the questions of the survey, read from YAML and checked, with their skip
logic compiled.

The codebook declares each question: `type` (single, multiple, numeric, commune, text),
`label`, `codes` (code: label), `min`/`max` for numbers, `page`, `exclusive` codes of a multiple
question, and `relevance`, a condition on earlier answers (skip logic), written as a small
Python-like expression: `Q09_interet in ['3', '4']`, `Q04_statut == 'A1' or Q06_trajet > 30`,
`'COWORK' in Q11_services`, combined with `and`, `or`, `not`. A comparison involving an unanswered
question is false. A question whose relevance is false must be empty.

The codebook may be a spreadsheet instead (`enquete_codebook.xlsx` or `.ods`), three sheets:
`questions` (question, type, label, page, relevance, min, max, exclusive: one row per question,
in the survey's order; `exclusive` codes '|'-separated), `codes` (question, code, label: one row
per answer code, in order) and `settings` (key, value: every other key of the YAML file, by its
path: `format`, `identifiers`, `profile.sex.question`, `profile.sex.census.A1`,
`indicators.interet_tiers_lieu.yes`, `prices.Q13_prix_jour.bands`...). A value holding '|' is a
list, and so is always one of `LIST_KEYS`; the values of `NUMBER_KEYS` are numbers.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.core.config import read_yaml
from pipeline.core.sheets import SHEET_SUFFIXES, input_file, place, read_checked_sheet
from pipeline.core.validate import (
    InputFileError,
    InputWarning,
    described,
    non_empty,
    number,
    one_of,
)

QUESTION_TYPES = {"single", "multiple", "numeric", "text", "commune"}
STYLES = ("limesurvey", "kobo")
SUFFIXES = (".yaml", *SHEET_SUFFIXES)
# Spreadsheet codebooks: the question keys of sheet `questions`, after its `question` column;
# the settings always read as lists, and those read as numbers.
QUESTION_KEYS = ["type", "label", "page", "relevance", "min", "max", "exclusive"]
LIST_KEYS = {"identifiers", "distributions", "yes", "bands"}
NUMBER_KEYS = {"bands", "long_minutes", "not_applicable"}
DECIMAL = r"[+-]?(\d+\.?\d*|\.\d+)"


class SurveyFormatError(InputFileError):
    """The survey export or its codebook does not match what is declared."""


class SurveyWarning(InputWarning):
    """Something in a survey export was read with an assumption or blanked."""


def read_codebook(path: Path) -> dict:
    """Read and check a codebook, YAML or a spreadsheet of the same name (.xlsx or .ods); codes
    are strings whatever YAML made of them."""
    path = input_file(path, SUFFIXES)
    book = read_yaml(path) if path.suffix.lower() == ".yaml" else workbook_codebook(path)
    if not isinstance(book, dict) or not isinstance(book.get("questions"), dict):
        raise SurveyFormatError(f"{path}: expected a 'questions' mapping")
    for q in book["questions"].values():
        if isinstance(q, dict) and isinstance(q.get("codes"), dict):
            q["codes"] = {str(k): str(v) for k, v in q["codes"].items()}
    compile_codebook(book, str(path))
    return book


@dataclass(frozen=True)
class Codebook:
    """A checked codebook with its skip-logic conditions compiled."""

    questions: dict
    relevance: dict[str, Callable[[Mapping], bool]]
    style: str | None
    id_column: str | None
    dropped: set[str]  # identifiers and free-text questions
    max_page: int | None

    @property
    def kept(self) -> list[str]:
        return [n for n in self.questions if n not in self.dropped]


def compile_codebook(book: dict, where: str = "codebook") -> Codebook:
    questions = book.get("questions")
    if not isinstance(questions, dict) or not questions:
        raise SurveyFormatError(f"{where}: expected a 'questions' mapping")
    identifiers = set(book.get("identifiers", []))
    relevance, earlier = {}, {}
    for name, q in questions.items():
        at = f"{where}: question {name}"
        if not isinstance(q, dict) or q.get("type") not in QUESTION_TYPES:
            found = q.get("type") if isinstance(q, dict) else q
            raise SurveyFormatError(
                f"{at}: type must be one of {sorted(QUESTION_TYPES)}, found {found!r}"
            )
        if q["type"] in {"single", "multiple"} and not q.get("codes"):
            raise SurveyFormatError(f"{at}: a {q['type']} question needs 'codes'")
        if bad := set(map(str, q.get("exclusive", []))) - set(map(str, q.get("codes", {}))):
            raise SurveyFormatError(f"{at}: exclusive code(s) {sorted(bad)} not in its codes")
        if "page" in q and not (isinstance(q["page"], int) and q["page"] >= 1):
            raise SurveyFormatError(f"{at}: page must be a whole number from 1")
        if q.get("relevance"):
            relevance[name] = compile_relevance(str(q["relevance"]), earlier, at)
        if q["type"] != "text" and name not in identifiers:
            earlier[name] = q
    style = book.get("format")
    if style is not None and style not in STYLES:
        raise SurveyFormatError(f"{where}: format must be one of {list(STYLES)}, found {style!r}")
    pages = [q["page"] for q in questions.values() if "page" in q]
    return Codebook(
        questions=questions,
        relevance=relevance,
        style=style,
        id_column=book.get("id"),
        dropped=identifiers | {n for n, q in questions.items() if q["type"] == "text"},
        max_page=max(pages) if pages else None,
    )


# Skip logic -----------------------------------------------------------------------------------

_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


def compile_relevance(
    expr: str, earlier: dict[str, dict], where: str = "relevance"
) -> Callable[[Mapping], bool]:
    """A condition on earlier answers, as a function of {question: value or None}.

    Values: a code (str) for single and commune questions, a float for numbers, a frozenset of
    codes for multiple questions; None when unanswered. Constants compared with a coded question
    must be among its codes, so that a typo cannot silently turn a condition off.
    """
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError as err:
        raise SurveyFormatError(f"{where}: relevance {expr!r} is not a valid condition") from err

    def fail(message: str):
        raise SurveyFormatError(f"{where}: relevance {expr!r}: {message}")

    def constants(node) -> tuple:
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float)):
            return (node.value,)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return tuple(v for elt in node.elts for v in constants(elt))
        return ()

    def check_constants(name: str, other) -> None:
        q = earlier[name]
        for value in constants(other):
            if q["type"] in {"single", "multiple"} and str(value) not in q["codes"]:
                fail(f"{value!r} is not a code of {name}")
            if q["type"] in {"single", "multiple", "commune"} and not isinstance(value, str):
                fail(f"codes of {name} are text: write {str(value)!r}")
            if q["type"] == "numeric" and isinstance(value, str):
                fail(f"{name} is a number: compare it with numbers")

    def build(node) -> Callable[[Mapping], object]:
        if isinstance(node, ast.BoolOp):
            parts = [build(v) for v in node.values]
            combine = all if isinstance(node.op, ast.And) else any
            return lambda env: combine(bool(p(env)) for p in parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = build(node.operand)
            return lambda env: not inner(env)
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for a, b in zip(operands, operands[1:]):
                for name, other in ((a, b), (b, a)):
                    if isinstance(name, ast.Name) and name.id in earlier:
                        check_constants(name.id, other)
            values = [build(o) for o in operands]
            ops = []
            for op in node.ops:
                if type(op) not in _COMPARE:
                    fail(f"operator {type(op).__name__} is not allowed")
                ops.append(_COMPARE[type(op)])

            def compare(env):
                got = [v(env) for v in values]
                if any(g is None for g in got):
                    return False
                try:
                    return all(op(a, b) for op, a, b in zip(ops, got, got[1:]))
                except TypeError:
                    return False

            return compare
        if isinstance(node, ast.Name):
            if node.id not in earlier:
                fail(
                    f"{node.id} is not a coded or numeric question asked before this one "
                    "(free text and identifiers cannot be used)"
                )
            return lambda env, name=node.id: env.get(name)
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float)):
            return lambda env, value=node.value: value
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items = [build(e) for e in node.elts]
            if not all(isinstance(e, ast.Constant) for e in node.elts):
                fail("lists may hold constants only")
            return lambda env: tuple(i(env) for i in items)
        fail(f"{type(node).__name__} is not allowed (use comparisons, and, or, not)")

    test = build(tree.body)
    return lambda env: bool(test(env))


# Spreadsheet codebooks -----------------------------------------------------------------------


def questions_schema() -> pa.DataFrameSchema:
    """Sheet `questions`: a question's name, then `QUESTION_KEYS`; type and label required."""
    return pa.DataFrameSchema(
        {
            "question": pa.Column(
                checks=non_empty(), unique=True, report_duplicates="exclude_first"
            ),
            "type": pa.Column(checks=one_of(sorted(QUESTION_TYPES))),
            "label": pa.Column(),
            "page": pa.Column(checks=number(1, integer=True, optional=True), required=False),
            "relevance": pa.Column(required=False),
            **{
                key: pa.Column(checks=number(optional=True), required=False)
                for key in ("min", "max")
            },
            "exclusive": pa.Column(required=False),
        },
        strict=True,
    )


def codes_schema(questions) -> pa.DataFrameSchema:
    asked = set(questions)
    return pa.DataFrameSchema(
        {
            "question": pa.Column(
                checks=pa.Check(lambda s: s.isin(asked), error="a question of sheet 'questions'")
            ),
            "code": pa.Column(checks=non_empty()),
            "label": pa.Column(),
        },
        unique=["question", "code"],
        report_duplicates="exclude_first",
        strict=True,
    )


def settings_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "key": pa.Column(checks=non_empty(), unique=True, report_duplicates="exclude_first"),
            "value": pa.Column(checks=non_empty()),
        },
        strict=True,
    )


def _number(text: str) -> int | float:
    """A checked number as YAML would read it: 30 rather than 30.0."""
    value = float(text)
    return int(value) if value.is_integer() else value


def workbook_codebook(path: Path) -> dict:
    """The codebook of a spreadsheet (sheets `questions`, `codes`, `settings`) as YAML gives it."""
    questions = read_checked_sheet(path, questions_schema(), "questions")
    codes = read_checked_sheet(path, codes_schema(questions["question"]), "codes")
    book = settings_tree(read_checked_sheet(path, settings_schema(), "settings"), path)
    book["questions"] = {}
    for row in questions.to_dict("records"):
        q = {key: row[key] for key in QUESTION_KEYS if row.get(key)}
        q.update({key: _number(q[key]) for key in ("page", "min", "max") if key in q})
        asked = codes[codes["question"] == row["question"]]
        if len(asked):
            q["codes"] = dict(zip(asked["code"], asked["label"]))
        if "exclusive" in q:
            q["exclusive"] = [code.strip() for code in q["exclusive"].split("|")]
        book["questions"][row["question"]] = q
    return book


def settings_tree(table: pd.DataFrame, path: Path) -> dict:
    """Rows of sheet `settings` (key path, value) as the nested mapping of the YAML file."""
    tree: dict = {}
    for row, key, value in zip(table.attrs["lines"], table["key"], table["value"]):
        at = f"{place(path, 'settings')}, row {row}, column"
        *parents, leaf = key.split(".")
        items = [item.strip() for item in value.split("|")]
        if leaf in NUMBER_KEYS:
            if bad := [item for item in items if not re.fullmatch(DECIMAL, item)]:
                found = described(bad[0])
                raise SurveyFormatError(
                    f"{at} 'value': expected numbers, '|'-separated, found {found}"
                )
            items = [_number(item) for item in items]
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise SurveyFormatError(f"{at} 'key': {part} was given a value on an earlier row")
        if key.split(".")[0] == "questions" or leaf in node or "" in (*parents, leaf):
            raise SurveyFormatError(
                f"{at} 'key': expected a key path not used before ('a.b.c'; "
                "the questions are in sheets 'questions' and 'codes')"
            )
        node[leaf] = items if leaf in LIST_KEYS or len(items) > 1 else items[0]
    return tree
