"""The study folder every module reads and writes in."""

from __future__ import annotations

from pathlib import Path


def find_root(start: Path | None = None) -> Path:
    """The study folder: the nearest parent of the working directory holding params.yaml and
    dvc.yaml (so a notebook opened from notebooks/ finds its study), else this package's parent."""
    here = Path(start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / "params.yaml").is_file() and (folder / "dvc.yaml").is_file():
            return folder
    return Path(__file__).resolve().parents[2]


ROOT = find_root()
