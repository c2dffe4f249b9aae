"""Phase 03 indicators: the codebook's analysis sections checked, and each indicator's 0/1 flags."""

from __future__ import annotations

import pandas as pd

from pipeline.survey.codebook import SurveyFormatError
from pipeline.survey.weights import ACTIVITY, SEX_KEYS


def check_analysis(book: dict) -> None:
    """The codebook's `profile`, `indicators`, `distributions`, `prices` and `model` sections."""
    qs = book["questions"]

    def need(cond: bool, message: str) -> None:
        if not cond:
            raise SurveyFormatError(f"codebook: {message}")

    profile = book.get("profile", {})
    for role in ("commune", "sex", "age", "activity"):
        need(role in profile, f"profile.{role} is required for weighting")
    need(profile["commune"] in qs, f"profile.commune: no question {profile['commune']}")
    for role in ("sex", "age", "activity"):
        spec = profile[role]
        need(spec.get("question") in qs, f"profile.{role}: no question {spec.get('question')}")
        codes = set(qs[spec["question"]].get("codes", {}))
        need(set(spec.get("census", {})) == codes, f"profile.{role}.census must map every code")
    need(set(profile["sex"]["census"].values()) == SEX_KEYS, "profile.sex.census: men, women")
    need(
        set(profile["activity"]["census"].values()) <= set(ACTIVITY),
        f"profile.activity.census values must be among {sorted(ACTIVITY)}",
    )
    for name, spec in indicator_specs(book).items():
        q = qs.get(spec.get("question"))
        need(q is not None, f"indicator {name}: no question {spec.get('question')}")
        if q["type"] == "multiple":
            need(spec.get("choice") in q["codes"], f"indicator {name}: choice not in codes")
        else:
            need(set(map(str, spec.get("yes", []))) <= set(q["codes"]), f"{name}: bad yes codes")
    for name in book.get("distributions", []):
        need(
            name in qs and qs[name]["type"] in {"single", "multiple", "commune"},
            f"distributions: {name} is not a single, multiple or commune question",
        )
    for name, spec in book.get("prices", {}).items():
        need(name in qs and qs[name]["type"] == "numeric", f"prices: {name} is not numeric")
        need(bool(spec.get("bands")) and "unit" in spec, f"prices: {name} needs bands and unit")
    outcome = book.get("model", {}).get("outcome")
    need(outcome in indicator_specs(book), f"model.outcome: {outcome!r} is not an indicator")


def indicator_specs(book: dict) -> dict[str, dict]:
    """Indicators of the codebook; `choice: "*"` expands to one per choice (exclusive ones aside)."""
    out = {}
    for name, spec in book.get("indicators", {}).items():
        if spec.get("choice") == "*":
            q = book["questions"][spec["question"]]
            exclusive = set(map(str, q.get("exclusive", [])))
            for code, label in q["codes"].items():
                if code not in exclusive:
                    out[f"{name}_{code.lower()}"] = {
                        **spec,
                        "choice": code,
                        "label": spec["label"].format(choice=label),
                    }
        else:
            out[name] = spec
    return out


def indicator_flags(
    answers: pd.DataFrame, status: pd.DataFrame, book: dict
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """0/1 per respondent and indicator, missing when the question was not answered.

    An indicator with `not_applicable: 0` counts a respondent the question was not asked
    (relevance false) as a 0: its base is every respondent, not only those asked.
    """
    flags, meta = pd.DataFrame(index=answers.index), []
    for name, spec in indicator_specs(book).items():
        q_name = spec["question"]
        q = book["questions"][q_name]
        if q["type"] == "multiple":
            values = answers[f"{q_name}[{spec['choice']}]"].astype("Int64")
        else:
            yes = answers[q_name].isin(list(map(str, spec["yes"])))
            values = yes.astype("Int64").where(answers[q_name].notna())
        if "not_applicable" in spec:
            values = values.mask(status[q_name] == "not_applicable", int(spec["not_applicable"]))
        flags[name] = values.astype("Int64")
        base = spec.get("base") or (
            "Ensemble des répondants"
            if "not_applicable" in spec or not q.get("relevance")
            else "Répondants concernés"
        )
        no_answer = status[q_name].isin(["non_response", "not_reached"]) & values.isna()
        meta.append(
            {
                "indicator": name,
                "label": spec["label"],
                "question": q_name,
                "base": base,
                "no_answer": int(no_answer.sum()),
            }
        )
    return flags, pd.DataFrame(meta)
