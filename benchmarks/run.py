"""Benchmark suite: each figure is the median of several runs, beside its baseline measured in
the same run, written to benchmarks/results.json and the table of benchmarks/README.md.

Usage: python benchmarks/run.py [--tiny] [--repeat N] [--only NAME ...]
`--tiny` runs every benchmark on small inputs (what `make test` checks), without the chain runs.
"""

from __future__ import annotations

import argparse
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
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / "cache"  # generated national files, outside git
FULL = {"mobpro_rows": 8_000_000, "communes": 35_000, "census_columns": 200, "respondents": 100_000,
        "draws": 100_000}  # fmt: skip
TINY = {
    "mobpro_rows": 20_000,
    "communes": 2_000,
    "census_columns": 40,
    "respondents": 2_000,
    "draws": 2_000,
}


# --- measurement ----------------------------------------------------------------------------


def _child(queue, func, args):
    start = time.perf_counter()
    func(*args)
    seconds = time.perf_counter() - start
    queue.put((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def measure(func, *args, repeat: int = 3) -> tuple[float, float]:
    """Median seconds and peak RSS (MB) of `func(*args)`, each run in a fresh process."""
    runs = []
    ctx = mp.get_context("fork")
    for _ in range(repeat):
        queue = ctx.Queue()
        proc = ctx.Process(target=_child, args=(queue, func, args))
        proc.start()
        result = queue.get()
        proc.join()
        if proc.exitcode != 0:
            raise RuntimeError(f"{func.__name__} failed")
        runs.append(result)
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def entry(name, seconds, rss, target, met, baseline=None, **extra) -> dict:
    return {"name": name, "seconds": round(seconds, 3),
            "baseline_seconds": None if baseline is None else round(baseline, 3),
            "ratio": None if baseline is None else round(baseline / seconds, 2),
            "peak_rss_mb": None if rss is None else round(rss), "target": target, "met": bool(met),
            **extra}  # fmt: skip


# --- 1. national commute file ---------------------------------------------------------------


def territory_codes() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from pipeline.territory import epci_communes

    return list(epci_communes("200041788")["code"])


def national_mobpro(rows: int) -> tuple[Path, Path]:
    """A MOBPRO-shaped national file (CSV `;` and Parquet), generated once and cached."""
    import polars as pl

    csv, parquet = CACHE / f"mobpro_{rows}.csv", CACHE / f"mobpro_{rows}.parquet"
    if csv.exists() and parquet.exists():
        return csv, parquet
    CACHE.mkdir(parents=True, exist_ok=True)
    codes = np.array(sorted(pl.read_csv(ROOT / "data/raw/populations_legales.csv",
                                        schema_overrides={"code": pl.String})["code"].to_list()))  # fmt: skip
    rng = np.random.default_rng(8)
    home = codes[rng.integers(0, len(codes), rows)]
    frame = pl.DataFrame({
        "COMMUNE": home, "ARM": "ZZZZZ",
        "DCLT": np.where(rng.random(rows) < 0.35, home, codes[rng.integers(0, len(codes), rows)]),
        "DCFLT": "99999", "IPONDI": np.round(rng.uniform(0.9, 5.5, rows), 6),
        "TRANS": rng.choice(np.array(["1", "2", "3", "4", "5", "6", "Z"]), rows),
        "SEXE": rng.choice(np.array(["1", "2"]), rows),
        "AGEREVQ": rng.choice(np.array([f"{a:03d}" for a in range(15, 70, 5)]), rows),
        "TP": rng.choice(np.array(["1", "2"]), rows), "EMPL": "16",
        "GS": rng.choice(np.array(["1", "2", "3", "4", "5", "6"]), rows),
    })  # fmt: skip
    frame.write_csv(csv, separator=";")
    frame.write_parquet(parquet)
    return csv, parquet


def project_mobpro(path, codes):
    from pipeline.mobpro import read_mobpro

    read_mobpro(Path(path), codes, 2022)


def pandas_mobpro(path, codes):
    import pandas as pd

    table = pd.read_csv(path, sep=";", dtype=str)
    table[table["COMMUNE"].isin(codes)]


# --- 2. national census base ----------------------------------------------------------------


def national_census(communes: int, columns: int) -> Path:
    path = CACHE / f"base-cc-{communes}x{columns}.zip"
    if path.exists():
        return path
    import pandas as pd

    CACHE.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2)
    codes = [f"{i:05d}" for i in range(1001, 1001 + communes - 18)] + territory_codes()
    table = pd.DataFrame(rng.uniform(0, 5000, (communes, columns)).round(4),
                         columns=[f"P22_V{i:03d}" for i in range(columns)])  # fmt: skip
    table.insert(0, "CODGEO", codes)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("base-cc-bench.CSV", table.to_csv(sep=";", index=False))
    return path


def project_census(path, codes):
    from pipeline.census import read_base_cc

    read_base_cc(Path(path), codes)


def pandas_census(path, codes):
    import pandas as pd

    with zipfile.ZipFile(path) as zf, zf.open(zf.namelist()[0]) as fh:
        table = pd.read_csv(fh, sep=";", dtype={"CODGEO": str})
    table[table["CODGEO"].isin(codes)]


# --- 3. survey raking -----------------------------------------------------------------------


def raking(n: int):
    import pandas as pd

    from pipeline.survey_weights import rake

    rng = np.random.default_rng(3)
    frame = pd.DataFrame({
        "age": rng.choice(["A1", "A2", "A3", "A4"], n, p=[0.1, 0.3, 0.4, 0.2]),
        "sex": rng.choice(["H", "F"], n, p=[0.35, 0.65]),
        "area": rng.choice(["zone", "rest"], n, p=[0.6, 0.4]),
        "activity": rng.choice(["emp", "unemp", "inact"], n, p=[0.7, 0.1, 0.2]),
    })  # fmt: skip
    margins = {"age": {"A1": 0.2, "A2": 0.25, "A3": 0.25, "A4": 0.3}, "sex": {"H": 0.47, "F": 0.53},
               "area": {"zone": 0.25, "rest": 0.75}, "activity": {"emp": 0.5, "unemp": 0.12, "inact": 0.38}}  # fmt: skip
    rake(frame, margins)


# --- 5-6. whole chain -----------------------------------------------------------------------


def project_copy() -> Path:
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
        raise RuntimeError(f"{cmd} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - start, done.stdout + done.stderr


def kernel_startup(copy: Path) -> float:
    """Time papermill needs to start a kernel and run an empty notebook."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = copy / "empty.ipynb"
    nbformat.write(nb, path)
    return run(
        [sys.executable, "-m", "papermill", "-q", str(path), str(copy / "empty.out.ipynb")], copy
    )[0]


def chain(territory: str | None = None) -> dict:
    """Cold run of every stage, one at a time; then a no-op run; then a phase-09 change."""
    import yaml

    copy = project_copy()
    try:
        if territory:
            run([sys.executable, "-m", "pipeline.config", "set-territory", territory], copy)
            run([sys.executable, "-m", "pipeline.demo", "--if-missing"], copy)
        stages = list(yaml.safe_load((copy / "dvc.yaml").read_text())["stages"])
        startup = kernel_startup(copy)
        times = {stage: run(["dvc", "repro", "--single-item", stage], copy)[0] for stage in stages}
        noop = run(["dvc", "repro"], copy)[0]
        params = copy / "params.yaml"
        text = params.read_text()
        params.write_text(
            re.sub(
                r"(?m)^  discount_rate: ([\d.]+)",
                lambda m: f"  discount_rate: {float(m[1]) + 0.01:.3f}",
                text,
                count=1,
            )
        )
        change, output = run(["dvc", "repro"], copy)
        return {"stages": times, "kernel_startup": startup, "noop": noop, "phase09_change": change,
                "rerun": re.findall(r"Running stage '(\w+)'", output)}  # fmt: skip
    finally:
        shutil.rmtree(copy, ignore_errors=True)


# --- suite ----------------------------------------------------------------------------------


def suite(size: dict, repeat: int, tiny: bool, only: list[str]) -> list[dict]:
    results = []
    want = lambda name: not only or name in only  # noqa: E731
    codes = territory_codes()
    if want("mobpro"):
        csv, parquet = national_mobpro(size["mobpro_rows"])
        seconds, rss = measure(project_mobpro, csv, codes, repeat=repeat)
        base, base_rss = measure(pandas_mobpro, csv, codes, repeat=repeat)
        pq_seconds, pq_rss = measure(project_mobpro, parquet, codes, repeat=repeat)
        results.append(entry("mobpro_csv_filter", seconds, rss, "≥ 5× pandas.read_csv, peak ≤ 1 500 MB",
                             base / seconds >= 5 and rss <= 1500, base, rows=size["mobpro_rows"],
                             baseline_peak_rss_mb=round(base_rss)))  # fmt: skip
        results.append(entry("mobpro_parquet_filter", pq_seconds, pq_rss, "faster than the CSV read",
                             pq_seconds < seconds, base, rows=size["mobpro_rows"]))  # fmt: skip
    if want("census"):
        path = national_census(size["communes"], size["census_columns"])
        seconds, rss = measure(project_census, path, codes, repeat=repeat)
        base, _ = measure(pandas_census, path, codes, repeat=repeat)
        results.append(entry("census_base_cc_filter", seconds, rss, "faster than pandas.read_csv",
                             seconds < base, base, communes=size["communes"], columns=size["census_columns"]))  # fmt: skip
    if want("raking"):
        seconds, rss = measure(raking, size["respondents"], repeat=repeat)
        results.append(entry("survey_raking", seconds, rss, "≤ 2 s for 100 000 respondents, 4 margins",
                             seconds <= 2, respondents=size["respondents"]))  # fmt: skip
    if want("monte_carlo"):
        from benchmarks.monte_carlo import monte_carlo_entry

        results.append(monte_carlo_entry(size["draws"], repeat, measure, entry))
    if not tiny and want("chain"):
        default = [chain() for _ in range(repeat)]
        total = statistics.median(sum(r["stages"].values()) for r in default)
        stages = {
            s: round(statistics.median(r["stages"][s] for r in default), 2)
            for s in default[0]["stages"]
        }
        startup = statistics.median(r["kernel_startup"] for r in default)
        results.append(entry("chain_cold", total, None, "< 120 s on 2 cores", total < 120, stages=stages,
                             kernel_startup_seconds=round(startup, 2),
                             work_seconds=round(total - startup * (len(stages) - 1), 2)))  # fmt: skip
        noop = statistics.median(r["noop"] for r in default)
        results.append(entry("chain_noop", noop, None, "< 5 s", noop < 5))
        change = statistics.median(r["phase09_change"] for r in default)
        results.append(entry("chain_phase09_change", change, None, "reruns only 09 onward",
                             set(default[0]["rerun"]) <= {"09_scenarios", "10_governance", "report"},
                             rerun=default[0]["rerun"]))  # fmt: skip
        big = [chain("bethune") for _ in range(repeat)]
        big_total = statistics.median(sum(r["stages"].values()) for r in big)
        results.append(entry("chain_100_communes", big_total, None, "≤ 1.5× the default territory",
                             big_total <= 1.5 * total, total, territory="bethune"))  # fmt: skip
    return results


def write_readme(results: list[dict], tiny: bool) -> None:
    path = ROOT / "benchmarks" / "README.md"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    rows = [
        "| benchmark | seconds | baseline s | speed-up | peak RSS MB | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    rows += [f"| {r['name']} | {r['seconds']} | {r['baseline_seconds'] or '—'} | {r['ratio'] or '—'} | "
             f"{r['peak_rss_mb'] or '—'} | {r['target']} | {'yes' if r['met'] else 'no'} |" for r in results]  # fmt: skip
    table = "\n".join(rows)
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    if start in text and not tiny:
        text = (
            text[: text.index(start) + len(start)] + "\n" + table + "\n" + text[text.index(end) :]
        )
        path.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args(argv)
    results = suite(TINY if args.tiny else FULL, args.repeat, args.tiny, args.only)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_readme(results, args.tiny)
    for r in results:
        print(
            f"{r['name']:<26} {r['seconds']:>8} s  ratio {r['ratio']}  rss {r['peak_rss_mb']}  met={r['met']}"
        )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
