"""Phase 03 inputs: the survey codebook and the CSV exports analysts get (LimeSurvey, KoboToolbox).

The codebook (YAML) declares each question: `type` (single, multiple, numeric, commune, text),
`label`, `codes` (code: label), `min`/`max` for numbers, `page`, `exclusive` codes of a multiple
question, and `relevance`, a condition on earlier answers (skip logic), written as a small
Python-like expression: `Q09_interet in ['3', '4']`, `Q04_statut == 'A1' or Q06_trajet > 30`,
`'COWORK' in Q11_services`, combined with `and`, `or`, `not`. A comparison involving an unanswered
question is false. A question whose relevance is false must be empty.

An export is read whatever its separator (`,`, `;`, tab) and encoding (UTF-8; a BOM, or anything
else read as Windows-1252 / Latin-1, with a warning; see `pipeline.core.validate`), then validated: every
problem is reported as `file, line L, column C: ...` (L is the physical line of the record, so
answers spanning several lines are counted right). Messages never quote an answer: what a
respondent typed may identify them; they say what it looks like (`validate.described`), or name
codes of the codebook only. Identifiers, free-text answers, metadata and
undeclared columns are dropped here: they never reach a processed table.
"""

from __future__ import annotations

import ast
import operator
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.core.config import read_yaml
from pipeline.core.validate import (
    DECIMAL_COMMA,
    InputFileError,
    InputWarning,
    decode,
    described,
    read_records,
    separator,
)

QUESTION_TYPES = {"single", "multiple", "numeric", "text", "commune"}
STYLES = ("limesurvey", "kobo")
ID_COLUMN = {"limesurvey": "id", "kobo": "_id"}
LIMESURVEY_META = {"submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"}
LIMESURVEY_META |= {"refurl", "ipaddr", "token", "optout", "emailstatus", "lastname", "firstname"}
KOBO_META = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber"}
KOBO_META |= {"username", "audit", "_uuid", "_submission_time", "_validation_status", "_notes"}
KOBO_META |= {"_status", "_submitted_by", "__version__", "_version_", "_tags", "_index"}
KOBO_META |= {"_attachments", "_geolocation", "_xform_id_string", "instanceID", "rootUuid"}
KOBO_META_GROUPS = ("meta/", "formhub/")
SELECTED = {"Y", "1", "1.0"}
NOT_SELECTED = {"", "N", "0", "0.0"}
MAX_LISTED = 20
STATUSES = ("answered", "non_response", "not_reached", "not_applicable")


class SurveyFormatError(InputFileError):
    """The survey export or its codebook does not match what is declared."""


class SurveyWarning(InputWarning):
    """Something in a survey export was read with an assumption or blanked."""


# Codebook -------------------------------------------------------------------------------------


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


# CSV reading ----------------------------------------------------------------------------------


def read_csv(path: Path) -> tuple[list[str], list, str, str]:
    """Header, records, encoding and separator of a CSV export."""
    text, encoding = decode(Path(path).read_bytes(), path)
    sep = separator(text, path)
    header, records = read_records(text, sep, path)
    return header, records, encoding, sep


# Export styles ------------------------------------------------------------------------------


def detect_style(header: list[str]) -> str:
    """KoboToolbox (`_id`, `_uuid`, `group/question`) or LimeSurvey (`id`, `lastpage`, `Q[SQ]`)."""
    if {"_uuid", "_submission_time"} & set(header) or "_id" in header:
        return "kobo"
    if "id" in header or {"lastpage", "submitdate"} & set(header):
        return "limesurvey"
    if any("/" in h for h in header):
        return "kobo"
    if any("[" in h for h in header):
        return "limesurvey"
    raise SurveyFormatError(
        "cannot tell the export style: declare `format: limesurvey` or `format: kobo` "
        "in the codebook"
    )


def _is_meta(column: str, style: str) -> bool:
    if style == "limesurvey":
        return column in LIMESURVEY_META
    return (
        column in KOBO_META
        or column.split("/")[-1] in KOBO_META
        or column.startswith(KOBO_META_GROUPS)
    )


def map_columns(header: list[str], book: Codebook, style: str, path) -> dict:
    """Source columns of each question: {question: {"value": col} or {code: col} or both}."""
    found: dict[str, dict[str, str]] = {name: {} for name in book.questions}

    def claim(name: str, key: str, column: str) -> None:
        if key in found[name]:
            raise SurveyFormatError(
                f"{path}, line 1: columns {found[name][key]} and {column} both hold {name}"
            )
        found[name][key] = column

    for column in header:
        if style == "limesurvey":
            name, _, rest = column.partition("[")
            if name in book.questions:
                q = book.questions[name]
                if rest and q["type"] == "multiple" and rest.endswith("]"):
                    code = rest[:-1]
                    if code not in q["codes"]:
                        raise SurveyFormatError(
                            f"{path}, line 1, column {column}: {code!r} is not a code of {name}"
                        )
                    claim(name, code, column)
                elif not rest:
                    claim(name, "value", column)
            continue
        parts = column.split("/")
        if parts[-1] in book.questions:
            claim(parts[-1], "value", column)
        elif len(parts) > 1 and parts[-2] in book.questions:
            q = book.questions[parts[-2]]
            if q["type"] != "multiple" or parts[-1] not in q["codes"]:
                raise SurveyFormatError(
                    f"{path}, line 1, column {column}: {parts[-1]!r} is not a code of {parts[-2]}"
                )
            claim(parts[-2], parts[-1], column)
    missing = []
    for name, q in book.questions.items():
        cols = found[name]
        if name in book.dropped:  # identifiers and free text may be left out of the export
            continue
        if q["type"] == "multiple":
            split = [c for c in q["codes"] if c in cols]
            if style == "limesurvey" or "value" not in cols:
                missing += [
                    f"{name}[{c}]" if style == "limesurvey" else f"{name}/{c}"
                    for c in q["codes"]
                    if c not in cols
                ]
            elif split and len(split) != len(q["codes"]):
                missing += [f"{name}/{c}" for c in q["codes"] if c not in cols]
        elif "value" not in cols:
            missing.append(name)
    if missing:
        raise SurveyFormatError(f"{path}: missing column(s) {', '.join(missing)}")
    return found


# Validation ---------------------------------------------------------------------------------


@dataclass
class Export:
    """A validated export: answers in canonical form, plus what was found on the way."""

    table: pd.DataFrame
    style: str
    encoding: str
    separator: str
    issues: pd.DataFrame = field(default_factory=pd.DataFrame)
    dropped: list[str] = field(default_factory=list)


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _parse(q: dict, cols: dict, row: dict, communes: set[str]):
    """(value, column, problem) of one question in one record; problem is None when valid."""
    kind = q["type"]
    if kind == "multiple":
        chosen, col = set(), None
        split = {c: cols[c] for c in q["codes"] if c in cols}
        if split:
            for code, column in split.items():
                cell = row[column].strip()
                if cell in SELECTED:
                    chosen.add(code)
                    col = col or column
                elif cell not in NOT_SELECTED:
                    return None, column, f"expected 'Y', 1, 0 or empty, found {described(cell)}"
        if "value" in cols:
            cell = row[cols["value"]].strip()
            codes = set(cell.split())
            if bad := sorted(codes - set(q["codes"])):
                return (
                    None,
                    cols["value"],
                    (f"expected codes among {', '.join(q['codes'])}, found {described(bad[0])}"),
                )
            if split and codes != chosen:
                return (
                    None,
                    cols["value"],
                    "its codes disagree with the one-column-per-choice answers",
                )
            chosen, col = codes, col or (cols["value"] if codes else None)
        if len(chosen) > 1 and chosen & set(map(str, q.get("exclusive", []))):
            return None, col, f"an exclusive answer was ticked with others ({sorted(chosen)})"
        return (frozenset(chosen) if chosen else None), col, None
    column = cols["value"]
    cell = row[column].strip()
    if cell == "":
        return None, column, None
    if kind == "single":
        if cell not in q["codes"]:
            return None, column, f"expected one of {', '.join(q['codes'])}, found {described(cell)}"
        return cell, column, None
    if kind == "commune":
        if cell not in communes:
            return (
                None,
                column,
                f"expected an INSEE code of a commune of the territory, found {described(cell)}",
            )
        return cell, column, None
    if kind == "numeric":
        value = _number(cell)
        low, high = q.get("min", -np.inf), q.get("max", np.inf)
        if value is None or not low <= value <= high:
            return (
                None,
                column,
                f"expected a number between {q.get('min')} and {q.get('max')}, "
                f"found {described(cell)}",
            )
        return value, column, None
    return cell, column, None


def load_export(path: Path, book: dict, communes: list[str], on_invalid: str = "error") -> Export:
    """Read and validate an export against its codebook.

    on_invalid: "error" refuses the file, listing every problem with its line and column;
    "blank" blanks the invalid answers, warns, and lists them in `Export.issues`.
    """
    if on_invalid not in {"error", "blank"}:
        raise ValueError(f"on_invalid must be 'error' or 'blank', found {on_invalid!r}")
    path = Path(path)
    cb = compile_codebook(book, "codebook")
    header, records, encoding, sep = read_csv(path)
    style = detect_style(header)
    if cb.style and cb.style != style:
        raise SurveyFormatError(
            f"{path}: the codebook declares a {cb.style} export, this file looks like {style}"
        )
    id_col = cb.id_column if cb.id_column in header else ID_COLUMN[style]
    if id_col not in header:
        raise SurveyFormatError(f"{path}: missing column(s) {id_col}")
    cols = map_columns(header, cb, style, path)
    rows = [dict(zip(header, fields)) for _, fields in records]
    lines = [line for line, _ in records]
    seen: dict[str, int] = {}
    for line, row in zip(lines, rows):
        key = row[id_col].strip()
        if key == "":
            raise SurveyFormatError(f"{path}, line {line}, column {id_col}: empty id")
        if key in seen:
            raise SurveyFormatError(
                f"{path}, line {line}, column {id_col}: duplicated id "
                f"(already used on line {seen[key]})"
            )
        seen[key] = line

    communes_set = set(map(str, communes))
    values: dict[str, list] = {}
    issues = []
    for name in cb.kept:  # identifiers and free text are never read
        q, parsed = cb.questions[name], []
        for line, row in zip(lines, rows):
            value, column, problem = _parse(q, cols[name], row, communes_set)
            if problem:
                issues.append(
                    {"line": line, "column": column, "question": name, "problem": problem}
                )
            parsed.append(value)
        values[name] = parsed
        if name in cb.relevance:
            rule = cb.relevance[name]
            for i, (line, value) in enumerate(zip(lines, parsed)):
                if value is not None and not rule({k: v[i] for k, v in values.items()}):
                    column = _column_of(q, cols[name], rows[i])
                    issues.append(
                        {
                            "line": line,
                            "column": column,
                            "question": name,
                            "problem": "answered although its condition is false "
                            f"({q['relevance']})",
                        }
                    )
                    parsed[i] = None
    if issues:
        messages = [
            f"{path}, line {i['line']}, column {i['column']}: {i['problem']}" for i in issues
        ]
        listed = "\n".join(messages[:MAX_LISTED])
        more = f"\n... and {len(messages) - MAX_LISTED} more" if len(messages) > MAX_LISTED else ""
        if on_invalid == "error":
            raise SurveyFormatError(f"{len(issues)} invalid answer(s):\n{listed}{more}")
        # Invalid answers were parsed as empty already, and conditions read the blanked values.
        warnings.warn(
            f"{len(issues)} invalid answer(s) blanked:\n{listed}{more}", SurveyWarning, stacklevel=2
        )
    if commas := _decimal_commas(rows, cb, cols):
        warnings.warn(
            f"{path}: decimal comma read as a point in column(s) {', '.join(commas)}",
            SurveyWarning,
            stacklevel=2,
        )
    kept_cols = {c for name in cb.kept for c in cols[name].values()} | {id_col}
    dropped = [c for c in header if c not in kept_cols]
    declared = set(cb.questions) | set(book.get("identifiers", []))
    if undeclared := [
        c for c in dropped if not _is_meta(c, style) and _question_of(c, style) not in declared
    ]:
        warnings.warn(
            f"{path}: column(s) not in the codebook dropped: {', '.join(undeclared)}",
            SurveyWarning,
            stacklevel=2,
        )
    ids = [r[id_col].strip() for r in rows]
    return Export(
        table=canonical_table(ids, _last_pages(rows, cb, style), values, cb),
        style=style,
        encoding=encoding,
        separator=sep,
        issues=pd.DataFrame(
            [{**i, "problem": _kind(i["problem"])} for i in issues],
            columns=["line", "column", "question", "problem"],
        ),
        dropped=dropped,
    )


def read_export(
    path: Path, book: dict, communes: list[str], on_invalid: str = "error"
) -> pd.DataFrame:
    """Validated answers of an export (see `load_export`)."""
    return load_export(path, book, communes, on_invalid).table


def _decimal_commas(rows: list[dict], cb: Codebook, cols: dict) -> list[str]:
    """Columns of numeric questions where some answer is written with a decimal comma."""
    numeric = [cols[n]["value"] for n in cb.kept if cb.questions[n]["type"] == "numeric"]
    return [c for c in numeric if any(re.fullmatch(DECIMAL_COMMA, r[c].strip()) for r in rows)]


def _question_of(column: str, style: str) -> str:
    """The question name a column would hold: `Q[SQ]` (LimeSurvey), `group/Q` (Kobo)."""
    return column.partition("[")[0] if style == "limesurvey" else column.split("/")[-1]


def _kind(problem: str) -> str:
    if problem.startswith("answered although"):
        return "relevance"
    if problem.startswith("an exclusive"):
        return "exclusive"
    if "number between" in problem:
        return "range"
    return "code"


def _column_of(q: dict, cols: dict, row: dict) -> str:
    """The first filled source column of a question in a record (for messages)."""
    if q["type"] != "multiple":
        return cols["value"]
    filled = [c for c in cols.values() if row[c].strip() not in NOT_SELECTED]
    return (filled or list(cols.values()))[0]


def _last_pages(rows: list[dict], cb: Codebook, style: str) -> list:
    """Last page each respondent reached: LimeSurvey `lastpage`; a Kobo submission is whole."""
    if cb.max_page is None:
        return [None] * len(rows)
    if style == "limesurvey" and rows and "lastpage" in rows[0]:
        return [int(_number(r["lastpage"]) or 0) for r in rows]
    return [cb.max_page] * len(rows)


def canonical_table(ids: list[str], last_pages: list, values: dict, cb: Codebook) -> pd.DataFrame:
    """One row per respondent: codes as text, numbers as floats, one boolean per choice."""
    table = pd.DataFrame({"id": pd.array(ids, dtype="string")})
    table["last_page"] = pd.array(last_pages, dtype="Int64")
    for name in cb.kept:
        q, column = cb.questions[name], values[name]
        if q["type"] == "multiple":
            for code in q["codes"]:
                table[f"{name}[{code}]"] = pd.array(
                    [None if v is None else code in v for v in column], dtype="boolean"
                )
        elif q["type"] == "numeric":
            table[name] = pd.array(column, dtype="Float64")
        else:
            table[name] = pd.array(column, dtype="string")
    return table


# Answer status (item non-response) ------------------------------------------------------------


def answer_values(table: pd.DataFrame, book: dict) -> dict[str, list]:
    """Python values of each kept question of a canonical table (None when empty)."""
    cb = compile_codebook(book)
    out = {}
    for name in cb.kept:
        q = cb.questions[name]
        if q["type"] == "multiple":
            chosen = pd.DataFrame({c: table[f"{name}[{c}]"] for c in q["codes"]})
            out[name] = [
                None if r.isna().all() else frozenset(c for c, v in r.items() if v is True)
                for _, r in chosen.iterrows()
            ]
        else:
            out[name] = [None if pd.isna(v) else v for v in table[name]]
    return out


def answer_status(table: pd.DataFrame, book: dict) -> pd.DataFrame:
    """Per respondent and question: answered, non_response, not_reached or not_applicable.

    An empty answer is "not_reached" when its page comes after the last page the respondent
    reached (break-off), "not_applicable" when its relevance is false, else item non-response.
    """
    cb = compile_codebook(book)
    values = answer_values(table, book)
    out = pd.DataFrame(index=table.index)
    last = table["last_page"].to_numpy(dtype=float, na_value=np.inf)
    for name in cb.kept:
        q, status = cb.questions[name], []
        rule = cb.relevance.get(name)
        for i, value in enumerate(values[name]):
            if value is not None:
                status.append("answered")
            elif q.get("page", 0) > last[i]:
                status.append("not_reached")
            elif rule and not rule({k: v[i] for k, v in values.items()}):
                status.append("not_applicable")
            else:
                status.append("non_response")
        out[name] = status
    return out


def non_response(table: pd.DataFrame, book: dict) -> pd.DataFrame:
    """Per question: respondents asked, answering, not answering, not reached, not concerned."""
    status = answer_status(table, book)
    rows = []
    for name in status.columns:
        q = book["questions"][name]
        counts = status[name].value_counts()
        asked = int(counts.get("answered", 0) + counts.get("non_response", 0))
        rows.append(
            {
                "question": name,
                "label": q["label"],
                "page": q.get("page"),
                "asked": asked,
                "answered": int(counts.get("answered", 0)),
                "non_response": int(counts.get("non_response", 0)),
                "not_reached": int(counts.get("not_reached", 0)),
                "not_applicable": int(counts.get("not_applicable", 0)),
                "non_response_rate": counts.get("non_response", 0) / asked if asked else np.nan,
            }
        )
    out = pd.DataFrame(rows)
    out["page"] = out["page"].astype("Int64")
    return out
