"""Small sample input files written by the tests of several packages."""

from pipeline.sources.mediation import MEDIATION_FILE
from pipeline.sources.places import OTHER_FILE

MEDIATION_HEADER = (
    "id,pivot,nom,commune,code_postal,adresse,date_maj,code_insee,latitude,"
    "longitude,typologie,services,source"
)
OTHER_HEADER = "id,nom,type,code_insee,latitude,longitude,services,source"


def write(path, header, *rows):
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def place_files(tmp_path):
    mediation = write(
        tmp_path / MEDIATION_FILE,
        MEDIATION_HEADER,
        "m1,12345678901234,Médiathèque d'Alpha,Alpha,00100,1 rue de la Mairie,2025-03-01,00001,"
        "0.0,0.0,BIB,Aide aux démarches administratives|Loisirs et créations numériques,test",
        "m2,W123456789,Espace de Bêta,Bêta,00200,2 rue du Bourg,2025-04-01,00002,,,MUNI,,test",
    )
    other = write(
        tmp_path / OTHER_FILE,
        OTHER_HEADER,
        "o1,Coworking de Gamma,coworking,00003,0.0,0.3,coworking|telework,test",
    )
    return mediation, other
