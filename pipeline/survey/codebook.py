"""Phase 03 codebook: the questions of the survey, read from YAML and checked, with their skip
logic compiled.

The codebook declares each question: `type` (single, multiple, numeric, commune, text),
`label`, `codes` (code: label), `min`/`max` for numbers, `page`, `exclusive` codes of a multiple
question, and `relevance`, a condition on earlier answers (skip logic), written as a small
Python-like expression: `Q09_interet in ['3', '4']`, `Q04_statut == 'A1' or Q06_trajet > 30`,
`'COWORK' in Q11_services`, combined with `and`, `or`, `not`. A comparison involving an unanswered
question is false. A question whose relevance is false must be empty.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.config import read_yaml
from pipeline.core.validate import InputFileError, InputWarning

QUESTION_TYPES = {"single", "multiple", "numeric", "text", "commune"}
STYLES = ("limesurvey", "kobo")


class SurveyFormatError(InputFileError):
    """The survey export or its codebook does not match what is declared."""


class SurveyWarning(InputWarning):
    """Something in a survey export was read with an assumption or blanked."""


def read_codebook(path: Path) -> dict:
    """Read and check a codebook; codes are strings whatever YAML made of them."""
    book = read_yaml(path)
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
