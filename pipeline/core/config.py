"""Settings: params.yaml, territory files and the params each DVC stage declares."""

from __future__ import annotations

import re
from collections.abc import Hashable
from pathlib import Path

import yaml

from pipeline.core.context import Derived, derive, fill_names
from pipeline.core.io import write_text_atomic
from pipeline.core.paths import ROOT
from pipeline.core.settings import ConfigError, Settings, check, validate
from pipeline.core.settings.territory import TerritoryFile
from pipeline.core.validate import decode

# A territory key names territories/<key>.yaml and data/raw/<key>/ and is written into
# params.yaml: a lowercase slug, so it never leaves those folders nor changes YAML's meaning.
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_-]{0,63}")
KEY_RULE = (
    "a lowercase slug: a letter, then up to 63 letters, digits, '_' or '-' "
    "(not a YAML word such as yes, no, on, off, true, false, null)"
)

class UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in a mapping (YAML keeps the last one)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *defaults`
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue  # the base constructor refuses it
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    problem=f"duplicated key {key!r}", problem_mark=key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def read_yaml(path: Path) -> dict:
    """Read a YAML mapping, naming the file, and the line and column of a syntax error.

    A BOM or a file in Windows-1252 rather than UTF-8 are read with a warning.
    """
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"{path}: file not found")
    raw = path.read_bytes()
    if not raw.strip():
        raise ConfigError(f"{path}: the file is empty (expected a mapping)")
    text, _ = decode(raw, path)
    try:
        data = yaml.load(text, Loader=UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ConfigError(
            f"{path}, line {mark.line + 1}, column {mark.column + 1}: invalid YAML: {exc.problem}"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at top level, found {type(data).__name__}")
    return data


def load_params(root: Path = ROOT) -> dict:
    """params.yaml as written (the metropolitan defaults), without any territory's settings."""
    return read_yaml(Path(root) / "params.yaml")


def merge_settings(base: dict, overrides: dict, where: str, path: str = "") -> dict:
    """`base` with `overrides` merged in, mapping by mapping; a null value removes a key.

    A key params.yaml does not have is refused (a typo would otherwise be silently ignored),
    except inside collections whose entries are all mappings (scenarios, funding lines...),
    where a territory may add its own entries.
    """
    merged = dict(base)
    collection = bool(base) and all(isinstance(v, dict) for v in base.values())
    same = {str(k): k for k in base}  # JSON (papermill's params) turns the key 4 into "4"
    for key, value in overrides.items():
        key = same.get(str(key), key)
        dotted = f"{path}.{key}" if path else str(key)
        if value is None:
            merged.pop(key, None)
        elif key not in base:
            if not collection:
                raise ConfigError(f"{where}: params key {dotted!r} is not in params.yaml")
            merged[key] = value
        elif isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: params key {dotted!r} must be a mapping")
            merged[key] = merge_settings(base[key], value, where, dotted)
        else:
            merged[key] = value
    return merged


def study_params(root: Path = ROOT, key: str | None = None) -> dict:
    """params.yaml, then the settings of each territory_context rule that matches the EPCI, in
    order, then the territory's own (its `params:` block), merged, with the collectivities'
    names filled in, checked; by default the territory params.yaml selects."""
    params = load_params(root)
    if key is None:
        key = check_key(params.get("territory"), "params.yaml: key 'territory'")
    territory, derived = _territory(key, params, root)
    merged = params
    for where, block in derived.params:
        merged = merge_settings(merged, block, where)
    overrides = territory.get("params", {})
    merged = merge_settings(merged, overrides, territory["path"])
    merged = fill_names(merged, derived.context, territory["path"])
    check(merged, overrides, territory["path"])
    return merged


def check_key(key, where: str = "") -> str:
    """`key` if it is a valid territory key, else a ConfigError saying what is expected."""
    valid = isinstance(key, str) and KEY_PATTERN.fullmatch(key) is not None
    if not valid or yaml.safe_load(key) != key:
        prefix = f"{where}: " if where else ""
        raise ConfigError(f"{prefix}invalid territory key {key!r}: expected {KEY_RULE}")
    return key


def load_territory(key: str, params: dict, root: Path = ROOT) -> dict:
    """The territory file `territories/<key>.yaml`, completed with what its EPCI's context
    derives (params.yaml's territory_context); its `context` says what was derived."""
    return _territory(key, params, root)[0]


def _territory(key: str, params: dict, root: Path) -> tuple[dict, Derived]:
    check_key(key)
    path = Path(root) / "territories" / f"{key}.yaml"
    if not path.exists():
        known = sorted(p.stem for p in (Path(root) / "territories").glob("*.yaml"))
        raise ConfigError(f"{path}: unknown territory key {key!r}; known keys: {', '.join(known)}")
    data = read_yaml(path)
    where = f"territories/{key}.yaml"
    section = {"territory_context": params.get("territory_context") or {}}
    section = validate(Settings, section, "params.yaml").territory_context
    # the file's own keys first: a malformed EPCI code is reported before any look-up
    epci = validate(TerritoryFile, {"vat_rate": section.vat_rate, **data}, where).epci
    derived = derive(epci, section, where)
    territory = validate(TerritoryFile, {**derived.keys, **data}, where)
    territory = territory.model_dump(exclude_none=True)
    context = derived.context.as_dict()
    return {**data, **territory, "key": key, "path": where, "context": context}, derived


def declared_params(stage: str, root: Path = ROOT) -> list[str]:
    """The params keys a stage declares in dvc.yaml."""
    stages = read_yaml(Path(root) / "dvc.yaml").get("stages", {})
    if stage not in stages:
        raise ConfigError(f"dvc.yaml: no stage named {stage!r}; stages: {', '.join(stages)}")
    keys = []
    for entry in stages[stage].get("params", []):
        if isinstance(entry, str):
            keys.append(entry)
        else:  # {params_file: [keys]}
            keys.extend(k for file_keys in entry.values() for k in file_keys)
    return keys


def _lookup(params: dict, dotted: str):
    node = params
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise ConfigError(f"params.yaml: key {dotted!r} declared in dvc.yaml is missing")
        node = node[part]
    return node


def stage_params(stage: str, root: Path = ROOT) -> dict:
    """Exactly the params a stage declares, as a nested mapping, with the territory's own."""
    params = study_params(root)
    out: dict = {}
    for dotted in declared_params(stage, root):
        *parents, leaf = dotted.split(".")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = _lookup(params, dotted)
    return out


def set_territory(key: str, root: Path = ROOT) -> None:
    """Select the study's territory in params.yaml, keeping the file's comments and layout; the
    value is written by the YAML dumper and read back before the file is replaced (atomically,
    so an interrupted write leaves the previous one)."""
    check_key(key)
    load_territory(key, load_params(root), root)  # fails clearly on an unknown or bad file
    path = Path(root) / "params.yaml"
    text = path.read_text(encoding="utf-8")
    value = yaml.safe_dump(key).removesuffix("...\n").strip()
    # `territory: <value>`, a trailing comment kept
    new, count = re.subn(
        r"(?m)^territory:[ \t]*(?:'[^'\n]*'|\"[^\"\n]*\"|[^\s'\"#]\S*)?([ \t]+#.*)?[ \t]*$",
        lambda m: f"territory: {value}{m.group(1) or ''}",
        text,
    )
    if count != 1:
        raise ConfigError(f"{path}: expected one top-level 'territory:' line, found {count}")
    if yaml.load(new, Loader=UniqueKeyLoader).get("territory") != key:
        raise ConfigError(f"{path}: could not write territory: {key!r} as valid YAML")
    write_text_atomic(new, path)


def format_params(root: Path = ROOT) -> Path:
    """Lay params.yaml out exactly as DVC writes it back (`dvc exp run -S`, `dvc exp apply`), so
    that a one-value variant is a one-line diff: DVC round-trips the file through its own YAML
    dumper, whose quoting, indentation and line width are those used here (comments are kept)."""
    from dvc.utils.serialize import modify_yaml

    path = Path(root) / "params.yaml"
    before = yaml.safe_load(path.read_text(encoding="utf-8"))
    with modify_yaml(str(path)):
        pass
    if yaml.safe_load(path.read_text(encoding="utf-8")) != before:
        raise ConfigError(f"{path}: DVC's YAML round trip changed a value")  # never seen
    return path


if __name__ == "__main__":
    import sys

    from pipeline.core.lock import Busy, hold

    usage = "usage: python -m pipeline.core.config set-territory <key> | format-params"
    if sys.argv[1:] == ["format-params"]:
        print(format_params())
        sys.exit(0)
    if len(sys.argv) != 3 or sys.argv[1] != "set-territory":
        sys.exit(usage)
    try:
        with hold(ROOT, "set-territory"):
            set_territory(sys.argv[2])
    except (ConfigError, Busy) as exc:
        sys.exit(f"error: {exc}")
