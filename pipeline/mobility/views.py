"""Phase 02 readers' tables: the mobility tables in French formats, for the notebook and report."""

from __future__ import annotations

import pandas as pd

from pipeline.core import fmt


def telework_table(pool: pd.DataFrame, stay: pd.DataFrame) -> pd.DataFrame:
    """Readers' table: workers, share working in their commune, long commuters, telework pool."""
    merged = pool.merge(stay[["code", "stay_share"]], on="code").sort_values(
        "telework_pool", ascending=False, kind="stable"
    )
    return pd.DataFrame(
        {
            "Commune": merged["nom"],
            "Actifs occupés": merged["workers"].round(0).astype(int),
            "Travaillent dans leur commune": merged["stay_share"].map(fmt.percent),
            "Trajets longs": merged["long_commuters"].round(0).astype(int),
            "Emplois télétravaillables": merged["teleworkable"].round(0).astype(int),
            "Télétravailleurs potentiels": merged["telework_pool"].round(0).astype(int),
        }
    ).reset_index(drop=True)


def commuting_table(stay: pd.DataFrame, modes: pd.DataFrame) -> pd.DataFrame:
    """Readers' table by commune: where residents work, how far, and by which modes."""
    wide = modes.pivot_table(index="code", columns="trans", values="share", fill_value=0.0)
    t = stay.merge(wide.reset_index(), on="code").sort_values("workers", ascending=False)
    pct = fmt.percent
    return pd.DataFrame(
        {
            "Commune": t["nom"],
            "Actifs occupés": t["workers"].round(0).astype(int),
            "Dans leur commune": t["stay_share"].map(pct),
            "Ailleurs dans l'EPCI": (t["elsewhere_in_epci"] / t["workers"]).map(pct),
            "Hors EPCI": t["outside_share"].map(pct),
            "Distance moyenne (km)": t["mean_km"].round(1),
            "Temps moyen (min)": t["mean_min"].round(0).astype("Int64"),
            "Voiture": t["5"].map(pct),
            "Transports en commun": t["6"].map(pct),
            "Marche ou vélo": (t["2"] + t["3"]).map(pct),
        }
    ).reset_index(drop=True)


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Readers' table of the key figures, in French formats."""
    shown = {
        "part": fmt.percent,
        "actifs": lambda v: fmt.number(v),
        "km": lambda v: f"{fmt.number(v, 1)} km",
        "min": lambda v: f"{fmt.number(v)} min",
    }
    return pd.DataFrame(
        {
            "Indicateur": summary["label"],
            "Valeur": [
                "" if pd.isna(v) else shown[u](v) for v, u in zip(summary["value"], summary["unit"])
            ],
        }
    )


def groups_table(groups: pd.DataFrame) -> pd.DataFrame:
    """Readers' table of the pool by socio-professional group."""
    return pd.DataFrame(
        {
            "Groupe socioprofessionnel": groups["label"],
            "Part télétravaillable retenue": groups["teleworkable_share"].map(
                lambda v: fmt.percent(v, 0)
            ),
            "Actifs occupés": groups["workers"].round(0).astype(int),
            "Trajets longs": groups["long_commuters"].round(0).astype(int),
            "Télétravailleurs potentiels": groups["telework_pool"].round(0).astype(int),
        }
    )


def assumptions_table(assumptions: pd.DataFrame) -> pd.DataFrame:
    """Readers' table of the telework assumptions."""
    return assumptions.rename(
        columns={"label": "Hypothèse", "value": "Valeur retenue", "rationale": "Justification"}
    )[["Hypothèse", "Valeur retenue", "Justification"]]
