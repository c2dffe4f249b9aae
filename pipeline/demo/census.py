"""Demo INSEE census communal bases (base-cc), population and employment themes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.demo.formats import write_insee_zip

FORMAT = "Insee, bases communales du recensement (base-cc), CSV ; dans un zip"

AGE_BANDS = ["0014", "1529", "3044", "4559", "6074", "7589", "90P"]
AGE_PROFILE = np.array([0.16, 0.15, 0.16, 0.22, 0.19, 0.11, 0.01])
# PCS 2020 groups of the RP2022 bases (before RP2022: CS1..CS8).
GSEC_ACTIVE = ["11_21", "12_22", "13_23", "14_24", "15_25", "16_26"]
GSEC_PROFILE = np.array([0.03, 0.08, 0.12, 0.25, 0.32, 0.20])
MODES = ["PAS", "MAR", "VELO", "2ROUESMOT", "VOIT", "TCOM"]
MODE_PROFILE = np.array([0.04, 0.06, 0.01, 0.03, 0.79, 0.07])


def files(vintage: int) -> dict[str, str]:
    return {
        "population": f"base-cc-evol-struct-pop-{vintage}.zip",
        "employment": f"base-cc-emploi-pop-active-{vintage}.zip",
    }


def population_table(communes: pd.DataFrame, yy: str, rng: np.random.Generator) -> pd.DataFrame:
    pop = communes["population"].to_numpy(float)
    shares = rng.dirichlet(AGE_PROFILE * 400, size=len(pop))
    table = pd.DataFrame({"CODGEO": communes["code"].to_numpy(), f"P{yy}_POP": pop})
    for band, share in zip(AGE_BANDS, shares.T):
        table[f"P{yy}_POP{band}"] = pop * share
    women = rng.uniform(0.51, 0.55, len(pop))
    table[f"P{yy}_POPH"] = pop * (1 - women)
    table[f"P{yy}_POPF"] = pop * women
    # Earlier censuses sit in the same file: a slow decline, as in most of the demo areas.
    yearly = rng.normal(-0.005, 0.006, len(pop))
    for back in (6, 11):
        table[f"P{int(yy) - back:02d}_POP"] = np.round(pop / (1 + yearly) ** back)
    pop15 = pop * (1 - shares[:, 0])
    inactive = rng.uniform(0.40, 0.50, len(pop))
    retired = inactive * rng.uniform(0.55, 0.70, len(pop))
    groups = rng.dirichlet(GSEC_PROFILE * 300, size=len(pop)) * (1 - inactive)[:, None]
    for code, share in zip(GSEC_ACTIVE, groups.T):
        table[f"C{yy}_POP15P_STAT_GSEC{code}"] = pop15 * share
    table[f"C{yy}_POP15P_STAT_GSEC32"] = pop15 * retired
    table[f"C{yy}_POP15P_STAT_GSEC40"] = pop15 * (inactive - retired)
    return table


def employment_table(population: pd.DataFrame, yy: str, rng: np.random.Generator) -> pd.DataFrame:
    n = len(population)
    pop1564 = (
        population[f"P{yy}_POP1529"] * 0.97
        + population[f"P{yy}_POP3044"]
        + population[f"P{yy}_POP4559"]
        + population[f"P{yy}_POP6074"] * 0.33
    ).to_numpy()
    active = pop1564 * rng.uniform(0.62, 0.74, n)
    unemployed = active * rng.uniform(0.10, 0.22, n)
    employed = active - unemployed
    table = pd.DataFrame(
        {
            "CODGEO": population["CODGEO"],
            f"P{yy}_POP1564": pop1564,
            f"P{yy}_ACT1564": active,
            f"P{yy}_ACTOCC1564": employed,
            f"P{yy}_CHOM1564": unemployed,
            f"P{yy}_RETR1564": pop1564 * rng.uniform(0.04, 0.08, n),
            f"P{yy}_ETUD1564": pop1564 * rng.uniform(0.08, 0.12, n),
            f"P{yy}_EMPLT": employed * rng.uniform(0.45, 0.95, n),
        }
    )
    employed15 = employed * rng.uniform(1.01, 1.04, n)
    table[f"P{yy}_ACTOCC15P"] = employed15
    modes = rng.dirichlet(MODE_PROFILE * 300, size=n)
    for mode, share in zip(MODES, modes.T):
        table[f"C{yy}_ACTOCC15P_{mode}"] = employed15 * share
    groups = rng.dirichlet(GSEC_PROFILE * 300, size=n)
    for code, share in zip(GSEC_ACTIVE, groups.T):
        table[f"C{yy}_ACT1564_STAT_GSEC{code}"] = active * share
    return table


def write(ctx, rng: np.random.Generator) -> list[Path]:
    vintage = int(ctx.demo["census_vintage"])
    communes, out_dir = ctx.communes, ctx.out_dir
    yy = f"{vintage % 100:02d}"
    population = population_table(communes, yy, rng)
    employment = employment_table(population, yy, rng)
    names = files(vintage)
    return [
        write_insee_zip(
            population,
            out_dir / names["population"],
            names["population"].replace(".zip", ".CSV"),
            vintage + 3,
        ),
        write_insee_zip(
            employment,
            out_dir / names["employment"],
            names["employment"].replace(".zip", ".CSV"),
            vintage + 3,
        ),
    ]
