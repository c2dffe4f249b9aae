"""Numbers and sentences of the final report, read from the processed tables.

The report computes nothing of its own: every figure here is read from a phase's output and
only formatted (French conventions, Babel).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import fmt, funding
from pipeline.config import ROOT, load_territory, study_params
from pipeline.io import read_table
from pipeline.territory import epci_name

UNIT_LABELS = {
    "desk_days": "journées de poste de travail",
    "mediation_sessions": "séances de médiation",
    "fablab_hours": "heures de fablab",
    "room_bookings": "réservations de salle",
}


@dataclass
class Report:
    root: Path
    params: dict
    territory: dict

    def table(self, stage: str, name: str) -> pd.DataFrame:
        return read_table(self.root / "data" / "processed" / stage / f"{name}.parquet")

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
        log = pd.read_csv(path, dtype=str, keep_default_na=False)
        strategy = f"strategies/{self.territory.get('strategy')}"
        return log[~log["file"].str.startswith("strategies/") | (log["file"] == strategy)]

    def demo_inputs(self) -> list[str]:
        """What the demo inputs are, in words, in the order of the log, without repeats."""
        sources = self.sources()
        demo = sources[sources["kind"] == "demo"]
        return list(dict.fromkeys(demo["label"].where(demo["label"] != "", demo["file"])))

    def demo_banner(self) -> str:
        demo = self.demo_inputs()
        if not demo:
            return ""
        return (
            "::: {.callout-warning}\n**Données de démonstration.** Ce rapport illustre la méthode "
            f"avec des données générées, non réelles, pour : {', '.join(demo)}. Les chiffres qui "
            "en dépendent ne décrivent pas le territoire ; les populations légales et les "
            "communes sont réelles (détail en annexe « Sources et licences »).\n:::\n"
        )

    # Key figures -----------------------------------------------------------------------
    def communes(self) -> pd.DataFrame:
        return self.table("01_portrait", "communes")

    def population_zone(self) -> int:
        c = self.communes()
        return int(c.loc[c["in_study_zone"], "population"].sum())

    def population_epci(self) -> int:
        return int(self.communes()["population"].sum())

    def telework_pool_zone(self) -> float:
        c = self.communes()
        pool = self.table("02_mobility", "telework_pool")
        return float(
            pool.loc[pool["code"].isin(c.loc[c["in_study_zone"], "code"]), "telework_pool"].sum()
        )

    def survey_interest(self) -> pd.Series:
        est = self.table("03_survey", "estimates").set_index("indicator")
        return est.loc["interet_tiers_lieu"]

    def best_site(self) -> pd.Series:
        sites = self.table("08_sites", "sites")
        return sites.sort_values("rank", kind="stable").iloc[0]

    def recommended_scenario(self) -> pd.Series:
        s = self.table("09_scenarios", "scenarios")
        return s[s["recommended"]].iloc[0]

    def recommended_form(self) -> pd.Series:
        forms = self.table("10_governance", "legal_forms")
        return forms[forms["recommended"]].iloc[0]

    def public_funding_per_year(self, scenario: str) -> float:
        """Mean yearly public operating funding of a scenario over the plan years."""
        pnl = self.table("09_scenarios", "pnl")
        plan = pnl[
            (pnl["scenario"] == scenario) & (pnl["year"] <= self.params["scenarios"]["plan_years"])
        ]
        return float(plan["public_funding"].mean())

    def potential_users(self) -> float:
        """Regular users of the central demand hypothesis, summed over the segments."""
        return float(self.table("07_demand", "demand")["users"].sum())

    def key_figures(self) -> list[tuple[str, str]]:
        scenario = self.recommended_scenario()
        site = self.best_site()
        break_even = scenario["break_even_year"]
        years = self.params["scenarios"]["plan_years"]
        horizon = self.params["scenarios"]["years"]
        return [
            ("Habitants de la zone d'étude", fmt.number(self.population_zone())),
            ("Usagers réguliers potentiels (hypothèse centrale)", fmt.number(self.potential_users())),
            ("Site recommandé", f"{site['nom']} ({site['nom_commune']})"),
            ("Scénario recommandé", str(scenario["label"])),
            ("Investissement (HT)", fmt.euros(scenario["investment_ht"])),
            (f"Financement public de fonctionnement, moyenne annuelle sur {years} ans",
             fmt.euros(self.public_funding_per_year(scenario["scenario"]))),
            ("Équilibre d'exploitation durable",
             f"non atteint sur {horizon} ans" if pd.isna(break_even) else f"année {int(break_even)}"),
            (f"Probabilité de déficit cumulé à {years} ans", fmt.percent(scenario["deficit_probability"], 0)),
        ]  # fmt: skip

    def key_figures_html(self) -> str:
        cells = "".join(
            f'<div class="key-figure"><span class="value{"" if v[0].isdigit() else " text"}">{v}'
            f'</span><span class="label">{k}</span></div>'
            for k, v in self.key_figures()
        )
        return f'<div class="key-figures">{cells}</div>\n'

    # Prose -----------------------------------------------------------------------------
    def verdict(self) -> tuple[str, str]:
        """The study's answer: a short title and why, from the thresholds of params."""
        rule = self.params["report"]["verdict"]
        scenario = self.recommended_scenario()
        interest = self.survey_interest()
        demand = interest["ci_low"] >= rule["min_interest"]
        holds = scenario["deficit_probability"] <= rule["max_deficit_probability"]
        funding = fmt.euros(self.public_funding_per_year(scenario["scenario"]))
        deficit = fmt.percent(scenario["deficit_probability"], 0)
        if not demand:
            return "Pas en l'état", (
                f"l'intérêt exprimé par les habitants (au moins {fmt.percent(interest['ci_low'], 0)}) "
                f"reste sous le seuil de {fmt.percent(rule['min_interest'], 0)} retenu par l'étude."
            )
        if holds:
            return "Oui", (
                f"la demande est établie et le plan d'affaires tient avec {funding} de financement "
                f"public de fonctionnement par an (probabilité de déficit : {deficit})."
            )
        return "Oui, sous conditions", (
            f"la demande est établie, mais l'équilibre dépend de financements publics durables "
            f"(en moyenne {funding} par an) et le risque de déficit reste élevé ({deficit})."
        )

    def synthesis(self) -> str:
        title, why = self.verdict()
        c = self.communes()
        scenario = self.recommended_scenario()
        interest = self.survey_interest()
        site = self.best_site()
        confidence = fmt.percent(self.params["survey"]["confidence"], 0)
        return (
            f'<p class="verdict"><strong>Faut-il ouvrir un tiers-lieu numérique ? {title}</strong> : '
            f"{why}</p>\n\n"
            f"La zone d'étude compte {fmt.number(int(c['in_study_zone'].sum()))} des "
            f"{fmt.number(len(c))} communes de l'EPCI. "
            f"{fmt.percent(interest['weighted'], 0)} des habitants interrogés se disent intéressés "
            f"(intervalle de confiance à {confidence} : {fmt.percent(interest['ci_low'], 0)} à "
            f"{fmt.percent(interest['ci_high'], 0)}). L'étude recommande le scénario « {scenario['label']} » "
            f"sur le site {site['nom']} ({site['nom_commune']}), porté par une structure de type "
            f"{self.recommended_form()['forme']}.\n"
        )

    def context(self) -> str:
        """The opening of « Contexte et méthode »."""
        n = len(self.table("09_scenarios", "scenarios"))
        return (
            "L'étude suit les phases d'une étude d'opportunité et de faisabilité : un diagnostic du "
            "territoire (portrait, mobilités, enquête auprès de la population, entretiens), une "
            "analyse de la demande (offre existante, comparaison avec des lieux semblables, "
            "estimation de la demande), l'analyse de sites d'implantation, puis "
            f"{fmt.number(n)} scénarios de positionnement avec leur plan d'affaires, la gouvernance "
            "et la faisabilité. Chaque chiffre de ce rapport est recalculé à partir des données "
            "brutes par une chaîne reproductible ; les hypothèses figurent en annexe.\n"
        )

    def population_sentence(self) -> str:
        c = self.communes()
        vintages = ", ".join(sorted(set(c["population_source"])))
        return (
            f"Les {len(c)} communes de l'EPCI comptent {fmt.number(self.population_epci())} habitants "
            f"(population municipale ; source : {vintages}).\n"
        )

    def strategy_section(self) -> str:
        """The territory's digital strategy: actions the tiers-lieu serves and their funders."""
        actions = self.table("01_portrait", "strategy_actions")
        if actions.empty:
            return "Aucune stratégie numérique territoriale n'est renseignée pour ce territoire.\n"
        served = actions[actions["served"]]
        funders = self.table("01_portrait", "strategy_funders")
        lines = [
            f"La stratégie numérique du territoire compte {len(actions)} actions ; le tiers-lieu "
            f"contribue directement à {len(served)} d'entre elles :\n",
            "| N° | Action | Coût (k€) | Financeurs |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {r.numero} | {r.action} | {fmt.number(r.cout_keur) if pd.notna(r.cout_keur) else '—'} "
            f"| {r.financeurs.replace('|', ', ') or '—'} |"
            for r in served.itertuples()
        ]
        if not funders.empty:
            lines.append(
                "\nFinanceurs mobilisés par ces actions : "
                + " ; ".join(
                    f"{r.funder} ({fmt.number(r.cost_keur)} k€)" for r in funders.itertuples()
                )
                + "."
            )
        check = self.table("09_scenarios", "strategy_check")
        asked = check[check["statut"] == funding.ASKED]
        if not check.empty:
            lines.append(
                f"\nLe plan de financement (phase 09) sollicite {len(asked)} de ces financeurs"
                + (f" : {', '.join(asked['financeur'])}" if len(asked) else "")
                + " ; le détail de la vérification figure avec le plan de financement."
            )
        return "\n".join(lines) + "\n"

    def interviews_sentence(self) -> str:
        """Interviews held, most cited needs and mean support, unless suppressed (too few)."""
        support = self.table("04_interviews", "support").iloc[0]
        needs = self.table("04_interviews", "needs").dropna(subset=["rank"])
        top = needs.sort_values("rank", kind="stable").head(3)["label"].str.lower().tolist()
        parts = [f"{fmt.number(support['interviews'])} entretiens ont été menés."]
        if top:
            parts.append(f"Les besoins les plus cités sont : {', '.join(top)}.")
        if pd.notna(support["mean_support"]):
            parts.append(
                f"Soutien moyen au projet : {fmt.number(support['mean_support'], 1)} sur 5."
            )
        else:
            parts.append("Trop peu d'entretiens pour publier le soutien moyen sans risque de "
                         "reconnaître une personne.")  # fmt: skip
        return " ".join(parts) + "\n"

    def demand_sentence(self) -> str:
        demand = self.table("07_demand", "demand_by_unit").set_index("unit")
        parts = [
            f"{fmt.number(row['central'])} {UNIT_LABELS.get(unit, unit)} "
            f"(fourchette {fmt.number(row['low'])} – {fmt.number(row['high'])})"
            for unit, row in demand.iterrows()
        ]
        return "Demande annuelle estimée, hypothèse centrale : " + " ; ".join(parts) + ".\n"

    def site_sentence(self) -> str:
        site = self.best_site()
        sites = self.table("08_sites", "sites")
        return (
            f"Sur {len(sites)} sites étudiés, le mieux classé par l'analyse multicritère est "
            f"**{site['nom']}** ({site['nom_commune']}) : {fmt.number(site['population_in_band'])} "
            f"habitants à moins de {fmt.number(self.params['sites']['band_km'])} km, "
            f"{fmt.number(site['surface_m2'])} m², {fmt.euros(site['cost_per_m2_year'])} par m² et par an. "
            f"Il reste premier dans {fmt.percent(site['p_first'], 0)} des tirages aléatoires des poids "
            "de l'analyse multicritère.\n"
        )

    def scenario_sentence(self) -> str:
        """The recommended scenario's plan, then its cumulative result in the central plan
        beside the median of the Monte Carlo draws (and whether the shocks lean to the worse)."""
        s = self.recommended_scenario()
        years = self.params["scenarios"]["plan_years"]
        risk = self.table("09_scenarios", "risk_years")
        median = risk.loc[(risk["scenario"] == s["scenario"]) & (risk["year"] == years),
                          "cumulative_p50"].iloc[0]  # fmt: skip
        irr = "non calculable" if pd.isna(s["irr"]) else fmt.percent(s["irr"])
        lean = (
            ", dont les aléas (voir les hypothèses de risque) pèsent surtout à la baisse"
            if median < s["cumulative_result_plan"]
            else ""
        )
        return (
            f"Le scénario recommandé est « {s['label']} » : {fmt.number(s['surface_m2'])} m², "
            f"un investissement de {fmt.euros(s['investment_ht'])} HT "
            f"({fmt.euros(s['investment_ttc'])} TTC), des charges de {fmt.euros(s['opex_year'])} par an, "
            f"{fmt.percent(s['own_revenue_share'], 0)} de recettes propres sur la période du plan, "
            f"une valeur actuelle nette de {fmt.euros(s['npv'])} et un taux de rentabilité interne "
            f"{irr}. Sur {fmt.number(years)} ans, le résultat cumulé est de "
            f"{fmt.euros(s['cumulative_result_plan'])} si toutes les hypothèses centrales se "
            f"réalisent, et de {fmt.euros(median)} en valeur médiane de la simulation de "
            f"Monte-Carlo{lean} ; la probabilité d'un résultat cumulé négatif est de "
            f"{fmt.percent(s['deficit_probability'], 0)}.\n"
        )

    def governance_sentence(self) -> str:
        form = self.recommended_form()["forme"]
        scheme = self.table("10_governance", "governance_scheme")
        bodies = scheme.loc[scheme["forme"] == form].sort_values("ordre")["instance"]
        return (
            "La forme juridique qui obtient le meilleur score au regard des critères pondérés de "
            f"l'étude est : **{form}**. Instances proposées : {', '.join(bodies)}.\n"
        )

    def roadmap(self) -> str:
        scenario, site, form = (
            self.recommended_scenario(),
            self.best_site(),
            self.recommended_form(),
        )
        feasibility = self.table("10_governance", "feasibility")
        todo = feasibility[feasibility["status"] != "ok"]
        steps = [
            f"Valider le scénario « {scenario['label']} » et le site {site['nom']} ({site['nom_commune']}).",
            f"Constituer la structure porteuse sous la forme : {form['forme']}.",
            f"Boucler le plan de financement de l'investissement ({fmt.euros(scenario['investment_ht'])} HT).",
        ]
        steps += [str(action) for action in todo["action"]]
        return "\n".join(f"{i}. {step}" for i, step in enumerate(steps, 1)) + "\n"


def load(root: Path = ROOT) -> Report:
    params = study_params(root)
    return Report(
        root=Path(root), params=params, territory=load_territory(params["territory"], params, root)
    )
