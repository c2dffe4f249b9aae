"""Benchmark suite: each figure is the median of several runs, beside its baseline measured in
the same run, written to benchmarks/results.json and the table of benchmarks/README.md.

Usage: python benchmarks/run.py [--tiny] [--repeat N] [--chain-repeat N] [--only NAME ...]
`--tiny` runs every benchmark but the chain on small inputs (what `make test` checks); it
neither rewrites the README table nor, unless `--out` says otherwise, results.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing as mp
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / "cache"  # generated national files, outside git (.gitignore)
RESULTS = ROOT / "benchmarks" / "results.json"
README = ROOT / "benchmarks" / "README.md"
BENCHMARKS = ("mobpro", "census", "raking", "monte_carlo", "chain", "studies")
FULL = {"mobpro_rows": 8_000_000, "communes": 35_000, "census_columns": 200,
        "respondents": 100_000, "draws": 100_000}  # fmt: skip
TINY = {"mobpro_rows": 20_000, "communes": 2_000, "census_columns": 40,
        "respondents": 2_000, "draws": 2_000}  # fmt: skip
DEFAULT_EPCI = "200041788"  # Nord Caraïbe, the default territory
# Each run happens in a process forked from a server that has imported these and nothing else:
# Polars and svy cannot run in a child forked from a process whose thread pool has started.
CONTEXT = mp.get_context("forkserver")
CONTEXT.set_forkserver_preload(
    ["numpy", "pandas", "polars", "svy", "pipeline.sources.mobpro", "pipeline.sources.census",
     "pipeline.survey.weights", "pipeline.scenarios.risk", "benchmarks.monte_carlo"]
)  # fmt: skip


# --- measurement ----------------------------------------------------------------------------


def _timed(func, args) -> tuple[float, float, object]:
    start = time.perf_counter()
    value = func(*args)
    seconds = time.perf_counter() - start
    # Peak RSS of this process, or of its largest child process (the chain's stages).
    rss = max(
        resource.getrusage(who).ru_maxrss
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return seconds, rss / 1024, value


def in_child(func, *args) -> tuple[float, float, object]:
    """Seconds, peak RSS (MB) and value of `func(*args)`, run in a fresh process."""
    with ProcessPoolExecutor(1, mp_context=CONTEXT) as pool:
        return pool.submit(_timed, func, args).result()


def measure(func, *args, repeat: int = 3) -> tuple[float, float]:
    """Median seconds and highest peak RSS (MB) of `repeat` runs of `func(*args)`."""
    runs = [in_child(func, *args) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def significant(x: float, digits: int = 4) -> float:
    """`x` to `digits` significant figures: a ratio of the rounded times stays the ratio of
    the times, however short they are (a 4 ms run rounded to the millisecond would not)."""
    return float(f"{x:.{digits}g}")


def entry(name, seconds, rss, target, met, baseline=None, **extra) -> dict:
    return {"name": name, "measured": str(datetime.date.today()), "seconds": significant(seconds),
            "baseline_seconds": None if baseline is None else significant(baseline),
            "ratio": None if baseline is None else significant(baseline / seconds, 3),
            "peak_rss_mb": None if rss is None else round(rss), "target": target, "met": bool(met),
            **extra}  # fmt: skip


# --- 1. national commute file ---------------------------------------------------------------


def territory_codes() -> list[str]:
    from pipeline.sources.communes import epci_communes

    return list(epci_communes(DEFAULT_EPCI)["code"])


def mobpro_frame(rows: int):
    """A national MOBPRO-shaped table: the columns of the INSEE detail file (RP2022), residences
    drawn among every commune of the legal populations (the territory's included)."""
    import polars as pl

    codes = pl.read_csv(
        ROOT / "data/raw/populations_legales.csv", schema_overrides={"code": pl.String}
    )
    codes = np.array(sorted(codes["code"].unique().to_list()))
    rng = np.random.default_rng(8)

    def pick(values):
        return np.asarray(values)[rng.integers(0, len(values), rows)]

    home = pick(codes)
    return pl.DataFrame({
        "COMMUNE": home, "ARM": "ZZZZZ",
        "DCLT": np.where(rng.random(rows) < 0.35, home, pick(codes)), "DCFLT": "99999",
        "IPONDI": np.round(rng.uniform(0.9, 5.5, rows), 6),
        "TRANS": pick(["1", "2", "3", "4", "5", "6", "Z"]), "SEXE": pick(["1", "2"]),
        "AGEREVQ": pick([f"{a:03d}" for a in range(15, 70, 5)]), "TP": pick(["1", "2"]),
        "EMPL": pick(["11", "12", "13", "14", "15", "16", "21", "22", "23"]),
        "STAT": pick(["10", "21", "22", "23"]), "DIPL": pick(["01", "02", "03", "11", "12", "13", "14", "15", "16", "17", "18", "19"]),
        "INEEM": pick(["0", "1", "2", "3", "Y"]), "TYPL": pick(["1", "2", "3", "4", "5", "6"]),
        "VOIT": pick(["0", "1", "2", "3"]), "TYPMR": pick(["11", "12", "21", "22", "30", "41", "42", "43", "44"]),
        "GS": pick(["1", "2", "3", "4", "5", "6"]),
    })  # fmt: skip


def national_mobpro(rows: int) -> tuple[Path, Path]:
    """The national file as CSV `;` and Parquet, generated once and cached."""
    csv, parquet = CACHE / f"mobpro_{rows}.csv", CACHE / f"mobpro_{rows}.parquet"
    if not (csv.exists() and parquet.exists()):
        CACHE.mkdir(parents=True, exist_ok=True)
        frame = mobpro_frame(rows)
        frame.write_csv(csv.with_suffix(".tmp"), separator=";")
        frame.write_parquet(parquet)
        csv.with_suffix(".tmp").replace(csv)
    return csv, parquet


def project_mobpro(path, codes):
    from pipeline.sources.mobpro import read_mobpro

    read_mobpro(Path(path), codes, 2022)


def pandas_mobpro(path, codes):
    import pandas as pd

    table = pd.read_csv(path, sep=";", dtype=str)  # text: codes keep their leading zeros
    table[table["COMMUNE"].isin(codes)]


PANDAS_MOBPRO = "pandas.read_csv(dtype=str) of the whole CSV, then a filter"


def bench_mobpro(size: dict, repeat: int, codes: list[str]) -> list[dict]:
    rows = size["mobpro_rows"]
    csv, parquet = national_mobpro(rows)
    seconds, rss = measure(project_mobpro, csv, codes, repeat=repeat)
    base, base_rss = measure(pandas_mobpro, csv, codes, repeat=repeat)
    pq_seconds, pq_rss = measure(project_mobpro, parquet, codes, repeat=repeat)
    return [
        entry("mobpro_csv_filter", seconds, rss, "≥ 5× pandas.read_csv, peak RSS ≤ 1 500 MB",
              base / seconds >= 5 and rss <= 1500, base, rows=rows, file_mb=round(csv.stat().st_size / 2**20),
              baseline_peak_rss_mb=round(base_rss), baseline_method=PANDAS_MOBPRO),
        entry("mobpro_parquet_filter", pq_seconds, pq_rss, "faster than the project's CSV read",
              pq_seconds < seconds, base, rows=rows, csv_seconds=round(seconds, 3),
              file_mb=round(parquet.stat().st_size / 2**20), baseline_method=PANDAS_MOBPRO),
    ]  # fmt: skip


# --- 2. national census base ----------------------------------------------------------------


def national_census(communes: int, columns: int, codes: list[str]) -> Path:
    """A national base-cc zip (CODGEO and `columns` count columns), generated once and cached."""
    path = CACHE / f"base-cc-{communes}x{columns}.zip"
    if path.exists():
        return path
    import pandas as pd

    CACHE.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2)
    table = pd.DataFrame(rng.uniform(0, 5000, (communes, columns)).round(4),
                         columns=[f"P22_V{i:03d}" for i in range(columns)])  # fmt: skip
    table.insert(
        0, "CODGEO", [f"{i:05d}" for i in range(1001, 1001 + communes - len(codes))] + codes
    )
    with zipfile.ZipFile(path.with_suffix(".tmp"), "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("base-cc-bench.CSV", table.to_csv(sep=";", index=False))
    path.with_suffix(".tmp").replace(path)
    return path


def project_census(path, codes):
    from pipeline.sources.census import read_base_cc

    read_base_cc(Path(path), codes)


def pandas_census(path, codes):
    import pandas as pd

    with zipfile.ZipFile(path) as zf, zf.open(zf.namelist()[0]) as fh:
        table = pd.read_csv(fh, sep=";", dtype={"CODGEO": str})
    table[table["CODGEO"].isin(codes)]


def bench_census(size: dict, repeat: int, codes: list[str]) -> list[dict]:
    path = national_census(size["communes"], size["census_columns"], codes)
    seconds, rss = measure(project_census, path, codes, repeat=repeat)
    base, base_rss = measure(pandas_census, path, codes, repeat=repeat)
    return [entry("census_base_cc_filter", seconds, rss, "faster than pandas.read_csv, peak RSS ≤ 1 500 MB",
                  seconds < base and rss <= 1500, base, communes=size["communes"],
                  columns=size["census_columns"], baseline_peak_rss_mb=round(base_rss),
                  baseline_method="pandas.read_csv of the whole zipped CSV (CODGEO as text), then a filter")]  # fmt: skip


# --- 3. survey raking -----------------------------------------------------------------------


def survey_sample(n: int):
    """`n` respondents and 4 census margins that differ from the sample's shares."""
    import pandas as pd

    rng = np.random.default_rng(3)
    frame = pd.DataFrame({
        "age": rng.choice(["A1", "A2", "A3", "A4"], n, p=[0.1, 0.3, 0.4, 0.2]),
        "sex": rng.choice(["H", "F"], n, p=[0.35, 0.65]),
        "area": rng.choice(["zone", "rest"], n, p=[0.6, 0.4]),
        "activity": rng.choice(["emp", "unemp", "inact"], n, p=[0.7, 0.1, 0.2]),
    })  # fmt: skip
    margins = {"age": {"A1": 0.2, "A2": 0.25, "A3": 0.25, "A4": 0.3}, "sex": {"H": 0.47, "F": 0.53},
               "area": {"zone": 0.25, "rest": 0.75}, "activity": {"emp": 0.5, "unemp": 0.12, "inact": 0.38}}  # fmt: skip
    return frame, margins


def raking(frame, margins, trimming):
    from pipeline.survey.weights import rake

    rake(frame, margins, trimming)


def bench_raking(size: dict, repeat: int) -> list[dict]:
    from pipeline.core.config import load_params

    trimming = load_params()["survey"]["trimming"]
    seconds, rss = measure(raking, *survey_sample(size["respondents"]), trimming, repeat=repeat)
    return [entry("survey_raking", seconds, rss, "≤ 2 s for 100 000 respondents, 4 margins",
                  seconds <= 2, respondents=size["respondents"], margins=4, trimming=trimming)]  # fmt: skip


# --- 4. Monte Carlo business plan -----------------------------------------------------------


def bench_monte_carlo(size: dict, repeat: int) -> list[dict]:
    from benchmarks import monte_carlo as mc

    if not mc.agree():
        raise AssertionError("the loop baseline and the vectorised Monte Carlo disagree")
    args = mc.scenario_models(size["draws"])
    seconds, rss = measure(mc.vectorised, *args, repeat=repeat)
    base, _ = measure(mc.loop, *args, repeat=repeat)
    return [entry("monte_carlo_business_plan", seconds, rss,
                  "≤ 2 s and ≥ 20× a Python loop over draws", seconds <= 2 and base / seconds >= 20,
                  base, draws=size["draws"], scenarios=len(args[0]), years=int(args[2]["years"]),
                  baseline_method="the same draws, then a plain Python loop over draws and years (every draw, no scaling)")]  # fmt: skip


# --- 5-6. whole chain -----------------------------------------------------------------------


def project_copy() -> Path:
    """The working tree's files (tracked or not, but not ignored) in a new temporary folder:
    no processed data, no DVC cache, so the first `dvc repro` there is cold."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\n")  # fmt: skip
    copy = Path(tempfile.mkdtemp(prefix="bench-chain-"))
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    return copy


def run(cmd, cwd) -> tuple[float, str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "DVC_NO_ANALYTICS": "1"}  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{cmd} failed: {done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return time.perf_counter() - start, done.stdout + done.stderr


def stage_startup(copy: Path) -> float:
    """What every notebook stage pays before its work: Python and papermill start, a kernel
    starts and runs an empty notebook."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = copy / "empty.ipynb"
    nbformat.write(nb, path)
    seconds = run(
        [
            sys.executable,
            "-m",
            "papermill",
            "--no-progress-bar",
            str(path),
            str(copy / "empty.out.ipynb"),
        ],
        copy,
    )[0]
    path.unlink()
    (copy / "empty.out.ipynb").unlink()
    return seconds


def stage_times(copy: Path, start: float) -> dict[str, float]:
    """Each stage's seconds in a `dvc repro` started at `start` (epoch): stages run one after
    the other, and each writes its outputs last, so a stage lasts from the end of the one
    before to the newest file of its outputs."""
    import yaml

    def finished(outs) -> float:
        files = [p for out in outs for p in [copy / out, *(copy / out).rglob("*")] if p.is_file()]
        return max(p.stat().st_mtime for p in files)

    stages = yaml.safe_load((copy / "dvc.yaml").read_text())["stages"]
    ends = sorted((finished(spec["outs"]), name) for name, spec in stages.items())
    times, previous = {}, start
    for end, name in ends:
        times[name], previous = round(end - previous, 2), end
    return times


def change_phase09_param(copy: Path) -> None:
    """Raise `scenarios.discount_rate` by one point (a parameter only phase 09 on reads)."""
    params = copy / "params.yaml"
    text, found = re.subn(r"(?m)^(  discount_rate: )([\d.]+)", lambda m: f"{m[1]}{float(m[2]) + 0.01:.3f}",
                          params.read_text(encoding="utf-8"), count=1)  # fmt: skip
    if not found:
        raise RuntimeError("params.yaml: scenarios.discount_rate not found")
    params.write_text(text, encoding="utf-8")


def chain(territory: str | None = None) -> dict:
    """A cold `dvc repro` in a fresh copy, a no-op `dvc repro`, then one after a phase-09 change."""
    copy = project_copy()
    try:
        if territory:
            run([sys.executable, "-m", "pipeline.core.config", "set-territory", territory], copy)
            run([sys.executable, "-m", "pipeline.demo", "--if-missing"], copy)
        startup = stage_startup(copy)
        start = time.time()
        cold = run(["dvc", "repro"], copy)[0]
        stages = stage_times(copy, start)
        noop = run(["dvc", "repro"], copy)[0]
        change_phase09_param(copy)
        change, output = run(["dvc", "repro"], copy)
        return {"cold": cold, "stages": stages, "startup": startup, "noop": noop,
                "change": change, "rerun": re.findall(r"Running stage '(\w+)'", output)}  # fmt: skip
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def chain_runs(territory: str | None, repeat: int) -> tuple[list[dict], float]:
    """`repeat` chain runs, each in a fresh process; the peak RSS (MB) of their largest process."""
    runs = [in_child(chain, territory) for _ in range(repeat)]
    return [r[2] for r in runs], max(r[1] for r in runs)


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


PHASE09_ON = {"09_scenarios", "10_governance", "report"}


def stage_medians(runs: list[dict]) -> dict[str, float]:
    return {s: round(statistics.median(r["stages"][s] for r in runs), 2) for s in runs[0]["stages"]}


def bench_chain(repeat: int) -> list[dict]:
    default, rss = chain_runs(None, repeat)
    cold, startup = median_of(default, "cold"), median_of(default, "startup")
    stages = stage_medians(default)
    notebooks = [s for s in stages if s != "report"]  # the report stage starts no kernel
    noop, change = median_of(default, "noop"), median_of(default, "change")
    rerun = default[0]["rerun"]
    big, big_rss = chain_runs("bethune", repeat)
    big_cold = median_of(big, "cold")
    return [
        entry("chain_cold", cold, rss, "< 120 s on 2 cores", cold < 120, territory="nord_caraibe",
              runs=repeat, stages=stages, stage_startup_seconds=round(startup, 2),
              startup_seconds=round(startup * len(notebooks), 2),
              work_seconds=round(cold - startup * len(notebooks), 2)),
        entry("chain_noop", noop, None, "< 5 s", noop < 5, runs=repeat),
        entry("chain_phase09_change", change, None, "reruns 09_scenarios, 10_governance and report only",
              all(set(r["rerun"]) == PHASE09_ON for r in default), runs=repeat, rerun=rerun),
        entry("chain_100_communes", big_cold, big_rss, "≤ 1.5× the default territory's cold run",
              big_cold <= 1.5 * cold, cold, territory="bethune", communes=100, runs=repeat,
              times_default=round(big_cold / cold, 2), stages=stage_medians(big)),
    ]  # fmt: skip


# --- 7. many territories on DVC's queue ------------------------------------------------------

STUDIES_DEPARTEMENT = "972"  # Martinique: its three EPCIs
STUDY_DONE = re.compile(r"\] (\S+) done in (?:(\d+) min )?(\d+) s")


class PeakMemory:
    """The highest total RSS (MB) of the processes working in `folder` (their working directory
    in it: the batch, DVC's workers, their stages and kernels), sampled every `every` seconds."""

    def __init__(self, folder: Path, every: float = 0.5):
        import threading

        self.folder, self.every, self.peak = str(folder), every, 0.0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def total(self) -> float:
        import psutil

        rss = 0
        for proc in psutil.process_iter(["cwd", "memory_info"]):
            cwd, memory = proc.info["cwd"], proc.info["memory_info"]
            if cwd and memory and (cwd == self.folder or cwd.startswith(self.folder + os.sep)):
                rss += memory.rss
        return rss / 2**20

    def sample(self) -> None:
        while not self.stop.wait(self.every):
            self.peak = max(self.peak, self.total())

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def studies(jobs: int) -> dict:
    """`make studies DEPARTEMENT=972` (pipeline.batch) with `jobs` experiments at a time, in a
    fresh committed copy (empty DVC cache): total seconds, each territory's, peak memory."""
    copy = project_copy()
    try:
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
        run([*git, "add", "-A"], copy)
        run([*git, "commit", "-qm", "bench"], copy)
        with PeakMemory(copy) as memory:
            total, output = run([sys.executable, "-m", "pipeline.batch", "--departement",
                                 STUDIES_DEPARTEMENT, "--jobs", str(jobs), "--poll", "1"], copy)  # fmt: skip
        each = {key: int(m or 0) * 60 + int(s) for key, m, s in STUDY_DONE.findall(output)}
        return {"total": total, "territories": each, "peak_mb": memory.peak}
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def bench_studies() -> list[dict]:
    one, two = studies(1), studies(2)
    return [
        entry(f"studies_{jobs}_job{'s' * (jobs > 1)}", r["total"], r["peak_mb"],
              "every territory completes" + (", faster than 1 job" if jobs > 1 else ""),
              len(r["territories"]) == 3 and (jobs == 1 or r["total"] < one["total"]),
              None if jobs == 1 else one["total"], departement=STUDIES_DEPARTEMENT, jobs=jobs,
              territory_seconds=r["territories"],
              mean_territory_seconds=round(statistics.mean(r["territories"].values()), 1))
        for jobs, r in ((1, one), (2, two))
    ]  # fmt: skip


# --- suite ----------------------------------------------------------------------------------


def suite(size: dict, repeat: int, chain_repeat: int, only: list[str]) -> list[dict]:
    wanted = [b for b in BENCHMARKS if not only or b in only]
    codes = territory_codes()
    results = []
    if "mobpro" in wanted:
        results += bench_mobpro(size, repeat, codes)
    if "census" in wanted:
        results += bench_census(size, repeat, codes)
    if "raking" in wanted:
        results += bench_raking(size, repeat)
    if "monte_carlo" in wanted:
        results += bench_monte_carlo(size, repeat)
    if "chain" in wanted and chain_repeat:
        results += bench_chain(chain_repeat)
    if "studies" in wanted and chain_repeat:  # a quarter of an hour: not with --tiny
        results += bench_studies()
    return results


def cell(value) -> str:
    return "—" if value is None else str(value)


def write_readme(results: list[dict], repeat: int, chain_repeat: int) -> None:
    """Replace the table between the README's results markers."""
    rows = [
        f"Measured on {os.cpu_count()} cores (`nproc`), each row on the date of its last column; "
        f"medians of {repeat} runs ({chain_repeat} for the chain, one for the batches of studies).",
        "",
        "| benchmark | seconds | baseline s | ratio | peak RSS MB | target | met | measured |",
        "|---|--:|--:|--:|--:|---|---|---|",
    ]
    rows += [f"| {r['name']} | {r['seconds']} | {cell(r['baseline_seconds'])} | {cell(r['ratio'])} | "
             f"{cell(r['peak_rss_mb'])} | {r['target']} | {'yes' if r['met'] else '**no**'} | "
             f"{r['measured']} |" for r in results]  # fmt: skip
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    text = README.read_text(encoding="utf-8")
    head, tail = text[: text.index(start) + len(start)], text[text.index(end) :]
    README.write_text(head + "\n" + "\n".join(rows) + "\n" + tail, encoding="utf-8")


def updated(results: list[dict]) -> list[dict]:
    """results.json with `results` in place of the entries of the same name (new ones last)."""
    new = {r["name"]: r for r in results}
    old = json.loads(RESULTS.read_text(encoding="utf-8"))
    merged = [new.pop(r["name"], r) for r in old]
    return merged + list(new.values())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tiny", action="store_true", help="small inputs, no chain runs")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument(
        "--chain-repeat", type=int, default=None, help="runs of each chain (default: --repeat)"
    )
    parser.add_argument("--only", nargs="*", default=[], choices=BENCHMARKS, help="run only these")
    parser.add_argument("--out", type=Path, default=None, help=f"results file (default {RESULTS})")
    parser.add_argument("--update", action="store_true",
                        help="with --only: these figures replace theirs in results.json and the README")  # fmt: skip
    args = parser.parse_args(argv)
    if args.update and (not args.only or args.tiny or args.out):
        parser.error("--update goes with --only, without --tiny or --out")
    chain_repeat = 0 if args.tiny else args.chain_repeat or args.repeat
    results = suite(TINY if args.tiny else FULL, args.repeat, chain_repeat, args.only)
    recorded = updated(results) if args.update else results
    out = RESULTS if args.update else args.out or (None if args.tiny else RESULTS)
    if out:
        out.write_text(json.dumps(recorded, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.update or not (args.tiny or args.only or args.out):
        write_readme(recorded, args.repeat, chain_repeat)
    for r in results:
        print(f"{r['name']:<27} {r['seconds']:>9} s  baseline {cell(r['baseline_seconds']):>9} s  "
              f"ratio {cell(r['ratio']):>6}  rss {cell(r['peak_rss_mb']):>5} MB  met {r['met']}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
