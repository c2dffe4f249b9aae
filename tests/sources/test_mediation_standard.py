"""The standard's enumerations, vendored from the ANCT's npm package, and what is checked
against them."""

import io
import json
import tarfile

import pytest
from samples import MEDIATION_HEADER, write

from pipeline.core import validate
from pipeline.demo.places import MEDIATION_KINDS, PROGRAMMES
from pipeline.sources.mediation import (
    MEDIATION_FILE,
    MEDIATION_TO_SERVICE,
    mediation_schema,
    read_mediation,
)
from pipeline.sources.mediation_standard import (
    ENUMS,
    enumeration,
    enumerations_of,
    source_label,
    standard,
    vendor,
)

ROW = "m1,12345678901234,Alpha,Alpha,00100,1 rue,2025-03-01,00001,0.0,0.0,BIB,{},test"


def test_the_vendored_file_names_its_package_version_licence_and_source():
    ref = standard()
    assert ref["package"] == "@gouvfr-anct/lieux-de-mediation-numerique"
    assert ref["version"] and ref["licence"] == "MIT"
    assert ref["source"].endswith(f"/v/{ref['version']}") and len(ref["tarball_sha256"]) == 64
    assert source_label() == f"{ref['package']} {ref['version']} (npm)"
    assert set(ref["enumerations"]) == set(ENUMS)
    assert "Aidants Connect" in enumeration("dispositif_programmes_nationaux")
    assert len(enumeration("services")) == 9


def test_values_typed_in_code_are_values_of_the_standard():
    assert set(MEDIATION_TO_SERVICE) <= set(enumeration("services"))
    programmes = {p for kind in MEDIATION_KINDS for p in kind[2].split("|") if p}
    programmes |= {p for drawn in PROGRAMMES for p in drawn.split("|") if p}
    assert programmes <= set(enumeration("dispositif_programmes_nationaux"))
    assert {kind[1] for kind in MEDIATION_KINDS} <= set(enumeration("typologie"))
    assert {kind[3] for kind in MEDIATION_KINDS} - {""} <= set(enumeration("services"))


@pytest.mark.parametrize(
    "column, value",
    [
        ("services", "Cuisine"),
        ("dispositif_programmes_nationaux", "Pass numérique"),
        ("frais_a_charge", "Gratuit|Offert"),
        ("modalites_accompagnement", "En groupe"),
    ],
)
def test_a_value_outside_the_standards_enumeration_is_refused_by_line_and_column(
    tmp_path, column, value
):
    header = MEDIATION_HEADER.replace(",services,", f",{column},")
    path = write(tmp_path / MEDIATION_FILE, header, ROW.format(value))
    with pytest.raises(validate.InputFileError) as error:
        validate.read_checked_csv(path, mediation_schema())
    assert f"line 2, column '{column}': expected '|'-separated values among: " in str(error.value)
    assert value.split("|")[-1] not in str(error.value)


def test_values_of_the_standard_and_any_typology_are_read(tmp_path):
    header = MEDIATION_HEADER.replace(",source", ",frais_a_charge,itinerance,source")
    header = header.replace(",services,", ",dispositif_programmes_nationaux,")
    row = ROW.format("France Services|Aidants Connect").replace(",BIB,", ",Mairie annexe,")
    path = write(tmp_path / MEDIATION_FILE, header, row.replace(",test", ",Gratuit,Fixe,test"))
    places = read_mediation(path)
    assert places.loc[0, "category"] == "france_services"
    assert places.loc[0, "type"] == "Mairie annexe"  # free text in the standard's schema


def declaration(enum: str, values: list[str]) -> str:
    """A declaration file as the TypeScript compiler writes one for a string enum (members
    commented in the source keep their comment after the comma)."""
    members = ",// a label\n".join(f"    M{i} = {json.dumps(v)}" for i, v in enumerate(values))
    return (
        "import { Model } from '../model';\n"
        f"export declare enum {enum} {{\n{members}\n}}\n"
        f"export type {enum}s = Model<'{enum}s', {enum}[]>;\n"
    )


def package_tarball(path, enumerations: dict, version="9.9.9"):
    """An npm tarball laid out like the package's (package/lib/cjs/models/*/*.d.ts)."""
    files = {
        "package/package.json": json.dumps({"name": standard()["package"], "version": version}),
        "package/LICENSE.md": "The MIT License (MIT)\n\nCopyright (c) ANCT\n",
    }
    for field, enum in ENUMS.items():
        name = f"package/lib/cjs/models/{field}/{field}.d.ts"
        files[name] = declaration(enum, enumerations[field])
    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_the_refresh_reads_every_enumeration_from_the_package(tmp_path):
    tarball = package_tarball(tmp_path / "package.tgz", standard()["enumerations"])
    out = vendor(tarball, tmp_path / "reference.json")
    fresh = json.loads(out.read_text(encoding="utf-8"))
    assert fresh["enumerations"] == standard()["enumerations"]
    assert (fresh["version"], fresh["licence"]) == ("9.9.9", "MIT")
    assert fresh["source"].endswith("/v/9.9.9")


def test_the_refresh_refuses_a_package_without_an_enumeration(tmp_path):
    tarball = package_tarball(tmp_path / "package.tgz", standard()["enumerations"])
    with tarfile.open(tarball) as tar:
        kept = [m for m in tar.getmembers() if "frais_a_charge" not in m.name]
        contents = {m.name: tar.extractfile(m).read() for m in kept}
    with tarfile.open(tarball, "w:gz") as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(ValueError, match="no enum Frais"):
        enumerations_of(tarball)
