import numpy as np
import pandas as pd
import pytest

from pipeline.core.phase import Phase
from pipeline.core.settings import ConfigError, check
from pipeline.core.validate import InputFileError
from pipeline.core.vocabulary import ACTORS
from pipeline.demo.interviews import grid as demo_grid
from pipeline.interviews import coding, views
from pipeline.interviews.build import GRID_FILE, build


def grid_file(tmp_path, table):
    path = tmp_path / "grille.csv"
    table.to_csv(path, index=False)
    return path


@pytest.fixture
def table():
    communes = pd.DataFrame({"code": ["97225", "97204"], "in_study_zone": [True, False]})
    return demo_grid(communes, 24, np.random.default_rng(0)).astype(str)


def test_identifiers_are_dropped_and_quotes_scrubbed(tmp_path, table):
    grid = coding.read_grid(grid_file(tmp_path, table))
    assert not set(coding.IDENTIFIERS) & set(grid.columns)
    text = " ".join(grid.astype(str).to_numpy().ravel())
    for column in ("interlocuteur", "courriel", "telephone"):
        for value in table[column]:
            assert value not in text, value
    assert "@" not in text


@pytest.mark.parametrize(
    "quote, expected",
    [
        ("Voir Marie Petit demain", "Voir […] demain"),
        ("écrire à marie.petit@example.org", "écrire à […]"),
        ("appeler le 0696 12 34 56 ou +596 696 12 34 56", "appeler le […] ou […]"),
        ("le +596 (0)696 12 34 56, le 06.12.34.56.78", "le […], le […]"),
        ("au 06 12 34 56 78 ou au (0596) 12-34-56", "au […] ou au […]"),
        ("Passez au 12 rue des Lilas, 97200 Fort-de-France", "Passez au […], […]"),
        ("chez moi, 3 bis Chemin de l'Anse Couleuvre au Prêcheur", "chez moi, […] au Prêcheur"),
        ("Quartier Fonds Préville, 97213 Le Lorrain", "[…], […]"),
        ("Comme disait Mme Josiane Bellemare, puis M. Dupont", "Comme disait […], puis […]"),
        ("les démarches en ligne", "les démarches en ligne"),  # 'Marc' inside a word stays
        # What is not an identifier stays: dates, amounts, common words, a title without a name.
        ("le 12/03/2025, pour 1 500 000 €", "le 12/03/2025, pour 1 500 000 €"),
        (
            "une heure de route pour la place du marché",
            "une heure de route pour la place du marché",
        ),
        ("Monsieur le maire le sait", "Monsieur le maire le sait"),
        # Names in capitals, and after any title in any case.
        ("Parlez-en à Jean DUPONT.", "Parlez-en à […]."),
        ("DUPONT le sait, la CAF et le FEDER aussi", "[…] le sait, la CAF et le FEDER aussi"),
        ("madame Lebrun et monsieur Alexis", "[…] et […]"),
        ("le Dr. Martin, le docteur Ho, maître Durand, Me Sylvestre", "le […], le […], […], […]"),
        # Obfuscated e-mail addresses, handles and profile pages.
        ("écrire à jean (at) orange.fr ou jean [at] domaine.fr", "écrire à […] ou […]"),
        ("ou jean.b arobase domaine point fr", "ou […]"),
        ("suivez @jdupont_972 ou linkedin.com/in/jdupont", "suivez […] ou […]"),
        ("sur https://www.facebook.com/jean.dupont et x.com/jd", "sur […] et […]"),
        ("instagram.com/jd, tiktok.com/@jd, twitter.com/jd", "[…], […], […]"),
        # Addresses: lanes in lower case, postal boxes, postcodes alone.
        ("au chemin de la source, puis", "au […], puis"),
        ("impasse des Lilas, allée Verte", "[…], […]"),
        ("route de Fonds-Saint-Denis pour aller", "[…] pour aller"),
        ("lieu-dit Morne Rouge", "[…]"),
        ("BP 12, CS 1234, code 97250", "[…], […], code […]"),
        # Common words stay.
        (
            "le projet est dans une impasse, le chemin est long",
            "le projet est dans une impasse, le chemin est long",
        ),
        ("pour 15000 euros et 12000 habitants", "pour 15000 euros et 12000 habitants"),
    ],
)
def test_scrub(quote, expected):
    assert coding.scrub(quote, ["Marie Petit", "Marie", "Petit", "Marc"]) == expected


def test_a_grid_with_a_header_alone_is_refused_as_empty(tmp_path, table):
    path = grid_file(tmp_path, table.head(0))
    with pytest.raises(
        InputFileError,
        match=r"grille.csv: the file holds no interview \(header line only\); at least 1 interview",
    ):
        coding.read_grid(path)


def test_refusals_never_quote_a_value(tmp_path, table):
    table.loc[2, "commune"] = "Jean DUPONT"
    table.loc[3, "soutien_projet"] = "0696 12 34 56"
    with pytest.raises(InputFileError) as error:
        coding.read_grid(grid_file(tmp_path, table))
    message = str(error.value)
    assert "DUPONT" not in message and "0696" not in message
    assert "line 4, column 'commune': expected an INSEE commune code, found text of 11" in message
    assert "line 5, column 'soutien_projet': expected one of: 1, 2, 3, 4, 5, found text" in message


def test_quotes_lose_every_identifier_value_of_the_grid(tmp_path, table):
    """A quote repeating another interview's name or contact, in any case, loses it."""
    other = table.loc[1]
    table.loc[0, "citation"] = (
        f"Voyez {other['interlocuteur'].upper()} ({other['courriel']}, {other['telephone']})"
    )
    grid = coding.read_grid(grid_file(tmp_path, table))
    assert grid.loc[0, "citation"] == "Voyez […] ([…], […])"


@pytest.mark.parametrize(
    "column, value, expected",
    [
        ("besoin_fablab", "oui", "expected one of: 0, 1, found text of 3 characters"),
        ("type_acteur", "Ministre", "expected one of: Élu, Entreprise"),
        ("position", "peut-être", "expected one of: favorable"),
        ("besoins", "coworking|jacuzzi", "expected '|'-separated values among: coworking"),
        ("soutien_projet", "9", "expected one of: 1, 2, 3, 4, 5, found a number of 1 digit"),
        ("commune", "972", "expected an INSEE commune code, found a number of 3 digits"),
    ],
)
def test_bad_values_name_line_and_column(tmp_path, table, column, value, expected):
    table.loc[2, column] = value
    with pytest.raises(InputFileError, match=f"line 4, column '{column}': {expected}"):
        coding.read_grid(grid_file(tmp_path, table))


def test_duplicated_id_and_missing_column(tmp_path, table):
    dup = table.copy()
    dup.loc[5, "id_entretien"] = dup.loc[1, "id_entretien"]
    with pytest.raises(InputFileError, match="line 7, column 'id_entretien': expected a value not"):
        coding.read_grid(grid_file(tmp_path, dup))
    with pytest.raises(InputFileError, match="line 1: missing column 'position'"):
        coding.read_grid(grid_file(tmp_path, table.drop(columns="position")))


def hand_grid():
    rows = [("Élu", 1, "coworking|fablab", "favorable"), ("Élu", 0, "coworking", "réservé"),
            ("Élu", 1, "", "favorable"), ("Habitant", 1, "fablab", "opposé")]  # fmt: skip
    grid = pd.DataFrame(rows, columns=["type_acteur", "besoin_fablab", "besoins", "position"])
    for theme in coding.THEMES:
        if theme != "besoin_fablab":
            grid[theme] = 0
    return grid


FAMILIES = {"Élu": "Acteurs publics", "Institution": "Acteurs publics", "Entreprise": "Acteurs privés",
            "Association": "Acteurs privés", "Habitant": "Acteurs privés"}  # fmt: skip


@pytest.mark.parametrize(
    "sizes, min_cell, expected",
    [
        # Every type too small: families, each reaching the threshold.
        ({"Élu": 7, "Institution": 5, "Entreprise": 6, "Association": 6}, 11,
         {"Acteurs publics": 12, "Acteurs privés": 12}),
        ({"Élu": 20, "Institution": 6, "Entreprise": 6, "Association": 6}, 5,
         {"Élus": 20, "Institutions": 6, "Entreprises": 6, "Associations": 6}),
        # A type large enough stands alone; the rest of its family is named as such.
        ({"Élu": 20, "Institution": 6, "Entreprise": 6, "Association": 3, "Habitant": 3}, 6,
         {"Élus": 20, "Institutions": 6, "Entreprises": 6, "Autres acteurs privés": 6}),
        # Families too small: the other actors together...
        ({"Élu": 20, "Institution": 3, "Entreprise": 11, "Association": 2, "Habitant": 2}, 6,
         {"Élus": 20, "Entreprises": 11, "Autres acteurs": 7}),
        # ... or, too few themselves, with the smallest group.
        ({"Élu": 11, "Institution": 12, "Entreprise": 15, "Association": 2}, 11,
         {"Élus et autres acteurs": 13, "Institutions": 12, "Entreprises": 15}),
        # Too few interviews in all: one group, which the tables then blank.
        ({"Élu": 4, "Habitant": 3}, 11, {"Ensemble des acteurs": 7}),
    ],
)  # fmt: skip
def test_actor_groups_reach_the_threshold(sizes, min_cell, expected):
    types = pd.Series([t for t, n in sizes.items() for _ in range(n)])
    group = coding.actor_groups(types, FAMILIES, min_cell)
    assert group.value_counts().to_dict() == expected


def test_unknown_type_in_families_is_refused():
    with pytest.raises(ConfigError) as error:
        check({"interviews": {"families": {"Elu": "Acteurs publics"}}})
    assert (
        "params.yaml: key 'interviews.families': expected a mapping of types of actor of the "
        "interview grid (Élu, Entreprise, Association, Institution, Habitant) to the name of "
        "their family, found {'Elu': 'Acteurs publics'}"
    ) in str(error.value)


def test_needs_ranked_by_hand():
    needs = coding.ranked_needs(hand_grid(), min_cell=3).set_index("need")
    assert needs.loc["coworking", "interviews"] == 2 and needs.loc["fablab", "interviews"] == 2
    assert needs.loc["coworking", "rank"] == 1 and needs.loc["fablab", "rank"] == 2  # ties: by name
    assert needs.loc["evenements", "interviews"] == 0
    blank = coding.ranked_needs(hand_grid(), min_cell=5)  # 4 interviews: nothing published
    assert blank[["interviews", "share", "rank"]].isna().all().all()


def test_tables_by_group_of_actors():
    grid = hand_grid()
    group = coding.actor_groups(grid["type_acteur"], FAMILIES, 3)
    assert group.tolist() == ["Élus et autres acteurs"] * 4  # the lone inhabitant is not alone
    long = coding.theme_by_actor(grid, group, 3)
    fablab = long[long["theme"] == "besoin_fablab"].set_index("actor")
    assert fablab.loc["Élus et autres acteurs", "share"] == pytest.approx(3 / 4)
    stance = coding.stance(grid, group, 3).set_index("position")
    assert stance.loc["favorable", "interviews"] == 2 and stance.loc["opposé", "interviews"] == 1
    assert coding.actors(group, 3)["interviews"].tolist() == [4]


def test_small_groups_are_blanked_with_a_second_one():
    grid = pd.concat([hand_grid()] * 3, ignore_index=True)  # 9 Élus, 3 Habitants
    group = grid["type_acteur"].map(ACTORS)  # as if unmerged
    for table, count in [
        (coding.actors(group, 5), "interviews"),
        (coding.theme_by_actor(grid, group, 5), "interviews"),
        (coding.stance(grid, group, 5), "n"),
    ]:
        assert table["suppressed"].all(), table  # two groups: the small one and its twin
        assert table[count].isna().all()


def test_quotes_only_for_groups_reaching_the_threshold():
    grid = hand_grid().assign(citation=["Un lieu, vite.", "", "Un lieu, vite.", "Trop loin."])
    group = pd.Series(["Élus"] * 3 + ["Habitants"], index=grid.index)
    table = coding.quotes(grid, group, 3)
    assert table.to_dict("records") == [{"actor": "Élus", "quote": "Un lieu, vite."}]
    assert list(table.columns) == ["actor", "quote"]  # nothing else about the speaker


def test_support_is_blank_under_the_threshold():
    grid = hand_grid().assign(soutien_projet=[4, 5, 3, 1], partenariat=["oui"] * 4)
    assert coding.support(grid, 4).loc[0, "mean_support"] == pytest.approx(3.25)
    blank = coding.support(grid, 5).iloc[0]
    assert blank["interviews"] == 4 and pd.isna(blank["mean_support"])
    assert pd.isna(blank["partners_yes"])


def test_readers_table_and_heatmap_mark_blanked_cells():
    grid = hand_grid()
    group = pd.Series(["Élus"] * 3 + ["Habitants"], index=grid.index)
    table = views.actors_table(coding.actors(group, 2))
    assert table.to_dict("list") == {"Groupe d'acteurs": ["Élus", "Habitants"],
                                     "Entretiens": ["s", "s"]}  # fmt: skip
    fig = views.heatmap(coding.theme_by_actor(grid, group, 2))
    assert "Habitants (s)" in fig.data[0].x and "s" in fig.data[0].text[0]


def test_families_of_params_are_valid_and_blank_names_refused(params):
    families = check({"interviews": params["interviews"]}).interviews.families
    assert set(families) <= set(ACTORS)
    with pytest.raises(ConfigError, match="key 'interviews.families'"):
        check({"interviews": {"families": {"Élu": " "}}})


def test_readers_quotes_table_and_figures():
    quotes = pd.DataFrame({"actor": ["Élus"], "quote": ["Un lieu, vite."]})
    assert views.quotes_table(quotes).to_dict("records") == [
        {"Groupe d'acteurs": "Élus", "Citation": "Un lieu, vite."}
    ]
    grid = hand_grid()
    needs = views.needs_figure(coding.ranked_needs(grid, 3))
    assert needs.data[0].y[-1] == "Espace de coworking"  # the most named on top
    group = pd.Series(["Élus"] * 4, index=grid.index)
    stance = views.stance_figure(coding.stance(grid, group, 3))
    assert {trace.name for trace in stance.data} == set(coding.STANCES.values())
    assert stance.layout.title.text == "Position vis-à-vis du projet, par groupe d'acteurs"


def test_build_writes_every_table_from_the_grid(tmp_path, table):
    params = {"privacy": {"min_cell": 11}, "interviews": {"families": FAMILIES}}
    phase = Phase("04_interviews", params, {"key": "demo"}, tmp_path, check(params))
    phase.raw_dir.mkdir(parents=True)
    table.to_csv(phase.raw_dir / GRID_FILE, index=False)
    tables = build(phase)
    assert sorted(p.stem for p in phase.out_dir.glob("*.parquet")) == sorted(tables)
    assert tables["support"].loc[0, "interviews"] == 24
