"""Thirteenth round: spaced phones, short dates, practitioners' towns, products, home care.

Every sentence here was written for these tests; none is copied from a held-out half.
"""

from __future__ import annotations

import pytest

from maillage.deid import learned, names, patterns
from maillage.deid.text import scrub


def _found(text: str, kind: str) -> list[str]:
    return [text[f.start : f.end] for f in scrub(text).findings if f.kind == kind]


def _kept(text: str, term: str) -> bool:
    return scrub(text).text.count(term) == text.count(term)


# Phones typed with a spaced dot or dash between the pairs.


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("rappeler au 06 . 41 . 22 . 73 . 09 svp", "06 . 41 . 22 . 73 . 09"),
        ("mon numéro 02 - 97 - 55 - 10 - 38 le soir", "02 - 97 - 55 - 10 - 38"),
        ("fixe 0145881203", "0145881203"),
    ],
)
def test_phone_with_spaced_separators(text: str, phone: str) -> None:
    assert phone in [text[c.start : c.end] for c in patterns.find_phones(text)]


@pytest.mark.parametrize(
    "text",
    ["Hb 12 . 4 g/dL", "score 10 . 20 . 30 . 40 . 50", "lot 12 . 34 . 56 . 78 . 90"],
)
def test_spaced_numbers_that_are_not_phones(text: str) -> None:
    assert patterns.find_phones(text) == []


# Day-month dates after a weekday or the last menstrual period; a birth month in digits.


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("chute mardi 14/09 dans l'escalier", "14/09"),
        ("grossesse, DDR : 3/07, échographie prévue", "3/07"),
        ("dernières règles 21/5 environ", "21/5"),
        ("né en 04/1983 à Brest", "04/1983"),
        ("date de naissance : 12/1969", "12/1969"),
    ],
)
def test_short_dates_with_a_cue(text: str, date: str) -> None:
    assert date in [text[c.start : c.end] for c in patterns.find_dates(text)]


@pytest.mark.parametrize(
    "text",
    [
        "TA 14/09 au repos",
        "lundi 3 cp puis 2/j",
        "Apgar 8/10",
        "dimanche 45/12 gouttes",
        "traitement depuis 10/2019",
    ],
)
def test_fractions_and_months_without_a_cue_are_no_dates(text: str) -> None:
    assert patterns.find_dates(text) == []


# The town of a practitioner or of a home visit places the patient.


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("Avis demandé au Dr Quéré, dermatologue à Morlaix.", "Morlaix"),
        ("suivie par une kinésithérapeute à Montbrison", "Montbrison"),
        ("Je prévois une visite à Châtillon-sur-Seine vendredi.", "Châtillon-sur-Seine"),
    ],
)
def test_practitioner_or_visit_town(text: str, town: str) -> None:
    assert town in [text[c.start : c.end] for c in patterns.find_addresses(text)]


@pytest.mark.parametrize(
    "text",
    [
        "cardiologue à la clinique demain",
        "visite à domicile prévue",
        "pneumologue à Dr Martin",
        "psychiatre à J15 de la sortie",
    ],
)
def test_no_town_after_a_practitioner(text: str) -> None:
    assert patterns.find_addresses(text) == []


# "à domicile :" is a way of care, not an address label; "Retour à domicile :" still is.


def test_home_care_heading_is_no_address_label() -> None:
    text = "Soins à domicile : prélèvement NFS, plaquettes le 2/3/2026 chez Mme Roux."
    assert [text[c.start : c.end] for c in patterns.find_addresses(text)] == []


def test_back_home_label_still_opens_an_address() -> None:
    text = "Retour à domicile : 6 allée des Tilleuls, 44000 Nantes"
    assert "6 allée des Tilleuls, 44000 Nantes" in [
        text[c.start : c.end] for c in patterns.find_addresses(text)
    ]


def test_model_address_made_only_of_a_date_is_checked_as_a_place() -> None:
    text = "prélèvement NFS, plaquettes, INR le 4/11/2026 chez lui"
    assert learned._address(text, 0, text.index(" chez"), []) is None


# Products: a word before a dose, after a pill, an injection or an infiltration.


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("reprendre Velmetia 50 mg matin et soir", "Velmetia"),
        ("bolus de Zarvolix 3 mg/kg", "Zarvolix"),
        ("elle prend la pilule Lumerane", "Lumerane"),
        ("infiltration d'Altimex au genou", "Altimex"),
    ],
)
def test_products_are_no_names(text: str, word: str) -> None:
    start = text.index(word)
    assert names._is_product(text, start, start + len(word))


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("appeler Martin 06 12 34 56 78", "Martin"),
        ("donner à Lucie 5 mg de vitamine D", "Lucie"),
        ("vu par Durand hier", "Durand"),
    ],
)
def test_people_before_numbers_stay_names(text: str, word: str) -> None:
    start = text.index(word)
    assert not names._is_product(text, start, start + len(word))


def test_plural_forceps_is_an_eponym_head() -> None:
    text = "Extraction difficile. Pinces de Péan posées."
    assert names.eponym_regions(text) != []


def test_products_kept_end_to_end() -> None:
    text = "Mme Claire Vasseur prend Tahor 20 mg et la pilule Minidril."
    assert "Claire Vasseur" in " ".join(_found(text, "name"))
    assert _kept(text, "Tahor 20 mg")
    assert _kept(text, "Minidril")


# A first name and an age in brackets; a name's initials in brackets; a greeted doctor.


def _rule_names(text: str) -> list[str]:
    return [text[c.start : c.end] for c in names.find_rule_names(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Fratrie : Noélie (7 ans) et Ugo (4 ans).", "Noélie"),
        ("sa cadette Anaïa (3 ans) est gardée", "Anaïa"),
        ("Mme Sandrine Vallet (SV), 52 ans, aide-soignante.", "SV"),
        ("bonjour dr ferrandi, je vous envoie les résultats", "ferrandi"),
        ("allo c'est moi pour ma petite yasmine qui tousse", "yasmine"),
    ],
)
def test_cued_names(text: str, name: str) -> None:
    assert name in _rule_names(text)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Tabac (20 ans) sevré depuis.", "Tabac"),
        ("Diabète (12 ans) sous insuline.", "Diabète"),
        ("Insuffisance Cardiaque (IC) connue.", "IC"),
        ("Mme Sandrine Vallet (AVC), 52 ans.", "AVC"),
        ("bonjour docteur merci, tout va bien", "merci"),
        ("mon petit doigt me dit que non", "doigt"),
    ],
)
def test_no_cued_name(text: str, word: str) -> None:
    assert word not in _rule_names(text)


# A nursery's name, a sports club's initials and town, a canal named without "de".


def _addresses(text: str) -> list[str]:
    return [text[c.start : c.end] for c in patterns.find_addresses(text)]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("La micro-crèche « Les Bambins » a appelé.", "Les Bambins"),
        ("gardé à la crèche Le Petit Prince le mardi", "Le Petit Prince"),
        ("il joue au FC Lorient le samedi", "FC Lorient"),
        ("licenciée à l'US Créteil depuis deux ans", "US Créteil"),
        ("dort près du canal Saint-Denis la nuit", "canal Saint-Denis"),
    ],
)
def test_named_places_of_a_life(text: str, place: str) -> None:
    assert place in _addresses(text)


@pytest.mark.parametrize(
    "text",
    [
        "dilatation du canal de Wirsung",
        "syndrome du canal carpien",
        "la crèche a fermé hier",
        "score AS Tartempion négatif",
        "FC Normale au repos",
    ],
)
def test_no_named_place(text: str) -> None:
    assert _addresses(text) == []


# A nine-digit number right after a practitioner's name is an ADELI number.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kiné libérale, Mme Perrot, 759812345.", ["759812345"]),
        ("suivi par Dr Garnier : 139812345", ["139812345"]),
        ("résultat 759812345 transmis", []),
        ("dossier patient 759812345", []),
    ],
)
def test_adeli_after_a_practitioner(text: str, expected: list[str]) -> None:
    found = patterns.find_health_professional_ids(text)
    assert [text[c.start : c.end] for c in found if c.kind == "adeli"] == expected


# Courts, child welfare and public offices name their seat, not a home.


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("audience au tribunal judiciaire de Périgueux le mois prochain", "Périgueux"),
        ("mesure suivie par l'ASE de Montauban", "Montauban"),
        ("dossier déposé à la CPAM de Roanne", "Roanne"),
    ],
)
def test_seat_of_an_office_is_no_address(text: str, town: str) -> None:
    assert town not in _found(text, "address")


def test_home_town_still_found_beside_an_office() -> None:
    text = "dossier ouvert à la CPAM ; elle habite à Roanne avec sa fille."
    assert "Roanne" in _found(text, "address")


# A message typed in capitals after a greeting is no name; a name in capitals still is.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BONJOUR JE SUIS ENCORE FATIGUÉ DEPUIS LUNDI", []),
        ("Bonjour NOUS AVONS BIEN REÇU", []),
        ("Bonjour Mme DE LA FONTAINE, votre résultat", ["DE LA FONTAINE"]),
        ("Bonjour ROGER MASSON, votre rendez-vous", ["ROGER MASSON"]),
    ],
)
def test_capitals_after_a_greeting(text: str, expected: list[str]) -> None:
    assert sorted(set(_rule_names(text))) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MERCI DOCTEUR. BERNARD GIRAUD 06 11 22 33 44", ["BERNARD GIRAUD"]),
        ("COMPTE RENDU OPERATOIRE DU SERVICE", []),
        ("TENSION ELEVEE CE MATIN", []),
    ],
)
def test_first_name_and_surname_in_capitals(text: str, expected: list[str]) -> None:
    assert sorted(set(_rule_names(text))) == expected
