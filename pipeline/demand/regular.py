"""Phase 07, regular users: the people of each segment who would come at least
`min_visits_per_month` times a month (params `demand.regular_users`), the one definition of
« usagers réguliers » that the report's synthesis and phase 10's indicators share.

Among a segment's users (head count × capture rate, central), the regular share is, for a
segment whose frequency comes from the survey (`frequency_survey`), the weighted share of the
answers to the survey's frequency `question` (phase 03's distribution) whose code means at least
that many visits a month (`visits_per_month`: the fewest visits each answer means); for any other
segment, all of its users or none, by its yearly frequency (in its unit, one unit per visit)
over 12 months.
"""

from __future__ import annotations

import pandas as pd

from pipeline.core import fmt
from pipeline.core.validate import require_columns

MONTHS = 12
DISTRIBUTION_COLUMNS = ["question", "question_label", "code", "answer", "n", "weighted"]


def survey_share(distributions: pd.DataFrame | None, spec: dict) -> dict | None:
    """The weighted share of the answers to `spec["question"]` meaning at least
    `min_visits_per_month` visits, and its source in words; None when the survey does not
    publish the question (absent, suppressed or without answers)."""
    if distributions is None:
        return None
    require_columns(distributions, DISTRIBUTION_COLUMNS, "03_survey/distributions")
    rows = distributions[distributions["question"] == spec["question"]]
    if "suppressed" in rows:
        rows = rows[~rows["suppressed"].astype(bool)]
    rows = rows.dropna(subset=["weighted"])
    if rows.empty or rows["weighted"].sum() <= 0:
        return None
    visits = spec["visits_per_month"]
    unknown = sorted(set(rows["code"]) - set(visits))
    if unknown:
        raise ValueError(
            f"params.yaml demand.regular_users.visits_per_month: expected a number of visits for "
            f"each answer code of {spec['question']}, missing {', '.join(unknown)}"
        )
    minimum = float(spec["min_visits_per_month"])
    kept = rows[rows["code"].map(visits).astype(float) >= minimum]
    share = float(kept["weighted"].sum() / rows["weighted"].sum())
    answers = ", ".join(f"« {a} »" for a in kept["answer"])
    return {
        "share": share,
        "source": (
            f"enquête (phase 03) : « {rows['question_label'].iloc[0]} », réponses "
            f"{answers or 'aucune'} : {fmt.percent(share, 1)} des futurs usagers, "
            f"n = {int(rows['n'].iloc[0])}"
        ),
    }


def regular_users(
    demand: pd.DataFrame, segments: dict, distributions: pd.DataFrame | None, spec: dict
) -> pd.DataFrame:
    """`demand` (phase 07, one row per segment) with `regular_share`, `regular_users` (central
    users × that share) and `regular_source`."""
    minimum = float(spec["min_visits_per_month"])
    survey = survey_share(distributions, spec)
    shares, sources = [], []
    for row in demand.itertuples():
        if segments[row.segment].get("frequency_survey") and survey is not None:
            shares.append(survey["share"])
            sources.append(survey["source"])
            continue
        per_month = float(row.frequency_central) / MONTHS
        shares.append(1.0 if per_month >= minimum else 0.0)
        sources.append(
            f"fréquence de la demande : {fmt.number(per_month, 1)} par mois, "
            f"{'au moins' if per_month >= minimum else 'moins de'} {fmt.number(minimum)}"
        )
    out = demand.assign(regular_share=shares, regular_source=sources)
    out.insert(out.columns.get_loc("regular_source"), "regular_users",
               out["users"] * out["regular_share"])  # fmt: skip
    return out
