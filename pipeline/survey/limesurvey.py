"""Phase 03: LimeSurvey's response exports as LimeSurvey writes them (Responses > Export, CSV),
brought to question codes before `pipeline.survey.exports` validates them.

Headings come in three forms (LimeSurvey's export option "Headings"): question codes
(`Q11_services[COWORK]`), codes and texts (`Q11_services[COWORK]. Quels services ? [Coworking]`,
the separator chosen at export), or question texts (`Quels services ? [Coworking]`). LimeSurvey
writes its own columns first (`id`, `submitdate`, `lastpage`, `startlanguage`, `seed`…), titled
in the export's language when headings are texts: they tell its exports apart, and their form.
With question texts as headings, a question's column is found by the codebook's `text` of the
question (else its `label`), and a choice of a multiple question by the label of its code.

Answers come as codes or as full answers (export option "Responses"): a coded answer written as
its label is read as its code, a ticked choice written `Oui`/`Yes` as ticked. LimeSurvey's
"Other" answer of a list (`-oth-`, « Autre » in full answers) is the question's code `-oth-`,
else its code labelled « Autre » (or « Other »); what the respondent typed in its `[other]`
column is free text, never read (for a multiple question, a filled `[other]` ticks that code).
Timing columns (`interviewtime`, `groupTime…`, `<question>Time`) are LimeSurvey's metadata.
"""

from __future__ import annotations

import re

from pipeline.survey.codebook import SurveyFormatError

# LimeSurvey's own columns (createFieldMap): code -> titles of text headings (English, French).
FIXED = {
    "id": ("Response ID", "ID de la réponse"),
    "submitdate": ("Date submitted", "Date de soumission"),
    "lastpage": ("Last page", "Dernière page"),
    "startlanguage": ("Start language", "Langue de départ"),
    "seed": ("Seed", "Tête de série"),
    "token": ("Access code", "Code d'accès"),
    "startdate": ("Date started", "Date de lancement"),
    "datestamp": ("Date last action", "Date de la dernière action"),
    "ipaddr": ("IP address",),
    "refurl": ("Referrer URL",),
}
# Timing columns (createTimingsFieldMap): `interviewtime`, `groupTime<group id>` and
# `<question>Time`; as text headings, 'Total time', 'Group time: <group>' (English) and a
# question's time '<Question time>: <question code>' (any language).
GROUP_TIME = re.compile(r"groupTime\d+")
TOTAL_TIME, GROUP_TIME_TITLE = "Total time", "Group time: "
QUESTION_TIME = re.compile(r".+:\s*([A-Za-z][A-Za-z0-9_]*)")
OTHER = "-oth-"
OTHER_LABELS = {"autre", "autres", "other"}
COMMENT_LABELS = ("commentaire", "comment")
YES, NO = {"oui", "yes"}, {"non", "no", "n/a"}


def key(text: str) -> str:
    """Text as compared here: case and runs of spaces ignored."""
    return " ".join(str(text).split()).casefold()


def fixed_column(heading: str) -> tuple[str, str] | None:
    """(code, form) of a LimeSurvey column in any heading form: 'code', 'full' (its title),
    or 'codetext' followed by the separator ('id. Response ID' -> ('id', 'codetext:. '))."""
    for code, titles in FIXED.items():
        if heading == code:
            return code, "code"
        for title in titles:
            if heading == title:
                return code, "full"
            if heading.startswith(code) and heading.endswith(title) and len(heading) > len(code):
                separator = heading[len(code) : len(heading) - len(title)]
                if len(separator) <= 5:
                    return code, "codetext:" + separator
    return None


def is_limesurvey(header: list[str]) -> bool:
    """Whether the header holds one of LimeSurvey's own columns, in any heading form."""
    return any(fixed_column(h) for h in header)


def heading_form(header: list[str]) -> str:
    """'code', 'full', or 'codetext:<separator>': the form of the response id's heading."""
    forms = [found[1] for h in header if (found := fixed_column(h)) and found[0] == "id"]
    return forms[0] if forms else "code"


def is_timing(column: str, header: list[str]) -> bool:
    """Whether a column (code form) is one of LimeSurvey's timings: the interview's, a group's,
    or a question's (`<question>Time`, that question heading other columns of `header`)."""
    if column == "interviewtime" or GROUP_TIME.fullmatch(column):
        return True
    stem = column.removesuffix("Time")
    return stem != column and any(c == stem or c.startswith(stem + "[") for c in header)


def code_headings(header: list[str], book: dict) -> list[str]:
    """The header in question-code form (a heading nothing matches is kept as it is)."""
    form = heading_form(header)
    if form == "code":
        return list(header)
    if form.startswith("codetext:"):
        separator = form.removeprefix("codetext:")
        return [h.split(separator, 1)[0] if separator in h else h for h in header]
    questions = book["questions"]
    by_text = {key(q.get("text") or q.get("label", "")): name for name, q in questions.items()}
    return [_from_text(h, i, questions, by_text) for i, h in enumerate(header)]


def _from_text(heading: str, position: int, questions: dict, by_text: dict) -> str:
    """The code of a heading written as text: a LimeSurvey column, a timing, a question (by
    its text, `by_text`), or a choice, 'other' or comment column of one (`text [choice]`)."""
    if found := fixed_column(heading):
        return found[0]
    if heading == TOTAL_TIME:
        return "interviewtime"
    if heading.startswith(GROUP_TIME_TITLE):
        return f"groupTime{position}"
    if (time := QUESTION_TIME.fullmatch(heading)) and time.group(1) in questions:
        return time.group(1) + "Time"
    if name := by_text.get(key(heading)):
        return name
    text, bracket, choice = heading.rpartition(" [")
    name = by_text.get(key(text)) if bracket and choice.endswith("]") else None
    if name is None:
        return heading
    choice, q = key(choice[:-1]), questions[name]
    codes = {key(label): code for code, label in q.get("codes", {}).items()}
    if q["type"] == "multiple" and choice in codes:  # a choice, or its "Other" labelled so
        return f"{name}[{codes[choice]}]"
    if choice in OTHER_LABELS:
        return f"{name}[other]"
    return f"{name}[comment]" if choice.endswith(COMMENT_LABELS) else heading


def other_code(q: dict) -> str | None:
    """The code of a question that holds LimeSurvey's "Other" answer: `-oth-`, else the only
    code labelled « Autre » or « Other »."""
    codes = q.get("codes", {})
    if OTHER in codes:
        return OTHER
    labelled = [c for c, label in codes.items() if key(label) in OTHER_LABELS]
    return labelled[0] if len(labelled) == 1 else None


def answer_codes(rows: list[dict], lines: list[int], book: dict, cols: dict, shown: dict, path):
    """Bring LimeSurvey's answers to codes, in place: `-oth-` and labels of coded questions,
    `Oui`/`Non` of choices, the "Other" choice ticked by a filled `[other]` (its text never
    kept); `-oth-` in a question without an "Other" code is refused (`shown`: the heading of a
    column in the file)."""
    for name, found in cols.items():
        q = book["questions"][name]
        if q["type"] == "single":
            _single(rows, lines, q, found["value"], name, shown, path)
        elif q["type"] == "multiple":
            other = other_code(q)
            for code, column in found.items():
                if code == "value":  # a Kobo-style column of codes: not LimeSurvey's
                    continue
                for row in rows:
                    cell = key(row[column])
                    if code == other and cell not in YES | NO | {"", "y", "n", "1", "0"}:
                        row[column] = "Y"  # what the respondent typed as "Other"
                    elif cell in YES | NO:
                        row[column] = "Y" if cell in YES else ""


def _single(rows, lines, q: dict, column: str, name: str, shown: dict, path) -> None:
    """One coded question's answers to codes (see `answer_codes`)."""
    labels: dict[str, list[str]] = {}
    for code, label in q["codes"].items():
        labels.setdefault(key(label), []).append(code)
    other = other_code(q)
    refused = []
    for line, row in zip(lines, rows):
        cell = row[column].strip()
        if cell in q["codes"] or cell == "":
            continue
        if cell == OTHER:
            if other is None:
                refused.append(str(line))
            else:
                row[column] = other
        elif len(codes := labels.get(key(cell), [])) == 1:
            row[column] = codes[0]
    if refused:
        listed = ", ".join(refused[:10]) + (" …" if len(refused) > 10 else "")
        raise SurveyFormatError(
            f"{path}, column {shown.get(column, column)}: LimeSurvey's answer '{OTHER}' "
            f"(« Autre ») on line(s) {listed}, but {name} has no code '{OTHER}' nor a code "
            "labelled « Autre » in the codebook: add one"
        )
