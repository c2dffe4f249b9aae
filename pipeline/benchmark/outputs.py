"""The processed tables of phase 06, as handles later phases read with `Phase.read`."""

from pipeline.core.phase import Table

STAGE = "06_benchmark"

BENCHMARK = Table(STAGE, "benchmark")
BENCHMARK_KINDS = Table(STAGE, "benchmark_kinds")
BENCHMARK_LESSONS = Table(STAGE, "benchmark_lessons")
BENCHMARK_SUMMARY = Table(STAGE, "benchmark_summary")
