"""Parcours de soins verdict of a teleconsultation (REGULATION.md §2.2, checklist B2)."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

import pytest
from django.utils import translation

from maillage.accounts.specialties import Specialty
from maillage.billing.parcours import (
    DIRECT_ACCESS_SPECIALTIES,
    ParcoursFacts,
    ParcoursRule,
    ParcoursStatus,
    verdict,
)

REIMBURSABLE, OUTSIDE, TO_CHECK = (
    ParcoursStatus.REIMBURSABLE,
    ParcoursStatus.OUTSIDE,
    ParcoursStatus.TO_CHECK,
)
# An adult with an available médecin traitant who did not refer them, seen by video by a
# cardiologist working alone: outside the parcours. Each case changes only what it tests.
OUTSIDER = ParcoursFacts(
    patient_age=40,
    doctor_is_treating_doctor=False,
    patient_has_treating_doctor=True,
    referred_by_treating_doctor=False,
    doctor_specialty=Specialty.CARDIOLOGY,
    emergency=False,
    treating_doctor_unavailable=False,
    through_territorial_organisation=False,
    lives_in_care_facility=False,
    is_prisoner=False,
    video=True,
)
NO_TREATING_DOCTOR: dict[str, Any] = {"patient_has_treating_doctor": False}


@pytest.mark.parametrize(
    ("changes", "status", "rule"),
    [
        pytest.param({}, OUTSIDE, "outside_parcours", id="outside-parcours"),
        pytest.param({"video": False}, OUTSIDE, "not_video", id="audio-only"),
        pytest.param(
            {"video": False, "doctor_is_treating_doctor": True},
            OUTSIDE,
            "not_video",
            id="audio-only-even-with-the-treating-doctor",
        ),
        pytest.param(
            {"doctor_is_treating_doctor": True},
            REIMBURSABLE,
            "treating_doctor",
            id="treating-doctor-never-seen-in-person-no-12-month-rule",
        ),
        pytest.param(
            {"referred_by_treating_doctor": True}, REIMBURSABLE, "referral", id="referral"
        ),
        pytest.param({"patient_age": 15}, REIMBURSABLE, "under_16", id="aged-15"),
        pytest.param({"patient_age": 16}, OUTSIDE, "outside_parcours", id="aged-16"),
        pytest.param(
            {"doctor_specialty": Specialty.PSYCHIATRY, "patient_age": 25},
            REIMBURSABLE,
            "direct_access",
            id="psychiatry-aged-25",
        ),
        pytest.param(
            {"doctor_specialty": Specialty.PSYCHIATRY, "patient_age": 26},
            TO_CHECK,
            "direct_access",
            id="psychiatry-aged-26",
        ),
        pytest.param(
            {"doctor_specialty": Specialty.PSYCHIATRY, "patient_age": 26, "emergency": True},
            REIMBURSABLE,
            "emergency",
            id="psychiatry-aged-26-in-an-emergency",
        ),
        pytest.param(
            {"doctor_specialty": Specialty.GENERAL_PRACTICE},
            OUTSIDE,
            "outside_parcours",
            id="general-practice-is-not-direct-access",
        ),
        pytest.param({"emergency": True}, REIMBURSABLE, "emergency", id="emergency"),
        pytest.param(
            {**NO_TREATING_DOCTOR, "through_territorial_organisation": True},
            REIMBURSABLE,
            "no_treating_doctor_territorial",
            id="no-treating-doctor-through-a-cpts",
        ),
        pytest.param(
            {"treating_doctor_unavailable": True, "through_territorial_organisation": True},
            REIMBURSABLE,
            "no_treating_doctor_territorial",
            id="treating-doctor-unavailable-through-a-cpts",
        ),
        pytest.param(
            NO_TREATING_DOCTOR,
            TO_CHECK,
            "no_treating_doctor_territorial",
            id="no-treating-doctor-alone",
        ),
        pytest.param(
            {"treating_doctor_unavailable": True},
            TO_CHECK,
            "no_treating_doctor_territorial",
            id="treating-doctor-unavailable-alone",
        ),
        pytest.param(
            {"through_territorial_organisation": True},
            OUTSIDE,
            "outside_parcours",
            id="cpts-while-the-treating-doctor-is-available",
        ),
        pytest.param({"lives_in_care_facility": True}, REIMBURSABLE, "care_facility", id="ehpad"),
        pytest.param({"is_prisoner": True}, REIMBURSABLE, "prisoner", id="prisoner"),
        pytest.param(
            {**NO_TREATING_DOCTOR, "is_prisoner": True},
            REIMBURSABLE,
            "prisoner",
            id="a-sure-exception-wins-over-to-check",
        ),
    ],
)
def test_verdict(changes: dict[str, Any], status: ParcoursStatus, rule: str) -> None:
    result = verdict(replace(OUTSIDER, **changes))
    assert (result.status, result.rule) == (status, rule)
    assert str(result.reason)


@pytest.mark.parametrize("specialty", sorted(DIRECT_ACCESS_SPECIALTIES))
def test_direct_access_specialties_are_reimbursable(specialty: str) -> None:
    result = verdict(replace(OUTSIDER, doctor_specialty=specialty, patient_age=20))
    assert (result.status, result.rule) == (REIMBURSABLE, ParcoursRule.DIRECT_ACCESS)


def test_direct_access_list_matches_the_regulation() -> None:
    assert frozenset(DIRECT_ACCESS_SPECIALTIES) == {
        Specialty.MEDICAL_GYNAECOLOGY,
        Specialty.OBSTETRICS,
        Specialty.OPHTHALMOLOGY,
        Specialty.ORAL_SURGERY,
        Specialty.MAXILLOFACIAL_SURGERY,
        Specialty.PSYCHIATRY,
        Specialty.CHILD_PSYCHIATRY,
        Specialty.PAEDIATRICS,
    }


def test_no_fact_about_previous_visits_is_asked() -> None:
    # Avenant 9 removed the "seen in person within 12 months" condition (1 April 2022).
    names = {field.name for field in fields(ParcoursFacts)}
    assert not {name for name in names if "seen" in name or "visit" in name or "month" in name}


def test_without_territorial_organisation_the_reason_explains_the_condition() -> None:
    with translation.override("fr"):
        reason = str(verdict(replace(OUTSIDER, **NO_TREATING_DOCTOR)).reason)
    assert "organisation territoriale" in reason
    assert "CPTS" in reason


def test_audio_only_reason_says_video_is_required() -> None:
    with translation.override("fr"):
        reason = str(verdict(replace(OUTSIDER, video=False)).reason)
    assert "vidéo" in reason
