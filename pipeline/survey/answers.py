"""Phase 03 answers: each answer read from its cells and checked against its question, the
canonical table of a validated export, and each answer's status (item non-response).

Problems are described without quoting the answer (`validate.described`): what a respondent
typed may identify them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.core.validate import described
from pipeline.survey.codebook import Codebook, compile_codebook

SELECTED = {"Y", "1", "1.0"}
NOT_SELECTED = {"", "N", "0", "0.0"}


def number(text: str) -> float | None:
    """A number written with a decimal point or comma and spaces, or None."""
    try:
        value = float(text.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def parse_answer(q: dict, cols: dict, row: dict, communes: set[str]):
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
        value = number(cell)
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


def answer_column(q: dict, cols: dict, row: dict) -> str:
    """The first filled source column of a question in a record (for messages)."""
    if q["type"] != "multiple":
        return cols["value"]
    filled = [c for c in cols.values() if row[c].strip() not in NOT_SELECTED]
    return (filled or list(cols.values()))[0]


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
