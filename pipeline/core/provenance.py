"""What each stage rests on: its inputs as dvc.yaml declares them, and which are demo data.

What a stage read is what dvc.yaml declares, the same declaration that decides what DVC reruns:
its raw dependencies and, through the outputs of the stages it depends on, theirs, transitively.
A dependency on a whole folder (an input that may be a .csv, .xlsx or .ods file) names the files
it stands for in its comment (stems, comma-separated): `- data/raw/${territory}  # atelier_idees: …`:
the stage reads the files of those stems; without such a comment, every file of the folder.
The logs `sources.csv` (the territory's and the shared one) say which file is demo data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pandas as pd
from ruamel.yaml import YAML

PARAM = re.compile(r"\$\{\s*([\w.-]+)\s*\}")
STEM_COMMENT = re.compile(r"#\s*([\w.-]+(?:\s*,\s*[\w.-]+)*)\s*:")


class ProvenanceError(RuntimeError):
    """dvc.yaml cannot be read into each stage's inputs."""


@dataclass(frozen=True)
class Dep:
    path: str  # relative to the project root, as dvc.yaml resolves it
    stems: frozenset[str] | None = None  # a folder standing for these files only


def resolve(text: str, params: dict, where: str) -> str:
    """`${a.b}` replaced from params.yaml, as DVC does (dvc.yaml uses no other interpolation;
    DVC's own resolver needs an open repository, i.e. its lock, held during `dvc repro`)."""

    def value(match: re.Match) -> str:
        node = params
        for key in match[1].split("."):
            if not isinstance(node, dict) or key not in node:
                raise ProvenanceError(f"dvc.yaml, {where}: ${{{match[1]}}} is not in params.yaml")
            node = node[key]
        return str(node)

    return PARAM.sub(value, text)


def entry_path(entry) -> str:
    """A dep or out of dvc.yaml: a path, or a one-key mapping of a path to its options."""
    return str(next(iter(entry)) if isinstance(entry, dict) else entry)


def stage_graph(root: Path, params: dict) -> tuple[dict[str, list[Dep]], dict[str, list[str]]]:
    """Each stage's dependencies and outputs, from dvc.yaml (comments kept: ruamel, DVC's own
    YAML library)."""
    stages = YAML().load((Path(root) / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
    deps, outs = {}, {}
    for name, stage in stages.items():
        deps[name] = []
        for i, dep in enumerate(stage.get("deps", [])):
            comment = (stage["deps"].ca.items.get(i) or [None])[0]
            first_line = comment.value.split("\n")[0] if comment else ""
            stems = STEM_COMMENT.match(first_line.strip())
            deps[name].append(
                Dep(
                    path=resolve(entry_path(dep), params, f"stage {name}").rstrip("/"),
                    stems=frozenset(re.split(r"\s*,\s*", stems[1])) if stems else None,
                )
            )
        outs[name] = [resolve(entry_path(o), params, f"stage {name}").rstrip("/")
                      for o in stage.get("outs", [])]  # fmt: skip
    return deps, outs


def under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


def raw_deps(root: Path, params: dict) -> dict[str, set[Dep]]:
    """Each stage's own dependencies and those of every stage upstream of it."""
    deps, outs = stage_graph(root, params)
    producer = {out: stage for stage, paths in outs.items() for out in paths}
    closed: dict[str, set[Dep]] = {}

    def close(stage: str, seen: tuple[str, ...]) -> set[Dep]:
        if stage in seen:
            raise ProvenanceError(f"dvc.yaml: stages depend on one another in a cycle: {seen}")
        if stage not in closed:
            found = set()
            for dep in deps[stage]:
                upstream = [s for out, s in producer.items() if under(dep.path, out)]
                for s in upstream:
                    found |= close(s, (*seen, stage))
                if not upstream:
                    found.add(dep)
            closed[stage] = found
        return closed[stage]

    return {stage: close(stage, ()) for stage in deps}


def reads(dep: Dep, path: str) -> bool:
    if dep.stems is None:
        return under(path, dep.path)
    file = PurePosixPath(path)
    return str(file.parent) == dep.path and file.stem in dep.stems


def logged_inputs(root: Path, territory: dict) -> pd.DataFrame:
    """Rows of the territory's and the shared log (of the strategies, only the territory's),
    with each file's path from the project root and a label (the file name when none)."""
    raw = Path(root) / "data" / "raw"

    def read(path: Path) -> pd.DataFrame:
        return pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else (
            pd.DataFrame(columns=["file", "kind", "format", "source", "licence", "label"]))  # fmt: skip

    key = territory["key"]
    own = read(raw / key / "sources.csv").assign(path=lambda t: f"data/raw/{key}/" + t["file"])
    shared = territory_rows(read(raw / "sources.csv"), territory)
    shared = shared.assign(path=lambda t: "data/raw/" + t["file"])
    return labelled(pd.concat([own, shared], ignore_index=True))


def territory_rows(shared: pd.DataFrame, territory: dict) -> pd.DataFrame:
    """The shared log's rows that concern the territory: of the strategies, only its own."""
    strategy = f"strategies/{territory.get('strategy')}"
    return shared[~shared["file"].str.startswith("strategies/") | (shared["file"] == strategy)]


def labelled(log: pd.DataFrame) -> pd.DataFrame:
    """The log with each file's label, its name when the log gives none."""
    return log.assign(label=log["label"].where(log["label"] != "", log["file"]))


def stage_inputs(root: Path, params: dict, territory: dict) -> dict[str, pd.DataFrame]:
    """The logged inputs each stage rests on, in the order of the logs."""
    logs = logged_inputs(root, territory)
    return {
        stage: logs[
            logs["path"].map(lambda p, deps=deps: any(reads(d, p) for d in deps)).astype(bool)
        ]
        for stage, deps in raw_deps(root, params).items()
    }


def demo_labels(inputs: pd.DataFrame) -> list[str]:
    """The labels of the demo inputs among `inputs`, without repeats."""
    return list(dict.fromkeys(inputs.loc[inputs["kind"] == "demo", "label"]))
