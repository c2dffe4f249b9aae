"""Demo INSEE census communal bases (base-cc): population, employment and diploma themes,
each zipped as INSEE publishes it: the data CSV and its `meta_` dictionary of the columns."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.core.io import write_bytes_atomic
from pipeline.demo.formats import insee_csv
from pipeline.sources.census import (
    AGE_BANDS,
    DIPLOMAS,
    GROUPS,
    META_PREFIX,
    MODES,
    census_file,
    data_member,
    group_columns,
    yy,
)

LABEL = "recensement de la population (bases communales)"
FORMAT = (
    "Insee, bases communales du recensement (base-cc), CSV ; et son dictionnaire meta_ dans un zip"
)
# Columns of INSEE's dictionaries of variables (meta_*.CSV, varmod_*.csv): data/raw/README.md.
META_COLUMNS = ["COD_VAR", "LIB_VAR", "LIB_VAR_LONG", "COD_MOD", "LIB_MOD", "TYPE_VAR", "LONG_VAR"]

AGE_PROFILE = np.array([0.16, 0.15, 0.16, 0.22, 0.19, 0.11, 0.01])
GROUP_PROFILE = np.array([0.02, 0.05, 0.06, 0.13, 0.17, 0.10])  # active groups, of people 15+
MODE_PROFILE = np.array([0.04, 0.06, 0.01, 0.03, 0.79, 0.07])
DIPLOMA_PROFILE = np.array([0.33, 0.06, 0.22, 0.17, 0.10, 0.07, 0.05])
THEMES = ("population", "employment", "diplomas")  # the bases written, in this order


def split(total: np.ndarray, profile: np.ndarray, rng: np.random.Generator, k: float = 300):
    """Counts that sum to `total`, shares drawn around `profile` (one row per commune)."""
    return rng.dirichlet(profile / profile.sum() * k, size=len(total)) * total[:, None]


def population_table(
    communes: pd.DataFrame, vintage: int, rng: np.random.Generator
) -> pd.DataFrame:
    y = yy(vintage)
    pop = communes["population"].to_numpy(float)
    ages = split(pop, AGE_PROFILE, rng, 400)
    table = pd.DataFrame({"CODGEO": communes["code"].to_numpy(), f"P{y}_POP": pop})
    for band, counts in zip(AGE_BANDS, ages.T):
        table[f"P{y}_POP{band}"] = counts
    women_share = rng.uniform(0.50, 0.56, (len(pop), 1)) * np.array(
        [[0.97, 0.98, 1.02, 1.04, 1.06, 1.15, 1.25]]
    )
    women = ages * np.clip(women_share, 0, 0.8)
    table[f"P{y}_POPH"] = (ages - women).sum(axis=1)
    table[f"P{y}_POPF"] = women.sum(axis=1)
    # By sex the communal base has the age bands (75-89 and 90+: P22_H7589, P22_H90P).
    for sex, by_age in (("H", ages - women), ("F", women)):
        for band, counts in zip(AGE_BANDS, by_age.T):
            table[f"P{y}_{sex}{band}"] = counts
    # Earlier censuses sit in the same file: a slow decline, as in most of the demo areas.
    yearly = rng.normal(-0.005, 0.006, len(pop))
    for back in (6, 11):
        table[f"P{int(y) - back:02d}_POP"] = np.round(pop / (1 + yearly) ** back)
    pop15 = pop - ages[:, 0]
    retired = pop15 * rng.uniform(0.22, 0.30, len(pop))
    other = pop15 * rng.uniform(0.15, 0.22, len(pop))
    active = split(pop15 - retired - other, GROUP_PROFILE, rng)
    columns = group_columns(vintage)
    for key, counts in zip(list(GROUPS)[:6], active.T):
        table[columns[key]] = counts
    table[columns["retired"]] = retired
    table[columns["other_inactive"]] = other
    return table


def employment_table(
    population: pd.DataFrame, vintage: int, rng: np.random.Generator
) -> pd.DataFrame:
    y = yy(vintage)
    n = len(population)
    pop1564 = (population[f"P{y}_POP1529"] * 0.97 + population[f"P{y}_POP3044"]
               + population[f"P{y}_POP4559"] + population[f"P{y}_POP6074"] * 0.33).to_numpy()  # fmt: skip
    active = pop1564 * rng.uniform(0.62, 0.74, n)
    unemployed = active * rng.uniform(0.10, 0.22, n)
    employed = active - unemployed
    table = pd.DataFrame({
        "CODGEO": population["CODGEO"],
        f"P{y}_POP1564": pop1564,
        f"P{y}_ACT1564": active,
        f"P{y}_ACTOCC1564": employed,
        f"P{y}_CHOM1564": unemployed,
        f"P{y}_RETR1564": pop1564 * rng.uniform(0.04, 0.08, n),
        f"P{y}_ETUD1564": pop1564 * rng.uniform(0.08, 0.12, n),
        f"P{y}_EMPLT": employed * rng.uniform(0.45, 0.95, n),
    })  # fmt: skip
    employed15 = employed * rng.uniform(1.01, 1.04, n)
    table[f"P{y}_ACTOCC15P"] = employed15
    for mode, counts in zip(MODES, split(employed15, MODE_PROFILE, rng).T):
        table[f"C{y}_ACTOCC15P_{mode}"] = counts
    for name, counts in zip(
        group_columns(vintage, "ACT1564").values(), split(active, GROUP_PROFILE, rng).T
    ):
        table[name] = counts
    return table


def diploma_table(population: pd.DataFrame, vintage: int, rng: np.random.Generator) -> pd.DataFrame:
    y = yy(vintage)
    pop15 = (population[f"P{y}_POP"] - population[f"P{y}_POP0014"]).to_numpy()
    out_of_school = pop15 * rng.uniform(0.86, 0.90, len(pop15))
    table = pd.DataFrame({"CODGEO": population["CODGEO"], f"P{y}_NSCOL15P": out_of_school})
    for key, counts in zip(DIPLOMAS, split(out_of_school, DIPLOMA_PROFILE, rng).T):
        table[f"P{y}_NSCOL15P_{key}"] = counts
    return table


def _texts() -> dict[str, str]:
    """French label of each count the demo writes, by its name after `P22_` / `C22_`."""
    texts = {"POP": "Population", "POPH": "Pop Hommes", "POPF": "Pop Femmes",
             "POP1564": "Pop 15-64 ans", "ACT1564": "Actifs 15-64 ans",
             "ACTOCC1564": "Actifs occupés 15-64 ans", "CHOM1564": "Chômeurs 15-64 ans",
             "RETR1564": "Retraités ou préretraités 15-64 ans",
             "ETUD1564": "Élèves, étudiants et stagiaires 15-64 ans",
             "EMPLT": "Emplois au lieu de travail", "ACTOCC15P": "Actifs occupés 15 ans ou plus",
             "NSCOL15P": "Pop 15 ans ou plus non scolarisée"}  # fmt: skip
    texts |= {f"POP{band}": f"Pop {label}" for band, label in AGE_BANDS.items()}
    for sex, name in (("H", "Hommes"), ("F", "Femmes")):
        texts |= {f"{sex}{band}": f"Pop {name} {label}" for band, label in AGE_BANDS.items()}
    for universe, who in (("POP15P", "Pop 15 ans ou plus"), ("ACT1564", "Actifs 15-64 ans")):
        for label, gsec, cs in GROUPS.values():
            texts[f"{universe}_STAT_GSEC{gsec}"] = texts[f"{universe}_CS{cs}"] = f"{who} {label}"
    texts |= {f"ACTOCC15P_{mode}": f"Actifs occupés 15 ans ou plus, {label.lower()}"
              for mode, label in MODES.items()}  # fmt: skip
    texts |= {f"NSCOL15P_{key}": f"Pop 15 ans ou plus non scolarisée, {label}"
              for key, label in DIPLOMAS.items()}  # fmt: skip
    return texts


def meta_table(columns: list[str]) -> pd.DataFrame:
    """The `meta_` dictionary of a base's columns, as INSEE ships it beside the data."""
    texts, rows = _texts(), []
    for name in columns:
        if name == "CODGEO":
            rows.append([name, "Code géographique", "Code du département suivi du numéro de "
                         "commune ou du numéro d'arrondissement municipal", "", "", "CHAR", "5"])  # fmt: skip
            continue
        kind, year, count = re.fullmatch(r"([PC])(\d\d)_(.+)", name).groups()
        text = f"{texts[count]} en 20{year}"
        short = f"{text} ({'princ' if kind == 'P' else 'compl'})"
        rows.append([name, short, text, "", "", "NUM", ""])
    return pd.DataFrame(rows, columns=META_COLUMNS)


def write_zip(path: Path, members: dict[str, bytes], year: int) -> Path:
    """A zip of `members` in this order, with a fixed timestamp so the bytes never change."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            info = zipfile.ZipInfo(member, date_time=(year, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return write_bytes_atomic(buffer.getvalue(), path)


def files(demo: dict) -> list[str]:
    """Names of the files `write` writes, from the `demo` params."""
    return [census_file(theme, demo["census_vintage"]) for theme in THEMES]


def write(ctx, rng: np.random.Generator) -> list[Path]:
    vintage = ctx.demo["census_vintage"]
    population = population_table(ctx.communes, vintage, rng)
    tables = {
        "population": population,
        "employment": employment_table(population, vintage, rng),
        "diplomas": diploma_table(population, vintage, rng),
    }
    written = []
    for theme, table in tables.items():
        data = data_member(theme, vintage)
        members = {data: insee_csv(table), META_PREFIX + data: insee_csv(meta_table(list(table)))}
        written.append(write_zip(ctx.out_dir / census_file(theme, vintage), members, vintage + 3))
    return written
