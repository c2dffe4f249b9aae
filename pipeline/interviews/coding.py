"""Phase 04, stakeholder interviews: coding grid, themes by group of actors, needs, stance, quotes.

Interview grids are personal data: names, roles and contacts are dropped at ingestion, and quotes
are scrubbed (`scrub`) of names (those of the grid, any name after a title such as "Mme" or
"docteur", names in capitals), e-mail and web addresses, social handles, phone numbers, street and
postal addresses before any use. Phase 07 scrubs workshop ideas the same way.

Scrubbing is hand-written regular expressions: no package installed here detects French personal
data, and a named-entity model is too heavy for the chain. They err on the side of redacting
(an acronym they do not know, a capitalised word after "rue"), since a redacted word costs little.

Publication follows the survey's rule (`pipeline.core.disclosure`), with the threshold
`privacy.min_cell`: results are given by group of actors, never for fewer interviews than the
threshold. A type of actor that rare is shown within its family (params `interviews.families`),
or else with the other actors; a quote is attributed to that group only, and to nothing else.
Readers' tables and figures are in `pipeline.interviews.views`; `build` writes every table.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.core.disclosure import suppress
from pipeline.core.sheets import input_file, read_checked_table
from pipeline.core.validate import (
    INSEE_CODE,
    iso_date,
    list_of,
    matches,
    non_empty,
    one_of,
    require_rows,
)
from pipeline.core.vocabulary import ACTORS

THEMES = {
    "besoin_coworking": "Besoin de coworking", "besoin_teletravail": "Besoin d'un lieu de télétravail",
    "besoin_mediation": "Besoin de médiation numérique", "besoin_fablab": "Besoin d'un fablab",
    "besoin_accompagnement": "Besoin d'accompagnement de projets",
    "besoin_formation": "Besoin de formation", "frein_mobilite": "Frein : mobilité",
    "frein_connexion": "Frein : connexion internet",
}  # fmt: skip
NEEDS = {
    "coworking": "Espace de coworking", "teletravail": "Poste de télétravail",
    "mediation": "Aide au numérique", "fablab": "Fablab", "accompagnement": "Accompagnement de projets",
    "formation": "Formations", "salles_reunion": "Salles de réunion", "evenements": "Événements",
}  # fmt: skip
STANCES = {"favorable": "Favorable", "favorable sous conditions": "Favorable sous conditions",
           "réservé": "Réservé", "opposé": "Opposé"}  # fmt: skip
IDENTIFIERS = ["interlocuteur", "fonction", "courriel", "telephone"]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# An address written to dodge spam filters: "jean (at) orange.fr", "jean [at] x.fr", "jean arobase
# orange point fr": the user part, "at" in brackets or "arobase", the domain, its dotted parts.
_DOT = r"(?:\s*(?:\.|[(\[{]\s*(?:dot|point)\s*[)\]}]|\s(?:dot|point)\s)\s*[\w-]+)"
OBFUSCATED_EMAIL = re.compile(
    rf"[\w.+-]+\s*(?:[(\[{{]\s*(?:at|arobase|@)\s*[)\]}}]|\barobase\b)\s*[\w-]+{_DOT}*", re.I
)
# Profile pages and any other web address (a personal site names its owner), then handles.
SOCIAL = r"linkedin|facebook|fb|instagram|twitter|x|tiktok|youtube|snapchat|threads|mastodon"
_PATH = r"[^\s,;()<>\[\]]*[^\s,;()<>\[\].!?:]"  # a web address, not the punctuation after it
URL = re.compile(
    rf"(?:https?://|www\.){_PATH}|\b(?:[\w-]+\.)*(?:{SOCIAL})\.(?:com|net|social)(?:/{_PATH})?",
    re.I,
)
HANDLE = re.compile(r"(?<![\w.@])@[\w.]*\w")
# Digits with spaces, dots, dashes, slashes or brackets between them: "+596 (0)696 12 34 56";
# a phone number has at least PHONE_DIGITS of them (a date or an amount has fewer).
PHONE = re.compile(r"(?<![\d+])(?:\+|00)?\(?\d[\d .()/-]{6,}\d(?!\d)")
PHONE_DIGITS = 9
_WORD = r"[A-ZÀ-Ý][\w'’-]*"  # a capitalised word: "Lilas", "Fort-de-France", "Grand'Rivière"
_LINK = r"(?:(?:de|du|des|la|le|les|l'|l’|d'|d’|et)\s*)*"  # "rue de la Paix", "Anse d'Arlet"
_NAME = rf"{_WORD}(?:\s+{_LINK}{_WORD})*"
# A street word, then a name ("rue des Lilas", "Chemin de l'Anse Couleuvre"); "chemin", "impasse",
# "allée", "route" followed by "de…" name a place even in lower case ("chemin de la source"; "une
# heure de route" or "une impasse" stay), and so does "lieu-dit" before any word.
STREET = re.compile(
    r"(?:\b\d{1,4}(?:\s*(?:bis|ter))?\s*,?\s+)?(?:\b(?i:rue|avenue|av\.|boulevard|bd|chemin"
    r"|impasse|allée|route|place|quartier|lotissement|résidence|cité|quai|cours|passage|square"
    rf"|voie|hameau)\s+{_LINK}{_NAME}|\b(?i:(?:chemin|impasse|allée|route)\s+(?:de|du|des|d'|d’)"
    rf"|lieu-?dit)\s*{_LINK}[\w'’-]+(?:\s+{_LINK}{_WORD})*)"
)
# Postal boxes ("BP 12", "CS 1234"), then postcodes: five digits, with or without a town after
# them, unless a unit follows (an amount: "15000 €", "12000 habitants").
POSTAL_BOX = re.compile(r"\b(?:BP|CS|TSA|CEDEX)\s*\d{1,6}\b", re.I)
POSTCODE = re.compile(
    r"\b\d{5}\b(?![.,]\d)(?!\s*(?:€|euros?\b|eur\b|habitants|personnes|km|m²|m2|%|h\b))"
    rf"(?:\s+(?:(?:Le|La|Les|L'|L’)\s*)?{_WORD}(?:\s+(?i:cedex)(?:\s*\d+)?)?)?"
)
# A title, in any case ("madame", "Dr.", "maître"), and the name after it; "Monsieur le maire"
# has no name after it and stays.
TITLED = re.compile(
    r"(?:\bM\.|\bMe\b|\b(?i:mme|mlle|madame|monsieur|mademoiselle|dr|docteur|docteure|maître"
    rf"|maitre|pr|professeur|professeure)\b\.?)\s+(?:{_NAME}|[A-ZÀ-Ý]{{2,}}\b)"
)
# Surnames written in capitals ("Jean DUPONT", "DUPONT Jean", "JEAN DUPONT"): a word of three
# capitals or more is taken for a name unless it is a common acronym; a redacted acronym costs
# little, a name kept would identify someone. A capitalised word beside a single word in capitals
# is taken for a first name (at worst a verb is redacted: "Voyez DUPONT").
ACRONYMS = set(
    "CAF CPAM CNAM MSA RSA RSI URSSAF INSEE EPCI EPN CCI CMA BPI BPIFRANCE ADEME ANCT FEDER FSE"
    " FEADER LEADER DETR DSIL PMR TPE PME ETI SAS SARL SCIC SCOP SPL ESS EHPAD CCAS CIAS MJC"
    " ONG DOM TOM ROM DROM COM ARS CTM CAP CACEM CAESM RER TER TGV SNCF RATP EDF ORANGE SFR"
    " PDF USB WIFI ADSL VDSL FTTH THD DAB GAB ATM CNIL RGPD APE NAF SIRET SIREN RNA RIB IBAN"
    " COVID ZRR QPV ANRU PLU SCOT CDD CDI CAE POLE EMPLOI FRANCE TRAVAIL MDPH APL AAH PDG DRH"
    " BTS BAC DUT IUT CFA GRETA AFPA OPCO CPF VAE FAQ SMS GPS IA IT WEB".split()
)
_CAPS = r"\b[A-ZÀ-Ý][A-ZÀ-Ý'’-]*[A-ZÀ-Ý]\b"
_TITLE_CASE = r"\b[A-ZÀ-Ý][a-zà-ÿ'’-]+\b"
CAPITALS = re.compile(
    rf"(?:(?P<first>{_TITLE_CASE})\s+)?(?P<caps>{_CAPS}(?:\s+{_CAPS})*)(?:\s+(?P<after>{_TITLE_CASE}))?"
)
REDACTED = "[…]"
OTHERS, EVERYONE = "Autres acteurs", "Ensemble des acteurs"


def grid_schema() -> pa.DataFrameSchema:
    """The coding grid: one row per interview; identifiers, date, partnership and quote optional."""
    return pa.DataFrameSchema(
        {
            "id_entretien": pa.Column(
                checks=non_empty(), unique=True, report_duplicates="exclude_first"
            ),
            "date": pa.Column(checks=iso_date(optional=True), required=False),
            "type_acteur": pa.Column(checks=one_of(list(ACTORS))),
            "commune": pa.Column(checks=matches(INSEE_CODE, "an INSEE commune code")),
            **{c: pa.Column(required=False) for c in IDENTIFIERS},
            **{theme: pa.Column(checks=one_of(["0", "1"])) for theme in THEMES},
            "besoins": pa.Column(checks=list_of(list(NEEDS))),
            "position": pa.Column(checks=one_of(list(STANCES))),
            "soutien_projet": pa.Column(checks=one_of(list("12345"))),
            "partenariat": pa.Column(
                checks=one_of(["oui", "non", "peut-être"], optional=True), required=False
            ),
            "citation": pa.Column(required=False),
        },
        strict=True,
    )


def _phone(match: re.Match) -> str:
    return REDACTED if sum(c.isdigit() for c in match[0]) >= PHONE_DIGITS else match[0]


def _capitals(match: re.Match) -> str:
    words = match["caps"].split()
    if not any(len(w.strip("'’-")) >= 3 and w.strip("'’-") not in ACRONYMS for w in words):
        return match[0]
    if len(words) > 1:  # a whole name in capitals: the words beside it are not part of it
        return match[0].replace(match["caps"], REDACTED)
    return REDACTED


def scrub(text: str, names: list[str] = ()) -> str:
    """Free text without e-mail addresses (plain or obfuscated), web addresses, handles, phone
    numbers, street and postal addresses, names after a title ("Mme Dupont", "docteur Martin"),
    names in capitals ("Jean DUPONT") or any of `names` (the people interviewed and their
    contacts)."""
    text = OBFUSCATED_EMAIL.sub(REDACTED, EMAIL.sub(REDACTED, text))
    text = HANDLE.sub(REDACTED, URL.sub(REDACTED, text))
    text = PHONE.sub(_phone, text)
    for pattern in (STREET, POSTAL_BOX, POSTCODE, TITLED):
        text = pattern.sub(REDACTED, text)
    text = CAPITALS.sub(_capitals, text)
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", REDACTED, text, flags=re.IGNORECASE)
    return text


def identifier_values(table: pd.DataFrame) -> list[str]:
    """What a quote must not repeat: every name, word of a name, e-mail and phone of the grid."""
    names = [part for full in table.get("interlocuteur", []) for part in (full, *full.split())]
    contacts = [v for col in ("courriel", "telephone") for v in table.get(col, [])]
    return [v for v in names if len(v) > 2] + contacts


def read_grid(path: Path) -> pd.DataFrame:
    """Read and validate the coding grid (CSV, or the first sheet of an .xlsx or .ods file of
    the same name); identifiers are dropped and quotes scrubbed here."""
    path = input_file(path)
    table = require_rows(read_checked_table(path, grid_schema()), path, "interview")
    if "citation" in table:
        identifiers = identifier_values(table)
        table["citation"] = table["citation"].map(lambda q: scrub(q, identifiers))
    for theme in THEMES:
        table[theme] = table[theme].astype(int)
    table["soutien_projet"] = table["soutien_projet"].astype(int)
    return table.drop(columns=[c for c in IDENTIFIERS if c in table.columns])


def actor_groups(types: pd.Series, families: dict[str, str], min_cell: int) -> pd.Series:
    """The group of actors each interview is published under: groups do not overlap, and each
    has at least `min_cell` interviews when the grid has that many.

    A type of actor with `min_cell` interviews is a group ("Élus"). The others go to their
    family (`families`: "Acteurs publics", or "Autres acteurs publics" when some of its types
    stand alone) if it reaches `min_cell`, else to "Autres acteurs"; when those are too few,
    they join the smallest group ("Élus et autres acteurs"), or make "Ensemble des acteurs".
    """
    group = types.map(ACTORS).where(types.map(types.value_counts()) >= min_cell)
    alone = {families.get(t) for t in types[group.notna()]}
    family = types.map(families).where(group.isna())
    family = family.where(family.map(family.value_counts()) >= min_cell)
    labels = {f: f"Autres {f[0].lower()}{f[1:]}" if f in alone else f for f in family.dropna()}
    group = group.fillna(family.map(labels).astype(group.dtype))
    rest = int(group.isna().sum())
    sizes = group.value_counts()
    if rest == 0:
        return group
    if sizes.empty:
        return group.fillna(EVERYONE)
    if rest >= min_cell:
        return group.fillna(OTHERS)
    smallest = min(sizes.items(), key=lambda item: (item[1], item[0]))[0]
    return group.fillna(smallest).replace(smallest, f"{smallest} et autres acteurs")


def actors(group: pd.Series, min_cell: int) -> pd.DataFrame:
    """Interviews by group of actors; a group under `min_cell` is blanked (with a second one)."""
    table = group.value_counts().rename_axis("actor").reset_index(name="interviews")
    table = table.sort_values(["interviews", "actor"], ascending=[False, True], kind="stable")
    return suppress(table, "interviews", min_cell, ["interviews"], [])


def theme_counts(grid: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """How many interviews raised each theme, and their share (blank under `min_cell` interviews)."""
    counts = grid[list(THEMES)].sum()
    table = pd.DataFrame({"theme": counts.index, "label": counts.index.map(THEMES), "n": len(grid),
                          "interviews": counts.to_numpy(), "share": counts.to_numpy() / len(grid)}
                         ).sort_values("interviews", ascending=False, kind="stable")  # fmt: skip
    return suppress(table, "n", min_cell, ["interviews", "share"], ["theme"])


def theme_by_actor(grid: pd.DataFrame, group: pd.Series, min_cell: int) -> pd.DataFrame:
    """Share of interviews raising each theme, by group of actors (long format, for a heatmap);
    a group under `min_cell` interviews is blanked, and so is a second one in each theme."""
    shares = grid[list(THEMES)].groupby(group).mean()
    long = shares.reset_index(names="actor").melt(
        id_vars="actor", var_name="theme", value_name="share"
    )
    long["label"] = long["theme"].map(THEMES)
    long["interviews"] = long["actor"].map(group.value_counts())
    long = long.sort_values(["actor", "theme"], kind="stable")
    return suppress(long, "interviews", min_cell, ["share", "interviews"], ["theme"])


def ranked_needs(grid: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Needs expressed, ranked by the number of interviews that named them (blank under
    `min_cell` interviews)."""
    named = grid["besoins"].str.split("|").explode()
    counts = named[named != ""].value_counts().reindex(list(NEEDS), fill_value=0)
    out = pd.DataFrame({"need": counts.index, "label": counts.index.map(NEEDS), "n": len(grid),
                        "interviews": counts.to_numpy(), "share": counts.to_numpy() / len(grid)})  # fmt: skip
    out = out.sort_values(["interviews", "need"], ascending=[False, True], kind="stable")
    out = out.assign(rank=range(1, len(out) + 1))
    return suppress(out, "n", min_cell, ["interviews", "share", "rank"], ["need"])


def stance(grid: pd.DataFrame, group: pd.Series, min_cell: int) -> pd.DataFrame:
    """Stance towards the project by group of actors (`n`: the group's interviews); a group
    under `min_cell` is blanked, and so is a second one for each stance."""
    counts = pd.crosstab(group, grid["position"]).reindex(columns=list(STANCES), fill_value=0)
    long = counts.reset_index(names="actor").melt(
        id_vars="actor", var_name="position", value_name="interviews"
    )
    long["label"] = long["position"].map(STANCES)
    long["n"] = long["actor"].map(group.value_counts())
    return suppress(long, "n", min_cell, ["interviews", "n"], ["position"])


def quotes(grid: pd.DataFrame, group: pd.Series, min_cell: int) -> pd.DataFrame:
    """Scrubbed quotes, one per distinct text, attributed only to their group of actors; the
    quotes of a group under `min_cell` interviews are left out."""
    said = grid.get("citation", pd.Series("", index=grid.index)).fillna("")
    table = pd.DataFrame({"actor": group, "quote": said})
    table = table[(said != "") & (group.map(group.value_counts()) >= min_cell)]
    table = table.drop_duplicates("quote").sort_values(["actor", "quote"], kind="stable")
    return table.reset_index(drop=True)


def support(grid: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Interviews, mean support (1-5) and partners, blank under `min_cell` interviews."""
    row = {"interviews": len(grid), "mean_support": float(grid["soutien_projet"].mean()),
           "partners_yes": int((grid.get("partenariat") == "oui").sum())}  # fmt: skip
    return suppress(
        pd.DataFrame([row]), "interviews", min_cell, ["mean_support", "partners_yes"], []
    )
