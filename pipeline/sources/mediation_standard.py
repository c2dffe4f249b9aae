"""The enumerations of the national standard of digital mediation places (LaMednum
standard-mediation-num 1.x), as the ANCT's npm package `@gouvfr-anct/lieux-de-mediation-numerique`
ships them, vendored in `reference/lieux_mediation_numerique.json` with the package's name,
version, licence and source.

To refresh them (maintainers; npm fetches the package, nothing here uses the network):

    npm pack @gouvfr-anct/lieux-de-mediation-numerique@<version>
    python -m pipeline.sources.mediation_standard gouvfr-anct-lieux-de-mediation-numerique-<version>.tgz
"""

from __future__ import annotations

import json
import re
import sys
import tarfile
from functools import cache
from pathlib import Path

from pipeline.core.checksums import sha256
from pipeline.core.io import write_bytes_atomic

REFERENCE = Path(__file__).parent / "reference" / "lieux_mediation_numerique.json"
PACKAGE = "@gouvfr-anct/lieux-de-mediation-numerique"
REPOSITORY = "https://github.com/anct-cartographie-nationale/lieux-de-mediation-numerique"
# Field of the standard -> the package's enum of its allowed values (src/models/*/*.ts).
ENUMS = {
    "services": "Service",
    "publics_specifiquement_adresses": "PublicSpecifiquementAdresse",
    "prise_en_charge_specifique": "PriseEnChargeSpecifique",
    "frais_a_charge": "Frais",
    "dispositif_programmes_nationaux": "DispositifProgrammeNational",
    "formations_labels": "FormationLabel",
    "itinerance": "Itinerance",
    "modalites_acces": "ModaliteAcces",
    "modalites_accompagnement": "ModaliteAccompagnement",
    "typologie": "Typologie",
}
# Hand-written rather than run with Node (not part of the install): the TypeScript compiler
# writes each member of a string enum on its own line of the declaration file, `Key = "value",`
# with the value as a JSON-compatible string literal (\uXXXX escapes).
ENUM_BLOCK = re.compile(r"export declare enum (\w+) \{(.*?)\n\}", re.S)
MEMBER = re.compile(r'^\s*\w+ = ("(?:[^"\\]|\\.)*")', re.M)


@cache
def standard() -> dict:
    """The vendored file: package, version, licence, source, and `enumerations` by field."""
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def enumeration(field: str) -> list[str]:
    """The allowed values of one field of the standard, in the package's order."""
    return standard()["enumerations"][field]


def source_label() -> str:
    """The package and its version, as the report's sources cite it."""
    ref = standard()
    return f"{ref['package']} {ref['version']} (npm)"


def licence_name(text: str) -> str:
    """'MIT' from a licence file opening with 'The MIT License (MIT)', else its first line."""
    first = text.strip().splitlines()[0].strip()
    short = re.search(r"\(([\w.-]+)\)$", first)
    return short.group(1) if short else first


def enumerations_of(tarball: Path) -> dict:
    """The vendored file's content, read from the package's tarball (`npm pack`)."""
    with tarfile.open(tarball) as tar:
        meta = json.load(tar.extractfile("package/package.json"))
        licence = tar.extractfile("package/LICENSE.md").read().decode("utf-8")
        found = {}
        for member in tar.getmembers():
            if member.name.startswith("package/lib/cjs/models/") and member.name.endswith(".d.ts"):
                text = tar.extractfile(member).read().decode("utf-8")
                for name, body in ENUM_BLOCK.findall(text):
                    found[name] = [json.loads(value) for value in MEMBER.findall(body)]
    if meta["name"] != PACKAGE:
        raise ValueError(f"{tarball}: package {meta['name']}, expected {PACKAGE}")
    if missing := sorted(set(ENUMS.values()) - set(found)):
        raise ValueError(f"{tarball}: no enum {', '.join(missing)} in the package's models")
    version = meta["version"]
    return {
        "package": meta["name"],
        "version": version,
        "licence": licence_name(licence),
        "source": f"https://www.npmjs.com/package/{meta['name']}/v/{version}",
        "repository": REPOSITORY,
        "tarball_sha256": sha256(tarball),
        "refresh": f"npm pack {meta['name']}@<version>, then "
        "python -m pipeline.sources.mediation_standard <the .tgz file>",
        "enumerations": {field: found[enum] for field, enum in ENUMS.items()},
    }


def vendor(tarball: Path, out: Path = REFERENCE) -> Path:
    """Write the vendored file from the package's tarball."""
    content = json.dumps(enumerations_of(tarball), ensure_ascii=False, indent=2) + "\n"
    return write_bytes_atomic(content.encode("utf-8"), out)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: python -m pipeline.sources.mediation_standard <{PACKAGE} .tgz>")
    print(vendor(Path(sys.argv[1])))
