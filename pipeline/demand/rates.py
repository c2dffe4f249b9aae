"""Phase 07: capture rates and frequencies of a segment, from the survey (phase 03) when it
publishes the indicator a segment names, else from params; each with where it came from."""

from __future__ import annotations

import pandas as pd

from pipeline.core import fmt

LEVELS = ["low", "central", "high"]
PARAMS_SOURCE = "paramètres (hypothèse d'étude)"


def survey_rate(estimates: pd.DataFrame | None, indicator: str | None) -> dict | None:
    """Weighted share and confidence interval of a survey indicator (low, central, high, n,
    label), or None when the survey does not publish it (absent, or suppressed as NaN)."""
    if estimates is None or not indicator:
        return None
    rows = estimates[estimates["indicator"] == indicator]
    if rows.empty or rows[["weighted", "ci_low", "ci_high"]].iloc[0].isna().any():
        return None
    if "suppressed" in rows and bool(rows["suppressed"].iloc[0]):
        return None
    row = rows.iloc[0]
    return {
        "low": float(row["ci_low"]),
        "central": float(row["weighted"]),
        "high": float(row["ci_high"]),
        "n": int(row["n"]),
        "label": str(row["label"]),
    }


def percents(values) -> str:
    """'10,0 % – 15,0 % – 20,0 %'."""
    return " – ".join(fmt.percent(v, 1) for v in values)


def survey_source(rate: dict) -> str:
    return (
        f"enquête (phase 03) : « {rate['label']} », "
        f"{fmt.percent(rate['central'], 1)}, intervalle de confiance "
        f"{fmt.percent(rate['low'], 1)} – {fmt.percent(rate['high'], 1)}, n = {rate['n']}"
    )


def digital_help_rate(estimates: pd.DataFrame | None, settings: dict) -> dict:
    """Share of people aged 15+ who need help with digital tools: the survey's indicator named
    by `digital_help_survey` when published, else `digital_help_share` (low = central = high)."""
    indicator = settings.get("digital_help_survey")
    rate = survey_rate(estimates, indicator)
    if rate is not None:
        return {**{k: rate[k] for k in LEVELS}, "source": survey_source(rate)}
    share = float(settings["digital_help_share"])
    return {"low": share, "central": share, "high": share, "source": PARAMS_SOURCE}


def capture_rates(
    spec: dict, estimates: pd.DataFrame | None, realisation
) -> dict[str, float | str]:
    """Capture rate of a segment at each level, and its source.

    With a published survey indicator: its confidence interval bounds and weighted share times
    the realisation rates (low, central, high); otherwise the params' capture rates.
    """
    rate = survey_rate(estimates, spec.get("survey"))
    if rate is None:
        out = dict(zip(LEVELS, map(float, spec["capture"])))
        note = f" (indicateur {spec['survey']} absent de l'enquête)" if spec.get("survey") else ""
        return {**out, "source": PARAMS_SOURCE + note}
    factors = [float(r) for r in realisation]
    out = {level: rate[level] * f for level, f in zip(LEVELS, factors)}
    source = survey_source(rate) + (
        f" × taux de concrétisation {percents(factors)}"
    )
    return {**out, "source": source}


def frequencies(
    spec: dict, estimates: pd.DataFrame | None, survey_days: dict | None
) -> dict[str, float | str]:
    """Uses a year per person of a segment at each level, and its source.

    With `frequency_survey` published (share of future users who would come every week): that
    share's interval bounds and weighted value weigh `survey_days` weekly against occasional
    days (p x weekly + (1 - p) x occasional); otherwise `days_per_year` at every level.
    """
    rate = survey_rate(estimates, spec.get("frequency_survey")) if survey_days else None
    if rate is None:
        days = float(spec["days_per_year"])
        note = (
            f" (indicateur {spec['frequency_survey']} absent de l'enquête)"
            if spec.get("frequency_survey")
            else ""
        )
        return {**dict.fromkeys(LEVELS, days), "source": PARAMS_SOURCE + note}
    weekly, occasional = float(survey_days["weekly"]), float(survey_days["occasional"])
    out = {level: rate[level] * weekly + (1 - rate[level]) * occasional for level in LEVELS}
    source = survey_source(rate) + (
        f" : {weekly:g} par an pour un usager hebdomadaire, {occasional:g} sinon"
    )
    return {**out, "source": source}
