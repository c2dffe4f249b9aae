"""Phase 03 exports: the CSV files analysts get from LimeSurvey or KoboToolbox, read and
validated against the codebook (`pipeline.survey.codebook`).

An export is read whatever its separator (`,`, `;`, tab) and encoding (UTF-8; a BOM, or anything
else read as Windows-1252 / Latin-1, with a warning; see `pipeline.core.validate`), then validated: every
problem is reported as `file, line L, column C: ...` (L is the physical line of the record, so
answers spanning several lines are counted right). Messages never quote an answer: what a
respondent typed may identify them; they say what it looks like (`validate.described`), or name
codes of the codebook only. Identifiers, free-text answers, metadata and
undeclared columns are dropped here: they never reach a processed table.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from pipeline.core.validate import DECIMAL_COMMA, decode, read_records, separator
from pipeline.survey.answers import (
    answer_column,
    canonical_table,
    number,
    parse_answer,
)
from pipeline.survey.codebook import Codebook, SurveyFormatError, SurveyWarning, compile_codebook
from pipeline.survey.limesurvey import (
    answer_codes,
    code_headings,
    heading_form,
    is_limesurvey,
    is_timing,
    other_code,
)

ID_COLUMN = {"limesurvey": "id", "kobo": "_id"}
LIMESURVEY_META = {"submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"}
LIMESURVEY_META |= {"refurl", "ipaddr", "token", "optout", "emailstatus", "lastname", "firstname"}
KOBO_META = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber"}
KOBO_META |= {"username", "audit", "_uuid", "_submission_time", "_validation_status", "_notes"}
KOBO_META |= {"_status", "_submitted_by", "__version__", "_version_", "_tags", "_index"}
KOBO_META |= {"_attachments", "_geolocation", "_xform_id_string", "instanceID", "rootUuid"}
KOBO_META_GROUPS = ("meta/", "formhub/")
MAX_LISTED = 20
FULL_TEXT_HINT = (
    " (its headings are question texts: a question's column is headed by the codebook's `text`"
    " of the question, else its `label`; or export the responses with question codes as headings)"
)
# What to do with invalid answers (params survey.on_invalid).
OnInvalid = Literal["error", "blank"]


# CSV reading ----------------------------------------------------------------------------------


def read_csv(path: Path) -> tuple[list[str], list, str, str]:
    """Header, records, encoding and separator of a CSV export."""
    text, encoding = decode(Path(path).read_bytes(), path)
    sep = separator(text, path)
    header, records = read_records(text, sep, path)
    return header, records, encoding, sep


# Export styles ------------------------------------------------------------------------------


def detect_style(header: list[str], declared: str | None = None) -> str:
    """KoboToolbox (`_id`, `_uuid`…) or LimeSurvey (its own columns `id`, `submitdate`,
    `lastpage`… in any heading form) by their own markers; else the style the codebook
    `declared`; else from the headings, `group/question` or `Q[SQ]` (a question text may hold
    a '/': markers come first)."""
    if {"_uuid", "_submission_time"} & set(header) or "_id" in header:
        return "kobo"
    if is_limesurvey(header):
        return "limesurvey"
    if declared:
        return declared
    if any("/" in h for h in header):
        return "kobo"
    if any("[" in h for h in header):
        return "limesurvey"
    raise SurveyFormatError(
        "cannot tell the export style: declare `format: limesurvey` or `format: kobo` "
        "in the codebook"
    )


def _is_meta(column: str, style: str, header: list[str]) -> bool:
    if style == "limesurvey":
        return column in LIMESURVEY_META or is_timing(column, header)
    return (
        column in KOBO_META
        or column.split("/")[-1] in KOBO_META
        or column.startswith(KOBO_META_GROUPS)
    )


def map_columns(header: list[str], book: Codebook, style: str, path, hint: str = "") -> dict:
    """Source columns of each question: {question: {"value": col} or {code: col} or both}.
    LimeSurvey's free-text columns of a question (`[other]`, `[…comment]`) are left out, but
    the `[other]` of a multiple question with an "Other" code (`limesurvey.other_code`);
    `hint` ends the message on missing columns."""
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
                    if code == "other" and (other := other_code(q)):
                        claim(name, other, column)
                        continue
                    if code == "other" or code.endswith("comment"):
                        continue
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
        raise SurveyFormatError(f"{path}: missing column(s) {', '.join(missing)}{hint}")
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


def load_export(
    path: Path, book: dict, communes: list[str], on_invalid: OnInvalid = "error"
) -> Export:
    """Read and validate an export against its codebook.

    on_invalid: "error" refuses the file, listing every problem with its line and column;
    "blank" blanks the invalid answers, warns, and lists them in `Export.issues`.
    """
    path = Path(path)
    cb = compile_codebook(book, "codebook")
    original, records, encoding, sep = read_csv(path)
    style = detect_style(original, cb.style)
    if cb.style and cb.style != style:
        raise SurveyFormatError(
            f"{path}: the codebook declares a {cb.style} export, this file looks like {style}"
        )
    # LimeSurvey's headings in question-code form; messages show the file's own headings.
    header = code_headings(original, book) if style == "limesurvey" else original
    shown = dict(zip(header, original))
    id_col = cb.id_column if cb.id_column in header else ID_COLUMN[style]
    if id_col not in header:
        raise SurveyFormatError(f"{path}: missing column(s) {id_col}")
    full_text = style == "limesurvey" and heading_form(original) == "full"
    cols = map_columns(header, cb, style, path, FULL_TEXT_HINT if full_text else "")
    rows = [dict(zip(header, fields)) for _, fields in records]
    lines = [line for line, _ in records]
    seen: dict[str, int] = {}
    for line, row in zip(lines, rows):
        key = row[id_col].strip()
        at = f"{path}, line {line}, column {shown[id_col]}"
        if key == "":
            raise SurveyFormatError(f"{at}: empty id")
        if key in seen:
            raise SurveyFormatError(f"{at}: duplicated id (already used on line {seen[key]})")
        seen[key] = line
    if style == "limesurvey":
        answer_codes(rows, lines, book, {n: cols[n] for n in cb.kept}, shown, path)

    communes_set = set(map(str, communes))
    values: dict[str, list] = {}
    issues = []
    for name in cb.kept:  # identifiers and free text are never read
        q, parsed = cb.questions[name], []
        for line, row in zip(lines, rows):
            value, column, problem = parse_answer(q, cols[name], row, communes_set)
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
                    column = answer_column(q, cols[name], rows[i])
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
    for issue in issues:
        issue["column"] = shown.get(issue["column"], issue["column"])
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
            f"{path}: decimal comma read as a point in column(s) "
            + ", ".join(shown[c] for c in commas),
            SurveyWarning,
            stacklevel=2,
        )
    kept_cols = {c for name in cb.kept for c in cols[name].values()} | {id_col}
    dropped = [c for c in header if c not in kept_cols]
    declared = set(cb.questions) | set(book.get("identifiers", []))
    if undeclared := [
        shown[c]
        for c in dropped
        if not _is_meta(c, style, header) and _question_of(c, style) not in declared
    ]:
        more = len(undeclared) - MAX_LISTED
        warnings.warn(
            f"{path}: {len(undeclared)} column(s) not in the codebook dropped: "
            + ", ".join(undeclared[:MAX_LISTED])
            + (f" and {more} more" if more > 0 else ""),
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
        dropped=[shown[c] for c in dropped],
    )


def read_export(
    path: Path, book: dict, communes: list[str], on_invalid: OnInvalid = "error"
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


def _last_pages(rows: list[dict], cb: Codebook, style: str) -> list:
    """Last page each respondent reached: LimeSurvey `lastpage`; a Kobo submission is whole."""
    if cb.max_page is None:
        return [None] * len(rows)
    if style == "limesurvey" and rows and "lastpage" in rows[0]:
        return [int(number(r["lastpage"]) or 0) for r in rows]
    return [cb.max_page] * len(rows)
