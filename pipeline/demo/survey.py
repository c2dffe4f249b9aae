"""Demo population survey: a LimeSurvey-style CSV export and its codebook.

The respondents are drawn with the biases of an online survey (more women, more people aged
30-59, more people in work, more people from the study zone), so that weighting matters; some
stop before the end (`lastpage`) and some skip questions (item non-response). E-mail addresses
and free-text comments stay in the export, as analysts get it: the loader must drop them.
`kobo_export` rewrites the same answers as a KoboToolbox export (used by the tests).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from pipeline.core.io import write_bytes_atomic, write_text_atomic
from pipeline.demo.codebook import CODEBOOK, SERVICES
from pipeline.demo.places import ANYWHERE, Profile, suits, territory_profile

LABEL = "enquête auprès de la population"
FORMAT = "Export d'enquête en ligne type LimeSurvey (CSV ; UTF-8) et son livre de codes YAML"
EXPORT = "enquete_population.csv"
CODEBOOK_FILE = "enquete_codebook.yaml"

COMMENTS = [
    "",
    "",
    "",
    "Il manque un lieu pour travailler près de chez moi.",
    "La connexion internet est trop lente à la maison.",
    "Les bouchons le matin sont épuisants.",
    "J'aimerais apprendre à utiliser les démarches en ligne.",
    "Un fablab pour les jeunes serait utile.",
    "Le premier espace de travail partagé est à plus de trente minutes de route.",
    "Les bureaux à louer en centre-ville sont trop chers pour un indépendant.",
]
# Comments heard only in some territories (kinds of commune, sides; others: anywhere).
COMMENT_PLACES = {
    "La connexion internet est trop lente à la maison.": (["rural", "bourg"], []),
    "Les bouchons le matin sont épuisants.": (["bourg", "ville moyenne"], []),
    "Le premier espace de travail partagé est à plus de trente minutes de route.": (["rural"], []),
    "Les bureaux à louer en centre-ville sont trop chers pour un indépendant.": (
        ["ville moyenne"],
        [],
    ),
}
PAGES = {1: "profil", 2: "tiers_lieux", 3: "services", 4: "numerique"}


def _pick(rng: np.random.Generator, codes: list[str], probs: np.ndarray) -> np.ndarray:
    """One code per row of a matrix of probabilities."""
    cum = np.cumsum(probs, axis=1)
    return np.asarray(codes)[(rng.random(len(probs))[:, None] > cum).sum(axis=1)]


def respondents(
    communes: pd.DataFrame, n: int, rng: np.random.Generator, profile: Profile | None = None
) -> pd.DataFrame:
    """A LimeSurvey export of `n` respondents (codes, `Y`/empty choices, `lastpage`), with the
    comments that suit the territory's `profile` (without one: any)."""
    q = CODEBOOK["questions"]
    zone = communes["in_study_zone"].to_numpy(bool)
    draw = communes["population"].to_numpy(float) * np.where(zone, 2.5, 1.0)
    commune = rng.choice(communes["code"].to_numpy(), size=n, p=draw / draw.sum())
    in_zone = np.isin(commune, communes.loc[communes["in_study_zone"], "code"])
    sex = rng.choice(["A1", "A2"], size=n, p=[0.38, 0.62])
    age = rng.choice(["A1", "A2", "A3", "A4"], size=n, p=[0.17, 0.33, 0.34, 0.16])
    by_age = {
        "A1": [0.34, 0.04, 0.17, 0.37, 0.00, 0.08],
        "A2": [0.64, 0.13, 0.12, 0.01, 0.00, 0.10],
        "A3": [0.62, 0.13, 0.11, 0.00, 0.05, 0.09],
        "A4": [0.13, 0.07, 0.02, 0.00, 0.72, 0.06],
    }
    status = _pick(rng, list(q["Q04_statut"]["codes"]), np.array([by_age[a] for a in age]))
    employed = np.isin(status, ["A1", "A2"])
    commuting = employed | (status == "A4")
    telework = np.where(
        employed, rng.choice(["A1", "A2", "A3", "A4"], size=n, p=[0.14, 0.22, 0.18, 0.46]), ""
    )
    minutes = np.clip(np.round(rng.lognormal(np.log(22), 0.6, n) / 5) * 5, 5, 150)
    long_trip = commuting & (minutes >= 30)
    # Intention to use a tiers-lieu: a logistic model of the profile (true odds ratios).
    logit = (
        -0.9
        + np.select([age == "A1", age == "A2", age == "A4"], [0.7, 0.4, -1.0], 0.0)
        + 0.25 * (sex == "A2")
        + 0.9 * np.isin(telework, ["A1", "A2"])
        + 0.6 * long_trip
        + 0.35 * in_zone
        + 0.5 * (status == "A3")
    )
    intends = rng.random(n) < 1 / (1 + np.exp(-logit))
    intention = np.where(
        intends,
        rng.choice(["A1", "A2"], size=n, p=[0.4, 0.6]),
        rng.choice(["A3", "A4"], size=n, p=[0.6, 0.4]),
    )
    interest = np.where(
        intends,
        rng.choice(["2", "3", "4"], size=n, p=[0.08, 0.47, 0.45]),
        rng.choice(["1", "2", "3"], size=n, p=[0.45, 0.40, 0.15]),
    )
    knows = rng.random(n) < np.where(in_zone, 0.52, 0.40)
    uses = _pick(rng, ["A1", "A2", "A3"], np.tile([0.10, 0.25, 0.65], (n, 1)))
    start = dt.datetime(2025, 3, 3, 8, 0, 0)
    seconds = np.sort(rng.integers(0, 28 * 86400, size=n))
    table = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "submitdate": [
                (start + dt.timedelta(seconds=int(s))).strftime("%Y-%m-%d %H:%M:%S")
                for s in seconds
            ],
            "lastpage": 4,
            "startlanguage": "fr",
            "Q01_commune": commune,
            "Q02_sexe": sex,
            "Q03_age": age,
            "Q04_statut": status,
            "Q05_teletravail": telework,
            "Q06_trajet": np.where(commuting, minutes.astype(int).astype(str), ""),
            "Q07_connait": np.where(knows, "Y", "N"),
            "Q08_frequente": np.where(knows, uses, ""),
            "Q09_interet": interest,
            "Q10_intention": intention,
        }
    )
    appeal = {
        "COWORK": 0.22 + 0.25 * employed,
        "TELETRAV": 0.12 + 0.40 * np.isin(telework, ["A1", "A2", "A3"]),
        "FABLAB": 0.18 + 0.20 * (age == "A1"),
        "AIDENUM": 0.15 + 0.30 * (age == "A4"),
        "FORMNUM": 0.25 + 0.10 * (status == "A3"),
        "REUNION": 0.10 + 0.12 * (status == "A2"),
        "EVENT": np.full(n, 0.25),
        "PROJET": 0.08 + 0.30 * (status == "A3") + 0.15 * (status == "A2"),
    }
    chosen = {
        code: rng.random(n) < np.clip(p * np.where(intends, 1.6, 0.6), 0, 0.95)
        for code, p in appeal.items()
    }
    none = ~np.any(list(chosen.values()), axis=0)
    chosen["AUCUN"] = none & (rng.random(n) < 0.9)  # the others leave the question blank
    for code in SERVICES:
        table[f"Q11_services[{code}]"] = np.where(chosen[code], "Y", "")
    table["Q12_frequence"] = np.where(
        intends, rng.choice(["A1", "A2", "A3", "A4"], size=n, p=[0.18, 0.32, 0.35, 0.15]), ""
    )
    day = np.clip(np.round(rng.lognormal(np.log(10), 0.5, n)), 0, 60).astype(int)
    month = np.clip(np.round(rng.lognormal(np.log(70), 0.55, n) / 5) * 5, 0, 400).astype(int)
    table["Q13_prix_jour"] = np.where(intends, day.astype(str), "")
    table["Q14_prix_mois"] = np.where(intends, month.astype(str), "")
    table["Q15_temps_acces"] = np.where(
        intends, rng.choice(["A1", "A2", "A3", "A4"], size=n, p=[0.28, 0.42, 0.21, 0.09]), ""
    )
    big = communes["population"].to_numpy(float) ** 1.5
    elsewhere = rng.choice(communes["code"].to_numpy(), size=n, p=big / big.sum())
    table["Q16_lieu"] = np.where(intends, np.where(rng.random(n) < 0.55, commune, elsewhere), "")
    for code, p in zip(q["Q17_horaires"]["codes"], [0.55, 0.45, 0.35, 0.30]):
        table[f"Q17_horaires[{code}]"] = np.where(intends & (rng.random(n) < p), "Y", "")
    table["Q18_difficulte_numerique"] = np.where(
        rng.random(n) < np.where(age == "A4", 0.38, 0.12), "Y", "N"
    )
    comments = [c for c in COMMENTS if suits(c, COMMENT_PLACES.get(c, ANYWHERE), profile)]
    table["Q19_commentaire"] = rng.choice(comments, size=n)
    table["Q20_email"] = np.where(
        rng.random(n) < 0.3, [f"repondant{i:04d}@example.org" for i in table["id"]], ""
    )
    return _non_response(table, rng)


def _non_response(table: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Item non-response on some questions, and break-offs (partial completes)."""
    n = len(table)
    skips = {
        "Q01_commune": 0.005,
        "Q02_sexe": 0.01,
        "Q03_age": 0.01,
        "Q04_statut": 0.01,
        "Q05_teletravail": 0.03,
        "Q06_trajet": 0.08,
        "Q09_interet": 0.02,
        "Q10_intention": 0.02,
        "Q13_prix_jour": 0.15,
        "Q14_prix_mois": 0.18,
        "Q16_lieu": 0.10,
        "Q18_difficulte_numerique": 0.03,
    }
    for col, p in skips.items():
        table.loc[rng.random(n) < p, col] = ""
    # Skip logic follows what is left: no follow-up to a question left blank.
    status = table["Q04_statut"]
    table.loc[~status.isin(["A1", "A2"]), "Q05_teletravail"] = ""
    table.loc[~status.isin(["A1", "A2", "A4"]), "Q06_trajet"] = ""
    follow = [c for c in table if c.startswith(("Q12", "Q13", "Q14", "Q15", "Q16", "Q17"))]
    table.loc[~table["Q10_intention"].isin(["A1", "A2"]), follow] = ""
    last = rng.choice([0, 1, 2, 3, 4], size=n, p=[0.03, 0.06, 0.04, 0.03, 0.84])
    table["lastpage"] = last
    table.loc[last < 4, "submitdate"] = ""
    for name, spec in CODEBOOK["questions"].items():
        cols = [c for c in table if c == name or c.startswith(f"{name}[")]
        table.loc[last < spec["page"], cols] = ""
    return table


def kobo_export(table: pd.DataFrame, multiple: str = "both") -> pd.DataFrame:
    """The same answers as a KoboToolbox export: `_id`, `_uuid`, `group/question` columns.

    multiple: "joined" (one space-separated column), "split" (one `question/choice` 0/1 column
    per choice) or "both" (Kobo's default).
    """
    out = pd.DataFrame(
        {"start": "2025-03-03T08:00:00.000-04:00", "end": "2025-03-03T08:12:00.000-04:00"},
        index=table.index,
    )
    for name, q in CODEBOOK["questions"].items():
        column = f"{PAGES[q['page']]}/{name}"
        if q["type"] != "multiple":
            out[column] = table[name]
            continue
        ticked = pd.DataFrame({c: table[f"{name}[{c}]"] == "Y" for c in q["codes"]})
        answered = ticked.any(axis=1)
        if multiple in {"joined", "both"}:
            out[column] = ticked.apply(lambda r: " ".join(c for c, v in r.items() if v), axis=1)
        if multiple in {"split", "both"}:
            for code in q["codes"]:
                out[f"{column}/{code}"] = np.where(
                    answered, ticked[code].astype(int).astype(str), ""
                )
    out["_id"] = table["id"]
    out["_uuid"] = [f"00000000-0000-4000-8000-{int(i):012d}" for i in table["id"]]
    out["_submission_time"] = table["submitdate"].str.replace(" ", "T")
    out["_validation_status"] = ""
    out["_index"] = range(1, len(table) + 1)
    return out


def files(demo: dict) -> list[str]:
    """Names of the files `write` writes, from the `demo` params."""
    return [EXPORT, CODEBOOK_FILE]


def write(ctx, rng: np.random.Generator) -> list[Path]:
    profile = territory_profile(ctx.communes)
    table = respondents(ctx.communes, ctx.demo["survey_respondents"], rng, profile)
    csv = table.to_csv(sep=";", index=False, lineterminator="\n").encode("utf-8")
    codebook = yaml.safe_dump(CODEBOOK, allow_unicode=True, sort_keys=False, width=100)
    return [
        write_bytes_atomic(csv, ctx.out_dir / EXPORT),
        write_text_atomic(codebook, ctx.out_dir / CODEBOOK_FILE),
    ]
