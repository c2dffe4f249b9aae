"""Numbers and sentences of the final report, read from the processed tables.

The report computes nothing of its own: every figure here is read from a phase's output and
only formatted (French conventions, Babel).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.core import fmt
from pipeline.core.config import ROOT, load_territory, study_params
from pipeline.core.io import read_table
from pipeline.core.mdtext import Md, join, md
from pipeline.core.phase import Table
from pipeline.core.provenance import demo_labels, labelled, territory_rows
from pipeline.core.vocabulary import UNITS
from pipeline.demand.outputs import DEMAND, DEMAND_BY_UNIT
from pipeline.governance import plan_views
from pipeline.governance.call_views import call_md
from pipeline.governance.outputs import (
    CALL_ANSWERS,
    FEASIBILITY,
    GOVERNANCE_SCHEME,
    LEGAL_FORMS,
    STAKEHOLDERS,
    STRATEGY_FIT,
    STRATEGY_SERVED,
)
from pipeline.interviews.outputs import NEEDS, SUPPORT
from pipeline.mobility.outputs import TELEWORK_POOL
from pipeline.portrait.outputs import COMMUNES, STRATEGY_ACTIONS
from pipeline.report.verdict import (
    Facts,
    Verdict,
    cases_md,
    conditions_md,
    decide,
    facts,
    per_inhabitant,
)
from pipeline.scenarios import funding
from pipeline.scenarios.outputs import (
    ACTIVITY,
    EPCI_SUMMARY,
    FUNDERS,
    FUNDING_CASES,
    RISK_YEARS,
    SCENARIOS,
    STRATEGY_CHECK,
)
from pipeline.sites import outputs as sites
from pipeline.sources.communes import epci_name
from pipeline.survey.outputs import ESTIMATES


@dataclass
class Report:
    root: Path
    params: dict
    territory: dict

    def read(self, table: Table) -> pd.DataFrame:
        return read_table(table.path(self.root))

    @property
    def title(self) -> str:
        return self.params["report"]["title"]

    @property
    def subtitle(self) -> str:
        return f"{self.territory['name']} – {epci_name(self.territory['epci'])}"

    # Inputs and their provenance -------------------------------------------------------
    def sources(self) -> pd.DataFrame:
        path = self.root / "data" / "raw" / self.territory["key"] / "sources.csv"
        return pd.read_csv(path, dtype=str, keep_default_na=False)

    def shared_sources(self) -> pd.DataFrame:
        """Log of the shared raw files; of the strategies, only this territory's."""
        path = self.root / "data" / "raw" / "sources.csv"
        return territory_rows(pd.read_csv(path, dtype=str, keep_default_na=False), self.territory)

    def demo_inputs(self) -> list[str]:
        """What the demo inputs are, in words, in the order of the log, without repeats."""
        return demo_labels(labelled(self.sources()))

    def demo_banner(self) -> Md:
        demo = self.demo_inputs()
        if not demo:
            return Md("")
        # Then the header of every printed page (reports/provenance.css), while any input is demo.
        return md(
            "::: {{.callout-warning}}\n**Données de démonstration.** Ce rapport illustre la méthode "
            "avec des données générées, non réelles, pour : {}. Les chiffres qui "
            "en dépendent ne décrivent pas le territoire ; chaque tableau ou figure qui en dépend "
            "porte la mention « Démonstration ». Les populations légales et les "
            "communes sont réelles (détail en annexe « Sources et licences »).\n:::\n\n"
            "::: {{.demo-print-header}}\n**Données de démonstration** : ce rapport ne décrit pas "
            "le territoire (encadré de la synthèse).\n:::\n",
            join(", ", demo),
        )

    # Key figures -----------------------------------------------------------------------
    def communes(self) -> pd.DataFrame:
        return self.read(COMMUNES)

    def population_zone(self) -> int:
        c = self.communes()
        return int(c.loc[c["in_study_zone"], "population"].sum())

    def population_epci(self) -> int:
        return int(self.communes()["population"].sum())

    def telework_pool_zone(self) -> float:
        c = self.communes()
        pool = self.read(TELEWORK_POOL)
        return float(
            pool.loc[pool["code"].isin(c.loc[c["in_study_zone"], "code"]), "telework_pool"].sum()
        )

    def survey_interest(self) -> pd.Series:
        est = self.read(ESTIMATES).set_index("indicator")
        return est.loc["interet_tiers_lieu"]

    def recommended_site(self) -> pd.Series:
        return sites.recommended_site(self.read(sites.SITES))

    def recommended_scenario(self) -> pd.Series:
        s = self.read(SCENARIOS)
        return s[s["recommended"]].iloc[0]

    def recommended_form(self) -> pd.Series:
        forms = self.read(LEGAL_FORMS)
        return forms[forms["recommended"]].iloc[0]

    def potential_users(self) -> float:
        """Regular users of the central demand hypothesis (people coming at least
        `demand.regular_users.min_visits_per_month` times a month), summed over the segments:
        phase 10's indicator « usagers réguliers » counts the same people, served by the plan."""
        return float(self.read(DEMAND)["regular_users"].sum())

    def regular_users_label(self) -> str:
        """« Usagers réguliers potentiels (au moins N fois par mois, hypothèse centrale) »."""
        n = self.params["demand"]["regular_users"]["min_visits_per_month"]
        often = "une fois" if n == 1 else f"{fmt.number(n)} fois"
        return f"Usagers réguliers potentiels (au moins {often} par mois, hypothèse centrale)"

    def key_figures(self) -> list[tuple[str, str]]:
        scenario = self.recommended_scenario()
        site = self.recommended_site()
        break_even = scenario["break_even_year"]
        years = self.params["scenarios"]["plan_years"]
        horizon = self.params["scenarios"]["years"]
        return [
            ("Habitants de la zone d'étude", fmt.number(self.population_zone())),
            (self.regular_users_label(), fmt.number(self.potential_users())),
            ("Site recommandé", f"{site['nom']} ({site['nom_commune']})"),
            ("Scénario recommandé", str(scenario["label"])),
            ("Investissement (HT)", fmt.euros(scenario["investment_ht"])),
            (f"Reste à charge de l'EPCI, moyenne annuelle sur {years} ans",
             fmt.euros(scenario["epci_net_cost_per_year"])),
            ("Reste à charge de l'EPCI par habitant de la zone d'étude et par an",
             per_inhabitant(scenario["epci_net_cost_per_inhabitant"])),
            ("Équilibre d'exploitation durable",
             f"non atteint sur {horizon} ans" if pd.isna(break_even) else f"année {int(break_even)}"),
            (f"Probabilité de déficit cumulé à {years} ans, pertes de financements comprises",
             fmt.percent(scenario["deficit_probability"], 0)),
        ]  # fmt: skip

    def key_figures_md(self) -> Md:
        """The key figures as Quarto fenced divs: a box each, its value then its label."""
        cells = "".join(
            md("::: {{.key-figure}}\n[{}]{{.value{}}} [{}]{{.label}}\n:::\n",
               v, Md("" if v[0].isdigit() else " .text"), k)  # fmt: skip
            for k, v in self.key_figures()
        )
        return md(":::: {{.key-figures}}\n{}::::\n", Md(cells))

    # Verdict -------------------------------------------------------------------------
    def verdict_facts(self) -> Facts:
        return facts(self.params, self.survey_interest(), self.recommended_scenario(),
                     self.read(FUNDING_CASES), self.read(FUNDERS), self.read(EPCI_SUMMARY),
                     self.read(ACTIVITY))  # fmt: skip

    def verdict(self) -> Verdict:
        """The study's answer, why, and its conditions, from the thresholds of params."""
        return decide(self.verdict_facts())

    def conditions_md(self) -> Md:
        return conditions_md(self.verdict().conditions)

    def funding_cases_md(self) -> Md:
        known = self.verdict_facts()
        return cases_md(known.cases, known.plan_years)

    # Prose -----------------------------------------------------------------------------
    def interest_sentence(self) -> Md:
        interest = self.survey_interest()
        if pd.isna(interest["weighted"]):
            return md("L'intérêt des habitants pour un tiers-lieu n'a pas pu être mesuré par "
                      "l'enquête (question « {} »).", interest["label"])  # fmt: skip
        return md(
            "{} des habitants interrogés se disent intéressés (intervalle de confiance à {} : "
            "{} à {}).", fmt.percent(interest["weighted"], 0),
            fmt.percent(self.params["survey"]["confidence"], 0),
            fmt.percent(interest["ci_low"], 0), fmt.percent(interest["ci_high"], 0),
        )  # fmt: skip

    def synthesis(self) -> Md:
        answer = self.verdict()
        c = self.communes()
        scenario = self.recommended_scenario()
        site = self.recommended_site()
        return md(
            "::: {{.verdict}}\n**Faut-il ouvrir un tiers-lieu numérique ? {}** : {}\n:::\n\n"
            "La zone d'étude compte {} des {} communes de l'EPCI. {} L'étude recommande le "
            "scénario « {} » sur le site {} ({}), porté par une structure de type {}.\n",
            answer.title, answer.why, fmt.number(int(c["in_study_zone"].sum())), fmt.number(len(c)),
            self.interest_sentence(), scenario["label"], site["nom"], site["nom_commune"],
            self.recommended_form()["forme"],
        )  # fmt: skip

    def context(self) -> Md:
        """The opening of « Contexte et méthode »."""
        n = len(self.read(SCENARIOS))
        return md(
            "L'étude suit les phases d'une étude d'opportunité et de faisabilité : un diagnostic du "
            "territoire (portrait, mobilités, enquête auprès de la population, entretiens), une "
            "analyse de la demande (offre existante, comparaison avec des lieux semblables, "
            "estimation de la demande), l'analyse de sites d'implantation, puis "
            "{} scénarios de positionnement avec leur plan d'affaires, la gouvernance "
            "et la faisabilité. Chaque chiffre de ce rapport est recalculé à partir des données "
            "brutes par une chaîne reproductible ; les hypothèses figurent en annexe.\n",
            fmt.number(n),
        )

    def population_sentence(self) -> Md:
        c = self.communes()
        return md(
            "Les {} communes de l'EPCI comptent {} habitants (population municipale ; source : {}).\n",
            len(c), fmt.number(self.population_epci()), ", ".join(sorted(set(c["population_source"]))),
        )  # fmt: skip

    def strategy_section(self) -> Md:
        """The territory's digital strategy: the actions the recommended scenario serves through
        its functions (phase 10), their cost and funders."""
        lines = [plan_views.strategy_text(self.read(STRATEGY_FIT), self.read(STRATEGY_SERVED))]
        if self.read(STRATEGY_ACTIONS).empty:
            return lines[0]
        check = self.read(STRATEGY_CHECK)
        asked = check[check["statut"] == funding.ASKED]
        if not check.empty:
            lines.append(md(
                "\nLe plan de financement (phase 09) sollicite {} des financeurs de la stratégie{} ; "
                "le détail de la vérification figure avec le plan de financement.", len(asked),
                md(" : {}", ", ".join(asked["financeur"])) if len(asked) else Md(""),
            ))  # fmt: skip
        return Md("\n".join(lines) + "\n")

    def interviews_sentence(self) -> Md:
        """Interviews held, most cited needs and mean support, unless suppressed (too few)."""
        support = self.read(SUPPORT).iloc[0]
        needs = self.read(NEEDS).dropna(subset=["rank"])
        top = needs.sort_values("rank", kind="stable").head(3)["label"].str.lower().tolist()
        parts = [md("{} entretiens ont été menés.", fmt.number(support["interviews"]))]
        if top:
            parts.append(md("Les besoins les plus cités sont : {}.", ", ".join(top)))
        if pd.notna(support["mean_support"]):
            parts.append(md("Soutien moyen au projet : {} sur 5.",
                            fmt.number(support["mean_support"], 1)))  # fmt: skip
        else:
            parts.append(Md("Trop peu d'entretiens pour publier le soutien moyen sans risque de "
                            "reconnaître une personne."))  # fmt: skip
        return Md(" ".join(parts) + "\n")

    def demand_sentence(self) -> Md:
        demand = self.read(DEMAND_BY_UNIT).set_index("unit")
        parts = [
            md("{} {} (fourchette {} – {})", fmt.number(row["central"]),
               UNITS[unit], fmt.number(row["low"]), fmt.number(row["high"]))  # fmt: skip
            for unit, row in demand.iterrows()
        ]
        return md("Demande annuelle estimée, hypothèse centrale : {}.\n", Md(" ; ".join(parts)))

    def site_sentence(self) -> Md:
        site = self.recommended_site()
        candidates = self.read(sites.SITES)
        return md(
            "Sur {} sites étudiés, le mieux classé par l'analyse multicritère est **{}** ({}) : "
            "{} habitants à moins de {} km, {} m², {} par m² et par an. Il reste premier dans {} "
            "des tirages aléatoires des poids de l'analyse multicritère.\n",
            len(candidates), site["nom"], site["nom_commune"], fmt.number(site["population_in_band"]),
            fmt.number(self.params["sites"]["band_km"]), fmt.number(site["surface_m2"]),
            fmt.euros(site["cost_per_m2_year"]), fmt.percent(site["p_first"], 0),
        )  # fmt: skip

    def scenario_sentence(self) -> Md:
        """The recommended scenario's plan, then its cumulative result in the central plan
        beside the median of the Monte Carlo draws (and whether the shocks lean to the worse)."""
        s = self.recommended_scenario()
        years = self.params["scenarios"]["plan_years"]
        risk = self.read(RISK_YEARS)
        median = risk.loc[(risk["scenario"] == s["scenario"]) & (risk["year"] == years),
                          "cumulative_p50"].iloc[0]  # fmt: skip
        # « sans objet », the word of the scenarios' table, when the flows never turn positive.
        irr = (
            "sans objet (les recettes ne couvrent jamais la dépense)"
            if pd.isna(s["irr"])
            else "de " + fmt.percent(s["irr"])
        )
        lean = (
            ", dont les aléas (voir les hypothèses de risque) pèsent surtout à la baisse"
            if median < s["cumulative_result_plan"]
            else ""
        )
        return md(
            "Le scénario recommandé est « {} » : {} m², un investissement de {} HT ({} TTC), des "
            "charges de {} par an, {} de recettes propres sur la période du plan, une valeur "
            "actuelle nette de {} et un taux de rentabilité interne {}. Sur {} ans, le résultat "
            "cumulé est de {} si toutes les hypothèses centrales se réalisent, et de {} en valeur "
            "médiane de la simulation de Monte-Carlo{} ; la probabilité d'un résultat cumulé "
            "négatif est de {}.\n",
            s["label"], fmt.number(s["surface_m2"]), fmt.euros(s["investment_ht"]),
            fmt.euros(s["investment_ttc"]), fmt.euros(s["opex_year"]),
            fmt.percent(s["own_revenue_share"], 0), fmt.euros(s["npv"]), irr, fmt.number(years),
            fmt.euros(s["cumulative_result_plan"]), fmt.euros(median), lean,
            fmt.percent(s["deficit_probability"], 0),
        )  # fmt: skip

    def governance_sentence(self) -> Md:
        form = self.recommended_form()["forme"]
        scheme = self.read(GOVERNANCE_SCHEME)
        bodies = scheme.loc[scheme["forme"] == form].sort_values("ordre")["instance"]
        return md(
            "Instances proposées pour la forme retenue, **{}** : {}.\n", form, ", ".join(bodies),
        )  # fmt: skip

    def call_section(self) -> Md:
        """The answer to the territory's call for tenders, mission by mission (nothing when
        the territory has none)."""
        return call_md(self.read(CALL_ANSWERS), self.read(STAKEHOLDERS), self.territory.get("call"))

    def roadmap(self) -> Md:
        scenario, site, form = (
            self.recommended_scenario(),
            self.recommended_site(),
            self.recommended_form(),
        )
        feasibility = self.read(FEASIBILITY)
        todo = feasibility[feasibility["status"] != "ok"]
        steps = [
            md("Valider le scénario « {} » et le site {} ({}).", scenario["label"], site["nom"],
               site["nom_commune"]),
            md("Constituer la structure porteuse sous la forme : {}.", form["forme"]),
            md("Boucler le plan de financement de l'investissement ({} HT).",
               fmt.euros(scenario["investment_ht"])),
            *(md("{}", action) for action in todo["action"]),
        ]  # fmt: skip
        return Md("\n".join(f"{i}. {step}" for i, step in enumerate(steps, 1)) + "\n")


def load(root: Path = ROOT) -> Report:
    params = study_params(root)
    return Report(
        root=Path(root), params=params, territory=load_territory(params["territory"], params, root)
    )
