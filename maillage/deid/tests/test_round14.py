"""Fourteenth round: coordinates, motorway exits, eponyms and products kept.

Every sentence here was written for these tests; none is copied from a held-out half.
"""

from __future__ import annotations

import pytest

from maillage.deid import learned, patterns
from maillage.deid.text import scrub


def _addresses(text: str) -> list[str]:
    return [text[c.start : c.end] for c in patterns.find_addresses(text)]


def _kept(text: str, term: str) -> bool:
    return scrub(text).text.count(term) == text.count(term)


# A position in degrees locates a person; a bare decimal pair needs a location cue.


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Victime retrouvée en 44.2031 N, 5.1187 E, dans le ravin.", "44.2031 N, 5.1187 E"),
        ("Kayakiste signalé par 48°41,7' N 004°12,3' W à la marée.", "48°41,7' N 004°12,3' W"),
        ("coordonnées GPS transmises : 46.5802, 0.3404 par l'appelant", "46.5802, 0.3404"),
        ("randonneuse localisée à 42.8816,1.9027 vers midi", "42.8816,1.9027"),
    ],
)
def test_coordinates_are_places(text: str, place: str) -> None:
    assert place in _addresses(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hb 11.4, 3.2105 g/dL au contrôle",
        "position assise, glycémie 1.254, 6.789 mmol/L",
        "point de ponction 1.2, 3.4 cm du bord",
        "position 12.345, 6.789 % de la dose",
        "ratio 0.8215, 1.0342 sans unité",
    ],
)
def test_numbers_that_are_not_coordinates(text: str) -> None:
    assert not any(ch.isdigit() for found in _addresses(text) for ch in found)


# A motorway and its exit place an accident.


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("collision sur l'A10 sortie 23 vers 7 h", "A10 sortie 23"),
        (
            "accident sur l'A 61 entre les sorties 4 et 5, deux véhicules",
            "A 61 entre les sorties 4 et 5",
        ),
        ("choc frontal sur l'A36, à la sortie n° 9", "A36, à la sortie n° 9"),
    ],
)
def test_motorway_exits(text: str, place: str) -> None:
    assert place in _addresses(text)


@pytest.mark.parametrize(
    "text",
    ["score A2 à la sortie du bloc", "classe A1 puis sortie J3", "vitamine A 3 sorties prévues"],
)
def test_not_motorway_exits(text: str) -> None:
    assert not any("sortie" in found for found in _addresses(text))


# Eponyms, products and acronyms the recogniser took for people or places.


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Troubles du langage : aphasie de Broca modérée.", "Broca"),
        ("Dose reportée sur le nomogramme de Rumack-Matthew à H6.", "Rumack-Matthew"),
        ("Hanche en incidence de Lauenstein, classification de Herring B.", "Lauenstein"),
        ("Plaie des fléchisseurs en zone III de Verdan.", "Verdan"),
        ("Remplissage par Ringer lactate 500 mL.", "Ringer"),
        ("Suture par Steri-Strip après Meopa.", "Steri-Strip"),
        ("Suture par Steri-Strip après Meopa.", "Meopa"),
        ("Prélèvement sur tube Vacutainer sec.", "Vacutainer"),
        ("Hyponatrémie par SIADH probable.", "SIADH"),
        ("Sérologies : Ag HBs négatif.", "HBs"),
        ("Respiration agonique. Gasps à l'arrivée.", "Gasps"),
    ],
)
def test_medical_terms_are_kept(text: str, term: str) -> None:
    assert _kept(text, term)


# An arrondissement, a campsite pitch, a street corner, a zone of shops, a school or a
# charity and a workplace by its town.


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("sa sœur vit à Paris 18e depuis un an", "Paris 18e"),
        ("adresse : Marseille 13ème, près du métro", "Marseille 13ème"),
        (
            "logé au Camping des Chênes, emplacement 42, 30240 Le Grau-du-Roi",
            "Camping des Chênes, emplacement 42, 30240 Le Grau-du-Roi",
        ),
        (
            "chute à l'angle de la rue Gambetta et du boulevard Jean Jaurès, 59000 Lille.",
            "angle de la rue Gambetta et du boulevard Jean Jaurès, 59000 Lille",
        ),
        ("malaise au Lidl de la zone de Kerlann, à midi", "Lidl de la zone de Kerlann"),
        ("cariste sur la zone industrielle des Sablons", "zone industrielle des Sablons"),
        ("il prépare un master à Sciences Po Lille", "Sciences Po Lille"),
        ("bénévole à la Banque alimentaire du Finistère", "Banque alimentaire du Finistère"),
    ],
)
def test_round14_places(text: str, place: str) -> None:
    assert place in _addresses(text)


@pytest.mark.parametrize(
    "text",
    [
        "Enfant de Paris 2 ans plus tard",
        "Douleur à l'angle de la mâchoire et du cou",
        "Lésion de la zone de Head au dermatome T10",
        "atteinte de la zone de Broca",
        "sciences politiques à Reims",
    ],
)
def test_round14_not_places(text: str) -> None:
    assert _addresses(text) == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("ancien docker au port de Brest, asbestose", "Brest"),
        ("bûcheron de l'ONF de Saint-Dié-des-Vosges", "Saint-Dié-des-Vosges"),
    ],
)
def test_workplace_towns(text: str, term: str) -> None:
    assert term not in scrub(text).text


def test_port_of_loads_is_no_workplace() -> None:
    assert _kept("port de charges lourdes interdit", "port de charges")


# Every name of a list after a plural title; a name glued to a lower-case word is a word.


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("RCP : Drs Quéméner, Le Bihan (chirurgie), Pellen (radiologie).", "Pellen"),
        ("RCP : Drs Quéméner, Le Bihan (chirurgie), Pellen (radiologie).", "Le Bihan"),
        ("Vu par les Drs Tanguy et Morvan ce matin.", "Morvan"),
    ],
)
def test_names_listed_after_a_plural_title(text: str, name: str) -> None:
    assert name not in scrub(text).text


def test_plural_title_without_names() -> None:
    assert _kept("les Drs du service ont validé", "les Drs du service ont validé")


def test_name_glued_to_a_lower_case_word_is_kept() -> None:
    assert _kept("Choix :\nA. Surveillance\nC. Lobo-isthmectomie gauche", "Lobo-isthmectomie")


@pytest.mark.parametrize("clock", ["3h40", "11 h 05", "07:30"])
def test_clock_time_is_no_learned_address(clock: str) -> None:
    text = f"Réquisition : examiné M. Kévin Morel à {clock}. Plaie du front suturée."
    start = text.index(clock)
    assert learned._address(text, start, start + len(clock), []) is None


def test_house_number_stays_a_learned_address() -> None:
    text = "Il habite 12 rue des Lilas depuis mai."
    start = text.index("12 rue")
    assert learned._address(text, start, start + len("12 rue des Lilas"), []) is not None
