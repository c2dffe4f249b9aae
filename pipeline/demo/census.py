"""Demo INSEE census communal bases (base-cc): population, employment and diploma themes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.demo.formats import write_insee_zip
from pipeline.sources.census import (
    AGE_BANDS,
    DIPLOMAS,
    GROUPS,
    MODES,
    SEX_BANDS,
    census_file,
    group_columns,
    yy,
)

LABEL = "recensement de la population (bases communales)"
FORMAT = "Insee, bases communales du recensement (base-cc), CSV ; dans un zip"

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
        [[0.97, 0.98, 1.02, 1.04, 1.06, 1.15]]
    )
    sex_ages = np.column_stack([ages[:, :5], ages[:, 5:].sum(axis=1)])  # 75+ merged, as INSEE does
    women = sex_ages * np.clip(women_share, 0, 0.8)
    table[f"P{y}_POPH"] = (sex_ages - women).sum(axis=1)
    table[f"P{y}_POPF"] = women.sum(axis=1)
    for i, band in enumerate(SEX_BANDS):
        table[f"P{y}_H{band}"] = sex_ages[:, i] - women[:, i]
    for i, band in enumerate(SEX_BANDS):
        table[f"P{y}_F{band}"] = women[:, i]
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
        name = census_file(theme, vintage)
        written.append(
            write_insee_zip(table, ctx.out_dir / name, name.replace(".zip", ".CSV"), vintage + 3)
        )
    return written
