"""Identifiers spoken in words, read by OCR or written by machines (machine_text.find)."""

from __future__ import annotations

import pytest

from maillage.deid.machine_text import find, spoken_number_atoms
from maillage.deid.patterns import Candidate


def _spans(text: str) -> list[tuple[str, str]]:
    return sorted({(text[c.start : c.end], c.kind) for c in find(text)})


def _kinds(found: list[Candidate]) -> set[str]:
    return {c.kind for c in found}


# --- number words ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("spoken", "values"),
    [
        ("soixante-dix-huit", [78]),
        ("quatre-vingt-dix-neuf", [99]),
        ("quatre-vingts", [80]),
        ("cinquante et un", [51]),
        ("soixante et onze", [71]),
        ("trois cent cinquante", [350]),
        ("mille neuf cent quarante-huit", [1948]),
        ("vingt-deux mille cent trente et un", [22131]),
        ("zéro sept douze", [0, 7, 12]),
        ("cent un", [101]),
    ],
)
def test_spoken_numbers_are_read(spoken: str, values: list[int]) -> None:
    assert [a.value for a in spoken_number_atoms(f"il dit {spoken} puis")] == values


# --- spoken phones, NIR, e-mails ---------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "zéro sept vingt-huit quatorze soixante et un trente-trois",
        "zéro un quatre-vingt-dix-sept douze zéro huit cinquante",
        "zéro cinq seize, quarante, quatre-vingt-un, trente, sept",
    ],
)
def test_spoken_phone_is_found(phone: str) -> None:
    text = f"sa fille demande qu'on la rappelle au {phone} avant midi"
    assert (phone, "phone") in _spans(text)


def test_spoken_international_phone_keeps_its_prefix() -> None:
    phone = "plus trente-trois sept dix-huit vingt-deux trente et un quarante"
    text = f"le mari est joignable au {phone} le soir"
    assert (phone, "phone") in _spans(text)


def test_spoken_nir_with_its_key_is_found() -> None:
    # 2 84 07 75 112 044, key 70 (97 - 2840775112044 mod 97): checked, so no keyword needed.
    nir = "deux huit quatre zéro sept sept cinq un un deux zéro quatre quatre clé soixante-dix"
    text = f"elle donne son numéro {nir} puis raccroche"
    assert (nir, "nir") in _spans(text)


def test_spoken_nir_without_key_needs_its_keyword() -> None:
    nir = "deux huit quatre zéro sept sept cinq un un deux zéro quatre quatre"
    assert "nir" not in _kinds(find(f"elle lit {nir} puis se tait"))
    found = find(f"numéro de sécurité sociale {nir} clé trente")
    assert _kinds(found) == {"nir"}  # the phone-like digits inside it are part of it


def test_spoken_nir_after_its_keyword_without_key() -> None:
    nir = "un cinq neuf zéro trois sept cinq un un deux zéro quatre quatre"
    text = f"numéro de sécurité sociale {nir} adressé pour bilan"
    assert (nir, "nir") in _spans(text)


def test_spelt_email_is_found() -> None:
    email = "paul tiret henri point marchand arobase orange point fr"
    text = f"il faut écrire à {email} pour les résultats"
    assert (email, "email") in _spans(text)


# --- ages, dates of birth ------------------------------------------------------------


@pytest.mark.parametrize(
    "age", ["quatre-vingt-dix-sept ans", "cent trois ans", "quatre-vingt-onze ans"]
)
def test_spoken_age_over_89_is_found(age: str) -> None:
    text = f"patiente de {age} vivant à domicile"
    assert (age, "age") in _spans(text)


@pytest.mark.parametrize(
    "text",
    [
        "patient de quatre-vingts ans, quatre-vingt-neuf ans pour son épouse",
        "arrêt depuis quatre-vingt-douze ans",
    ],
)
def test_spoken_age_up_to_89_or_a_duration_stays(text: str) -> None:
    assert "age" not in _kinds(find(text))


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("patiente née le trois juin cinquante-deux suivie pour", "trois juin cinquante-deux"),
        ("monsieur né le premier octobre trente-huit vu ce jour", "premier octobre trente-huit"),
        ("patient né en soixante-quatorze sans antécédent", "soixante-quatorze"),
        ("je suis née le douze/onze/quarante-neuf voilà", "douze/onze/quarante-neuf"),
    ],
)
def test_spoken_date_of_birth_is_found(text: str, date: str) -> None:
    assert (date, "date") in _spans(text)


# --- addresses in words ---------------------------------------------------------------


def test_spoken_house_number_and_postcode_are_found() -> None:
    text = "il habite au vingt-six rue des Lilas trente et un mille Toulouse depuis peu"
    spans = _spans(text)
    assert ("vingt-six rue des Lilas", "address") in spans or (
        "vingt-six rue des Lilas trente et un mille Toulouse",
        "address",
    ) in spans
    found = {text[c.start : c.end] for c in find(text) if c.kind == "address"}
    assert any("trente et un mille Toulouse" in f for f in found)


def test_spoken_postcode_needs_a_town_after_it() -> None:
    text = "plaquettes à vingt mille CRP cent vingt"
    assert "address" not in _kinds(find(text))


# --- medical prose keeps its numbers ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "deux comprimés trois fois par jour pendant dix jours",
        "clairance à quarante-deux millilitres par minute, BNP à six cent trente",
        "glycémie capillaire un gramme dix, hémoglobine douze grammes",
        "score de Glasgow quinze, EVA à sept sur dix, poids cent deux kilos",
        "furosémide quarante milligrammes, vingt mille UI de vitamine D",
        "tension douze huit, pouls quatre-vingt-douze, saturation quatre-vingt-dix-huit",
        "troponine neuf puis onze à H3, PSA à douze",
    ],
)
def test_number_words_of_medical_prose_stay(text: str) -> None:
    assert find(text) == []


# --- OCR -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone", ["04 9O 12 77 31", "O3 80 44 21 19", "01.45.7l.30.22", "02 41 88 19 OO"]
)
def test_ocr_letters_in_a_phone_are_read_as_digits(phone: str) -> None:
    text = f"Secrétariat : {phone}\n"
    assert (phone, "phone") in _spans(text)


@pytest.mark.parametrize("date", ["2O/O3/1962", "11.O9.1971", "O7 / 1O / 1938"])
def test_ocr_letters_in_a_date_are_read_as_digits(date: str) -> None:
    text = f"Né le : {date}\n"
    assert (date, "date") in _spans(text)


def test_ocr_digits_in_known_upper_case_names() -> None:
    text = "ASSURÉ : M. B0NNET\nAYANT DROIT : S0PHIE B0NNET (fille)"
    spans = _spans(text)
    assert ("B0NNET", "name") in spans
    assert ("S0PHIE B0NNET", "name") in spans


@pytest.mark.parametrize(
    "text", ["sous O2 3 L/min", "HbA1c à 7,1 %", "vitamine B12 normale", "CO2 42"]
)
def test_ocr_rules_leave_medical_tokens(text: str) -> None:
    assert find(text) == []


# --- digits typed one by one ---------------------------------------------------------------


def test_spaced_rpps_and_phone_are_joined() -> None:
    text = "Dr X, RPPS 1 0 0 0 3 4 5 6 7 8 9, tél 05 56 7 9 12 40."
    spans = _spans(text)
    assert ("1 0 0 0 3 4 5 6 7 8 9", "rpps") in spans
    assert ("05 56 7 9 12 40", "phone") in spans


def test_spaced_date_of_birth_is_joined() -> None:
    text = "DDN : 1 4/ 0 2/ 1 9 5 8   SEXE : M"
    assert ("1 4/ 0 2/ 1 9 5 8", "date") in _spans(text)


def test_slash_between_two_phones_is_not_a_date() -> None:
    text = "TEL 0596 41 22 18 / 0696 30 O2 47"
    assert ("0696 30 O2 47", "phone") in _spans(text)


# --- dates written by machines --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("OBR|1||X|||20251103142200", "20251103"),
        ("DTSTART:20260119T091500Z", "20260119"),
        ("Sent: Tuesday, March 10, 2026 9:12 AM", "March 10, 2026"),
        ("Date : 1948.07.21", "1948.07.21"),
        ("[mer. 4 févr. 2026 18:40] Julie :", "mer. 4 févr. 2026 18:40"),
        ("[03/02] 08h45 passage IDE", "03/02"),
    ],
)
def test_machine_written_dates_are_found(text: str, date: str) -> None:
    assert (date, "date") in _spans(text)


@pytest.mark.parametrize(
    "text",
    ["TA 13/08 à 14h00", "lot 20261399 périmé", "dossier 12345678", "Apgar 09/10 à 10:00"],
)
def test_numbers_that_are_no_dates_stay(text: str) -> None:
    assert "date" not in _kinds(find(text))


# --- HL7 ------------------------------------------------------------------------------------


def test_hl7_patient_fields_are_found() -> None:
    text = (
        "PID|1||123456^^^LAB||DUVAL^MARTINE^^^MME||19520311|F|||"
        "8 IMPASSE DES PINS^^AVIGNON^^84000^FRA||0490112233\n"
        "OBX|1|NM|GLU^Glucose||1.02|g/L"
    )
    spans = _spans(text)
    assert ("DUVAL^MARTINE", "name") in spans
    assert ("8 IMPASSE DES PINS^^AVIGNON^^84000^FRA", "address") in spans
    assert ("19520311", "date") in spans
    assert ("0490112233", "phone") in spans
    assert not any("Glucose" in s for s, _k in spans)


def test_spoken_rpps_after_its_keyword() -> None:
    rpps = "un zéro zéro un deux trois quatre cinq six sept huit"
    assert (rpps, "rpps") in _spans(f"docteur Morin, RPPS {rpps}, merci")
    assert "rpps" not in _kinds(find(f"docteur Morin, {rpps}, merci"))


def test_spoken_date_of_birth_without_slashes_needs_its_cue() -> None:
    date = "dix-neuf onze quarante et un"
    assert (date, "date") in _spans(f"je suis née le {date} et j'appelle")
    assert "date" not in _kinds(find(f"elle a eu {date} points"))


def test_article_before_a_street_type_is_no_house_number() -> None:
    text = "elle habite un hameau de Saint-Avit, loin de tout"
    assert "address" not in _kinds(find(text))


def test_spoken_nir_read_in_groups() -> None:
    nir = "deux, quatre-vingt-quatre, zéro sept, soixante-quinze, cent douze, zéro quarante-quatre"
    text = f"numéro de sécu {nir} merci"
    assert (nir, "nir") in _spans(text)


def test_spoken_postcode_in_three_parts() -> None:
    text = "elle vit au trois rue des Lilas soixante-quinze zéro douze Paris"
    found = {text[c.start : c.end] for c in find(text) if c.kind == "address"}
    assert any(f.endswith("soixante-quinze zéro douze Paris") for f in found)


def test_term_of_birth_is_no_year() -> None:
    assert "date" not in _kinds(find("bébé né en trente-deux semaines, réanimé"))


def test_email_typed_with_spaces_around_the_at_sign() -> None:
    email = "claire.morel @ laposte.net"
    assert (email, "email") in _spans(f"adresse : {email} merci")


def test_ocr_letters_in_a_postcode_and_an_rpps() -> None:
    text = "Cabinet, 4 rue Haute 75O12 Paris, RPPS 1OO03458792"
    spans = _spans(text)
    assert ("1OO03458792", "rpps") in spans
    assert any(k == "address" and s.endswith("75O12 Paris") for s, k in spans)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Sent: 11/30/2026 8:14 AM", "11/30/2026"),
        ("DDN : 15041973 SEXE : F", "15041973"),
    ],
)
def test_us_and_cued_compact_dates(text: str, date: str) -> None:
    assert (date, "date") in _spans(text)


@pytest.mark.parametrize("text", ["dossier 15041973", "TA 12/8, EVA 7/10, 4/15 séances faites"])
def test_compact_numbers_and_fractions_stay(text: str) -> None:
    assert "date" not in _kinds(find(text))


def test_hl7_ordering_provider_is_a_name() -> None:
    fields = ["OBR", "1", "A1", "B2", "GLU^Glucose", "", "", "20261207", *[""] * 8]
    text = "|".join([*fields, "4567^MARTIN^PAUL^^^DR", "", ""])
    assert ("MARTIN^PAUL", "name") in _spans(text)


def test_range_of_days_in_words() -> None:
    text = "hospitalisée du quatorze au vingt et un mars pour une pneumopathie"
    spans = _spans(text)
    assert ("quatorze", "date") in spans
    assert ("vingt et un mars", "date") in spans
    assert "date" not in _kinds(find("deux au trois comprimés, du deux au trois par jour"))


def test_hl7_placeholders_left_by_a_first_scrub_are_no_address() -> None:
    text = "PID|1||IPP1^^^LAB||[NOM]^^^M.||[DATE]|M|||[ADRESSE]||[TÉLÉPHONE]"
    assert find(text) == []
