"""Phase 09, prices: the price grid by user type and the survey's willingness to pay.

Phase 03 publishes, for each price question of the survey, the weighted share of the respondents
who stated a maximum price in each band (`03_survey/price_distribution`). The share priced out
by a price p, whose stated maximum is below p, is read off that distribution: a band wholly
below p counts in full, the band holding p for the part of its width below p (answers spread
evenly within a band); the open top band is taken as wide as the band below it. A band that the
disclosure rules mask holds an equal part of what the published bands leave (1 − their sum);
the bounds `priced_out_min` and `priced_out_max` put that remainder wholly in the highest or in
the lowest masked band.

A unit's price for a user type is its price in `scenarios.units` times the type's multiplier in
`scenarios.pricing.grid` (1 when the grid does not list it). The user types of a unit are those
of phase 07's segments that ask for it, weighed by their central volume
(`pricing.segments`), else `pricing.mix`; with neither, one price for all. Phase 07 counts
people interested: of each type, only the share whose willingness to pay reaches the type's
price buys (units with a survey price question, `pricing.willingness_to_pay`; the others keep
their whole demand). A unit's paying share and average price (over what each type buys) enter
the volumes wanted and the revenue of every business plan, hence its sizing, its capacity and
its Monte Carlo (whose price multiplier moves the revenue, not the paying share).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pipeline.core.vocabulary import USER_TYPES, unit_label

GRID_COLUMNS = [
    "unit", "label", "user_type", "user_label", "multiplier", "price", "mix", "question",
    "priced_out", "priced_out_min", "priced_out_max", "paying",
]  # fmt: skip
UNIT_COLUMNS = [
    "unit", "label", "base_price", "price", "question", "question_label", "respondents",
    "median_wtp", "priced_out_full", "revenue_price", "paying_share", "paying_share_min",
    "paying_share_max", "demand_central", "demand_paying",
]  # fmt: skip
NAN = float("nan")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# What the survey publishes when it measured no price (phase 03's columns).
NO_BANDS = pd.DataFrame(columns=["question", "band", "order", "n", "weighted", "suppressed"])
NO_PRICES = pd.DataFrame(columns=["question", "label", "weighted_median"])


def band_edges(bands: pd.DataFrame) -> pd.DataFrame:
    """The bands of one price question (in `order`) with their bounds `low` and `high`, read
    from the labels phase 03 writes (« moins de 5 € », « 5 à moins de 10 € », « 20 € ou
    plus »): the first band starts at 0, the open last one is as wide as the one below it."""
    bands = bands.sort_values("order").reset_index(drop=True)
    numbers = [[float(n.replace(",", ".")) for n in NUMBER.findall(str(b))] for b in bands["band"]]
    edges = sorted({n for found in numbers for n in found})
    if len(bands) != len(edges) + 1 or not edges:
        raise ValueError(
            f"03_survey/price_distribution: question {bands['question'].iloc[0]!r}: expected "
            f"bands « moins de a », « a à moins de b » … « z ou plus », found {list(bands['band'])}"
        )
    top = edges[-1] + (edges[-1] - edges[-2] if len(edges) > 1 else edges[-1])
    return bands.assign(low=[0.0, *edges], high=[*edges, top])


def distribution(bands: pd.DataFrame, masked: str = "equal") -> pd.DataFrame:
    """Bands with their `share`: as published, and for the masked ones an equal part of the
    remainder (`masked="equal"`), or all of it in the lowest (`"low"`) or highest (`"high"`)
    masked band."""
    out = band_edges(bands)
    published = out["weighted"].astype(float).where(~out["suppressed"].astype(bool))
    hidden = published.isna()
    rest = max(0.0, 1.0 - float(published.sum()))
    share = published.fillna(0.0)
    if hidden.any():
        where = hidden[hidden].index
        if masked == "equal":
            share[where] = rest / len(where)
        else:
            share[where[0] if masked == "low" else where[-1]] = rest
    return out.assign(share=share)


def priced_out(bands: pd.DataFrame, price: float) -> float:
    """The share of respondents whose stated maximum price is below `price`, from bands with
    `low`, `high` and `share` (see `distribution`)."""
    width = (bands["high"] - bands["low"]).to_numpy(dtype=float)
    below = np.clip((float(price) - bands["low"].to_numpy(dtype=float)) / width, 0.0, 1.0)
    return float(min(1.0, (below * bands["share"].to_numpy(dtype=float)).sum()))


def revenue_price(bands: pd.DataFrame) -> float:
    """The one price p that maximises the expected revenue per person interested,
    p × (1 − priced out by p), on bands with `low`, `high` and `share`: within a band the
    revenue is a parabola, whose top (clipped to the band) is a candidate, as is each bound."""
    low, high = bands["low"].to_numpy(dtype=float), bands["high"].to_numpy(dtype=float)
    share = bands["share"].to_numpy(dtype=float)
    below = np.concatenate([[0.0], np.cumsum(share)[:-1]])  # priced out at each band's low
    with np.errstate(divide="ignore", invalid="ignore"):
        top = np.where(share > 0, ((high - low) * (1 - below) / share + low) / 2, high)
    candidates = np.concatenate([low, high, np.clip(top, low, high)])
    revenue = [p * (1 - priced_out(bands, p)) for p in candidates]
    return float(candidates[int(np.argmax(revenue))])


def measured(distributions: pd.DataFrame, question: str) -> pd.DataFrame | None:
    """The bands of `question`, or None when the survey published none of them."""
    bands = distributions.loc[distributions["question"] == question]
    if bands.empty or bands["suppressed"].astype(bool).all():
        return None
    return bands


def unit_mix(unit: str, demand: pd.DataFrame, pricing: dict) -> dict[str, float]:
    """The user types of a unit's demand and their shares: phase 07's segments asking for the
    unit, weighed by their central volume, else `pricing.mix`; {} when neither says."""
    rows = demand.loc[demand["unit"] == unit]
    if rows.empty or float(rows["central"].sum()) <= 0:
        return dict(pricing.get("mix", {}).get(unit, {}))
    segments = pricing["segments"]
    missing = sorted(set(rows["segment"]) - set(segments))
    if missing:
        raise ValueError(
            f"params.yaml: scenarios.pricing.segments: no user types for the segment(s) "
            f"{', '.join(missing)} of 07_demand/demand"
        )
    mix: dict[str, float] = {}
    total = float(rows["central"].sum())
    for segment, volume in zip(rows["segment"], rows["central"], strict=True):
        for user, share in segments[segment].items():
            mix[user] = mix.get(user, 0.0) + float(volume) * float(share) / total
    return {user: mix[user] for user in USER_TYPES if user in mix}


def price_grid(settings: dict, demand: pd.DataFrame, distributions: pd.DataFrame) -> pd.DataFrame:
    """One row per unit of `scenarios.units` and user type: multiplier, price, share of the
    unit's demand (0 for every type when nothing says), and the share priced out by that price
    (with its bounds) and paying."""
    pricing = settings["pricing"]
    rows = []
    for unit, spec in settings["units"].items():
        question = pricing.get("willingness_to_pay", {}).get(unit, "")
        bands = measured(distributions, question) if question else None
        laws = (
            {m: distribution(bands, m) for m in ("equal", "low", "high")}
            if bands is not None
            else {}
        )
        mix = unit_mix(unit, demand, pricing)
        for user in USER_TYPES:
            multiplier = float(pricing.get("grid", {}).get(unit, {}).get(user, 1.0))
            price = float(spec["price"]) * multiplier
            out = {m: priced_out(law, price) for m, law in laws.items()}
            rows.append([
                unit, unit_label(unit), user, USER_TYPES[user], multiplier, price,
                float(mix.get(user, 0.0)), question if laws else "", out.get("equal", 0.0),
                out.get("high", 0.0), out.get("low", 0.0), 1.0 - out.get("equal", 0.0),
            ])  # fmt: skip
    return pd.DataFrame(rows, columns=GRID_COLUMNS)


def _paying(rows: pd.DataFrame, column: str, base: float, law) -> float:
    """The share of a unit's demand that pays: each type's share times its share not priced
    out (`column`); with no mix of types, the share not priced out by the full price."""
    if float(rows["mix"].sum()) <= 0:
        return 1.0 - (priced_out(law, base) if law is not None else 0.0)
    return float((rows["mix"] * (1.0 - rows[column])).sum())


def unit_prices(
    grid: pd.DataFrame,
    settings: dict,
    demand: pd.DataFrame,
    survey_prices: pd.DataFrame,
    distributions: pd.DataFrame,
) -> pd.DataFrame:
    """By unit: the full price (`scenarios.units`) and the share of respondents it prices out,
    the survey's question, respondents and median willingness to pay; the average price of what
    is sold (each type's price weighed by its share of the demand that pays), the share of the
    demand paying (with its bounds), and phase 07's central demand before and after it; the
    single price that would maximise the expected revenue (`revenue_price`)."""
    medians = survey_prices.set_index("question")
    rows = []
    for unit, part in grid.groupby("unit", sort=False):
        base = float(settings["units"][unit]["price"])
        question = str(part["question"].iloc[0])
        bands = distributions.loc[distributions["question"] == question]
        law = distribution(bands) if question else None
        sold = part["mix"] * part["paying"]
        known = bool(question) and question in medians.index
        central = float(demand.loc[demand["unit"] == unit, "central"].sum())
        paying = _paying(part, "priced_out", base, law)
        rows.append(
            {
                "unit": unit,
                "label": part["label"].iloc[0],
                "base_price": base,
                "price": float((sold * part["price"]).sum() / sold.sum()) if sold.sum() else base,
                "question": question,
                "question_label": str(medians.loc[question, "label"]) if known else "",
                "respondents": float(bands["n"].iloc[0]) if law is not None else float("nan"),
                "median_wtp": float(medians.loc[question, "weighted_median"]) if known else NAN,
                "priced_out_full": priced_out(law, base) if law is not None else 0.0,
                "revenue_price": revenue_price(law) if law is not None else NAN,
                "paying_share": paying,
                "paying_share_min": _paying(part, "priced_out_max", base, law),
                "paying_share_max": _paying(part, "priced_out_min", base, law),
                "demand_central": central,
                "demand_paying": central * paying,
            }
        )
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)
