"""The structural rules on plain profile values (a text breaking them in words: test_linter_rules)."""

from __future__ import annotations

from typing import Any

from maillage.directory.linter import Finding, lint_profile, mentions_emergency_numbers

FEE_SENTENCE = (
    "Seuls peuvent vous être facturés des frais correspondant à une prestation de soins rendue. "
    "Le paiement d'une prestation qui ne correspond pas directement à une prestation de soins "
    "ne peut vous être imposé."
)
VALID_RPPS = "10005173140"  # passes Luhn (REGULATION.md §6.2)
LUHN_FAILING_RPPS = "10101201234"


def _profile(**overrides: Any) -> list[Finding]:
    values: dict[str, Any] = {
        "last_name": "Fontaine",
        "first_names": "Claire Marie",
        "postal_address": "12 rue des Carmes, 54000 Nancy",
        "email": "cabinet.fontaine@example.org",
        "phone": "03 83 12 34 56",
        "rpps": VALID_RPPS,
        "specialty": "medecine-generale",
        "sector": "1",
        "fees_text": f"Consultation : 30 €. {FEE_SENTENCE}",
        "offers_booking": True,
        "offers_teleconsultation": True,
        "emergency_info_present": True,
        "consent_recorded": True,
    }
    values.update(overrides)
    return lint_profile(**values)


def _codes(findings: list[Finding]) -> set[tuple[str, str | None, str]]:
    return {(f.rule, f.field, f.severity) for f in findings}


def test_a_complete_profile_has_no_finding() -> None:
    assert _profile() == []


def test_findings_carry_no_text_offsets_and_a_message() -> None:
    (finding,) = _profile(last_name=" ")
    assert (finding.start, finding.end, finding.field) == (0, 0, "last_name")
    assert finding.message


def test_missing_required_fields_are_l01_errors() -> None:
    findings = _profile(
        first_names="", postal_address="", email="pas-une-adresse", phone="12", sector=""
    )
    assert {
        ("L01", field, "error")
        for field in ("first_names", "postal_address", "email", "phone", "sector")
    } <= _codes(findings)


def test_rpps_must_have_eleven_digits() -> None:
    assert ("L01", "rpps", "error") in _codes(_profile(rpps="1000517314"))
    assert ("L01", "rpps", "error") in _codes(_profile(rpps="1000517314A"))


def test_a_luhn_mismatch_is_only_a_warning() -> None:
    assert _codes(_profile(rpps=LUHN_FAILING_RPPS)) == {("L01", "rpps", "warning")}


def test_spaced_rpps_and_international_phone_are_accepted() -> None:
    assert _profile(rpps="100 051 731 40", phone="+33 3 83 12 34 56") == []


def test_specialty_must_come_from_the_ordre_list() -> None:
    assert ("L01", "specialty", "error") in _codes(_profile(specialty="medecine-esthetique"))
    assert _profile(specialty="cardiologie") == []


def test_teleconsultation_without_the_fee_sentence_is_an_l02_error() -> None:
    findings = _profile(offers_booking=False, fees_text="Consultation : 30 €.")
    assert _codes(findings) == {("L02", "fees_text", "error")}


def test_booking_without_any_fees_is_an_l02_error() -> None:
    assert ("L02", "fees_text", "error") in _codes(_profile(fees_text=""))


def test_fees_are_not_required_without_booking_or_teleconsultation() -> None:
    assert _profile(offers_booking=False, offers_teleconsultation=False, fees_text="") == []


def test_the_fee_sentence_is_recognised_despite_typography() -> None:
    typographic = FEE_SENTENCE.replace("'", "\u2019").replace(" ", "  ").upper()
    assert _profile(fees_text=typographic) == []


def test_no_consent_sponsored_placement_and_no_emergency_info() -> None:
    codes = _codes(
        _profile(consent_recorded=False, sponsored_placement=True, emergency_info_present=False)
    )
    assert codes == {
        ("L13", "consent_recorded", "error"),
        ("L14", "sponsored_placement", "error"),
        ("L15", "emergency_info_present", "warning"),
    }


def test_emergency_numbers_in_a_text() -> None:
    assert mentions_emergency_numbers("En cas d'urgence, appelez le 15 ou le 112.")
    assert not mentions_emergency_numbers("Consultation de 15 minutes.")
