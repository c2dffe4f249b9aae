"""The study's answer to « faut-il ouvrir un tiers-lieu ? », and its conditions.

Three tests against the thresholds of params (`report.verdict`): demand (the survey interest's
confidence interval against `min_interest`, and the share of the place's capacity its demand
would fill against `min_fill_rate`), affordability (the EPCI's net cost per inhabitant
of the study zone and per year against `max_net_cost_per_inhabitant`) and risk (the probability
of a cumulative deficit against `max_deficit_probability`, and the funding lines the plan
depends on). A hard failure gives « Pas en l'état », among them a deficit probability, with
every funding line obtained, above `not_now_deficit_probability` (no funding condition can
make such a plan credible); every test met with certain funding gives
« Oui »; anything else « Oui, sous conditions », each condition written out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.core import fmt
from pipeline.core.mdtext import Md, md
from pipeline.core.settings.scenarios import Uncertain

YES, CONDITIONAL, NOT_NOW = "Oui", "Oui, sous conditions", "Pas en l'état"
CERTAIN = 1.0  # a probability of 1: a funding line the plan can count on
# The probability of a funding line params leaves without one (the settings' default).
DEFAULT_PROBABILITY = Uncertain.model_fields["probability"].default
FLOWS = {"operation": "de subvention de fonctionnement",
         "investment": "de subvention d'investissement"}  # fmt: skip
# The funding sections of params, by the flow phase 09's `funders` table names them.
FUNDING_SECTIONS = {"operation": "operating_funding", "investment": "investment_funding"}
PER_INHABITANT_DECIMALS = 2  # a few euros per inhabitant: cents are shown
CAPACITY_TOLERANCE = 1e-9  # a volume equal to its capacity (capped): the demand exceeds it


@dataclass(frozen=True)
class Verdict:
    title: str
    why: Md
    conditions: list[Md]


@dataclass(frozen=True)
class Facts:
    """What the verdict weighs, read from the phases' tables by `Report.verdict_facts`.

    `lines`: funding lines (flow, funder, probability); `cases`: the recommended scenario's
    funding cases, central first (case, label, without, cumulative_result, deficit_probability,
    epci_net_cost_per_year); `funders`: what each funder pays the recommended scenario in the
    central case (funder, label, flow, year, amount_eur)."""

    rule: dict
    plan_years: int
    interest: pd.Series
    scenario: pd.Series
    deficit_probability: float
    lines: pd.DataFrame
    cases: pd.DataFrame
    funders: pd.DataFrame
    activity: pd.DataFrame

    @property
    def fill(self) -> float:
        """The share of the place's capacity its demand fills, weighted by price (the units
        it sells); NaN when it sells no unit limited by a capacity."""
        sold = self.activity["price"] > 0
        at_capacity = (self.activity["capacity"] * self.activity["price"])[sold].sum()
        volume = (self.activity["volume"] * self.activity["price"])[sold].sum()
        return float(volume / at_capacity) if at_capacity > 0 else float("nan")


def facts(
    params: dict, interest: pd.Series, scenario: pd.Series, cases: pd.DataFrame,
    funders: pd.DataFrame, epci_summary: pd.DataFrame, activity: pd.DataFrame,
) -> Facts:
    """The facts of the recommended `scenario` from phase 09's `funding_cases`, `funders` and
    `epci_summary` tables and the funding lines and cases of params. The risk is the
    probability of a cumulative deficit in the central case (every line obtained): the lines
    that may be missed are conditions of their own."""
    settings = params["scenarios"]
    lines = pd.DataFrame(
        [(flow, key, line.get("probability", DEFAULT_PROBABILITY))
         for flow, section in FUNDING_SECTIONS.items() for key, line in settings[section].items()],
        columns=["flow", "funder", "probability"],
    )  # fmt: skip
    named = settings["funding_cases"]
    mine = epci_summary[epci_summary["scenario"] == scenario["scenario"]].set_index("case")
    cases = cases[cases["scenario"] == scenario["scenario"]].set_index("case").loc[list(named)]
    cases = cases.assign(without=[named[case]["without"] for case in named],
                         epci_net_cost_per_year=mine["epci_net_cost_per_year"]).reset_index()  # fmt: skip
    central = (funders["scenario"] == scenario["scenario"]) & (funders["case"] == cases["case"][0])
    limited = activity[(activity["scenario"] == scenario["scenario"]) & activity["served"]
                       & activity["capacity"].notna()]  # fmt: skip
    return Facts(
        rule=params["report"]["verdict"], plan_years=settings["plan_years"], interest=interest,
        scenario=scenario, deficit_probability=cases["deficit_probability"][0], lines=lines,
        cases=cases, funders=funders[central].sort_values("year", kind="stable"),
        activity=limited[["unit", "label", "volume", "capacity", "price"]].reset_index(drop=True),
    )  # fmt: skip


def per_inhabitant(x: float) -> str:
    return fmt.euros(x, PER_INHABITANT_DECIMALS)


def decide(f: Facts) -> Verdict:
    """The verdict's title, why, and conditions (none unless « Oui, sous conditions »)."""
    interest, rule, s = f.interest, f.rule, f.scenario
    if pd.isna(interest["ci_low"]):
        return Verdict(NOT_NOW, md(
            "la demande n'est pas établie : l'enquête ne donne aucune réponse exploitable "
            "à la question « {} » ({} répondants), et l'étude ne peut donc pas mesurer "
            "l'intérêt des habitants.", interest["label"], fmt.number(interest["n"]),
        ), [])  # fmt: skip
    cost = per_inhabitant(s["epci_net_cost_per_inhabitant"])
    failures = []
    if interest["ci_high"] < rule["min_interest"]:
        failures.append(md(
            "l'intérêt exprimé par les habitants (au plus {}) reste sous le seuil de {} retenu "
            "par l'étude", fmt.percent(interest["ci_high"], 0), fmt.percent(rule["min_interest"], 0),
        ))  # fmt: skip
    if f.fill < rule["min_fill_rate"]:
        failures.append(md(
            "la demande estimée n'occuperait que {} de la capacité du lieu (en valeur des "
            "activités vendues), sous le seuil de {} retenu par l'étude", fmt.percent(f.fill, 0),
            fmt.percent(rule["min_fill_rate"], 0),
        ))  # fmt: skip
    if s["epci_net_cost_per_inhabitant"] > rule["max_net_cost_per_inhabitant"]:
        failures.append(md(
            "le reste à charge de l'EPCI, {} par habitant de la zone d'étude et par an ({} par an), "
            "dépasse le plafond de {} retenu par l'étude", cost,
            fmt.euros(s["epci_net_cost_per_year"]),
            per_inhabitant(rule["max_net_cost_per_inhabitant"]),
        ))  # fmt: skip
    if f.deficit_probability > rule["not_now_deficit_probability"]:
        failures.append(md(
            "même avec tous les financements, le plan serait déficitaire sur {} ans avec une "
            "probabilité de {}, au-delà du seuil de {} retenu par l'étude : aucune condition de "
            "financement ne le rend crédible", fmt.number(f.plan_years),
            fmt.percent(f.deficit_probability, 1),
            fmt.percent(rule["not_now_deficit_probability"], 0),
        ))  # fmt: skip
    if failures:
        return Verdict(NOT_NOW, Md(" ; ".join(failures) + "."), [])
    demand_sure = interest["ci_low"] >= rule["min_interest"]
    risk_ok = f.deficit_probability <= rule["max_deficit_probability"]
    funders = funding_conditions(f)
    if demand_sure and risk_ok and not funders and not capacity_conditions(f):
        return Verdict(YES, md(
            "la demande est établie (au moins {} d'intéressés, pour un seuil de {}), le reste à "
            "charge de l'EPCI ({} par habitant de la zone d'étude et par an) reste sous le "
            "plafond de {}, les financements sont acquis et la probabilité d'un déficit cumulé ({}) "
            "ne dépasse pas {}.", fmt.percent(interest["ci_low"], 0),
            fmt.percent(rule["min_interest"], 0), cost,
            per_inhabitant(rule["max_net_cost_per_inhabitant"]),
            fmt.percent(f.deficit_probability, 0), fmt.percent(rule["max_deficit_probability"], 0),
        ), [])  # fmt: skip
    conditions = [] if demand_sure else [md(
        "Confirmer la demande avant d'investir : l'intérêt mesuré par l'enquête (de {} à {}) "
        "n'atteint pas avec certitude le seuil de {} retenu par l'étude.",
        fmt.percent(interest["ci_low"], 0), fmt.percent(interest["ci_high"], 0),
        fmt.percent(rule["min_interest"], 0),
    )]  # fmt: skip
    conditions += funders
    conditions += capacity_conditions(f)
    conditions.append(epci_commitment(f, risk_ok))
    demand = (md("la demande est établie (au moins {} d'intéressés, pour un seuil de {})",
                 fmt.percent(interest["ci_low"], 0), fmt.percent(rule["min_interest"], 0))
              if demand_sure else Md("la demande reste à confirmer"))  # fmt: skip
    return Verdict(CONDITIONAL, md(
        "{} et le reste à charge de l'EPCI ({} par habitant de la zone d'étude et par an) reste "
        "sous le plafond de {} retenu par l'étude, mais le projet dépend des conditions "
        "ci-dessous.", demand, cost, per_inhabitant(rule["max_net_cost_per_inhabitant"]),
    ), conditions)  # fmt: skip


def funding_conditions(f: Facts) -> list[Md]:
    """A condition per funding line the plan depends on: uncertain (probability below 1) or
    one whose absence, in a funding case, turns the central plan's cumulative result negative."""
    central = f.cases.iloc[0]["cumulative_result"]
    losing = f.cases.iloc[1:]
    losing = losing[(losing["cumulative_result"] < 0) & (central >= 0)]
    paid = f.funders[f.funders["amount_eur"] > 0]
    out = []
    for (flow, funder), years in paid.groupby(["flow", "funder"], sort=False):
        line = f.lines[(f.lines["flow"] == flow) & (f.lines["funder"] == funder)]
        probability = line["probability"].iloc[0] if len(line) else CERTAIN
        cases = losing[losing["without"].map(lambda without, k=funder: k in without)]
        reasons = [md("probabilité de l'obtenir retenue par l'étude : {}", fmt.percent(probability, 0))
                   ] if probability < CERTAIN else []  # fmt: skip
        reasons += [
            md("sans ce financement, dans le cas « {} », le résultat cumulé sur {} ans serait de {}",
               case.label, fmt.number(f.plan_years), fmt.euros(case.cumulative_result))  # fmt: skip
            for case in cases.itertuples()
        ]
        if reasons:
            out.append(md("{} ({}).", contribution(flow, years), Md(" ; ".join(reasons))))
    return out


def capacity_conditions(f: Facts) -> list[Md]:
    """A condition per activity whose demand exceeds the capacity (the place turns users away)
    or fills less than `min_fill_rate` of it (a space larger than its use)."""
    out = []
    for a in f.activity.itertuples():
        share = a.volume / a.capacity if a.capacity > 0 else float("nan")
        if share >= 1 - CAPACITY_TOLERANCE:
            out.append(md(
                "« {} » : la demande dépasse la capacité du lieu ({} par an) ; les usagers en "
                "plus seraient refusés : prévoir de pouvoir étendre l'espace ou les horaires.",
                a.label, fmt.number(a.capacity),
            ))  # fmt: skip
        elif share < f.rule["min_fill_rate"]:
            out.append(md(
                "« {} » : la demande estimée ({} par an) n'occuperait que {} de la capacité ({}) : "
                "réduire l'espace ou le partager avec d'autres usages.", a.label,
                fmt.number(a.volume), fmt.percent(share, 0), fmt.number(a.capacity),
            ))  # fmt: skip
    return out


def contribution(flow: str, years: pd.DataFrame) -> Md:
    """Which funder, how much, for how long: « Obtenir « FEDER » : 77 717 € de subvention … »."""
    first, last = int(years["year"].min()), int(years["year"].max())
    period = (md("l'année {}", fmt.number(first)) if first == last
              else md("de l'année {} à l'année {}", fmt.number(first), fmt.number(last)))  # fmt: skip
    total = years["amount_eur"].sum()
    if flow == "operation":
        return md("Obtenir « {} » : {} par an en moyenne {}, {}, soit {} au total",
                  years["label"].iloc[0], fmt.euros(years["amount_eur"].mean()), Md(FLOWS[flow]),
                  period, fmt.euros(total))  # fmt: skip
    return md("Obtenir « {} » : {} {}, versés {}", years["label"].iloc[0], fmt.euros(total),
              Md(FLOWS[flow]), period)  # fmt: skip


def epci_commitment(f: Facts, risk_ok: bool) -> Md:
    """The EPCI's commitment: its yearly net cost, at most in the costliest funding case, and
    the deficits it covers when the risk is above the threshold."""
    s, rule = f.scenario, f.rule
    worst = f.cases.loc[f.cases["epci_net_cost_per_year"].idxmax()]
    worse = Md("") if worst["epci_net_cost_per_year"] <= s["epci_net_cost_per_year"] else md(
        " (jusqu'à {} par an dans le cas « {} »)", fmt.euros(worst["epci_net_cost_per_year"]),
        worst["label"],
    )  # fmt: skip
    risk = Md("") if risk_ok else md(
        " Il couvre aussi les déficits si l'activité reste en deçà du plan : même avec tous les "
        "financements, la probabilité d'un résultat cumulé négatif sur {} ans est de {}, "
        "au-dessus du seuil de {} retenu par l'étude.", fmt.number(f.plan_years),
        fmt.percent(f.deficit_probability, 0), fmt.percent(rule["max_deficit_probability"], 0),
    )  # fmt: skip
    return md(
        "L'EPCI s'engage sur un reste à charge de {} par an en moyenne sur {} ans, soit {} par "
        "habitant de la zone d'étude et par an{}.{}", fmt.euros(s["epci_net_cost_per_year"]),
        fmt.number(f.plan_years), per_inhabitant(s["epci_net_cost_per_inhabitant"]), worse, risk,
    )  # fmt: skip


def conditions_md(conditions: list[Md]) -> Md:
    """The verdict's conditions as a numbered list (nothing when there are none)."""
    if not conditions:
        return Md("")
    items = "".join(f"{i}. {condition}\n" for i, condition in enumerate(conditions, 1))
    return Md(f"**Conditions de la réponse**\n\n{items}")


def cases_md(cases: pd.DataFrame, plan_years: int) -> Md:
    """The recommended scenario's funding cases side by side."""
    lines = [
        md("Cas de financement du scénario recommandé :\n\n| Cas | Résultat cumulé sur {} ans "
           "| Probabilité de déficit | Reste à charge de l'EPCI par an |", fmt.number(plan_years)),
        "|---|---|---|---|",
        *(md("| {} | {} | {} | {} |", c.label, fmt.euros(c.cumulative_result),
             fmt.percent(c.deficit_probability, 0), fmt.euros(c.epci_net_cost_per_year))
          for c in cases.itertuples()),
    ]  # fmt: skip
    return Md("\n".join(lines) + "\n")
