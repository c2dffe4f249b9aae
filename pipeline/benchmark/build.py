"""Phase 06's processed tables, built and written in one call."""

from __future__ import annotations

import pandas as pd

from pipeline.benchmark.comparison import by_kind, positioning, summary
from pipeline.benchmark.grid import BENCHMARK_FILE, REFERENCES_FILE, read_benchmark, read_references
from pipeline.benchmark.lessons import lessons
from pipeline.core.phase import Phase


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Every table of the phase, written: the comparable places with their ratios, the summary
    against the national references, each kind of place, and the lessons drawn (one on the
    kinds of places the territory's call for tenders asks for, when it has one)."""
    bench = read_benchmark(phase.raw_dir / BENCHMARK_FILE)
    references = read_references(phase.root / "data" / "raw" / REFERENCES_FILE)
    summary_frame = summary(bench, references, phase.params["benchmark"]["price_day_unit"])
    asked = (phase.territory.get("call") or {}).get("benchmark_kinds") or []
    tables = {
        "benchmark": positioning(bench),
        "benchmark_summary": summary_frame,
        "benchmark_kinds": by_kind(bench),
        "benchmark_lessons": lessons(summary_frame, bench, asked),
    }
    for name, table in tables.items():
        phase.write(table, name)
    return tables
