"""Phase 02 in words: the key figures' labels, the telework assumptions, the flows' labels,
and the readers' tables in French formats, for the notebook and the report."""

from __future__ import annotations

import pandas as pd

from pipeline.core import fmt
from pipeline.mobility.telework import GROUP_LABELS, teleworkable_shares

# The label of each key figure of `flows.key_figures`, in its order.
SUMMARY_LABELS = {
    "workers": "Actifs occupés résidents",
    "stay_share": "Part travaillant dans leur commune",
    "epci_share": "Part travaillant dans l'EPCI (commune de résidence comprise)",
    "outside_share": "Part travaillant hors de l'EPCI",
    "mean_km": "Distance moyenne des actifs qui quittent leur commune",
    "mean_min": "Temps de trajet moyen estimé des actifs qui quittent leur commune",
    "car_share": "Part de la voiture (parmi les modes déclarés)",
    "trans_z_share": "Part des actifs dont le recensement ne donne pas le mode de transport",
    "long_commuters": "Actifs aux trajets longs",
    "telework_pool": "Télétravailleurs potentiels (trajets longs, emplois télétravaillables)",
}


def summary(key_figures: pd.DataFrame) -> pd.DataFrame:
    """The phase's key figures with their French label: key, label, value, unit."""
    out = key_figures.copy()
    out.insert(1, "label", out["key"].map(SUMMARY_LABELS))
    return out


def label_flows(lines: pd.DataFrame) -> pd.DataFrame:
    """The flows of `flows.flow_map` with the label shown when one is hovered."""
    return lines.assign(
        label=[
            f"{o} → {d} : {fmt.number(w)} actifs"
            for o, d, w in zip(lines["origin_nom"], lines["destination_nom"], lines["workers"])
        ]
    )


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


def telework_assumptions(p: dict, group: str) -> pd.DataFrame:
    """The rules and parameters behind the pool, in words, for the report."""
    shares = teleworkable_shares(p["teleworkable_share"], group)
    rows = [
        (
            "telework_min_km",
            "Distance domicile-travail à partir de laquelle un tiers-lieu proche du domicile "
            "fait gagner du temps",
            f"{fmt.number(p['telework_min_km'])} km",
            "Hypothèse d'étude : en deçà, le trajet est assez court pour ne pas justifier un "
            "lieu de travail près de chez soi.",
        ),
        (
            "detour_factor",
            "Distance routière = distance à vol d'oiseau entre mairies × coefficient de détour",
            fmt.number(p["detour_factor"], 2),
            "Pas de réseau routier hors ligne : mairie à mairie, coefficient d'étude.",
        ),
        (
            "speed_kmh",
            "Vitesse moyenne porte à porte pour estimer les temps de trajet",
            f"{fmt.number(p['speed_kmh'])} km/h",
            "Hypothèse d'étude ; les temps sont indicatifs.",
        ),
        (
            "no_transport",
            "Actifs qui travaillent à domicile (sans transport)",
            "exclus des trajets longs",
            "Ils ne se déplacent pas pour travailler.",
        ),
        (
            "trans_z",
            "Actifs dont le mode de transport n'est pas renseigné (code « sans objet » du "
            "recensement, TRANS = Z)",
            "comptés selon leur distance, hors parts modales",
            "Leur lieu de travail est connu, pas leur mode.",
        ),
        (
            "unknown_distance",
            "Lieu de travail sans distance connue (étranger, code inconnu)",
            "non compté comme trajet long",
            "Choix prudent.",
        ),
    ]
    rows += [
        (
            f"teleworkable_share.{group}.{code}",
            f"Part d'emplois télétravaillables : {GROUP_LABELS.get(code, f'groupe {code}')}",
            fmt.percent(share, 0),
            "Hypothèse d'étude par groupe socioprofessionnel, à confronter à l'enquête (phase 03).",
        )
        for code, share in sorted(shares.items())
    ]
    return pd.DataFrame(rows, columns=["key", "label", "value", "rationale"])
