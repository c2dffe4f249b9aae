"""Phase 09, what readers see of prices: the price grid by user type and its check against the
survey's willingness to pay (`pipeline.scenarios.pricing`), as French tables and sentences."""

from __future__ import annotations

import pandas as pd

from pipeline.core import fmt
from pipeline.core.mdtext import Md, md
from pipeline.core.vocabulary import UNITS, USER_TYPES


def price(v: float) -> str:
    return "gratuit" if v == 0 else fmt.euros(v, 2)


def share(v) -> str:
    return "—" if pd.isna(v) else fmt.percent(v, 0)


def price_grid_table(grid: pd.DataFrame, prices: pd.DataFrame) -> pd.DataFrame:
    """« Grille tarifaire »: one row per unit, the price (€ HT) of each user type, the share of
    the type in the unit's demand beside it, and the average price the plan uses."""
    rows = []
    for unit, part in grid.groupby("unit", sort=False):
        row = {"Activité (prix HT de l'unité)": part["label"].iloc[0]}
        for _, r in part.iterrows():
            cell = price(r["price"])
            row[USER_TYPES[r["user_type"]]] = (
                f"{cell} ({share(r['mix'])} de la demande)" if r["mix"] > 0 else cell
            )
        row["Prix moyen retenu dans le plan"] = price(
            float(prices.set_index("unit").loc[unit, "price"])
        )
        rows.append(row)
    return pd.DataFrame(rows)


def willingness_table(grid: pd.DataFrame, prices: pd.DataFrame) -> pd.DataFrame:
    """For each unit the survey prices (a column): its full price against the survey's median
    price accepted, the share of respondents each user type's price leaves out (with the bounds
    the masked bands allow), the share of the demand that pays, phase 07's demand before and
    after, and the single price that would bring the most revenue."""
    measured = prices.loc[prices["question"] != ""]
    columns = {}
    for _, r in measured.iterrows():
        rows = grid.loc[(grid["unit"] == r["unit"]) & (grid["mix"] > 0)]
        types = [
            f"{u} ({share(m)} de la demande) : {price(p)}, {share(o)} exclus "
            f"(entre {share(lo)} et {share(hi)})"
            for u, m, p, o, lo, hi in zip(rows["user_label"], rows["mix"], rows["price"],
                                          rows["priced_out"], rows["priced_out_min"],
                                          rows["priced_out_max"])
        ]  # fmt: skip
        columns[r["label"]] = {
            "Prix plein HT": price(r["base_price"]),
            "Prix maximum médian déclaré (enquête)": (
                "—" if pd.isna(r["median_wtp"]) else fmt.euros(r["median_wtp"], 2)
            ),
            "Répondants ayant déclaré un prix": fmt.number(r["respondents"]),
            "Répondants exclus par le prix plein": share(r["priced_out_full"]),
            "Tarifs de la grille et répondants qu'ils excluent": " ; ".join(types) or "—",
            "Part de la demande qui accepte son tarif": (
                f"{share(r['paying_share'])} (entre {share(r['paying_share_min'])} et "
                f"{share(r['paying_share_max'])})"
            ),
            "Demande de la phase 07 (personnes intéressées)": fmt.number(r["demand_central"]),
            "Demande retenue (tarif accepté)": fmt.number(r["demand_paying"]),
            "Prix unique maximisant la recette attendue": fmt.euros(r["revenue_price"], 2),
        }
    if not columns:
        return pd.DataFrame({"Indicateur": ["Activité dont l'enquête mesure le prix acceptable"],
                             "Valeur": ["aucune : la demande de la phase 07 est retenue entière"]})  # fmt: skip
    table = pd.DataFrame(columns)
    return table.rename_axis(index="Indicateur", columns=None).reset_index()


def willingness_text(prices: pd.DataFrame) -> str:
    """For each unit the survey prices: the full price against the median price accepted, the
    share of the demand that pays and what remains of phase 07's demand, and the price that
    would bring the most revenue."""
    measured = prices.loc[prices["question"] != ""]
    if measured.empty:
        return (
            "L'enquête ne mesure le prix acceptable d'aucune activité vendue : la demande de la "
            "phase 07 est retenue entière."
        )
    parts = [
        md(
            "**{}** : prix plein de {}, pour un prix maximum médian déclaré de {} ({} "
            "répondants) ; avec la grille tarifaire, {} de la demande accepte le tarif (entre {} "
            "et {} selon la répartition des réponses masquées) : la demande de la phase 07, {} "
            "{}, est ramenée à {}. Le prix unique qui maximiserait la recette attendue serait de "
            "{}.",
            r["label"],
            price(r["base_price"]),
            "—" if pd.isna(r["median_wtp"]) else fmt.euros(r["median_wtp"], 2),
            fmt.number(r["respondents"]),
            share(r["paying_share"]),
            share(r["paying_share_min"]),
            share(r["paying_share_max"]),
            fmt.number(r["demand_central"]),
            UNITS[r["unit"]],
            fmt.number(r["demand_paying"]),
            fmt.euros(r["revenue_price"], 2),
        )  # fmt: skip
        for _, r in measured.iterrows()
    ]
    return md(
        "La demande de la phase 07 compte les personnes intéressées ; seules celles dont le prix "
        "maximum déclaré dans l'enquête atteint le tarif sont retenues comme clientes.\n\n{}",
        Md("\n\n".join(f"- {p}" for p in parts)),
    )  # fmt: skip
