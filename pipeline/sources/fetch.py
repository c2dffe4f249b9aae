"""Explicit fetch commands for real public data (the only code that uses the network).

Usage: python -m pipeline.sources.fetch [populations] [mobpro] [census] [mediation] [bpe]
[broadband] [--pin]

`mobpro` downloads INSEE's national MOBPRO detail file (RP2022, `RP2022_mobpro.parquet`) into a
user cache, refuses it unless its sha256 is the one pinned in `MOBPRO_SHA256`, and writes the
rows of the selected territory's residents to `data/raw/<territory>/FD_MOBPRO_2022.csv` (the
name of INSEE's CSV of the same file), marked `real` in that folder's `sources.csv`. `census`
keeps INSEE's three national base-cc zips whole, under their official names
(`base-cc-evol-struct-pop-2022_csv.zip` …). `mediation` keeps the territory's rows of the
national file of mediation places (`lieux_mediation_numerique.csv`), `bpe` those of INSEE's BPE
(`BPE25.zip`); `broadband` keeps ARCEP's eligibility by commune whole (`commune_techno.csv`).
`--pin` downloads them once without a pinned hash and prints the sha256 to pin.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pandas as pd
import pooch
import requests

from pipeline.core import checksums
from pipeline.core.checksums import sha256
from pipeline.core.config import ROOT, load_params, load_territory
from pipeline.core.io import write_bytes_atomic, write_csv_atomic
from pipeline.sources.bpe import bpe_file, territory_extract
from pipeline.sources.broadband import BROADBAND_FILE, BROADBAND_QUARTER
from pipeline.sources.census import census_file
from pipeline.sources.communes import epci_communes
from pipeline.sources.mediation import MEDIATION_FILE
from pipeline.sources.mobpro import csv_name, parquet_name, read_mobpro
from pipeline.sources.postal import current_code, find_commune

# Etalab's "découpage administratif" 2026 edition: INSEE legal populations 2023 and the
# DGCL 2026 EPCI composition (data under Licence Ouverte). It is published as a package
# of the npm registry, so it is fetched with the ordinary npm client by name and version.
POPULATIONS_PACKAGE = "@etalab/decoupage-administratif@6.0.0"
POPULATIONS_SHA256 = "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"

# INSEE, recensement 2022, "Mobilités professionnelles des individus : déplacements
# commune de résidence / commune de travail", detail file (page insee.fr/fr/statistiques/8589904;
# Licence Ouverte). About 67 MB of Parquet for the whole of France.
MOBPRO_VINTAGE = 2022
MOBPRO_PAGE = "https://www.insee.fr/fr/statistiques/8589904"
MOBPRO_URL = f"https://www.insee.fr/fr/statistiques/fichier/8589904/{parquet_name(MOBPRO_VINTAGE)}"
# Not pinned yet: the file could not be downloaded where this code was written (no network).
# Run `python -m pipeline.sources.fetch mobpro --pin` once with network access, check the file, and
# paste the printed hash here; until then `make fetch` refuses to use the file.
MOBPRO_SHA256: str | None = None
# INSEE, recensement 2022, communal bases (Licence Ouverte): one national zip per theme, under
# the name `census_file` gives (the data CSV, its meta_ dictionary, for some themes a -COM file).
CENSUS_VINTAGE = 2022
INSEE = "https://www.insee.fr/fr/statistiques"
CENSUS = {
    theme: (f"{INSEE}/{page}", f"{INSEE}/fichier/{page}/{census_file(theme, CENSUS_VINTAGE)}")
    for theme, page in {"population": 8581696, "employment": 8581444, "diplomas": 8581488}.items()
}
# Not pinned yet, for the same reason as MOBPRO_SHA256: `python -m pipeline.sources.fetch census --pin`.
CENSUS_SHA256: dict[str, str | None] = {theme: None for theme in CENSUS}
# ANCT, « Lieux de médiation numérique sur le territoire national fournis par La Cartographie
# Nationale » (data.gouv.fr, Licence Ouverte 2.0): republished daily under a dated name
# (YYYYMMDD-la-cartographie-nationale-lieux-de-mediation-numeriques-national.csv); the stable
# URL of its CSV resource. Each republication changes its sha256: re-pin to refresh it.
MEDIATION_URL = "https://www.data.gouv.fr/api/1/datasets/r/398edc71-0d51-4cb6-9cbe-2540a4db573c"
MEDIATION_SHA256: str | None = None  # not pinned yet, as MOBPRO_SHA256
# INSEE, BPE 2025, detail file (page 8217525, Licence Ouverte): 143 MB zipped, updated monthly.
BPE_PAGE = f"{INSEE}/8217525"
BPE_VINTAGE = 2025  # the vintage this page publishes (the study reads sites.equipment.bpe_vintage)
BPE_URL = f"{INSEE}/fichier/8217525/{bpe_file(BPE_VINTAGE)}"
BPE_SHA256: str | None = None  # not pinned yet, as MOBPRO_SHA256
# ARCEP, Ma connexion internet, statistics by commune of one quarter (Licence Ouverte 2.0).
BROADBAND_PAGE = "https://www.data.gouv.fr/fr/datasets/ma-connexion-internet/"
BROADBAND_URL = ("https://data.arcep.fr/fixe/maconnexioninternet/statistiques/"
                 f"{BROADBAND_QUARTER}/commune/{BROADBAND_FILE}")  # fmt: skip
BROADBAND_SHA256: str | None = None  # not pinned yet, as MOBPRO_SHA256
LICENCE_OUVERTE = "Licence Ouverte 2.0 (Etalab)"
CACHE = pooch.os_cache("tiers-lieu-etude")


class FetchError(RuntimeError):
    """A download failed or gave an unexpected file."""


def npm_pack(package: str, expected_sha256: str, dest: Path) -> Path:
    """Download an npm package tarball into `dest` and check its pinned hash."""
    try:
        done = subprocess.run(
            ["npm", "pack", package, "--silent", "--pack-destination", str(dest)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except FileNotFoundError as exc:
        raise FetchError("npm is not installed: it is needed to fetch " + package) from exc
    if done.returncode != 0:
        raise FetchError(f"could not download {package} (offline?): {done.stderr.strip()[-400:]}")
    tarball = dest / done.stdout.strip().splitlines()[-1]
    found = sha256(tarball)
    if found != expected_sha256:
        raise FetchError(f"{tarball.name}: sha256 {found}, expected {expected_sha256}")
    return tarball


def populations_table(communes: list[dict], epcis: list[dict]) -> pd.DataFrame:
    """One row per current commune: code, name, legal population, EPCI, postal code."""
    epci_of = {m["code"]: e["code"] for e in epcis for m in e.get("membres", [])}
    rows = [
        {
            "code": c["code"],
            "nom": c["nom"],
            "population_municipale": c.get("population"),
            "epci": epci_of.get(c["code"], ""),
            "code_postal": (c.get("codesPostaux") or [""])[0],
        }
        for c in communes
        if c.get("type") == "commune-actuelle"
    ]
    table = pd.DataFrame(rows).sort_values("code", kind="stable").reset_index(drop=True)
    table["population_municipale"] = table["population_municipale"].astype("Int64")
    return table


def fetch_populations(out: Path = ROOT / "data/raw/populations_legales.csv") -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        tarball = npm_pack(POPULATIONS_PACKAGE, POPULATIONS_SHA256, Path(tmp))
        with tarfile.open(tarball) as tar:
            communes = json.load(tar.extractfile("package/data/communes.json"))
            epcis = json.load(tar.extractfile("package/data/epci.json"))
    write_csv_atomic(populations_table(communes, epcis), out)
    checksums.record(Path(out).parent)
    return out


def download(url: str, expected_sha256: str | None, cache: Path, downloader=None,
             fname: str | None = None) -> Path:  # fmt: skip
    """Download `url` into `cache` (as `fname`, default the URL's last part) with pooch (kept
    between runs) and check its sha256.

    With `expected_sha256` None the file is not checked: only for `--pin`.
    """
    host = url.split("/")[2] if "://" in url else url
    host = host.removeprefix("www.")
    try:
        path = pooch.retrieve(
            url,
            known_hash=f"sha256:{expected_sha256}" if expected_sha256 else None,
            fname=fname or url.rsplit("/", 1)[-1],
            path=cache,
            downloader=downloader,
            progressbar=False,
        )
    except requests.exceptions.RequestException as exc:
        raise FetchError(
            f"cannot reach {host}: run `make fetch` with network access ({exc})"
        ) from exc
    except ValueError as exc:  # pooch: the downloaded file's hash differs from the pinned one
        raise FetchError(
            f"{url}: refused, its sha256 is not the pinned one ({exc}); the file changed "
            "upstream or the download is corrupt"
        ) from exc
    path = Path(path)
    if expected_sha256 and (found := sha256(path)) != expected_sha256:
        raise FetchError(f"{path}: sha256 {found}, expected {expected_sha256}: refused")
    return path


def retrieve_pinned(label: str, url: str, expected: str | None, pin: bool, cache: Path,
                    downloader=None, constant: str = "", fname: str | None = None
                    ) -> tuple[Path, bool]:  # fmt: skip
    """Download a file whose sha256 must be pinned in this module.

    With `pin`, the file is downloaded unchecked and its hash printed (returns `(path, False)`);
    otherwise an unpinned file is refused before any download.
    """
    if expected is None and not pin:
        raise FetchError(
            f"the sha256 of the {label} file is not pinned yet ({constant} = None in "
            f"pipeline/sources/fetch.py): run `python -m pipeline.sources.fetch {label.lower()} --pin` once with "
            f"network access, check the file, then set {constant} to the hash it prints"
        )
    if pin:
        path = download(url, None, cache, downloader, fname)
        digest = sha256(path)
        print(f"{label.lower()}: downloaded {url}\n{label.lower()}: sha256 {digest}\n"
              f'{label.lower()}: to pin it, set {constant} = "{digest}" in pipeline/sources/fetch.py, then '
              "run `make fetch` again"
              + ("" if expected in {None, digest} else f" (pinned now: {expected})"))  # fmt: skip
        return path, False
    return download(url, expected, cache, downloader, fname), True


def mark_real(folder: Path, file: str, fmt: str, source: str, licence: str) -> Path:
    """Record in `folder/sources.csv` that `file` is now real data (its label is kept)."""
    log_path = Path(folder) / "sources.csv"
    columns = ["file", "kind", "format", "source", "licence", "label"]
    log = pd.read_csv(log_path, dtype=str) if log_path.exists() else pd.DataFrame(columns=columns)
    label = log.loc[log["file"] == file, "label"].tolist() or [file]
    log = log[log["file"] != file]
    row = pd.DataFrame([[file, "real", fmt, source, licence, label[0]]], columns=columns)
    log = pd.concat([log, row], ignore_index=True).sort_values("file", kind="stable")
    write_csv_atomic(log, log_path)
    checksums.record(folder)
    return log_path


def territory_codes(root: Path = ROOT) -> tuple[str, list[str]]:
    """Key and commune codes (every commune of its EPCI) of the selected territory."""
    params = load_params(root)
    territory = load_territory(params["territory"], params, root)
    return territory["key"], list(epci_communes(territory["epci"])["code"])


def territory_target(codes: list[str] | None, out_dir: Path | None) -> tuple[list[str], Path]:
    """The communes to keep and the folder to write: by default the selected territory's."""
    if codes is None:
        key, codes = territory_codes()
        out_dir = out_dir or ROOT / "data" / "raw" / key
    return codes, Path(out_dir or ".")


def fetch_mobpro(
    pin: bool = False,
    out_dir: Path | None = None,
    codes: list[str] | None = None,
    downloader=None,
    cache: Path | None = None,
) -> Path:
    """National MOBPRO file -> this territory's residents, as `FD_MOBPRO_<vintage>.csv`."""
    path, checked = retrieve_pinned("MOBPRO", MOBPRO_URL, MOBPRO_SHA256, pin, Path(cache or CACHE),
                                    downloader, "MOBPRO_SHA256")  # fmt: skip
    if not checked:
        return path
    codes, out_dir = territory_target(codes, out_dir)
    table = read_mobpro(path, codes, MOBPRO_VINTAGE, all_columns=True)
    if table.empty:
        raise FetchError(f"{path}: no resident of the territory's {len(codes)} communes")
    name = csv_name(MOBPRO_VINTAGE)
    out = write_csv_atomic(table, out_dir / name, sep=";")
    mark_real(
        out_dir,
        name,
        f"Insee, fichier détail MOBPRO RP{MOBPRO_VINTAGE} (Parquet national) réduit aux "
        "actifs résidant dans l'EPCI, CSV ;",
        f"Insee, {MOBPRO_PAGE} ({MOBPRO_URL.rsplit('/', 1)[-1]}, sha256 {MOBPRO_SHA256[:12]}…)",
        "Licence Ouverte 2.0 (Etalab)",
    )
    return out


def fetch_census(pin: bool = False, out_dir: Path | None = None, downloader=None,
                 cache: Path | None = None) -> list[Path]:  # fmt: skip
    """The three national base-cc zips, kept whole under their official names in data/raw/<key>/."""
    out_dir = Path(out_dir or ROOT / "data" / "raw" / territory_codes()[0])
    written = []
    for theme, (page, url) in CENSUS.items():
        path, checked = retrieve_pinned("census", url, CENSUS_SHA256[theme], pin, Path(cache or CACHE),
                                        downloader, f'CENSUS_SHA256["{theme}"]')  # fmt: skip
        if not checked:
            continue
        name = census_file(theme, CENSUS_VINTAGE)
        written.append(write_bytes_atomic(Path(path).read_bytes(), out_dir / name))
        mark_real(out_dir, name, f"Insee, base communale du recensement {CENSUS_VINTAGE}, CSV ; dans un zip",
                  f"Insee, {page} ({url.rsplit('/', 1)[-1]}, sha256 {CENSUS_SHA256[theme][:12]}…)",
                  "Licence Ouverte 2.0 (Etalab)")  # fmt: skip
    return written


def mediation_rows(national: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """The places of the communes `codes`: by `code_insee` (a delegated commune's leads to its
    commune), else by commune name and postal code, as the reader places them."""
    found = [current_code(code) or code if code else find_commune(name, postcode)
             for code, name, postcode in zip(national.get("code_insee", pd.Series("", index=national.index)),
                                             national["commune"], national["code_postal"])]  # fmt: skip
    return national[pd.Series(found, index=national.index).isin(set(codes))]


def fetch_mediation(pin: bool = False, out_dir: Path | None = None, codes: list[str] | None = None,
                    downloader=None, cache: Path | None = None) -> Path:  # fmt: skip
    """National file of mediation places -> the territory's, as `lieux_mediation_numerique.csv`.

    Reduced, as MOBPRO, rather than kept whole: the reader checks every row it is given
    against the standard, and a place elsewhere in France must not stop the study; the file
    is republished daily under a dated name, which the study cannot depend on.
    """
    path, checked = retrieve_pinned("mediation", MEDIATION_URL, MEDIATION_SHA256, pin,
                                    Path(cache or CACHE), downloader, "MEDIATION_SHA256",
                                    "lieux-de-mediation-numerique-national.csv")  # fmt: skip
    if not checked:
        return path
    codes, out_dir = territory_target(codes, out_dir)
    national = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    text = mediation_rows(national, codes).to_csv(index=False, quoting=csv.QUOTE_ALL,
                                                  lineterminator="\n")  # fmt: skip
    out = write_bytes_atomic(text.encode("utf-8"), out_dir / MEDIATION_FILE)
    mark_real(out_dir, MEDIATION_FILE, "ANCT, lieux de médiation numérique (schéma LaMednum), "
              "fichier national réduit aux communes de l'EPCI, CSV ,",
              f"ANCT, La Cartographie Nationale, data.gouv.fr ({MEDIATION_URL}, sha256 "
              f"{MEDIATION_SHA256[:12]}…)", LICENCE_OUVERTE)  # fmt: skip
    return out


def fetch_bpe(pin: bool = False, out_dir: Path | None = None, codes: list[str] | None = None,
              downloader=None, cache: Path | None = None) -> Path:  # fmt: skip
    """INSEE's national BPE -> the territory's facilities, zipped as INSEE ships it (`BPE25.zip`):
    the national CSV inflates to 1.5 GB, which every stage would hash."""
    path, checked = retrieve_pinned("BPE", BPE_URL, BPE_SHA256, pin, Path(cache or CACHE),
                                    downloader, "BPE_SHA256")  # fmt: skip
    if not checked:
        return path
    (codes, out_dir), name = territory_target(codes, out_dir), bpe_file(BPE_VINTAGE)
    out = write_bytes_atomic(territory_extract(path, codes, BPE_VINTAGE), out_dir / name)
    mark_real(out_dir, name, f"Insee, BPE {BPE_VINTAGE}, fichier détail réduit aux communes de "
              "l'EPCI, CSV ; dans un zip", f"Insee, {BPE_PAGE} ({name}, sha256 {BPE_SHA256[:12]}…)",
              LICENCE_OUVERTE)  # fmt: skip
    return out


def fetch_broadband(pin: bool = False, out_dir: Path | None = None, downloader=None,
                    cache: Path | None = None) -> Path:  # fmt: skip
    """ARCEP's eligibility by commune and technology, kept whole (35 000 rows, a few MB)."""
    path, checked = retrieve_pinned("broadband", BROADBAND_URL, BROADBAND_SHA256, pin,
                                    Path(cache or CACHE), downloader, "BROADBAND_SHA256",
                                    f"{BROADBAND_QUARTER}_{BROADBAND_FILE}")  # fmt: skip
    if not checked:
        return path
    out_dir = Path(out_dir or ROOT / "data" / "raw" / territory_codes()[0])
    out = write_bytes_atomic(Path(path).read_bytes(), out_dir / BROADBAND_FILE)
    mark_real(out_dir, BROADBAND_FILE, f"Arcep, Ma connexion internet, statistiques par commune "
              f"({BROADBAND_QUARTER}), CSV ;", f"Arcep, {BROADBAND_URL} (sha256 "
              f"{BROADBAND_SHA256[:12]}…)", LICENCE_OUVERTE)  # fmt: skip
    return out


FETCHERS = {"populations": fetch_populations, "mobpro": fetch_mobpro, "census": fetch_census,
            "mediation": fetch_mediation, "bpe": fetch_bpe, "broadband": fetch_broadband}  # fmt: skip
PINNABLE = {"mobpro", "census", "mediation", "bpe", "broadband"}


def main(argv: list[str]) -> int:
    pin = "--pin" in argv
    names = [a for a in argv if a != "--pin"] or [n for n in FETCHERS if n in PINNABLE or not pin]
    unknown = [n for n in names if n not in FETCHERS]
    if unknown:
        print(
            f"unknown dataset(s): {', '.join(unknown)}; known: {', '.join(FETCHERS)}",
            file=sys.stderr,
        )
        return 2
    if pin and (cannot := [n for n in names if n not in PINNABLE]):
        print(
            f"--pin applies to {', '.join(sorted(PINNABLE))}, not {', '.join(cannot)}",
            file=sys.stderr,
        )
        return 2
    failed = 0
    for name in names:
        try:
            result = FETCHERS[name](pin=True) if pin else FETCHERS[name]()
            print(f"{name}: {result}")
        except FetchError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
