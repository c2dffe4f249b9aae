"""Phase 10, what readers see of the call for tenders and of the launch's communication: the
answers mission by mission, the stakeholders and the elements for the communication teams."""

from __future__ import annotations

import pandas as pd

from pipeline.core import fmt
from pipeline.core.mdtext import Md, md


def _price(low: float, high: float) -> str:
    if pd.isna(low):
        return "—"
    if high <= 0:
        return "gratuit"
    if low == high:
        return fmt.euros(low, 2 if low % 1 else 0)
    return f"{fmt.euros(low, 2 if low % 1 else 0)} à {fmt.euros(high, 2 if high % 1 else 0)}"


def communication_table(rows: pd.DataFrame, unit_labels: dict[str, str]) -> pd.DataFrame:
    """One row per target public: people, services, price, first action of the launch."""
    return pd.DataFrame(
        {
            "Public cible": rows["label"],
            "Usagers potentiels": rows["users"].map(fmt.number),
            "Services du scénario recommandé": rows["services"].replace("", "aucun"),
            "Tarif": [
                f"{_price(lo, hi)} ({unit_labels.get(u, u)})" if pd.notna(lo) else "—"
                for lo, hi, u in zip(rows["price_low"], rows["price_high"], rows["unit"])
            ],
            "Première action du lancement": [
                f"mois {m} : {a}" if pd.notna(m) else "—"
                for m, a in zip(rows["first_month"], rows["first_action"])
            ],
        }
    )


def stakeholders_table(people: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Partie prenante": people["name"],
            "Collège": people["college_label"],
            "Ce qu'elle apporte": people["brings"],
            "Ce qu'elle vient chercher": people["seeks"],
            "Sa place dans la forme recommandée": people["seat"],
        }
    )


def _md_table(table: pd.DataFrame) -> str:
    """`table` as a Markdown pipe table, every cell escaped."""
    head = "| " + " | ".join(md("{}", c) for c in table.columns) + " |"
    rule = "|" + "---|" * len(table.columns)
    body = ["| " + " | ".join(md("{}", v) for v in row) + " |" for row in table.to_numpy()]
    return "\n".join([head, rule, *body]) + "\n"


def call_md(answers: pd.DataFrame, people: pd.DataFrame, call: dict | None) -> Md:
    """The report's answer to the call for tenders, mission by mission, then its stakeholders
    and its methods (nothing when the territory has no call)."""
    if not call or answers.empty:
        return Md("")
    parts = [
        md("# Réponse au cahier des charges\n\n*{}* ({}). Chaque demande du cahier des charges "
           "et la réponse que l'étude y apporte, calculée à partir de ses résultats.\n", call["title"],
           call["source"]),
    ]  # fmt: skip
    for title, rows in answers.groupby("mission", sort=False):
        parts.append(md("## {}\n", title))
        parts.append(_md_table(rows[["ask", "answer"]].set_axis(["Demande", "Réponse"], axis=1)))
    if len(people):
        parts.append(Md("## Parties prenantes\n"))
        parts.append(_md_table(stakeholders_table(people)))
    if call.get("methods"):
        parts.append(Md("## Méthodes d'animation\n"))
        parts.extend(md("- **{}** : {}", m["name"], m["principle"]) for m in call["methods"])
        parts.append(Md(""))
    return Md("\n".join(parts) + "\n")
