"""Phase 09, needs fit: how much of the needs measured in phases 02 to 07 each scenario serves.

Each source of `scenarios.needs_fit` measures needs in its own terms:

- survey (phase 03, `estimates`): the weighted share of respondents wanting each service of the
  services question;
- interviews (phase 04, `needs`): the share of interviews citing each need;
- demand (phase 07, `demand`): the potential users of each segment, a segment being served by
  the functions able to sell its unit (`scenarios.units`);
- white_zones (phase 05, `coverage`): the inhabitants of the study zone living in a white zone
  of each service of the existing offer;
- telework_pool (phase 02, `telework_pool`): the workers who could telework near home;
- call: the functions the territory's call for tenders asks for (its file's `call.functions`),
  each with the weight the file gives it; a territory without a call measures nothing here.

Within a source, a need weighs its measure over the source's total. A scenario serves a need
when it offers one of the functions params map the need to (a need params do not map is served
by none, and listed). A source's component is the share of its need weight the scenario serves;
the score, from 0 to 1, is the mean of the components weighted by the sources' weights. A source
that measured no need drops out, the others' weights scaled to sum to 1.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import pandas as pd

from pipeline.core.vocabulary import FUNCTIONS

SOURCES = {
    "survey": "Enquête : services souhaités (phase 03)",
    "interviews": "Entretiens : besoins cités (phase 04)",
    "demand": "Demande estimée : usagers potentiels par segment (phase 07)",
    "white_zones": "Offre existante : habitants de la zone d'étude en zone blanche (phase 05)",
    "telework_pool": "Mobilités : actifs pouvant télétravailler près de chez eux (phase 02)",
    "call": "Cahier des charges : fonctions demandées par la collectivité",
}
TELEWORK_LABEL = "Actifs pouvant télétravailler près de chez eux"
NEEDS_COLUMNS = ["source", "need", "label", "measure", "share", "functions"]
FIT_COLUMNS = ["scenario", "source", "label", "weight", "served", "contribution"]


def _rows(source: str, need, label, measure, functions) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "source": source,
            "need": pd.Series(need, dtype="str").to_numpy(),
            "label": pd.Series(label, dtype="str").to_numpy(),
            "measure": pd.Series(measure, dtype="float").fillna(0.0).clip(lower=0.0).to_numpy(),
        }
    )
    out["functions"] = [functions(n) for n in out["need"]]
    return out


def _mapped(needs: dict) -> Callable[[str], str]:
    """The functions serving a need, "|"-joined in the vocabulary's order ("" for none)."""

    def functions(need: str) -> str:
        return "|".join(f for f in FUNCTIONS if f in needs.get(need, []))

    return functions


def measured_needs(measures: dict[str, pd.DataFrame], settings: dict) -> pd.DataFrame:
    """Every need each source measured: its measure, its share of the source's total and the
    functions serving it ("|"-joined, "" for none). `measures`: the tables of the earlier
    phases, by name (estimates, needs, demand, coverage, telework_pool), and the territory's
    call for tenders (`call`: its functions and their weights); a missing or empty one
    measures nothing."""
    spec = settings["needs_fit"]
    frames = []
    survey = measures.get("estimates", pd.DataFrame())
    if len(survey):
        rows = survey.loc[survey["question"] == spec["survey"]["question"]]
        frames.append(_rows("survey", rows["indicator"], rows["label"], rows["weighted"],
                            _mapped(spec["survey"]["needs"])))  # fmt: skip
    interviews = measures.get("needs", pd.DataFrame())
    if len(interviews):
        frames.append(_rows("interviews", interviews["need"], interviews["label"],
                            interviews["share"], _mapped(spec["interviews"]["needs"])))  # fmt: skip
    demand = measures.get("demand", pd.DataFrame())
    if len(demand):
        units = demand.set_index("segment")["unit"]

        def by_unit(segment: str) -> str:
            unit = settings["units"].get(units[segment])
            served = (unit["functions"] or list(FUNCTIONS)) if unit else []
            return "|".join(f for f in FUNCTIONS if f in served)

        frames.append(_rows("demand", demand["segment"], demand["label"], demand["users"], by_unit))
    coverage = measures.get("coverage", pd.DataFrame())
    if len(coverage):
        zone = coverage.loc[coverage["in_study_zone"].astype(bool)]
        white = zone["population"].where(zone["white_zone"].astype(bool), 0.0)
        by = white.groupby([zone["service"], zone["service_label"]], sort=False).sum().reset_index()
        frames.append(_rows("white_zones", by["service"], by["service_label"], by["population"],
                            _mapped(spec["white_zones"]["needs"])))  # fmt: skip
    pool = measures.get("telework_pool", pd.DataFrame())
    if len(pool):
        functions = {"telework_pool": spec["telework_pool"]["functions"]}
        frames.append(_rows("telework_pool", ["telework_pool"], [TELEWORK_LABEL],
                            [float(pool["telework_pool"].sum())], _mapped(functions)))  # fmt: skip
    call = measures.get("call") or {}
    if call:
        asked = [f for f in FUNCTIONS if f in call]
        frames.append(_rows("call", asked, [FUNCTIONS[f] for f in asked],
                            [float(call[f]) for f in asked], lambda f: f))  # fmt: skip
    if not frames:
        return pd.DataFrame(columns=NEEDS_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    totals = out.groupby("source")["measure"].transform("sum")
    out["share"] = (out["measure"] / totals.where(totals > 0)).fillna(0.0)
    # (a segment of a unit no scenario sells is listed as an unpriced unit instead)
    unmapped = out.loc[
        (out["functions"] == "") & (out["measure"] > 0) & (out["source"] != "demand")
    ]
    if len(unmapped):
        warnings.warn(
            "params.yaml: scenarios.needs_fit: no function serves the measured need(s) "
            + ", ".join(f"{s}/{n}" for s, n in zip(unmapped["source"], unmapped["need"]))
            + ": they count as needs no scenario serves",
            stacklevel=2,
        )
    return out[NEEDS_COLUMNS]


def serves(functions: str, offered) -> bool:
    """Whether a need served by `functions` ("|"-joined) is served by a scenario offering
    `offered`."""
    return bool(set(filter(None, functions.split("|"))) & set(offered))


def fit(needs: pd.DataFrame, scenarios: dict, settings: dict) -> pd.DataFrame:
    """By scenario and source: the source's weight (scaled over the sources that measured a
    need), the share of its need weight the scenario serves, and their product."""
    spec = settings["needs_fit"]
    measured = needs.groupby("source")["measure"].sum()
    active = [s for s in SOURCES if float(measured.get(s, 0.0)) > 0]
    total = sum(float(spec[s]["weight"]) for s in active)
    rows = []
    for name, scenario in scenarios.items():
        for source in SOURCES:
            part = needs.loc[needs["source"] == source]
            on = source in active and total > 0
            weight = float(spec[source]["weight"]) / total if on else 0.0
            served = (
                float(part.loc[[serves(f, scenario["functions"]) for f in part["functions"]],
                               "share"].sum())
                if on else float("nan")
            )  # fmt: skip
            rows.append([name, source, SOURCES[source], weight, served,
                         weight * served if on else 0.0])  # fmt: skip
    return pd.DataFrame(rows, columns=FIT_COLUMNS)


def scores(table: pd.DataFrame) -> pd.Series:
    """Each scenario's score of fit to the measured needs, from 0 to 1 (NaN when no source
    measured a need)."""
    weights = table.groupby("scenario", sort=False)["weight"].sum()
    total = table.groupby("scenario", sort=False)["contribution"].sum()
    return total.where(weights > 0)
