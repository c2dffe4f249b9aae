"""What readers of phase 08 see: tables and the phase's answer in French."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.core import fmt
from pipeline.core.mdtext import Md, md
from pipeline.sites.catchment import group_label
from pipeline.sites.outputs import recommended_site
from pipeline.sites.ranking import CRITERIA, lower_first, weights_and_types


def n_sites(p: int) -> str:
    return f"{int(p)} site" + ("s" if int(p) > 1 else "")


def site_label(sites: pd.DataFrame) -> pd.Series:
    return sites["site_id"] + " · " + sites["nom"]


def ranking_table(sites: pd.DataFrame, matrix: pd.DataFrame, band_km: float) -> pd.DataFrame:
    extra = ["site_id", *[c for c in matrix if c not in sites]]
    table = sites.merge(matrix[extra], on="site_id", how="left")
    yes_no = {1.0: "oui", 0.0: "non"}  # criteria columns are floats
    out = pd.DataFrame(
        {
            "Rang": table["rank"],
            "Site": site_label(table),
            "Commune": table["nom_commune"],
            "Surface (m²)": table["surface_m2"].map(fmt.number),
            "Loyer annuel au m²": table["cost_per_m2_year"].map(lambda v: fmt.euros(v)),
            f"Population à {band_km:g} km ou moins": table["population_in_band"].map(fmt.number),
            "Lieu existant le plus proche (km)": table["nearest_place_km"].map(
                lambda v: fmt.number(v, 1)
            ),
        }
    )
    if "huff_capture" in table:
        out["Habitants captés (modèle de Huff)"] = table["huff_capture"].map(fmt.number)
    for column in ("fibre", "transit", "accessible_pmr"):
        if column in table:
            out[CRITERIA[column]] = table[column].map(yes_no)
    out["Score TOPSIS"] = table["score"].map(lambda v: fmt.number(v, 2))
    if "p_first" in table:
        out["Probabilité d'être classé 1er"] = table["p_first"].map(lambda v: fmt.percent(v, 0))
    return out


def criteria_table(criteria: dict) -> pd.DataFrame:
    weights, types = weights_and_types(criteria)
    return pd.DataFrame(
        {
            "Critère": [CRITERIA[c] for c in criteria],
            "Poids": [fmt.percent(w, 0) for w in weights],
            "Sens": ["à maximiser" if t == 1 else "à minimiser" for t in types],
        }
    )


def accessibility_table(access: pd.DataFrame, sites: pd.DataFrame, band_km: float) -> pd.DataFrame:
    """Sites (rows, best first): population within each band, then each target segment within
    the main band `band_km`."""
    order = sites.sort_values(["rank", "site_id"], kind="stable")
    table = pd.DataFrame({"Site": site_label(order).to_numpy()}, index=order["site_id"])
    people = access[access["group"] == "population"]
    for band in sorted(people["band_km"].unique()):
        counts = people[people["band_km"] == band].set_index("site_id")["count"]
        table[f"Habitants à {band:g} km ou moins"] = counts.reindex(table.index).map(fmt.number)
    main = access[(access["group"] != "population") & (access["band_km"] == float(band_km))]
    for group in dict.fromkeys(main["group"]):
        counts = main[main["group"] == group].set_index("site_id")["count"]
        table[f"{group_label(group)} à {float(band_km):g} km"] = counts.reindex(table.index).map(
            fmt.number
        )
    return table.reset_index(drop=True)


def time_band_label(band_min: float, radius_km: float) -> str:
    """A band of road time as readers see it: « 15 min ou moins (7,7 km à vol d'oiseau) »."""
    return (
        f"{fmt.value(float(band_min))} min ou moins ({fmt.number(radius_km, 1)} km à vol d'oiseau)"
    )


def travel_time_table(travel: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Sites (best first), each with its bands of road time (shortest first): people of each
    group whose town hall lies within that time of the site, and the population's share."""
    order = sites.sort_values(["rank", "site_id"], kind="stable")
    names = dict(zip(order["site_id"], site_label(order)))
    counts = travel.set_index(["site_id", "band_min", "group"])["count"]
    share = travel[travel["group"] == "population"].set_index(["site_id", "band_min"])["share"]
    radius = travel.drop_duplicates("band_min").set_index("band_min")["radius_km"].sort_index()
    groups = list(dict.fromkeys(travel["group"]))
    rows = []
    for site in order["site_id"]:
        for band, reach in radius.items():
            row = {"Site": names[site], "Temps de route": time_band_label(band, reach)}
            for group in groups:
                row[group_label(group)] = fmt.number(counts[(site, band, group)])
                if group == "population":
                    row["Part de la population de l'EPCI"] = fmt.percent(share[(site, band)], 0)
            rows.append(row)
    return pd.DataFrame(rows)


def and_list(items: list) -> Md:
    """Items of Markdown joined the French way: « a », « a et b », « a, b et c »."""
    items = [str(i) for i in items]
    return Md(", ".join(items[:-1]) + " et " + items[-1] if len(items) > 1 else "".join(items))


def travel_time_text(
    travel: pd.DataFrame, sites: pd.DataFrame, detour_factor: float, speed_kmh: float
) -> str:
    """The recommended site's people within each band of road time, and how times are
    estimated, in French."""
    best = recommended_site(sites)
    people = travel[(travel["group"] == "population") & (travel["site_id"] == best["site_id"])]
    people = people.sort_values("band_min", kind="stable")
    first, then = (
        "{} habitants ({} de la population de l'EPCI) à {} minutes ou moins",
        "{} ({}) à {} minutes ou moins",
    )
    within = [
        md(then if i else first, fmt.number(r["count"]), fmt.percent(r["share"], 0),
           fmt.value(float(r["band_min"])))
        for i, (_, r) in enumerate(people.iterrows())
    ]  # fmt: skip
    reach = [
        md("{} minutes à {} km", fmt.value(float(r["band_min"])), fmt.number(r["radius_km"], 1))
        for _, r in people.iterrows()
    ]
    text = md(
        "**En temps de trajet.** Le site recommandé, **{} · {}** ({}), réunit {}. ",
        best["site_id"], best["nom"], best["nom_commune"], and_list(within),
    )  # fmt: skip
    text += md(
        "Le temps de route est estimé à partir de la distance à vol d'oiseau entre la mairie de "
        "chaque commune et le site, multipliée par un coefficient de détour de {} et parcourue "
        "à la vitesse moyenne de {} km/h : c'est une estimation, pas une isochrone calculée sur "
        "le réseau routier. Ces temps correspondent à des distances à vol d'oiseau ({}).",
        fmt.value(float(detour_factor)), fmt.value(float(speed_kmh)), and_list(reach),
    )  # fmt: skip
    return Md(text)


def huff_table(huff: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Sites (rows, most captured people first): people of each group the site would draw
    against the existing places, with the population's share."""
    wide = huff.pivot(index="site_id", columns="group", values="captured")
    share = huff[huff["group"] == "population"].set_index("site_id")["share"]
    order = share.sort_values(ascending=False, kind="stable").index
    names = sites.set_index("site_id")
    table = pd.DataFrame(
        {
            "Site": [f"{i} · {names.loc[i, 'nom']}" for i in order],
            "Habitants captés": wide.loc[order, "population"].map(fmt.number).to_numpy(),
            "Part de la population de l'EPCI": share.loc[order]
            .map(lambda v: fmt.percent(v, 1))
            .to_numpy(),
        }
    )
    for group in dict.fromkeys(huff["group"]):
        if group != "population":
            table[f"Captés : {group_label(group).lower()}"] = (
                wide.loc[order, group].map(fmt.number).to_numpy()
            )
    return table


def location_table(models: pd.DataFrame, sites: pd.DataFrame, band_km: float) -> pd.DataFrame:
    names = sites.set_index("site_id")
    return pd.DataFrame(
        {
            "Modèle": models["model_label"],
            "Nombre de sites": models["p"],
            "Sites retenus": models["site_ids"].map(
                lambda ids: " ; ".join(
                    f"{i} · {names.loc[i, 'nom_commune']}" for i in ids.split("|")
                )
            ),
            f"Habitants à {band_km:g} km ou moins d'un site": models["covered"].map(fmt.number),
            "Part de la population de l'EPCI": models["covered_share"].map(
                lambda v: fmt.percent(v, 0)
            ),
            "Distance moyenne au site le plus proche": models["mean_km"].map(
                lambda v: f"{fmt.number(v, 1)}\u00a0km"
            ),
        }
    )


def robustness_table(robustness: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    table = robustness.merge(sites[["site_id", "nom", "rank"]], on="site_id")
    table = table.sort_values(["p_first", "rank", "site_id"], ascending=[False, True, True])
    return pd.DataFrame(
        {
            "Site": site_label(table).to_numpy(),
            "Rang (pondération retenue)": table["rank"].to_numpy(),
            "Probabilité d'être classé 1er": table["p_first"].map(lambda v: fmt.percent(v, 0)),
            "Probabilité d'être dans les 2 premiers": table["p_top2"].map(
                lambda v: fmt.percent(v, 0)
            ),
            "Rang moyen": table["mean_rank"].map(lambda v: fmt.number(v, 1)),
        }
    )


def stability_table(stability: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """For each criterion: its weight, and the range over which the recommended site (of
    `sites`) stays first."""
    best = recommended_site(sites)["site_id"]

    def overtaken(site: str, side: str) -> str:
        return f"{side} : {site}" if site else ""

    return pd.DataFrame(
        {
            "Critère": stability["label"],
            "Poids retenu": stability["weight"].map(lambda v: fmt.percent(v, 0)),
            f"{best} reste 1er si le poids est compris entre": [
                f"{fmt.percent(lo, 1)} et {fmt.percent(hi, 1)}"
                for lo, hi in zip(stability["low"], stability["high"])
            ],
            "Site qui passe devant": [
                " ; ".join(x for x in (overtaken(b, "en dessous"), overtaken(a, "au-dessus")) if x)
                or "aucun"
                for b, a in zip(stability["below"], stability["above"])
            ],
        }
    )


def answer_text(
    sites: pd.DataFrame,
    robustness: pd.DataFrame,
    models: pd.DataFrame,
    stability: pd.DataFrame,
    band_km: float,
) -> str:
    """The phase's answer in French: the best site, how robust its rank is, and what the
    coverage models pick."""
    best = recommended_site(sites)
    p_first = robustness.set_index("site_id")["p_first"]
    leader = p_first.idxmax()
    draws = int(robustness["draws"].iloc[0])
    text = md(
        "**Où implanter le tiers-lieu ?** Le site le mieux classé par l'analyse multicritère est "
        "**{} · {}** ({}), score {}. Quand on fait varier les poids au hasard autour de ceux "
        "retenus ({} tirages), il reste premier dans {} des cas", best["site_id"], best["nom"],
        best["nom_commune"], fmt.number(best["score"], 2), fmt.number(draws),
        fmt.percent(p_first[best["site_id"]], 0),
    )  # fmt: skip
    if leader != best["site_id"]:
        text += md(" ; {} l'est dans {} des cas", leader, fmt.percent(p_first[leader], 0))
    fragile = stability[(stability["high"] - stability["low"]) < 0.999]
    if len(fragile):
        tight = (
            fragile.assign(
                room=np.minimum(
                    fragile["weight"] - fragile["low"], fragile["high"] - fragile["weight"]
                )
            )
            .sort_values("room", kind="stable")
            .iloc[0]
        )
        text += md(
            ". Le critère le plus sensible est « {} » : le classement change si son poids sort de "
            "l'intervalle {} – {} (poids retenu {})", lower_first(tight["label"]),
            fmt.percent(tight["low"], 0), fmt.percent(tight["high"], 0),
            fmt.percent(tight["weight"], 0),
        )  # fmt: skip
    names = sites.set_index("site_id")["nom_commune"]
    picks = [
        md(
            "{} : {}, {} de la population à {} km ou moins",
            n_sites(r["p"]),
            ", ".join(f"{i} ({names[i]})" for i in r["site_ids"].split("|")),
            fmt.percent(r["covered_share"], 0),
            fmt.value(float(band_km)),
        )  # fmt: skip
        for _, r in models[models["model"] == "mclp"].iterrows()
    ]
    if picks:
        text += md(
            ". Le modèle de couverture maximale retient, pour {}", Md(" ; pour ".join(picks))
        )
    return Md(text + ".")


def sensitivity_table(sensitivity: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Rank of each site (rows, best first) under each weighting (columns)."""
    wide = sensitivity.pivot(index="site_id", columns="variant_label", values="rank")
    wide = wide[list(dict.fromkeys(sensitivity["variant_label"]))]
    order = sites.sort_values("rank")["site_id"]
    labels = (sites.set_index("site_id")["nom_commune"]).reindex(order)
    wide = wide.reindex(order)
    wide.insert(0, "Site", [f"{code} · {name}" for code, name in labels.items()])
    return wide.reset_index(drop=True).rename_axis(columns=None)


def equipment_table(equipment: pd.DataFrame, sites: pd.DataFrame, radius_km: float) -> pd.DataFrame:
    """Sites (best first): the FttH coverage of their commune, the distance to the nearest
    France services (the first kind of `equipment`), then the facilities of each other kind
    within `radius_km`."""
    order = sites.sort_values(["rank", "site_id"], kind="stable")
    table = pd.DataFrame(
        {"Site": site_label(order).to_numpy(), "Commune": order["nom_commune"].to_numpy()},
        index=order["site_id"],
    )
    if "ftth_share" in order:
        table["Locaux éligibles à la fibre (FttH) dans la commune"] = order.set_index("site_id")[
            "ftth_share"
        ].map(lambda v: fmt.percent(v, 0))
    kinds = list(dict.fromkeys(equipment["typequ"]))
    for rank, typequ in enumerate(kinds):
        rows = equipment[equipment["typequ"] == typequ].set_index("site_id").reindex(table.index)
        label = rows["label"].dropna().iloc[0] if rows["label"].notna().any() else typequ
        if rank == 0:
            table[f"{label} la plus proche (km)"] = rows["nearest_km"].map(
                lambda v: fmt.number(v, 1)
            )
        else:
            table[f"{label} à {float(radius_km):g} km ou moins"] = rows["within_radius"].map(
                fmt.number
            )
    return table.reset_index(drop=True)
