import subprocess

import pandas as pd

from pipeline.core.config import ROOT


def test_every_committed_raw_file_is_listed_in_the_data_log():
    readme = (ROOT / "data" / "raw" / "README.md").read_text(encoding="utf-8")
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "data/raw"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for path in files:
        name = path.rsplit("/", 1)[-1]
        inside = path.removeprefix("data/raw/")
        if name != "README.md":
            assert f"`{name}`" in readme or f"`{inside}`" in readme, (
                f"{path} is not in data/raw/README.md"
            )


def test_default_sources_log_lists_its_folder():
    folder = ROOT / "data" / "raw" / "nord_caraibe"
    log = pd.read_csv(folder / "sources.csv")
    assert set(log["file"]) == {p.name for p in folder.iterdir()} - {"sources.csv", "SHA256SUMS"}
    assert set(log["kind"]) <= {"demo", "real"}
