"""Tests des identifiants de santé (NIR, RPPS, ADELI, FINESS, IDNPS).

Aucun accès à la base : fonctions pures. Les erreurs sont comparées par
``code`` ; seuls les tests qui rendent un message ont besoin des réglages.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from maillage.core.identifiers import (
    RppsCheck,
    format_nir,
    idnps_from_rpps,
    is_valid_nir,
    luhn_check_digit,
    luhn_ok,
    mask_nir,
    nir_key,
    normalize_nir,
    normalize_rpps,
    validate_adeli,
    validate_finess,
    validate_nir,
    validate_rpps,
)

KNOWN_VALID_NIRS = {
    "2 95 10 99 126 111 93": "295109912611193",
    "253072B07300470": "253072B07300470",
    "253072A07300443": "253072A07300443",
    "1 00 01 75 101 001 51": "100017510100151",
}

BULLETS_AFTER_YEAR = "•• •• ••• ••• ••"


def _code_of(validator: Callable[[str], Any], value: str) -> str | None:
    """Code de la ValidationError levée par ``validator``, ou None si valide."""
    try:
        validator(value)
    except ValidationError as error:
        return error.code
    return None


def _error_code(value: str) -> str | None:
    return _code_of(validate_nir, value)


def _arabic_indic(digits: str) -> str:
    return "".join(chr(0x0660 + int(c)) for c in digits)


def _with_key(body: str) -> str:
    return f"{body}{nir_key(body):02d}"


def _reference_key(body: str) -> int:
    """Clé calculée selon la formulation INSEE, indépendante du module.

    Pour la Corse, A/B est remplacé par 0 puis on retranche 1 000 000 (2A)
    ou 2 000 000 (2B) au nombre obtenu.
    """
    department = body[5:7]
    if department in {"2A", "2B"}:
        number = int(body[:5] + "20" + body[7:])
        number -= 1_000_000 if department == "2A" else 2_000_000
    else:
        number = int(body)
    return 97 - number % 97


def _digits(size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=string.digits, min_size=size, max_size=size)


MONTHS = [f"{m:02d}" for m in [*range(1, 13), *range(20, 43), *range(50, 100)]]
DEPARTMENTS = [f"{d:02d}" for d in range(1, 100)] + ["2A", "2B"]

nir_bodies = st.builds(
    lambda sex, year, month, department, commune, order: (
        sex + year + month + department + commune + order
    ),
    st.sampled_from("123478"),
    _digits(2),
    st.sampled_from(MONTHS),
    st.sampled_from(DEPARTMENTS),
    _digits(3),
    _digits(3),
)
valid_nirs = nir_bodies.map(_with_key)


# ---------------------------------------------------------------------------
# NIR : valeurs connues
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "normalised"), KNOWN_VALID_NIRS.items())
def test_known_valid_nirs_validate_and_come_back_normalised(raw: str, normalised: str) -> None:
    assert validate_nir(raw) == normalised
    assert is_valid_nir(raw)


def test_nir_typed_with_dots_dashes_and_lowercase_corsica_is_normalised() -> None:
    assert validate_nir("2.53.07.2b.073.004-70") == "253072B07300470"
    assert validate_nir("\t2 53 07\u00a02a 073 004 43 ") == "253072A07300443"


def test_corsican_nir_uses_19_and_18_for_the_key() -> None:
    assert nir_key("253072A073004") == 43
    assert nir_key("253072B073004") == 70
    assert nir_key("253072A073004") == nir_key("2530719073004")
    assert nir_key("253072B073004") == nir_key("2530718073004")


def test_swapping_2a_and_2b_in_a_corsican_nir_breaks_the_key() -> None:
    assert _error_code("253072B07300443") == "nir_key"
    assert _error_code("253072A07300470") == "nir_key"


def test_only_the_department_positions_get_the_corsican_substitution() -> None:
    # Un remplacement aveugle de "2A" ferait de ce corps "1190175101001".
    with pytest.raises(ValueError, match="chiffres"):
        nir_key("12A0175101001")


@pytest.mark.parametrize(
    "nir",
    ["295109912611194", "295109912611192", "253072B07300471", "100017510100115"],
)
def test_nir_with_a_wrong_key_is_rejected_with_the_nir_key_code(nir: str) -> None:
    assert _error_code(nir) == "nir_key"
    assert not is_valid_nir(nir)


@pytest.mark.parametrize(
    "value",
    ["", "2951099126111", "29510991261119", "2951099126111930", "2 95 10 99 126 111"],
)
def test_nir_of_the_wrong_length_is_rejected_with_the_nir_length_code(
    value: str,
) -> None:
    assert _error_code(value) == "nir_length"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("5951099126111", "sexe 5"),
        ("0951099126111", "sexe 0"),
        ("2950099126111", "mois 00"),
        ("2951399126111", "mois 13"),
        ("2951999126111", "mois 19"),
        ("2954399126111", "mois 43"),
        ("2954999126111", "mois 49"),
        ("2951000126111", "département 00"),
    ],
)
def test_nir_with_an_impossible_field_is_rejected_with_the_nir_format_code(
    body: str, reason: str
) -> None:
    # La clé est correcte : seule la vérification de format peut échouer.
    assert _error_code(_with_key(body)) == "nir_format", reason


@pytest.mark.parametrize("nir", ["29510991A611193", "2951099126B1193", "2951099126111A3"])
def test_nir_with_a_letter_outside_the_department_is_rejected(nir: str) -> None:
    assert _error_code(nir) == "nir_format"


@pytest.mark.parametrize("department", ["2C", "3A", "A2", "2Z"])
def test_only_2a_and_2b_are_accepted_as_lettered_departments(department: str) -> None:
    assert _error_code(f"25307{department}07300443") == "nir_format"


def test_non_ascii_digits_are_not_mistaken_for_a_valid_nir() -> None:
    assert _error_code(_arabic_indic("295109912611193")) == "nir_format"
    assert _error_code("29510991261119³") == "nir_format"


@pytest.mark.parametrize("month", ["01", "12", "20", "42", "50", "99"])
def test_months_used_for_incomplete_civil_records_are_accepted(month: str) -> None:
    assert is_valid_nir(_with_key(f"195{month}75101001"))


@pytest.mark.parametrize("department", ["01", "20", "95", "96", "97", "98", "99"])
def test_overseas_abroad_and_historical_departments_are_accepted(
    department: str,
) -> None:
    assert is_valid_nir(_with_key(f"19501{department}101001"))


@pytest.mark.parametrize("sex", ["1", "2", "3", "4", "7", "8"])
def test_permanent_and_provisional_sex_digits_are_accepted(sex: str) -> None:
    assert is_valid_nir(_with_key(f"{sex}950175101001"))


def test_a_body_divisible_by_97_has_key_97_not_00() -> None:
    body = next(
        candidate for order in range(1000) if int(candidate := f"1000175101{order:03d}") % 97 == 0
    )
    assert nir_key(body) == 97
    assert is_valid_nir(body + "97")
    assert _error_code(body + "00") == "nir_key"


@pytest.mark.parametrize("body", ["", "295109912611", "29510991261119", "2951O99126111"])
def test_nir_key_rejects_anything_but_a_13_character_numeric_body(body: str) -> None:
    with pytest.raises(ValueError, match="NIR"):
        nir_key(body)


def test_nir_error_messages_are_in_french() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_nir("295109912611194")
    assert "clé" in " ".join(excinfo.value.messages)


# ---------------------------------------------------------------------------
# NIR : présentation et masquage
# ---------------------------------------------------------------------------


def test_format_nir_groups_digits_for_display() -> None:
    assert format_nir("295109912611193") == "2 95 10 99 126 111 93"
    assert format_nir("253072b07300470") == "2 53 07 2B 073 004 70"
    assert format_nir("2.95.10.99.126.111.93") == "2 95 10 99 126 111 93"


def test_format_nir_leaves_a_value_of_the_wrong_length_ungrouped() -> None:
    assert format_nir("2 95 10 99") == "2951099"


def test_mask_nir_shows_only_sex_and_year() -> None:
    assert mask_nir("295109912611193") == "2 95 •• •• ••• ••• ••"
    assert mask_nir("2 53 07 2B 073 004 70") == "2 53 •• •• ••• ••• ••"


def test_mask_nir_hides_everything_in_a_malformed_value() -> None:
    masked = mask_nir("2951099126111")
    assert masked == "• •• •• •• ••• ••• ••"
    assert not any(char.isdigit() for char in masked)
    assert mask_nir("") == ""


# ---------------------------------------------------------------------------
# NIR : propriétés
# ---------------------------------------------------------------------------


@given(nir_bodies)
@example("253072A073004")
@example("253072B073004")
def test_any_valid_body_with_its_computed_key_validates(body: str) -> None:
    key = nir_key(body)
    assert key == _reference_key(body)
    assert 1 <= key <= 97
    nir = f"{body}{key:02d}"
    assert validate_nir(nir) == nir


@given(valid_nirs, st.data())
def test_changing_any_single_digit_of_a_valid_nir_makes_it_invalid(
    nir: str, data: st.DataObject
) -> None:
    positions = [i for i, char in enumerate(nir) if char.isdigit()]
    index = data.draw(st.sampled_from(positions), label="position")
    digit = data.draw(st.sampled_from([d for d in string.digits if d != nir[index]]), label="digit")
    mutated = nir[:index] + digit + nir[index + 1 :]
    # Jamais valide : soit le format casse, soit la clé mod 97 ne colle plus
    # (97 est premier, donc ne divise aucun d x 10^k avec 0 < |d| < 10).
    assert _error_code(mutated) in {"nir_format", "nir_key"}


@pytest.mark.parametrize("nir", KNOWN_VALID_NIRS.values())
def test_mod_97_key_catches_every_single_digit_substitution_of_known_nirs(
    nir: str,
) -> None:
    caught_by_key = 0
    for index, char in enumerate(nir):
        if not char.isdigit():
            continue
        for digit in string.digits.replace(char, ""):
            code = _error_code(nir[:index] + digit + nir[index + 1 :])
            assert code in {"nir_format", "nir_key"}, (index, digit)
            caught_by_key += code == "nir_key"
    # La plupart des substitutions gardent un format plausible : la clé doit
    # réellement faire le travail, pas seulement la vérification de format.
    assert caught_by_key > 80


@given(st.text())
@example("2 95 10 99 126 111 93")
@example("ß.-\u00a0a")
def test_normalising_a_nir_twice_changes_nothing(value: str) -> None:
    once = normalize_nir(value)
    assert normalize_nir(once) == once
    assert not any(char in " .-" for char in once)


@given(valid_nirs)
def test_formatted_nir_normalises_back_and_formatting_is_idempotent(nir: str) -> None:
    formatted = format_nir(nir)
    assert normalize_nir(formatted) == nir
    assert format_nir(formatted) == formatted
    assert mask_nir(formatted) == f"{nir[0]} {nir[1:3]} {BULLETS_AFTER_YEAR}"


@given(valid_nirs, st.data())
def test_valid_nir_with_arbitrary_separators_and_case_still_validates(
    nir: str, data: st.DataObject
) -> None:
    separators = data.draw(st.lists(st.text(alphabet=" .-", max_size=2), min_size=16, max_size=16))
    decorated = "".join(sep + char for sep, char in zip(separators, nir, strict=False))
    decorated += separators[-1]
    assert validate_nir(decorated.lower()) == nir


@given(st.one_of(st.text(), st.text(alphabet="0123456789ABab .-", max_size=20)))
def test_arbitrary_text_never_raises_anything_but_validation_error(value: str) -> None:
    code = _error_code(value)
    assert code in {None, "nir_length", "nir_format", "nir_key"}
    assert is_valid_nir(value) is (code is None)
    if code is None:
        assert len(validate_nir(value)) == 15
    # Les fonctions d'affichage ne lèvent jamais non plus.
    format_nir(value)
    assert all(not char.isdigit() for char in mask_nir(value)[4:])


# ---------------------------------------------------------------------------
# RPPS / IDNPS
# ---------------------------------------------------------------------------


def test_rpps_passing_luhn_is_accepted_without_warning() -> None:
    check = validate_rpps("10005173140")
    assert check == RppsCheck(value="10005173140", luhn_ok=True)
    assert check.warning is None


def test_rpps_failing_luhn_is_still_accepted_with_a_french_warning() -> None:
    check = validate_rpps("10101201234")
    assert check.value == "10101201234"
    assert check.luhn_ok is False
    assert check.warning is not None
    assert "Annuaire santé" in check.warning


def test_rpps_check_is_immutable() -> None:
    check = validate_rpps("10005173140")
    with pytest.raises(AttributeError):
        check.luhn_ok = False  # type: ignore[misc]


def test_rpps_typed_with_spaces_is_normalised() -> None:
    assert normalize_rpps(" 100 051 731 40\u00a0") == "10005173140"
    assert validate_rpps("1 00 05 17 31 40").value == "10005173140"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "1000517314",
        "100051731400",
        "1000517314A",
        "10005-173140",
        _arabic_indic("10005173140"),
    ],
)
def test_rpps_that_is_not_exactly_11_digits_is_rejected(value: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_rpps(value)
    assert excinfo.value.code == "rpps_format"


@pytest.mark.parametrize("value", ["", "abc", "1000517314O", _arabic_indic("10005173140")])
def test_luhn_rejects_empty_and_non_digit_input(value: str) -> None:
    assert luhn_ok(value) is False


def test_luhn_check_digit_refuses_non_digits() -> None:
    with pytest.raises(ValueError, match="chiffres"):
        luhn_check_digit("12a")


@given(_digits(10))
@example("1000517314")
def test_appending_the_right_luhn_digit_to_any_10_digits_passes(partial: str) -> None:
    passing = [d for d in range(10) if luhn_ok(f"{partial}{d}")]
    assert passing == [luhn_check_digit(partial)]
    assert validate_rpps(f"{partial}{passing[0]}").luhn_ok


@given(_digits(10), st.data())
def test_changing_any_single_digit_of_a_luhn_valid_number_fails(
    partial: str, data: st.DataObject
) -> None:
    valid = f"{partial}{luhn_check_digit(partial)}"
    index = data.draw(st.integers(min_value=0, max_value=10), label="position")
    digit = data.draw(
        st.sampled_from([d for d in string.digits if d != valid[index]]), label="digit"
    )
    mutated = valid[:index] + digit + valid[index + 1 :]
    assert not luhn_ok(mutated)
    assert validate_rpps(mutated).luhn_ok is False


@given(st.text())
def test_arbitrary_text_only_ever_fails_rpps_with_validation_error(value: str) -> None:
    code = _code_of(validate_rpps, value)
    assert code in {None, "rpps_format"}
    if code is None:
        check = validate_rpps(value)
        assert len(check.value) == 11
        assert check.value.isascii()
        assert check.value.isdigit()


def test_idnps_is_8_followed_by_the_rpps() -> None:
    assert idnps_from_rpps("10005173140") == "810005173140"
    assert idnps_from_rpps("100 051 731 40") == "810005173140"


def test_idnps_refuses_a_malformed_rpps() -> None:
    with pytest.raises(ValidationError) as excinfo:
        idnps_from_rpps("1000517314")
    assert excinfo.value.code == "rpps_format"


# ---------------------------------------------------------------------------
# ADELI / FINESS
# ---------------------------------------------------------------------------


def test_adeli_of_9_digits_is_accepted_without_spaces() -> None:
    assert validate_adeli("751234567") == "751234567"
    assert validate_adeli(" 75 123 4567 ") == "751234567"


@pytest.mark.parametrize("value", ["", "75123456", "7512345678", "75123456A", "2A1234567"])
def test_adeli_that_is_not_exactly_9_digits_is_rejected(value: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_adeli(value)
    assert excinfo.value.code == "adeli_format"


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("750712184", "750712184"),
        ("2A0000123", "2A0000123"),
        ("2b 000 0123", "2B0000123"),
        ("97 100 0123", "971000123"),
    ],
)
def test_finess_with_numeric_or_corsican_department_is_accepted(
    value: str, normalised: str
) -> None:
    assert validate_finess(value) == normalised


@pytest.mark.parametrize(
    "value",
    ["", "75071218", "7507121845", "2C0000123", "A20000123", "75071218X", "3A0000123"],
)
def test_finess_with_bad_length_or_characters_is_rejected(value: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_finess(value)
    assert excinfo.value.code == "finess_format"


@given(st.text())
def test_arbitrary_text_only_ever_fails_adeli_or_finess_with_validation_error(
    value: str,
) -> None:
    for validator, expected_code in (
        (validate_adeli, "adeli_format"),
        (validate_finess, "finess_format"),
    ):
        code = _code_of(validator, value)
        assert code in {None, expected_code}
        if code is None:
            assert len(validator(value)) == 9
