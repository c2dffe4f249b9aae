"""Entry point of every DVC stage: check the interpreter, then run the stage.

Only the standard library is imported before the check, so a Python without the study's
packages stops here with what to run, before any output is written or removed (the stages'
outputs are `persist`ed in dvc.yaml: DVC leaves them to the stage, which replaces them).

Usage: python -m pipeline.core.stage <stage>   (report: the report's render)
"""

from __future__ import annotations

import importlib
import importlib.metadata as metadata
import re
import sys
from pathlib import Path

PROJECT = "tiers-lieu-etude"
FIX = (
    "the study's environment is not the one running this stage. Run `make study`, or activate "
    "the environment first (`source .venv/bin/activate`, then `dvc repro`), or call "
    "`.venv/bin/dvc repro`; nothing was written or removed"
)


def missing_packages() -> list[str]:
    """The study's declared dependencies that this interpreter's environment lacks.

    Looked up in the interpreter's own paths only: the working directory (first on sys.path
    under `python -m`) may hold a build's stale `*.egg-info`.
    """
    paths = [p for p in sys.path if p and Path(p).resolve() != Path.cwd().resolve()]

    def installed(name: str) -> list:
        return list(metadata.distributions(name=name, path=paths))

    project = installed(PROJECT)
    if not project:
        return [PROJECT]
    requires = project[0].requires or []
    names = [re.split(r"[\s<>=!~;\[(]", r, maxsplit=1)[0] for r in requires if "extra ==" not in r]
    return [name for name in names if not installed(name)]


def main(argv: list[str]) -> int:
    if missing := missing_packages():
        stage = argv[0] if argv else "stage"
        print(f"{stage}: {sys.executable} lacks {', '.join(missing)}: {FIX}", file=sys.stderr)
        return 1
    if len(argv) != 1:
        print("usage: python -m pipeline.core.stage <stage>", file=sys.stderr)
        return 2
    # Imported by name, once the packages are known to be there (and core imports no report).
    if argv[0] == "report":
        return importlib.import_module("pipeline.report.render").main([])
    return importlib.import_module("pipeline.core.run").main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
